"""The directory and the home page make the same number of queries for 1 mentor or 20."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentor247.conftest import make_profile, make_user
from mentor247.lib.languages import Proficiency

pytestmark = pytest.mark.django_db


def query_count(fetch: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert getattr(response, "status_code", 200) == 200
    return len(captured.captured_queries)


def add_mentors(first: int, count: int) -> None:
    for number in range(first, first + count):
        make_profile(
            make_user(f"mentor{number}@example.com", name=f"Mentor {number}"),
            expertise=("Product management", f"Topic {number}"),
            languages=(("en", Proficiency.NATIVE), ("es", Proficiency.FLUENT)),
            prices=(5000, 9000),
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "product", "language": "es", "level": "2", "currency": "EUR", "max_price": "80"},
        {"sort": "price", "currency": "EUR", "overlap": "on"},
    ],
)
def test_the_directory_queries_do_not_grow_with_results(client: Client, params: dict) -> None:
    url = reverse("mentors:directory")
    add_mentors(0, 1)
    client.get(url, params)  # fills the cached list of areas of expertise
    one = query_count(lambda: client.get(url, params))
    add_mentors(1, 19)
    response = client.get(url, params)
    assert len(response.context["page"].object_list) == 20
    assert query_count(lambda: client.get(url, params)) == one


def test_the_home_page_queries_do_not_grow_with_mentors(client: Client) -> None:
    add_mentors(0, 1)
    one = query_count(lambda: client.get(reverse("home")))
    add_mentors(1, 19)
    assert query_count(lambda: client.get(reverse("home"))) == one


def test_a_mentor_page_queries_do_not_grow_with_offerings(client: Client) -> None:
    user = make_user("solo@example.com", name="Solo")
    profile = make_profile(user, prices=(1000,))
    url = reverse("mentors:profile", args=[profile.pk])
    one = query_count(lambda: client.get(url))
    other = make_profile(make_user("many@example.com"), prices=(1000, 2000, 3000, 4000))
    url = reverse("mentors:profile", args=[other.pk])
    assert query_count(lambda: client.get(url)) == one
