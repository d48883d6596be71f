"""Helpers of the API's tests: listed mentors with chosen details, and authenticated clients."""

from typing import Any

import pytest
from django.test import Client

from mentor247.accounts.models import User
from mentor247.api.domain import create_token
from mentor247.conftest import make_profile, make_user
from mentor247.mentors.models import MentorProfile


def listed_mentor(email: str, **profile: Any) -> MentorProfile:
    """A mentor who accepted every policy in effect for mentors, so listed when approved."""
    return make_profile(make_user(email), accept=True, **profile)


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_client(user: User) -> Client:
    """A client that sends a fresh personal token of `user` with every request."""
    _token, secret = create_token(user, name="tests")
    return Client(headers=bearer(secret))


def offering_payload(**changes: Any) -> dict[str, Any]:
    payload = {
        "title": "Three hours to your first product roadmap",
        "description": "We build your roadmap together, one step each time.",
        "session_count": 3,
        "session_minutes": 60,
        "price": 15000,
        "plan": ["Where the product is", "What to build next", "The roadmap itself"],
        "expected_results": "A roadmap you can defend to your team.",
        "not_included": "Writing the roadmap for you.",
    }
    return {**payload, **changes}


@pytest.fixture
def mentor_client(mentor: User) -> Client:
    return token_client(mentor)
