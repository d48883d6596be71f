"""What the API reads and writes. Responses are built by the functions at the end, from objects
fetched with everything they show (no query per item)."""

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, PlainSerializer, field_validator

from mentor247.lib.bounds import check_day, check_moment
from mentor247.lib.money import format_money
from mentor247.mentors.models import (
    DEFAULT_CREDIT_DAYS,
    MAX_CREDIT_DAYS,
    MAX_SESSIONS,
    MentorProfile,
    Offering,
)
from mentor247.mentors.queries import MAX_PAGES

# Written in UTC with a "Z", whatever zone the database handed back.
UtcDateTime = Annotated[
    datetime,
    PlainSerializer(
        lambda moment: moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        return_type=str,
    ),
]
MAX_PRICE = 2_147_483_647  # the largest the database column holds

# Times and dates coming in: ISO 8601 text only (never a number of seconds), a time with its
# offset from UTC, both in the years lib.bounds allows.
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _time_text(value: Any) -> Any:
    if isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not ISO_TIME.match(value):
        raise ValueError(
            _("Send a time as ISO 8601 text with its offset, such as 2026-12-01T09:00:00+05:45.")
        )
    return value


def _date_text(value: Any) -> Any:
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError(_("Send a date as ISO 8601 text, such as 2026-12-24."))
    return value


def _in_bounds(check: Any) -> Any:
    def validate(value: Any) -> Any:
        try:
            return check(value)
        except ValidationError as error:
            raise ValueError(error.messages[0]) from None

    return validate


Moment = Annotated[
    datetime,
    BeforeValidator(_time_text),
    AfterValidator(_in_bounds(check_moment)),
    Field(examples=["2026-12-01T09:00:00+05:45"]),
]
Day = Annotated[
    date,
    BeforeValidator(_date_text),
    AfterValidator(_in_bounds(check_day)),
    Field(examples=["2026-12-24"]),
]


class In(Schema):
    """What a client sends: a field this API does not know is refused, never ignored."""

    model_config = ConfigDict(extra="forbid")


class Error(Schema):
    code: str = Field(
        description="What went wrong, for programs: not_found, invalid, conflict, too_large, "
        "rate_limited, time_taken, time_past…"
    )
    detail: str = Field(description="What went wrong, for a person to read.")
    errors: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages by field, when fields were wrong."
    )


class Money(Schema):
    amount: int = Field(description="In minor units of the currency: cents for EUR, yen for JPY.")
    currency: str = Field(description="ISO 4217 code.")
    display: str = Field(description="The amount as a person reads it, in the request's language.")


class ExpertiseOut(Schema):
    slug: str
    name: str


class LanguageOut(Schema):
    code: str
    name: str
    level: int = Field(description="1 basic, 2 conversational, 3 fluent, 4 native.")
    level_name: str


class OfferingOut(Schema):
    id: int
    title: str
    description: str
    session_count: int
    session_minutes: int
    price: Money
    plan: list[str] = Field(description="One topic per session, in order.")
    expected_results: str
    not_included: str
    credit_days: int = Field(description="After buying, the days to book every session in.")
    created_at: UtcDateTime


class OwnOfferingOut(OfferingOut):
    retired_at: UtcDateTime | None
    replaces: int | None = Field(description="The id of the offering this one revised.")


class MentorCard(Schema):
    id: int
    url: str = Field(description="The mentor's page on the site.")
    name: str
    headline: str
    photo: str | None = Field(description="The URL of the mentor's photo, if any.")
    country: str
    time_zone: str
    currency: str
    expertise: list[ExpertiseOut]
    languages: list[LanguageOut]
    lowest_price: Money | None
    rating_average: float | None
    rating_count: int


class MentorDetail(MentorCard):
    bio: str
    years_of_experience: int
    offerings: list[OfferingOut]


class MentorPage(Schema):
    count: int = Field(description="How many mentors match, up to 1,000, on every page.")
    more: bool = Field(description="Whether more than `count` match: narrow the search.")
    page: int
    pages: int
    page_size: int
    results: list[MentorCard]


class MentorQuery(Schema):
    q: str = Field("", max_length=200, description="Words to search for.")
    expertise: str = Field("", description="The slug of an area of expertise.")
    language: str = Field("", description="A language code, such as en or pt-br.")
    level: int = Field(1, ge=1, le=4, description="The least level in `language`.")
    currency: str = Field("", description="Only mentors charging in this currency.")
    min_price: str = Field("", description="In major units of `currency`, such as 45.50.")
    max_price: str = Field("", description="In major units of `currency`.")
    rating: float | None = Field(None, ge=0, le=5, description="The least average rating.")
    overlap_with: str = Field(
        "", description="A time zone: only mentors whose working day overlaps its own."
    )
    sort: Literal["", "relevance", "rating", "price"] = ""
    page: int = Field(1, ge=1, le=MAX_PAGES)


class LanguageIn(In):
    code: str
    level: int = Field(ge=1, le=4, description="1 basic, 2 conversational, 3 fluent, 4 native.")


class OwnProfileOut(Schema):
    id: int
    status: str
    headline: str
    bio: str
    expertise: list[str]
    years_of_experience: int
    languages: list[LanguageIn]
    country: str
    time_zone: str
    currency: str
    photo: str | None


class ProfilePatch(In):
    """Only the fields sent change; the others keep their values."""

    headline: str | None = Field(None, max_length=120)
    bio: str | None = Field(None, max_length=5000)
    expertise: list[str] | None = Field(None, max_length=50)
    years_of_experience: int | None = None
    languages: list[LanguageIn] | None = Field(None, max_length=50)
    country: str | None = Field(None, max_length=2)
    time_zone: str | None = None
    currency: str | None = None

    @field_validator("*", mode="before")
    @classmethod
    def not_null(cls, value: Any) -> Any:
        # Runs for the fields sent only: a field left out keeps its value, null is refused.
        if value is None:
            raise ValueError(_("Leave the field out to keep its value; null is not a value."))
        return value


class OfferingIn(In):
    title: str = Field(max_length=120)
    description: str = Field(max_length=3000)
    session_count: int = Field(description=f"From 1 to {MAX_SESSIONS}.")
    session_minutes: int = Field(description="30, 45, 60 or 90.")
    price: int = Field(
        ge=0, le=MAX_PRICE, description="In minor units of the mentor's currency; 0 is free."
    )
    plan: list[Annotated[str, Field(max_length=300)]] = Field(
        max_length=MAX_SESSIONS, description="One topic per session, in order."
    )
    expected_results: str = Field(max_length=3000)
    not_included: str = Field(max_length=3000)
    credit_days: int = Field(
        default=DEFAULT_CREDIT_DAYS,
        ge=1,
        le=MAX_CREDIT_DAYS,
        description="After buying, the days a mentee has to book every session.",
    )


# Building responses ---------------------------------------------------------------------------


def money(amount: int, currency: str) -> Money:
    return Money(amount=amount, currency=currency, display=format_money(amount, currency))


def _photo(request: HttpRequest, profile: MentorProfile) -> str | None:
    return request.build_absolute_uri(profile.photo_small) if profile.photo else None


def offering_out(offering: Offering) -> OfferingOut:
    return OfferingOut(**_offering_fields(offering))


def own_offering_out(offering: Offering) -> OwnOfferingOut:
    return OwnOfferingOut(
        **_offering_fields(offering),
        retired_at=offering.retired_at,
        replaces=offering.replaces_id,
    )


def _offering_fields(offering: Offering) -> dict[str, Any]:
    return {
        "id": offering.pk,
        "title": offering.title,
        "description": offering.description,
        "session_count": offering.session_count,
        "session_minutes": offering.session_minutes,
        "price": money(offering.price, offering.currency),
        "plan": list(offering.plan),
        "expected_results": offering.expected_results,
        "not_included": offering.not_included,
        "credit_days": offering.credit_days,
        "created_at": offering.created_at,
    }


def mentor_card(request: HttpRequest, profile: MentorProfile) -> MentorCard:
    """A listed mentor as fetched by mentors.queries.with_card_details."""
    return MentorCard(**_card_fields(request, profile))


def mentor_detail(request: HttpRequest, profile: MentorProfile) -> MentorDetail:
    """A listed mentor as fetched by mentors.queries.public_profile."""
    return MentorDetail(
        **_card_fields(request, profile),
        bio=profile.bio,
        years_of_experience=profile.years_of_experience,
        offerings=[offering_out(offering) for offering in profile.current_offerings],  # type: ignore[attr-defined]
    )


def _card_fields(request: HttpRequest, profile: MentorProfile) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "url": request.build_absolute_uri(reverse("mentors:profile", args=[profile.pk])),
        "name": profile.user.name,
        "headline": profile.headline,
        "photo": _photo(request, profile),
        "country": str(profile.country),
        "time_zone": profile.time_zone,
        "currency": profile.currency,
        "expertise": [
            ExpertiseOut(slug=tag.slug, name=tag.name) for tag in profile.expertise.all()
        ],
        "languages": [
            LanguageOut(
                code=language.language,
                name=language.name,
                level=language.proficiency,
                level_name=str(language.get_proficiency_display()),
            )
            for language in profile.languages.all()
        ],
        "lowest_price": None
        if profile.lowest_price is None
        else money(profile.lowest_price, profile.currency),
        "rating_average": profile.rating_average if profile.rating_count else None,
        "rating_count": profile.rating_count,
    }


def own_profile_out(request: HttpRequest, profile: MentorProfile) -> OwnProfileOut:
    return OwnProfileOut(
        id=profile.pk,
        status=profile.status,
        headline=profile.headline,
        bio=profile.bio,
        expertise=[tag.name for tag in profile.expertise.all()],
        years_of_experience=profile.years_of_experience,
        languages=[
            LanguageIn(code=language.language, level=language.proficiency)
            for language in profile.languages.order_by("-proficiency", "language")
        ],
        country=str(profile.country),
        time_zone=profile.time_zone,
        currency=profile.currency,
        photo=_photo(request, profile),
    )
