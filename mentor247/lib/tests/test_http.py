import pytest
from django.test import Client
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin

pytestmark = pytest.mark.django_db


def test_pages_carry_a_strict_content_security_policy_and_security_headers(client: Client) -> None:
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in response["Permissions-Policy"]


def test_templates_have_no_inline_scripts_or_styles(client: Client) -> None:
    for path in ["/", "/accounts/login/", "/accounts/signup/", "/policies/terms/"]:
        page = client.get(path).content.decode()
        assert " style=" not in page, path
        assert "<style" not in page, path
        for tag in page.split("<script")[1:]:
            assert 'src="/static/' in tag.split(">")[0], (path, tag[:80])


def test_static_files_and_htmx_are_served(client: Client) -> None:
    for path in ["/static/vendor/htmx.min.js", "/static/css/site.css", "/static/js/time-zone.js"]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_the_websocket_endpoint_refuses_foreign_origins(asgi_server: str) -> None:
    url = asgi_server.replace("http://", "ws://") + "/ws/anything/"
    with pytest.raises(InvalidStatus) as refused:
        connect(url, origin=Origin("http://attacker.example"), open_timeout=5)
    assert refused.value.response.status_code == 403


def test_unknown_pages_are_not_found(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "We cannot find that page" in response.content.decode()
