"""mentor247's HTTP API (django-ninja), served at /api/ with its documentation at /api/docs.

Reads of mentors are public and show listed mentors only. The /me/ endpoints act for the
caller (a personal token or the login session) on their own mentor profile and offerings.
Endpoints parse, call the domain (mentors.domain, the only writers) and shape the answer.
"""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja import NinjaAPI, Query, Status
from ninja.openapi.docs import Swagger

from mentor247.api import errors
from mentor247.api.access import access_own_offering, access_own_profile, caller
from mentor247.api.auth import MANAGE, READ
from mentor247.api.filters import mentor_filters
from mentor247.api.scheduling import router as scheduling_router
from mentor247.api.schemas import (
    Error,
    MentorDetail,
    MentorPage,
    MentorQuery,
    OfferingIn,
    OwnOfferingOut,
    OwnProfileOut,
    ProfilePatch,
    mentor_card,
    mentor_detail,
    own_offering_out,
    own_profile_out,
)
from mentor247.api.throttling import CallerThrottle
from mentor247.mentors.domain import (
    OfferingTerms,
    ProfileDetails,
    add_offering,
    retire_offering,
    revise_offering,
    update_profile,
)
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.mentors.queries import (
    cards,
    public_profile,
    result_pages,
    search_profiles,
)


class Docs(Swagger):
    """Swagger UI in a page of our own (a language, a title, our CSRF token for "Try it out"),
    loading only files from this site, so the Content-Security-Policy holds."""

    def render_page(self, request: HttpRequest, api: "NinjaAPI", **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        return render(request, "api/docs.html", {"api": api, "swagger_settings": self.settings})


api = NinjaAPI(
    title=f"{settings.SITE_NAME} API",
    version="1",
    description=(
        "Public reads of listed mentors and their open times; a mentor's own profile, "
        "offerings and availability; booking, moving and cancelling. Write "
        "endpoints take a personal API token (`Authorization: Bearer m247_…`, made at "
        "/me/tokens/) or the browser's login session with its CSRF token. Money is an integer "
        "of minor units with its currency; times are UTC, in ISO 8601."
    ),
    urls_namespace="api",
    # No deep links (Swagger UI nests them in buttons) and no syntax colours (too faint).
    docs=Docs(settings={"validatorUrl": None, "deepLinking": False, "syntaxHighlight": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[CallerThrottle()],
)


errors.install(api)


# Public reads --------------------------------------------------------------------------------


@api.get("/mentors", response={200: MentorPage, 422: Error}, tags=["mentors"])
def list_mentors(request: HttpRequest, query: Query[MentorQuery]) -> dict[str, Any]:
    """Listed mentors matching the filters, 20 a page, with how many match (counted up to
    1,000: `more` says whether there were more)."""
    paginator = result_pages(search_profiles(mentor_filters(query)))
    size = paginator.per_page
    start = (query.page - 1) * size
    page = cards(paginator.kept[start : start + size])
    return {
        "count": paginator.count,
        "more": paginator.more,
        "page": query.page,
        "pages": paginator.num_pages,
        "page_size": size,
        "results": [mentor_card(request, profile) for profile in page],
    }


@api.get("/mentors/{mentor_id}", response={200: MentorDetail, 404: Error}, tags=["mentors"])
def get_mentor(request: HttpRequest, mentor_id: int) -> MentorDetail:
    """One listed mentor with their current offerings; 404 for anyone not listed."""
    return mentor_detail(request, public_profile(mentor_id))


# The caller's own mentor profile and offerings ------------------------------------------------

OWN: dict[str, Any] = {"tags": ["my mentor profile"]}
REFUSALS: dict[int, Any] = {401: Error, 403: Error, 404: Error}


@api.get("/me/profile", response={200: OwnProfileOut, **REFUSALS}, auth=READ, **OWN)
def get_own_profile(request: HttpRequest) -> OwnProfileOut:
    """The caller's mentor profile, whatever its status but removed."""
    return own_profile_out(request, access_own_profile(caller(request)))


@api.patch(
    "/me/profile",
    response={200: OwnProfileOut, 422: Error, **REFUSALS},
    auth=MANAGE,
    **OWN,
)
def patch_own_profile(request: HttpRequest, payload: ProfilePatch) -> OwnProfileOut:
    """Changes the fields sent and keeps the others. Nothing changes if any field is refused."""
    profile = access_own_profile(caller(request))
    changes = payload.model_dump(exclude_unset=True)
    if "languages" in changes:
        changes["languages"] = [(item["code"], item["level"]) for item in changes["languages"]]
    updated = update_profile(profile, ProfileDetails(**{**_current_details(profile), **changes}))
    return own_profile_out(request, updated)


def _current_details(profile: MentorProfile) -> dict[str, Any]:
    return {
        "headline": profile.headline,
        "bio": profile.bio,
        "expertise": [tag.name for tag in profile.expertise.all()],
        "years_of_experience": profile.years_of_experience,
        "languages": list(profile.languages.values_list("language", "proficiency")),
        "country": str(profile.country),
        "time_zone": profile.time_zone,
        "currency": profile.currency,
    }


@api.get("/me/offerings", response={200: list[OwnOfferingOut], **REFUSALS}, auth=READ, **OWN)
def list_own_offerings(request: HttpRequest, retired: bool = False) -> list[OwnOfferingOut]:
    """The caller's current offerings, cheapest first; with `retired=true`, the retired too."""
    profile = access_own_profile(caller(request))
    offerings = Offering.objects.filter(profile=profile)
    if not retired:
        offerings = offerings.current()
    return [own_offering_out(offering) for offering in offerings.order_by("price", "pk")]


@api.post(
    "/me/offerings",
    response={201: OwnOfferingOut, 422: Error, **REFUSALS},
    auth=MANAGE,
    **OWN,
)
def create_own_offering(request: HttpRequest, payload: OfferingIn) -> Status[OwnOfferingOut]:
    """A new offering, priced in minor units of the caller's currency."""
    profile = access_own_profile(caller(request))
    return Status(201, own_offering_out(add_offering(profile, _terms(payload))))


@api.put(
    "/me/offerings/{offering_id}",
    response={200: OwnOfferingOut, 422: Error, **REFUSALS},
    auth=MANAGE,
    **OWN,
)
def revise_own_offering(
    request: HttpRequest, offering_id: int, payload: OfferingIn
) -> OwnOfferingOut:
    """Retires the offering and answers with its successor, which has a new id: what was
    bought on the old terms keeps them."""
    offering = access_own_offering(access_own_profile(caller(request)), offering_id)
    return own_offering_out(revise_offering(offering, _terms(payload)))


@api.delete(
    "/me/offerings/{offering_id}",
    response={204: None, 422: Error, **REFUSALS},
    auth=MANAGE,
    **OWN,
)
def retire_own_offering(request: HttpRequest, offering_id: int) -> Status[None]:
    """Takes the offering off sale; it stays for what was bought on it."""
    offering = access_own_offering(access_own_profile(caller(request)), offering_id)
    retire_offering(offering)
    return Status(204, None)


def _terms(payload: OfferingIn) -> OfferingTerms:
    return OfferingTerms(**payload.model_dump())


api.add_router("", scheduling_router)
