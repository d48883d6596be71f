"""Fuzzing every API operation from its own OpenAPI document (schemathesis, over WSGI in this
process, on the test database): requests that fit the schema and requests that do not, with the
ids of real mentors, offerings, engagements and bookings mixed in and with real tokens of a
mentee and a mentor (or none, or a wrong one). No answer may be a server error, and every
error must have the API's one shape.

FUZZ_EXAMPLES sets the number of examples per generation mode (default 250); with FUZZ_SEED
unset, the examples are the same on every run, so CI is repeatable; set it to explore others.
"""

import functools
import json
import os
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from mentor247.accounts.models import User
from mentor247.api.domain import create_token
from mentor247.bookings import domain
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250"))
SEED = os.environ.get("FUZZ_SEED")


@functools.cache
def api_schema() -> Any:
    return schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def wsgi_in_the_test() -> Iterator[None]:
    """Requests through the WSGI handler share the test's connection and transaction, as
    Django's test client does: the handler must not close the connection after each."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(mentee: User, wsgi_in_the_test: None) -> dict[str, Any]:
    """Real things for the fuzzer to aim at: a listed mentor with offerings and availability,
    a mentee with a held booking and a package being used, and a token of each."""
    bookable: Bookable = make_bookable("max.mentor@example.com")
    held = domain.book(bookable.hour, mentee, at(3, 10))
    package = domain.confirm_booking(domain.book(bookable.package, mentee, at(4, 10)).pk)
    _token, mentee_secret = create_token(mentee, name="fuzz")
    _token, mentor_secret = create_token(bookable.mentor, name="fuzz")
    return {
        "ids": {
            "mentor_id": [bookable.profile.pk],
            "offering_id": [bookable.hour.pk, bookable.package.pk, bookable.half_hour.pk],
            "engagement_id": [package.engagement_id, held.engagement_id],
            "booking_id": [held.pk, package.pk],
        },
        "tokens": [mentee_secret, mentor_secret, "m247_not-a-real-token", None],
    }


def assert_well_formed(response: Any, label: str) -> None:
    status = response.status_code
    assert status < 500, f"{label}: {status} {response.content[:500]!r}"
    if status == 204 or label.startswith("GET /api/docs"):
        return
    content_type = {name.lower(): values for name, values in response.headers.items()}
    assert content_type["content-type"][0].startswith("application/json"), label
    body = json.loads(response.content)
    if status >= 400:
        assert set(body) == {"code", "detail", "errors"}, (label, body)
        assert isinstance(body["code"], str) and body["code"], (label, body)
        assert isinstance(body["detail"], str) and body["detail"], (label, body)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_no_operation_answers_a_server_error_or_an_error_out_of_shape(
    world: dict[str, Any], mode: GenerationMode
) -> None:
    schema = api_schema()
    cases = schema.as_strategy(generation_mode=mode)
    answered: Counter[tuple[str, int]] = Counter()

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=SEED is None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=cases, data=st.data())
    def call(case: Any, data: st.DataObject) -> None:
        for name, value in dict(case.path_parameters or {}).items():
            real = world["ids"].get(name, [])
            case.path_parameters[name] = data.draw(st.sampled_from([*real, value]), label=name)
        token = data.draw(st.sampled_from(world["tokens"]), label="token")
        headers = dict(case.headers or {})
        headers.pop("Authorization", None)
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        case.headers = headers
        response = case.call()
        assert_well_formed(response, f"{case.method} {case.formatted_path}")
        answered[f"{case.method} {case.path}", response.status_code] += 1

    if SEED is not None:
        call = seed(int(SEED))(call)
    call()
    # The fuzzer reached every operation, and got past the schema and the permissions to the
    # work itself, not only refusals.
    operations = {
        f"{op.method.upper()} {op.path}"
        for op in (result.ok() for result in schema.get_all_operations())
    }
    assert {operation for operation, _status in answered} == operations
    assert any(status < 300 for _operation, status in answered)
    assert {401, 404, 422} <= {status for _operation, status in answered}
