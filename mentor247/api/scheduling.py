"""The API of availability, open times and bookings (mounted on the main API in api.api).

Times go out in UTC with a "Z". Times coming in are ISO 8601 text with their offset from UTC
(any offset): a time without one answers 422, since it could mean any of 38 instants, and so
does a number, or a date outside the years lib.bounds allows. A field the API does not know
answers 422 too.
"""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from ninja import Field, Header, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import field_validator

from mentor247.accounts.models import User
from mentor247.api.access import access_own_profile, caller, refuse_pending
from mentor247.api.auth import BOOK, MANAGE, READ
from mentor247.api.schemas import Day, Error, In, Moment, UtcDateTime
from mentor247.bookings import domain
from mentor247.bookings.access import access_booking, access_engagement
from mentor247.bookings.models import Booking
from mentor247.bookings.queries import bookings_of, credits_left_of, first_session_times
from mentor247.mentors.models import Offering
from mentor247.mentors.queries import listed_profiles, public_profile
from mentor247.policies.models import EVERYONE_KINDS
from mentor247.scheduling import slots
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability
from mentor247.scheduling.forms import parse_hours, show_hours
from mentor247.scheduling.queries import availability_of

router = Router()
MAX_RANGE = timedelta(days=92)
View = TypeVar("View", bound=Callable[..., Any])


def with_rules(view: View) -> View:
    """Writes the rules' numbers (from the settings and this module) into `view`'s docstring,
    which becomes its operation's description in the API's documentation."""
    view.__doc__ = (view.__doc__ or "").format(
        hold_minutes=settings.BOOKING_HOLD_MINUTES,
        free_change_hours=settings.BOOKING_FREE_CHANGE_HOURS,
        max_range_days=MAX_RANGE.days,
    )
    return view


REFUSALS: dict[int, Any] = {401: Error, 403: Error, 404: Error}
KEY = Header(
    default="",
    alias="Idempotency-Key",
    max_length=100,
    description="Sending the same key again returns the booking the first request made.",
)
Hours = Annotated[str, Field(pattern=r"^\d{2}:\d{2}-\d{2}:\d{2}$", examples=["09:00-12:00"])]


def _caller(request: HttpRequest) -> User:
    """The caller, who must have accepted the Terms of Use and Privacy Policy in effect."""
    user = caller(request)
    refuse_pending(user, kinds=EVERYONE_KINDS)
    return user


# Availability ----------------------------------------------------------------------------------


class Override(In):
    date: Day
    hours: list[Hours] = Field(max_length=48, description="Empty for a day off.")


class Trip(In):
    first_day: Day
    last_day: Day
    time_zone: str = Field(max_length=64, examples=["Asia/Tokyo"])


class AvailabilityIO(In):
    weekly_hours: list[list[Hours]] = Field(
        min_length=7,
        max_length=7,
        description="Seven days, Monday first; hours on the "
        "mentor's own clock, like 09:00-12:00 (24:00 ends a day).",
    )
    buffer_before: int = Field(0, description="Free minutes kept before each session.")
    buffer_after: int = Field(0, description="Free minutes kept after each session.")
    minimum_notice: int = Field(720, description="Minutes; no session starts sooner.")
    horizon_days: int = Field(60, description="How many days ahead mentees may book.")
    max_per_day: int | None = Field(None, description="At most this many sessions a day.")
    slot_grid: int = Field(
        30,
        description=f"Sessions start every {get_text_list([str(g) for g in slots.GRIDS], 'or')} "
        "minutes.",
    )
    overrides: list[Override] = Field(default_factory=list, max_length=1000)
    travel: list[Trip] = Field(default_factory=list, max_length=100)

    @field_validator("overrides")
    @classmethod
    def one_override_a_date(cls, overrides: list[Override]) -> list[Override]:
        seen: set[date] = set()
        for override in overrides:
            if override.date in seen:
                raise ValueError(
                    _("%(date)s has hours twice; give each date once.")
                    % {"date": override.date.isoformat()}
                )
            seen.add(override.date)
        return overrides


def _hours(texts: list[str]) -> list[tuple[int, int]]:
    return parse_hours(", ".join(texts))


SETTINGS = (
    "buffer_before",
    "buffer_after",
    "minimum_notice",
    "horizon_days",
    "max_per_day",
    "slot_grid",
)


def _availability_out(request: HttpRequest, user: User) -> dict[str, Any]:
    availability = availability_of(access_own_profile(user))
    if availability is None:
        settings = BookingSettings()
        return {
            "weekly_hours": [[] for _day in range(7)],
            **{name: getattr(settings, name) for name in SETTINGS},
            "overrides": [],
            "travel": [],
        }
    return {
        "weekly_hours": [[show_hours([pair]) for pair in day] for day in availability.weekly_hours],
        **{name: getattr(availability, name) for name in SETTINGS},
        "overrides": [
            {"date": o.date.isoformat(), "hours": [show_hours([pair]) for pair in o.hours]}
            for o in availability.overrides.all()
        ],
        "travel": [
            {
                "first_day": t.first_day.isoformat(),
                "last_day": t.last_day.isoformat(),
                "time_zone": t.time_zone,
            }
            for t in availability.travel.all()
        ],
    }


@router.get(
    "/me/availability",
    response={200: AvailabilityIO, **REFUSALS},
    tags=["my availability"],
    auth=READ,
)
def get_availability(request: HttpRequest) -> dict[str, Any]:
    """The caller's weekly hours, booking settings, dates with other hours and travel."""
    return _availability_out(request, _caller(request))


@router.put(
    "/me/availability",
    response={200: AvailabilityIO, 400: Error, 422: Error, **REFUSALS},
    tags=["my availability"],
    auth=MANAGE,
)
def put_availability(request: HttpRequest, payload: AvailabilityIO) -> dict[str, Any]:
    """Replaces all of the caller's availability with what is sent; nothing changes if any
    part is refused. Bookings already made stay."""
    user = _caller(request)
    try:
        weekly = [_hours(day) for day in payload.weekly_hours]
        overrides = {o.date: _hours(o.hours) for o in payload.overrides}
    except ValidationError as error:
        raise ValidationError({"weekly_hours": error.messages}) from error
    terms = AvailabilityTerms(
        weekly_hours=weekly,
        settings=BookingSettings(
            buffer_before=payload.buffer_before,
            buffer_after=payload.buffer_after,
            minimum_notice=payload.minimum_notice,
            horizon_days=payload.horizon_days,
            max_per_day=payload.max_per_day,
            slot_grid=payload.slot_grid,
        ),
        overrides=overrides,
        travel=[slots.Travel(t.first_day, t.last_day, t.time_zone) for t in payload.travel],
    )
    replace_availability(access_own_profile(user), terms)
    return _availability_out(request, user)


# Open times ------------------------------------------------------------------------------------


class OpenTimes(Schema):
    minutes: int = Field(description="The length of each session of the offering.")
    starts: list[UtcDateTime] = Field(description="The times a session can begin, in order.")


@router.get(
    "/mentors/{mentor_id}/offerings/{offering_id}/open-times",
    response={200: OpenTimes, 400: Error, 404: Error},
    tags=["booking"],
)
@with_rules
def list_open_times(
    request: HttpRequest,
    mentor_id: int,
    offering_id: int,
    start: Moment,
    end: Moment,
) -> dict[str, Any]:
    """When the first session of this offering can begin, from `start` to `end` (at most
    {max_range_days} days), as UTC instants: the same for every viewer, whatever their zone.
    Only times within the offering's `credit_days` of now are offered, as booking accepts no
    others."""
    if not timedelta(0) < end - start <= MAX_RANGE:
        raise HttpError(
            400,
            _("“end” must come after “start”, at most %(days)s days later.")
            % {"days": MAX_RANGE.days},
        )
    profile = public_profile(mentor_id)
    offering = profile.offerings.current().filter(pk=offering_id).first()
    if offering is None:
        raise HttpError(404, _("There is nothing here, or it is not yours to see."))
    return {
        "minutes": offering.session_minutes,
        "starts": first_session_times(offering, start=start, end=end),
    }


# Bookings --------------------------------------------------------------------------------------


class BookingIn(In):
    offering_id: int
    start: Moment = Field(description="With its offset from UTC.")
    minutes: int | None = Field(
        None,
        description="The session's length, if the client wants it checked: when it is not the "
        "offering's, nothing is booked (422).",
    )
    first_mentoring: bool = Field(False, description="The mentee's first mentoring ever.")


class NextSessionIn(In):
    start: Moment = Field(description="With its offset from UTC.")
    minutes: int | None = Field(
        None, description="The session's length, if the client wants it checked (422 if not)."
    )


class MoveIn(In):
    start: Moment = Field(description="With its offset from UTC.")
    reason: str = Field(max_length=2000)


class CancelIn(In):
    reason: str = Field(max_length=2000)


class BookingOut(Schema):
    id: int
    status: str = Field(description="held, awaiting_payment, confirmed, completed, "
                        "cancelled, expired or no_show.")  # fmt: skip
    role: str = Field(description="The caller's side: mentee or mentor.")
    starts_at: UtcDateTime
    ends_at: UtcDateTime
    hold_expires_at: UtcDateTime | None
    offering_id: int
    offering_title: str
    mentor_id: int
    mentor_name: str
    mentee_name: str
    engagement_id: int
    credits_left: int
    url: str


def _booking_out(
    request: HttpRequest, booking: Booking, user: User, credits: dict[int, int] | None = None
) -> dict[str, Any]:
    """`booking` as the API shows it; `credits` are its engagement's credits left when already
    counted for a list (credits_left_of)."""
    if credits is None:
        credits = credits_left_of([booking.engagement])
    return {
        "id": booking.pk,
        "status": booking.status,
        "role": "mentee" if booking.mentee_id == user.pk else "mentor",
        "starts_at": booking.starts_at,
        "ends_at": booking.ends_at,
        "hold_expires_at": booking.hold_expires_at,
        "offering_id": booking.engagement.offering_id,
        "offering_title": booking.engagement.offering.title,
        "mentor_id": booking.mentor_id,
        "mentor_name": booking.mentor.user.name,
        "mentee_name": booking.mentee.name,
        "engagement_id": booking.engagement_id,
        "credits_left": credits[booking.engagement_id],
        "url": request.build_absolute_uri(reverse("bookings:booking", args=[booking.pk])),
    }


def _check_minutes(minutes: int | None, offering: Offering) -> None:
    if minutes is not None and minutes != offering.session_minutes:
        raise ValidationError(
            {
                "minutes": _("The sessions of this offering last %(minutes)s minutes.")
                % {"minutes": offering.session_minutes}
            }
        )


BOOKING_ANSWERS: dict[int, Any] = {400: Error, 409: Error, 422: Error, **REFUSALS}


@router.post(
    "/bookings", response={201: BookingOut, **BOOKING_ANSWERS}, tags=["booking"], auth=BOOK
)
@with_rules
def create_booking(
    request: HttpRequest, payload: BookingIn, idempotency_key: str = KEY
) -> Status[dict[str, Any]]:
    """Buys the offering with its first session at `start`: held for {hold_minutes} minutes
    while the caller pays (confirmed at once when free). 409 when the time is not free."""
    user = _caller(request)
    offering = (
        Offering.objects.current()
        .filter(pk=payload.offering_id, profile__in=listed_profiles())
        .select_related("profile")
        .first()
    )
    if offering is None:
        raise HttpError(404, _("There is nothing here, or it is not yours to see."))
    _check_minutes(payload.minutes, offering)
    booking = domain.book(
        offering,
        user,
        payload.start,
        first_mentoring=payload.first_mentoring,
        idempotency_key=idempotency_key,
    )
    return Status(201, _booking_out(request, access_booking(user, booking.pk), user))


@router.post(
    "/engagements/{engagement_id}/bookings",
    response={201: BookingOut, **BOOKING_ANSWERS},
    tags=["booking"],
    auth=BOOK,
)
def book_next_session(
    request: HttpRequest, engagement_id: int, payload: NextSessionIn, idempotency_key: str = KEY
) -> Status[dict[str, Any]]:
    """Books the next session of a package the caller bought, from its credits."""
    user = _caller(request)
    engagement = access_engagement(user, engagement_id)
    if engagement.mentee_id != user.pk:
        raise HttpError(404, _("There is nothing here, or it is not yours to see."))
    _check_minutes(payload.minutes, engagement.offering)
    booking = domain.book_from_engagement(
        engagement, payload.start, idempotency_key=idempotency_key
    )
    return Status(201, _booking_out(request, access_booking(user, booking.pk), user))


@router.get(
    "/me/bookings", response={200: list[BookingOut], **REFUSALS}, tags=["booking"], auth=READ
)
def list_bookings(request: HttpRequest, upcoming: bool = True) -> list[dict[str, Any]]:
    """The caller's bookings as mentee and as mentor: the upcoming ones soonest first, or
    with `upcoming=false` the past and cancelled ones, latest first (at most 100)."""
    user = _caller(request)
    now = timezone.now()
    found = bookings_of(user).select_related("engagement__offering")
    if upcoming:
        found = found.filter(status__in=Booking.ACTIVE, ends_at__gt=now).order_by("starts_at")
    else:
        found = found.exclude(status__in=Booking.ACTIVE, ends_at__gt=now).order_by("-starts_at")
    page = list(found[:100])
    credits = credits_left_of({booking.engagement for booking in page})
    return [_booking_out(request, booking, user, credits) for booking in page]


@router.post(
    "/me/bookings/{booking_id}/move",
    response={200: BookingOut, **BOOKING_ANSWERS},
    tags=["booking"],
    auth=BOOK,
)
@with_rules
def move_booking(request: HttpRequest, booking_id: int, payload: MoveIn) -> dict[str, Any]:
    """Moves a confirmed session to `start` (the mentee until {free_change_hours} hours before
    it, or the hours in force when the offering was bought; the mentor at any time); 409 when
    that time is not free, and then nothing changes."""
    user = _caller(request)
    booking = access_booking(user, booking_id)
    domain.reschedule_booking(booking, payload.start, by=user, reason=payload.reason)
    return _booking_out(request, access_booking(user, booking_id), user)


@router.post(
    "/me/bookings/{booking_id}/cancel",
    response={200: BookingOut, **BOOKING_ANSWERS},
    tags=["booking"],
    auth=BOOK,
)
def cancel_booking(request: HttpRequest, booking_id: int, payload: CancelIn) -> dict[str, Any]:
    """Cancels a session or a hold, with a reason both sides read."""
    user = _caller(request)
    domain.cancel_booking(access_booking(user, booking_id), by=user, reason=payload.reason)
    return _booking_out(request, access_booking(user, booking_id), user)
