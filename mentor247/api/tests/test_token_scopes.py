"""What a personal token may do through the API: its scopes, its expiry, and the login
session beside it."""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.api.domain import create_token
from mentor247.api.models import Scope
from mentor247.api.tests.conftest import bearer

pytestmark = pytest.mark.django_db

# Every API operation that acts for its caller, and the scope it needs.
OPERATIONS = [
    ("get", "/api/me/profile", Scope.READ),
    ("get", "/api/me/offerings", Scope.READ),
    ("get", "/api/me/availability", Scope.READ),
    ("get", "/api/me/bookings", Scope.READ),
    ("patch", "/api/me/profile", Scope.MANAGE),
    ("post", "/api/me/offerings", Scope.MANAGE),
    ("put", "/api/me/offerings/999999", Scope.MANAGE),
    ("delete", "/api/me/offerings/999999", Scope.MANAGE),
    ("put", "/api/me/availability", Scope.MANAGE),
    ("post", "/api/bookings", Scope.BOOK),
    ("post", "/api/engagements/999999/bookings", Scope.BOOK),
    ("post", "/api/me/bookings/999999/move", Scope.BOOK),
    ("post", "/api/me/bookings/999999/cancel", Scope.BOOK),
]


def call(client: Client, method: str, path: str, **extra: Any) -> Any:
    return getattr(client, method)(path, data={}, content_type="application/json", **extra)


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
def test_a_token_without_the_scope_is_refused_with_403_naming_it(
    mentor: User, method: str, path: str, scope: str
) -> None:
    others = [value for value in Scope.values if value != scope]
    _token, secret = create_token(mentor, name="script", scopes=others)

    response = call(Client(), method, path, headers=bearer(secret))

    assert response.status_code == 403
    assert f"needs the scope “{scope}”" in response.json()["detail"]


@pytest.mark.parametrize(("method", "path", "scope"), OPERATIONS)
def test_a_token_with_the_scope_gets_past_the_door(
    mentor: User, method: str, path: str, scope: str
) -> None:
    _token, secret = create_token(mentor, name="script", scopes=[scope])

    response = call(Client(), method, path, headers=bearer(secret))

    # The operation itself answers: a read, or its own refusal of an empty body or an unknown id.
    assert response.status_code in {200, 404, 422}, response.content


def test_a_read_token_reads_but_cannot_write(mentor: User) -> None:
    _token, secret = create_token(mentor, name="script", scopes=[Scope.READ])
    client = Client(headers=bearer(secret))

    assert client.get("/api/me/profile").status_code == 200
    refused = client.patch(
        "/api/me/profile", {"headline": "Taken over"}, content_type="application/json"
    )

    assert refused.status_code == 403
    mentor.mentor_profile.refresh_from_db()
    assert mentor.mentor_profile.headline != "Taken over"


def test_an_expired_token_answers_401_saying_so(mentor: User) -> None:
    _token, secret = create_token(mentor, name="script", expires_in_days=7)
    client = Client(headers=bearer(secret))
    assert client.get("/api/me/profile").status_code == 200

    with time_machine.travel(timezone.now() + timedelta(days=7, seconds=1)):
        response = client.get("/api/me/profile")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    detail = response.json()["detail"]
    assert detail.startswith("This token expired on ")
    assert "/me/tokens/" in detail


def test_the_login_session_may_do_everything(mentor: User) -> None:
    client = Client()
    client.force_login(mentor)

    for method, path, _scope in OPERATIONS:
        response = call(client, method, path)
        assert response.status_code in {200, 404, 422}, (method, path, response.content)


def test_a_token_decides_even_with_a_login_session(mentor: User) -> None:
    _token, secret = create_token(mentor, name="script", scopes=[Scope.READ])
    client = Client()
    client.force_login(mentor)

    response = client.patch(
        "/api/me/profile", {"bio": "x"}, content_type="application/json", headers=bearer(secret)
    )

    assert response.status_code == 403


def test_openapi_names_the_scope_of_every_operation_that_acts_for_the_caller() -> None:
    schema = Client().get("/api/openapi.json").json()
    schemes = schema["components"]["securitySchemes"]

    assert {name: scheme["type"] for name, scheme in schemes.items()} == {
        "ReadScope": "http",
        "BookScope": "http",
        "ManageScope": "http",
        "SessionAuth": "apiKey",
    }
    for name, scope in [("ReadScope", "read"), ("BookScope", "book"), ("ManageScope", "manage")]:
        assert f"`{scope}`" in schemes[name]["description"]
    found = {
        (method, path): [next(iter(requirement)) for requirement in operation["security"]]
        for path, operations in schema["paths"].items()
        for method, operation in operations.items()
        if "security" in operation
    }
    expected = {
        (method, path.replace("999999", "{" + name + "}")): [
            f"{scope.capitalize()}Scope",
            "SessionAuth",
        ]
        for method, path, scope in OPERATIONS
        for name in [_path_parameter(path)]
    }
    assert found == expected


def _path_parameter(path: str) -> str:
    if "/offerings/" in path:
        return "offering_id"
    if "/engagements/" in path:
        return "engagement_id"
    return "booking_id"
