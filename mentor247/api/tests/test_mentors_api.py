"""GET /api/mentors and /api/mentors/{id}: listed mentors only, filters, pages, query counts."""

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from mentor247.accounts.models import User
from mentor247.api.tests.conftest import listed_mentor
from mentor247.conftest import make_profile, make_user
from mentor247.lib.languages import Proficiency
from mentor247.mentors.domain import Decision, decide
from mentor247.mentors.listing import refresh_listing
from mentor247.mentors.models import MentorProfile

pytestmark = pytest.mark.django_db


def ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [mentor["id"] for mentor in response.json()["results"]]


@pytest.fixture
def three_mentors() -> dict[str, MentorProfile]:
    return {
        "product": listed_mentor(
            "paula.product@example.com",
            headline="Product management for new managers",
            expertise=("Product management",),
            languages=(("en", Proficiency.NATIVE),),
            currency="EUR",
            prices=(6000,),
        ),
        "data": listed_mentor(
            "dario.data@example.com",
            headline="Data science interviews and first jobs",
            expertise=("Data science",),
            languages=(("es", Proficiency.FLUENT), ("en", Proficiency.BASIC)),
            currency="USD",
            prices=(12000, 4000),
        ),
        "design": listed_mentor(
            "dana.design@example.com",
            headline="Design portfolios that get interviews",
            expertise=("Product design",),
            languages=(("en", Proficiency.CONVERSATIONAL),),
            currency="EUR",
            prices=(9000,),
        ),
    }


def test_mentor_list_shows_listed_mentors_with_card_details(
    client: Client, three_mentors: dict[str, MentorProfile]
) -> None:
    response = client.get("/api/mentors")

    body = response.json()
    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (3, 1, 1, 20)
    data = next(m for m in body["results"] if m["id"] == three_mentors["data"].pk)
    assert data["name"] == "Dario.Data"
    assert data["url"] == f"http://testserver/mentors/{three_mentors['data'].pk}/"
    assert data["expertise"] == [{"slug": "data-science", "name": "Data science"}]
    assert data["languages"] == [
        {"code": "es", "name": "Spanish", "level": 3, "level_name": "fluent"},
        {"code": "en", "name": "English", "level": 1, "level_name": "basic"},
    ]
    assert data["lowest_price"] == {"amount": 4000, "currency": "USD", "display": "$40.00"}
    assert (data["country"], data["time_zone"], data["photo"]) == ("GB", "Europe/London", None)


def test_mentor_list_filters_like_the_directory(
    client: Client, three_mentors: dict[str, MentorProfile]
) -> None:
    product, data, design = (three_mentors[k].pk for k in ("product", "data", "design"))

    assert ids(client.get("/api/mentors", {"q": "interviews data"})) == [data]
    assert ids(client.get("/api/mentors", {"expertise": "product-design"})) == [design]
    assert ids(client.get("/api/mentors", {"language": "es", "level": "3"})) == [data]
    assert ids(client.get("/api/mentors", {"language": "es", "level": "4"})) == []
    assert sorted(ids(client.get("/api/mentors", {"language": "en", "level": "2"}))) == sorted(
        [product, design]
    )
    assert sorted(ids(client.get("/api/mentors", {"currency": "eur"}))) == sorted([product, design])
    in_range = {"currency": "EUR", "min_price": "55", "max_price": "60.00"}
    assert ids(client.get("/api/mentors", in_range)) == [product]
    assert ids(client.get("/api/mentors", {"currency": "EUR", "max_price": "59.99"})) == []
    assert ids(client.get("/api/mentors", {"sort": "price", "currency": "EUR"})) == [
        product,
        design,
    ]
    # Prices in different currencies do not compare.
    assert client.get("/api/mentors", {"sort": "price"}).status_code == 422


def test_mentor_list_filters_by_rating(client: Client, three_mentors: dict[str, Any]) -> None:
    MentorProfile.objects.filter(pk=three_mentors["design"].pk).update(
        rating_average=4.8, rating_count=5
    )
    MentorProfile.objects.filter(pk=three_mentors["data"].pk).update(
        rating_average=3.9, rating_count=2
    )
    refresh_listing(profile.pk for profile in three_mentors.values())  # as ratings' writer does

    assert ids(client.get("/api/mentors", {"rating": "4"})) == [three_mentors["design"].pk]
    assert ids(client.get("/api/mentors"))[:2] == [
        three_mentors["design"].pk,
        three_mentors["data"].pk,
    ]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"currency": "EUR", "min_price": "cheap"}, "min_price"),
        ({"currency": "EUR", "max_price": "10.505"}, "max_price"),
        ({"currency": "JPY", "min_price": "10.5"}, "min_price"),
        ({"currency": "EUR", "min_price": "-5"}, "min_price"),
        ({"min_price": "10"}, "min_price"),
        ({"currency": "EUR", "min_price": "90", "max_price": "10"}, "max_price"),
        ({"currency": "XYZ"}, "currency"),
        ({"language": "klingon"}, "language"),
        ({"overlap_with": "Mars/Olympus_Mons"}, "overlap_with"),
        ({"level": "9"}, "level"),
        ({"rating": "six"}, "rating"),
        ({"sort": "name"}, "sort"),
        ({"page": "0"}, "page"),
    ],
)
def test_mentor_list_refuses_bad_filters_clearly(
    client: Client, params: dict[str, str], field: str
) -> None:
    response = client.get("/api/mentors", params)

    assert response.status_code == 422
    body = response.json()
    assert list(body["errors"]) == [field]
    assert body["errors"][field][0]
    assert body["detail"]


def test_mentor_list_price_error_names_the_currency(client: Client) -> None:
    response = client.get("/api/mentors", {"currency": "JPY", "min_price": "10.5"})

    assert response.json()["errors"] == {
        "min_price": [
            "Write the price in JPY as a positive number with at most 0 decimals, such as 45."
        ]
    }


def test_mentor_list_pages_by_twenty_with_the_total_count(client: Client) -> None:
    made = [listed_mentor(f"mentor{n}@example.com", prices=(1000 + n,)) for n in range(21)]

    by_price = {"sort": "price", "currency": made[0].currency}
    first = client.get("/api/mentors", by_price).json()
    second = client.get("/api/mentors", {**by_price, "page": "2"}).json()
    beyond = client.get("/api/mentors", {**by_price, "page": "3"}).json()

    assert (first["count"], first["pages"], len(first["results"])) == (21, 2, 20)
    assert [m["id"] for m in first["results"] + second["results"]] == [p.pk for p in made]
    assert (beyond["count"], beyond["results"]) == (21, [])
    assert not first["more"]


def test_mentor_list_counts_up_to_the_cap_and_says_there_are_more(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("mentor247.mentors.queries.PAGE_SIZE", 2)
    monkeypatch.setattr("mentor247.mentors.queries.RESULT_CAP", 4)
    made = [listed_mentor(f"mentor{n}@example.com", prices=(1000 + n,)) for n in range(5)]
    by_price = {"sort": "price", "currency": made[0].currency}

    first = client.get("/api/mentors", by_price).json()
    last = client.get("/api/mentors", {**by_price, "page": "2"}).json()
    beyond = client.get("/api/mentors", {**by_price, "page": "3"}).json()

    assert (first["count"], first["more"], first["pages"]) == (4, True, 2)
    assert [m["id"] for m in first["results"] + last["results"]] == [p.pk for p in made[:4]]
    assert beyond["results"] == []
    assert client.get("/api/mentors", {"page": "51"}).status_code == 422


def withdraw(profile: MentorProfile, decision: str, staff: User) -> None:
    decide(profile, decision, note="Reports of off-platform payments.", by=staff)


@pytest.mark.parametrize("decision", [Decision.SUSPEND, Decision.REMOVE])
def test_suspended_and_removed_mentors_are_never_shown(
    client: Client, staff: User, decision: str
) -> None:
    shown = listed_mentor("sam.shown@example.com")
    gone = listed_mentor("gus.gone@example.com")
    assert sorted(ids(client.get("/api/mentors"))) == sorted([shown.pk, gone.pk])
    assert client.get(f"/api/mentors/{gone.pk}").status_code == 200

    withdraw(gone, decision, staff)

    assert ids(client.get("/api/mentors")) == [shown.pk]
    assert ids(client.get("/api/mentors", {"q": "product"})) == [shown.pk]
    response = client.get(f"/api/mentors/{gone.pk}")
    assert response.status_code == 404
    assert set(response.json()) == {"code", "detail", "errors"}


def test_mentor_detail_is_404_for_mentors_not_listed(client: Client) -> None:
    applied = make_profile(
        make_user("alex.applied@example.com"), status=MentorProfile.Status.APPLIED
    )
    no_conduct = make_profile(make_user("pat.pending@example.com"), accept=False)

    assert client.get(f"/api/mentors/{applied.pk}").status_code == 404
    assert client.get(f"/api/mentors/{no_conduct.pk}").status_code == 404
    assert client.get("/api/mentors/999999").status_code == 404
    assert ids(client.get("/api/mentors")) == []


def test_mentor_detail_shows_current_offerings_with_prices(client: Client) -> None:
    profile = listed_mentor("olga.offers@example.com", currency="GBP", prices=(9000, 4500))
    profile.offerings.filter(price=9000).update(retired_at=profile.applied_at)

    response = client.get(f"/api/mentors/{profile.pk}")

    assert response.status_code == 200
    body = response.json()
    assert (body["bio"], body["years_of_experience"]) == (profile.bio, 10)
    assert [o["price"] for o in body["offerings"]] == [
        {"amount": 4500, "currency": "GBP", "display": "£45.00"}
    ]
    offering = body["offerings"][0]
    assert offering["plan"] == ["Where you are and where you want to go"]
    assert offering["created_at"].endswith("Z")


def test_mentor_prices_are_displayed_in_the_request_language(client: Client) -> None:
    profile = listed_mentor("erik.euro@example.com", currency="EUR", prices=(4550,))

    response = client.get(f"/api/mentors/{profile.pk}", HTTP_ACCEPT_LANGUAGE="es")

    assert response.json()["lowest_price"]["display"] == "45,50\xa0€"


def query_count(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200
    return len(captured.captured_queries)


def add_mentors(first: int, count: int) -> None:
    for number in range(first, first + count):
        listed_mentor(
            f"mentor{number}@example.com",
            expertise=("Product management", f"Topic {number}"),
            languages=(("en", Proficiency.NATIVE), ("es", Proficiency.FLUENT)),
            prices=(5000, 9000),
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "product", "language": "es", "level": "2", "currency": "EUR", "max_price": "80"},
        {"sort": "price", "currency": "EUR", "overlap_with": "Europe/Madrid"},
    ],
)
def test_mentor_list_queries_do_not_grow_with_results(
    client: Client, params: dict[str, str]
) -> None:
    add_mentors(0, 1)
    assert client.get("/api/mentors", params).json()["count"] == 1
    one = query_count(lambda: client.get("/api/mentors", params))
    add_mentors(1, 19)
    assert len(client.get("/api/mentors", params).json()["results"]) == 20

    twenty = query_count(lambda: client.get("/api/mentors", params))

    assert twenty == one
    # The policy versions in effect, the ids of every page (which count them), the page's
    # cards, and their expertise and languages.
    assert one == 5


def test_mentor_detail_queries_do_not_grow_with_offerings(client: Client) -> None:
    profile = listed_mentor("solo@example.com", prices=(5000,))
    one = query_count(lambda: client.get(f"/api/mentors/{profile.pk}"))
    many = listed_mentor("many@example.com", prices=tuple(range(5000, 5020)))

    assert query_count(lambda: client.get(f"/api/mentors/{many.pk}")) == one
