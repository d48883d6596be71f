"""Reads of bookings: the times still open to book, and each person's bookings."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking, Engagement
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.scheduling.queries import availability_of, rules_of
from mentor247.scheduling.slots import Span, free_starts

# Bookings further than this from a window cannot meet a session in it, nor share its dates.
NEARBY = timedelta(days=2)


def taken(
    mentor: MentorProfile, start: datetime, end: datetime, *, ignoring: Booking | None = None
) -> tuple[list[Span], list[datetime]]:
    """The mentor's busy spans around [start, end) for the slot engine: their active bookings
    and holds, widened by their buffers, and their own sessions as someone's mentee; and the
    starts of the first, which count towards their daily cap."""
    nearby = Booking.objects.filter(
        Q(mentor=mentor) | Q(mentee_id=mentor.user_id),
        status__in=Booking.ACTIVE,
        blocked_until__gt=start - NEARBY,
        blocked_from__lt=end + NEARBY,
    )
    if ignoring is not None:
        nearby = nearby.exclude(pk=ignoring.pk)
    busy, starts = [], []
    for mentor_id, blocked_from, blocked_until, starts_at, ends_at in nearby.values_list(
        "mentor_id", "blocked_from", "blocked_until", "starts_at", "ends_at"
    ):
        if mentor_id == mentor.pk:
            busy.append(Span(blocked_from, blocked_until))
            starts.append(starts_at)
        else:
            busy.append(Span(starts_at, ends_at))
    return busy, starts


def open_times(
    mentor: MentorProfile,
    *,
    minutes: int,
    start: datetime,
    end: datetime,
    ignoring: Booking | None = None,
) -> list[datetime]:
    """The UTC instants in [start, end) at which `minutes` of mentoring with `mentor` can be
    booked now: their hours and settings, less their bookings and holds (`ignoring` one being
    moved)."""
    busy, starts = taken(mentor, start, end, ignoring=ignoring)
    return free_starts(
        rules_of(mentor, availability_of(mentor)),
        duration=timedelta(minutes=minutes),
        start=start,
        end=end,
        now=timezone.now(),
        busy=busy,
        booked_starts=starts,
    )


def first_session_times(offering: Offering, *, start: datetime, end: datetime) -> list[datetime]:
    """The open times in [start, end) of the first session of `offering`, bought now: only
    those within its `credit_days` of now, as booking accepts no others (bookings.domain.book)."""
    last = timezone.now() + timedelta(days=offering.credit_days, minutes=-offering.session_minutes)
    end = min(end, last)
    if end <= start:
        return []
    return open_times(offering.profile, minutes=offering.session_minutes, start=start, end=end)


def bookings_of(user: User) -> QuerySet[Booking]:
    """Every booking `user` takes part in, as mentee or as mentor, with what pages show."""
    return Booking.objects.filter(Q(mentee=user) | Q(mentor__user=user)).select_related(
        "mentee", "mentor__user", "engagement__offering"
    )


def upcoming(user: User) -> list[Booking]:
    return list(
        bookings_of(user)
        .filter(status__in=Booking.ACTIVE, ends_at__gt=timezone.now())
        .order_by("starts_at")
    )


def past(user: User, *, limit: int = 20) -> list[Booking]:
    now = timezone.now()
    return list(
        bookings_of(user)
        .filter(Q(ends_at__lte=now) | ~Q(status__in=Booking.ACTIVE))
        .order_by("-starts_at")[:limit]
    )


def engagements_of(user: User) -> QuerySet[Engagement]:
    return Engagement.objects.filter(Q(mentee=user) | Q(mentor__user=user)).select_related(
        "mentee", "mentor__user", "offering"
    )


# Sessions that use a credit: booked, held, taken or forfeited (a free cancellation and an
# expired hold give theirs back).
USING_A_CREDIT = Q(bookings__status__in=(*Booking.ACTIVE, "completed", "no_show")) | Q(
    bookings__status="cancelled", bookings__forfeited=True
)


def credits_left_of(engagements: Iterable[Engagement]) -> dict[int, int]:
    """Sessions still to book of each of `engagements`, by id, in one query."""
    found = {engagement.pk: engagement for engagement in engagements}
    used = dict(
        Engagement.objects.filter(pk__in=found)
        .annotate(used=Count("bookings", filter=USING_A_CREDIT))
        .values_list("pk", "used")
    )
    return {
        pk: max(engagement.credits - engagement.refunded_credits - used.get(pk, 0), 0)
        for pk, engagement in found.items()
    }
