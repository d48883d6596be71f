"""Every error of the API has one JSON shape, whichever layer answers and in every mode."""

import json
from typing import Any

import pytest
from django.test import Client, override_settings

from mentor247.accounts.models import User
from mentor247.api.tests.conftest import token_client

pytestmark = pytest.mark.django_db


def assert_shape(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "detail", "errors"}
    assert body["code"] == code
    assert isinstance(body["detail"], str) and len(body["detail"]) > 10
    assert isinstance(body["errors"], dict)
    return body


@pytest.mark.parametrize("debug", [False, True])
def test_errors_of_every_layer_share_the_shape(client: Client, debug: bool) -> None:
    with override_settings(DEBUG=debug):
        assert_shape(client.get("/api/no-such-thing"), 404, "not_found")
        assert_shape(client.get("/api/mentors/999999"), 404, "not_found")
        assert_shape(client.delete("/api/mentors"), 405, "method_not_allowed")
        assert_shape(client.get("/api/me/profile"), 401, "not_authenticated")
        assert_shape(client.get("/api/mentors", {"page": "many"}), 422, "invalid")


def test_a_body_that_is_not_json_is_400(mentor: User) -> None:
    client = token_client(mentor)
    response = client.post("/api/me/offerings", "{not json", content_type="application/json")
    assert "JSON" in assert_shape(response, 400, "bad_request")["detail"]


@pytest.mark.parametrize("size", [3 * 1024 * 1024, 30 * 1024 * 1024])
def test_a_body_over_the_limit_is_413_unread(mentor: User, size: int) -> None:
    client = token_client(mentor)
    before = mentor.mentor_profile.offerings.count()
    body = json.dumps({"title": "x" * size})
    response = client.post("/api/me/offerings", body, content_type="application/json")
    assert_shape(response, 413, "too_large")
    assert mentor.mentor_profile.offerings.count() == before


@override_settings(API_MAX_BODY_BYTES=10**9, DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_a_body_over_djangos_own_limit_is_413_too(mentor: User) -> None:
    client = token_client(mentor)
    body = json.dumps({"title": "x" * 2000})
    assert_shape(
        client.post("/api/me/offerings", body, content_type="application/json"), 413, "too_large"
    )


@pytest.mark.parametrize("debug", [False, True])
def test_a_defect_is_a_500_in_the_shape_and_logged(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture, debug: bool
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the search broke")

    monkeypatch.setattr("mentor247.api.api.search_profiles", broken)
    client = Client(raise_request_exception=False)
    with override_settings(DEBUG=debug):
        body = assert_shape(client.get("/api/mentors"), 500, "server_error")
    assert "the search broke" not in body["detail"]
    assert any("the search broke" in (record.exc_text or "") for record in caplog.records)


def test_the_session_without_csrf_is_403_in_the_shape(mentor: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(mentor)
    response = client.post("/api/me/offerings", "{}", content_type="application/json")
    assert "CSRF" in assert_shape(response, 403, "forbidden")["detail"]


def test_the_documentation_stays_a_page(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


@override_settings(API_RATE_PERSON="3/m", API_RATE_ADDRESS="2/m")
def test_too_many_requests_are_429_in_the_shape(mentor: User, mentee: User) -> None:
    anonymous = Client()
    assert [anonymous.get("/api/mentors").status_code for _n in range(2)] == [200, 200]
    # Another address is counted apart; a header naming one changes nothing.
    faked = anonymous.get("/api/mentors", headers={"X-Forwarded-For": "203.0.113.9"})
    assert_shape(faked, 429, "rate_limited")
    assert 1 <= int(faked["Retry-After"]) <= 60
    assert Client(REMOTE_ADDR="198.51.100.7").get("/api/mentors").status_code == 200

    # A person is counted by who they are, whatever the address.
    person = token_client(mentor)
    assert [person.get("/api/me/profile").status_code for _n in range(3)] == [200] * 3
    assert_shape(person.get("/api/me/profile"), 429, "rate_limited")
    assert token_client(mentee).get("/api/me/bookings").status_code == 200
