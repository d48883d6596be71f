"""The only writers of engagements and bookings.

No double booking. Every write that gives a booking a time locks both people (their person
rows in the order of their ids, then the mentor's profile row), releases their expired holds,
and checks the time against the slot engine with the mentor's active bookings and holds and
each person's sessions in either role, inside one transaction. On SQLite the transaction holds
the database's write lock from its start, so the check and the write are one step. On
PostgreSQL the locks order the writers, and exclusion constraints are the last guard, for the
mentor and for the mentee (who may book two mentors at once). Whatever the database says
about a clash, a deadlock or a serialization failure is retried or becomes Conflict, never an
error page.
"""

import functools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import ParamSpec, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, OperationalError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings.models import (
    Booking,
    BookingChange,
    CalendarFeed,
    Engagement,
    IdempotencyKey,
)
from mentor247.bookings.notify import CANCELLED, CONFIRMED, MOVED, notify
from mentor247.bookings.queries import credits_left_of, taken
from mentor247.bookings.signals import hold_cancelled, session_cancelled, session_scheduled
from mentor247.lib.tokens import digest_of, new_secret
from mentor247.mentors.domain import lock_profile
from mentor247.mentors.models import MentorProfile, Offering
from mentor247.mentors.queries import listed_profiles
from mentor247.policies.models import MENTOR_KINDS
from mentor247.policies.queries import versions_in_effect
from mentor247.scheduling.queries import availability_of, rules_of
from mentor247.scheduling.slots import Rules, free_starts, why_not_free

Status = Booking.Status
P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 3

# What each state may become.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.HELD: frozenset(
        {Status.AWAITING_PAYMENT, Status.CONFIRMED, Status.EXPIRED, Status.CANCELLED}
    ),
    Status.AWAITING_PAYMENT: frozenset({Status.CONFIRMED, Status.EXPIRED, Status.CANCELLED}),
    Status.EXPIRED: frozenset({Status.CONFIRMED}),  # paid late, and the time still free
    Status.CONFIRMED: frozenset({Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW}),
    Status.COMPLETED: frozenset(),
    Status.CANCELLED: frozenset(),
    Status.NO_SHOW: frozenset(),
}


class Conflict(Exception):
    """The time asked for cannot be had (taken, or not free); the API answers 409 with `code`,
    which says why for programs, and `message`, which says it to a person."""

    def __init__(self, message: str, code: str = "time_not_free") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class Busy(Exception):
    """The database stayed too busy to decide (deadlocks or serialization failures, retried
    ATTEMPTS times): nothing was written, and the same call may succeed a moment later. Not a
    Conflict, so a payment is never refunded for it; the API answers 503."""

    def __init__(self) -> None:
        self.message = _("Many people are booking right now. Please try again in a moment.")
        super().__init__(self.message)


def _retried(write: Callable[P, R]) -> Callable[P, R]:
    """Runs `write` again after a deadlock or serialization failure (Busy after ATTEMPTS),
    and turns what the database refuses as a clash into Conflict."""

    @functools.wraps(write)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(ATTEMPTS):
            try:
                return write(*args, **kwargs)
            except IntegrityError as error:
                if _code(error) == "23P01":  # exclusion_violation
                    raise Conflict(
                        _("That time has just been taken. Please choose another."),
                        code="time_taken",
                    ) from error
                raise
            except OperationalError as error:
                retry = _code(error) in ("40P01", "40001") or "database is locked" in str(error)
                if not retry:
                    raise
                if attempt == ATTEMPTS - 1:
                    raise Busy() from error
        raise AssertionError("unreachable")

    return wrapper


def _code(error: DatabaseError) -> str | None:
    return getattr(error.__cause__, "sqlstate", None)


def _move(booking: Booking, status: str) -> None:
    if status not in TRANSITIONS[booking.status]:
        raise ValidationError(
            _("This session is %(status)s and cannot become %(new)s.")
            % {"status": booking.get_status_display(), "new": Status(status).label},
            code="state",
        )
    booking.status = status


def _release_expired_holds(bookings: QuerySet[Booking], now: datetime) -> int:
    """Expires the holds of `bookings` whose time ran out; their engagement, never paid, is
    cancelled with them."""
    expired = list(
        bookings.filter(status__in=Booking.HOLDING, hold_expires_at__lte=now).values_list(
            "pk", "engagement_id"
        )
    )
    if not expired:
        return 0
    # The update states the condition again: a hold confirmed or cancelled since it was read
    # (its row locked by that write) keeps what that write made of it.
    count = Booking.objects.filter(
        pk__in=[pk for pk, _engagement in expired],
        status__in=Booking.HOLDING,
        hold_expires_at__lte=now,
    ).update(status=Status.EXPIRED)
    Engagement.objects.filter(
        pk__in=[engagement for _pk, engagement in expired], status=Engagement.Status.PENDING
    ).exclude(bookings__status__in=Booking.ACTIVE).update(status=Engagement.Status.CANCELLED)
    return count


def release_expired_holds() -> int:
    """The sweep: expires every hold whose time ran out. Safe to run at any time."""
    with transaction.atomic():
        return _release_expired_holds(Booking.objects.all(), timezone.now())


def _check_free(
    mentor: MentorProfile,
    starts_at: datetime,
    minutes: int,
    *,
    now: datetime,
    ignoring: Booking | None = None,
) -> tuple[datetime, datetime]:
    """Raises Conflict unless the mentor can begin `minutes` of mentoring at `starts_at`;
    returns the blocked span (the session widened by the mentor's buffers)."""
    rules = rules_of(mentor, availability_of(mentor))
    end = starts_at + timedelta(minutes=minutes)
    busy, starts = taken(mentor, starts_at, end, ignoring=ignoring)
    free = free_starts(
        rules,
        duration=timedelta(minutes=minutes),
        start=starts_at,
        end=starts_at + timedelta(minutes=1),
        now=now,
        busy=busy,
        booked_starts=starts,
    )
    if free != [starts_at]:
        reason = why_not_free(rules, starts_at, now=now)
        raise Conflict(
            _not_free_messages(rules).get(reason)
            or _("That time is not free. Please choose one of the times shown."),
            code=reason or "time_not_free",
        )
    return starts_at - rules.buffer_before, end + rules.buffer_after


def _not_free_messages(rules: Rules) -> dict[str | None, str]:
    notice_hours = rules.notice.total_seconds() / 3600
    return {
        "past": _("That time has passed. Please choose a later one."),
        "too_soon": _(
            "This mentor takes bookings at least %(hours)s hours ahead. Please choose a later time."
        )
        % {"hours": f"{notice_hours:g}"},
        "beyond_horizon": _(
            "This mentor takes bookings up to %(days)s days ahead. Please choose an earlier time."
        )
        % {"days": rules.horizon.days},
        "off_grid": _(
            "Sessions with this mentor begin every %(minutes)s minutes on their clock. Please "
            "choose one of the times shown."
        )
        % {"minutes": rules.grid},
    }


def _check_mentee_free(
    mentee: User, starts_at: datetime, ends_at: datetime, *, ignoring: Booking | None = None
) -> None:
    # As a mentee or as a mentor: one person is in one session at a time.
    clashes = Booking.objects.filter(
        Q(mentee=mentee) | Q(mentor__user=mentee),
        status__in=Booking.ACTIVE,
        starts_at__lt=ends_at,
        ends_at__gt=starts_at,
    )
    if ignoring is not None:
        clashes = clashes.exclude(pk=ignoring.pk)
    if clashes.exists():
        raise Conflict(_("You already have a mentoring session at that time."), code="you_are_busy")


def _claim(
    mentor: MentorProfile,
    mentee: User,
    starts_at: datetime,
    minutes: int,
    *,
    now: datetime,
    ignoring: Booking | None = None,
) -> tuple[datetime, datetime, datetime]:
    """Under both people's locks (`_lock`): releases their expired holds, then checks that both
    are free for `minutes` from `starts_at`. Returns the end and the blocked span."""
    _release_expired_holds(Booking.objects.filter(Q(mentor=mentor) | Q(mentee=mentee)), now)
    blocked_from, blocked_until = _check_free(
        mentor, starts_at, minutes, now=now, ignoring=ignoring
    )
    ends_at = starts_at + timedelta(minutes=minutes)
    _check_mentee_free(mentee, starts_at, ends_at, ignoring=ignoring)
    return ends_at, blocked_from, blocked_until


def _lock(mentor: MentorProfile, mentee: User) -> MentorProfile:
    """Locks the rows of both people, in the order of their ids (so that two people booking
    each other never wait for each other in a circle), then the mentor's profile row; returns
    the profile as it is now. A mentor can be someone else's mentee, so a booking checks
    both people's sessions in either role."""
    people = sorted({mentor.user_id, mentee.pk})
    list(User.objects.select_for_update().filter(pk__in=people).order_by("pk"))
    return MentorProfile.objects.select_for_update().get(pk=mentor.pk)


def _check_listed(mentor: MentorProfile) -> None:
    if not listed_profiles().filter(pk=mentor.pk).exists():
        raise ValidationError(_("This mentor cannot be booked at the moment."), code="unlisted")


def _claimed(mentee: User, key: str, fingerprint: str, now: datetime) -> Booking | None:
    """Under the mentee's lock: the booking an earlier request with `key` made, if the key was
    claimed within its lifetime; None for a key not claimed (or claimed too long ago, whose
    claim goes). The same key sent with another request raises ValidationError."""
    if not key:
        return None
    claim = IdempotencyKey.objects.filter(user=mentee, key=key).select_related("booking").first()
    if claim is None:
        return None
    if claim.created_at <= now - IdempotencyKey.KEY_LIFETIME:
        claim.delete()
        return None
    # An empty fingerprint: a key claimed before requests were fingerprinted matches any.
    if claim.fingerprint and claim.fingerprint != fingerprint:
        raise ValidationError(
            _(
                "This request was already sent once with other details, so it cannot be "
                "used again: start again from a fresh page (or, through the API, with a "
                "new Idempotency-Key)."
            ),
            code="idempotency_key_reused",
        )
    return claim.booking


def _claim_key(mentee: User, key: str, fingerprint: str, booking: Booking, now: datetime) -> None:
    if key:
        IdempotencyKey.objects.create(
            user=mentee, key=key, fingerprint=fingerprint, booking=booking, created_at=now
        )


def _fingerprint(*parts: object) -> str:
    return digest_of("|".join(str(part) for part in parts))


def forget_idempotency_keys(now: datetime) -> int:
    """The tick's step: deletes keys older than their lifetime; how many went."""
    count, _by_model = IdempotencyKey.objects.filter(
        created_at__lte=now - IdempotencyKey.KEY_LIFETIME
    ).delete()
    return count


def _utc(moment: datetime) -> datetime:
    if timezone.is_naive(moment):
        raise ValidationError(_("Give the time with its offset from UTC."), code="naive")
    return moment.astimezone(UTC)


def _hold_until(now: datetime) -> datetime:
    return now + timedelta(minutes=settings.BOOKING_HOLD_MINUTES)


@_retried
def book(
    offering: Offering,
    mentee: User,
    starts_at: datetime,
    *,
    first_mentoring: bool = False,
    idempotency_key: str = "",
) -> Booking:
    """Buys `offering` for `mentee` with its first session at `starts_at`: a new engagement,
    and a booking that holds the time for BOOKING_HOLD_MINUTES while the mentee pays (the
    payments issue confirms it through `confirm_booking`). A free offering is confirmed at
    once. A retry with the same `idempotency_key` returns the same booking, even when sent
    at the same moment as the first (the key is claimed under the mentee's lock); the same key
    with another offering, time or `first_mentoring` raises ValidationError.

    Raises ValidationError for what cannot be booked at all, Conflict for a time that is not
    free. Locks the mentor.
    """
    starts_at = _utc(starts_at)
    fingerprint = _fingerprint("book", offering.pk, starts_at.isoformat(), first_mentoring)
    with transaction.atomic():
        mentor = _lock(offering.profile, mentee)
        now = timezone.now()
        existing = _claimed(mentee, idempotency_key, fingerprint, now)
        if existing is not None:
            return existing
        offering = Offering.objects.get(pk=offering.pk)
        _check_bookable(offering, mentor, mentee)
        window = now + timedelta(days=offering.credit_days)
        if starts_at + timedelta(minutes=offering.session_minutes) > window:
            raise ValidationError(
                _(
                    "The sessions of this offering take place within %(days)s days of "
                    "buying it; please choose an earlier time."
                )
                % {"days": offering.credit_days},
                code="too_late",
            )
        ends_at, blocked_from, blocked_until = _claim(
            mentor, mentee, starts_at, offering.session_minutes, now=now
        )
        engagement = Engagement.objects.create(
            mentee=mentee,
            mentor=mentor,
            offering=offering,
            credits=offering.session_count,
            first_mentoring=first_mentoring,
            created_at=now,
            price=offering.price,
            currency=offering.currency,
            platform_fee_rate=settings.PLATFORM_FEE_BASIS_POINTS,
            free_change_hours=settings.BOOKING_FREE_CHANGE_HOURS,
        )
        engagement.policy_versions.set(versions_in_effect(MENTOR_KINDS))
        booking = Booking.objects.create(
            engagement=engagement,
            mentor=mentor,
            mentee=mentee,
            status=Status.HELD,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_from=blocked_from,
            blocked_until=blocked_until,
            hold_expires_at=_hold_until(now),
            created_at=now,
        )
        _claim_key(mentee, idempotency_key, fingerprint, booking, now)
        if offering.is_free:
            _confirm(booking, now)
        return booking


def _check_bookable(offering: Offering, mentor: MentorProfile, mentee: User) -> None:
    if offering.retired_at is not None:
        raise ValidationError(
            _("This offering has changed; please book its current version."), code="retired"
        )
    _check_listed(mentor)
    if mentee.pk == mentor.user_id:
        raise ValidationError(_("You cannot book yourself."), code="self")


@_retried
def book_from_engagement(
    engagement: Engagement, starts_at: datetime, *, idempotency_key: str = ""
) -> Booking:
    """Books the next session of a package the mentee has paid for, from its credits;
    confirmed at once. Raises ValidationError without credits left or after they expire,
    Conflict for a time that is not free. Locks the mentor, then the engagement. A retry with
    the same `idempotency_key` returns the same booking, as `book` does."""
    starts_at = _utc(starts_at)
    fingerprint = _fingerprint("next", engagement.pk, starts_at.isoformat())
    with transaction.atomic():
        mentor = _lock(engagement.mentor, engagement.mentee)
        now = timezone.now()
        existing = _claimed(engagement.mentee, idempotency_key, fingerprint, now)
        if existing is not None:
            return existing
        _check_listed(mentor)
        engagement = (
            Engagement.objects.select_for_update().select_related("offering").get(pk=engagement.pk)
        )
        if engagement.status != Engagement.Status.ACTIVE or credits_left(engagement) < 1:
            raise ValidationError(
                _("There are no sessions left to book in this package."), code="no_credits"
            )
        assert engagement.expires_at is not None
        minutes = engagement.offering.session_minutes
        if starts_at + timedelta(minutes=minutes) > engagement.expires_at:
            raise ValidationError(
                _("The sessions of this package must take place by %(date)s.")
                % {"date": f"{engagement.expires_at:%Y-%m-%d %H:%M} UTC"},
                code="expired",
            )
        ends_at, blocked_from, blocked_until = _claim(
            mentor, engagement.mentee, starts_at, minutes, now=now
        )
        booking = Booking.objects.create(
            engagement=engagement,
            mentor=mentor,
            mentee=engagement.mentee,
            status=Status.CONFIRMED,
            starts_at=starts_at,
            ends_at=ends_at,
            blocked_from=blocked_from,
            blocked_until=blocked_until,
            created_at=now,
            confirmed_at=now,
        )
        _claim_key(engagement.mentee, idempotency_key, fingerprint, booking, now)
        notify(booking, CONFIRMED)
        session_scheduled.send(sender=Booking, booking=booking)
        return booking


def credits_left(engagement: Engagement) -> int:
    """Sessions of `engagement` still to book (see bookings.queries.credits_left_of)."""
    return credits_left_of([engagement])[engagement.pk]


def _confirm(booking: Booking, now: datetime) -> None:
    """Confirms `booking` (its engagement too, the first time) and tells both sides."""
    _move(booking, Status.CONFIRMED)
    booking.hold_expires_at = None
    booking.confirmed_at = now
    booking.save(update_fields=["status", "hold_expires_at", "confirmed_at"])
    engagement = booking.engagement
    if engagement.status == Engagement.Status.PENDING:
        engagement.status = Engagement.Status.ACTIVE
        engagement.confirmed_at = now
        engagement.expires_at = now + timedelta(days=engagement.offering.credit_days)
        engagement.save(update_fields=["status", "confirmed_at", "expires_at"])
    notify(booking, CONFIRMED)
    session_scheduled.send(sender=Booking, booking=booking)


@_retried
def await_payment(booking: Booking) -> Booking:
    """The mentee started paying for a held booking (called by payments)."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == Status.HELD:
            _move(booking, Status.AWAITING_PAYMENT)
            booking.save(update_fields=["status"])
        return booking


@_retried
def confirm_booking(booking_id: int) -> Booking:
    """Confirms a held booking once paid: the one function payments call. Safe to call twice.
    A payment that arrives after the hold ran out still confirms the booking if its time is
    free; otherwise Conflict (and payments give the money back). Locks the mentor."""
    with transaction.atomic():
        booking = Booking.objects.select_related("engagement__offering").get(pk=booking_id)
        mentor = _lock(booking.mentor, booking.mentee)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("engagement__offering")
            .get(pk=booking_id)
        )
        if booking.status == Status.CONFIRMED:
            return booking
        now = timezone.now()
        if booking.starts_at <= now:
            raise Conflict(_("The time of this session has passed."), code="past")
        try:
            _check_listed(mentor)
        except ValidationError as error:
            raise Conflict(error.messages[0], code="unlisted") from error
        ran_out = booking.status == Status.EXPIRED or (
            booking.hold_expires_at is not None and booking.hold_expires_at <= now
        )
        if ran_out and booking.status in (*Booking.HOLDING, Status.EXPIRED):
            _release_expired_holds(
                Booking.objects.filter(mentor=mentor).exclude(pk=booking.pk), now
            )
            minutes = booking.engagement.offering.session_minutes
            _check_free(
                mentor, booking.starts_at, minutes, now=booking.created_at, ignoring=booking
            )
            _check_mentee_free(booking.mentee, booking.starts_at, booking.ends_at, ignoring=booking)
            if booking.engagement.status == Engagement.Status.CANCELLED:
                booking.engagement.status = Engagement.Status.PENDING
        _confirm(booking, now)
        return booking


@_retried
def release_hold(booking_id: int) -> Booking:
    """Lets a held time go because its payment failed (called by payments): the booking is
    cancelled, with its engagement, which was never paid. A booking no longer held is left
    as it is, so calling twice is safe. Locks the booking."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking_id)
        if booking.status not in Booking.HOLDING:
            return booking
        _move(booking, Status.CANCELLED)
        booking.hold_expires_at = None
        booking.cancelled_at = timezone.now()
        booking.save(update_fields=["status", "hold_expires_at", "cancelled_at"])
        Engagement.objects.filter(
            pk=booking.engagement_id, status=Engagement.Status.PENDING
        ).exclude(bookings__status__in=Booking.ACTIVE).update(status=Engagement.Status.CANCELLED)
        return booking


REASON_LENGTH = 2000


def free_change_deadline(booking: Booking) -> datetime:
    """Until then the mentee may cancel or move the session free of charge (by the rule in
    force when the engagement was bought)."""
    return booking.starts_at - timedelta(hours=booking.engagement.free_change_hours)


def _check_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why, briefly: the other side reads it.")})
    if len(reason) > REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Please keep the reason to %(count)s characters.")
                % {"count": REASON_LENGTH}
            }
        )
    return reason


def _side(booking: Booking, by: User) -> str:
    if by.pk == booking.mentee_id:
        return "mentee"
    if by.pk == booking.mentor.user_id:
        return "mentor"
    raise ValidationError(_("Only the mentor and the mentee can change a session."), code="party")


@_retried
def cancel_booking(booking: Booking, *, by: User, reason: str) -> Booking:
    """Cancels a session or a hold, by its mentee or mentor, with a reason.

    The mentee may cancel free of charge until the free-change deadline: payments give the
    session's money back (and its credit with it: see give_up_credit); later the session is
    forfeited (its credit is used, and payments pay the mentor). The mentor may cancel at any
    time, and the mentee gets the session's money back; after the deadline the cancellation
    counts against the mentor's reliability. (To keep a session for another time, move it.)
    A hold being paid for may be cancelled too: payments hear of it through `hold_cancelled`,
    give up the payment at the provider, and refund whatever the provider captured anyway.
    From its start a session can no longer be cancelled (nor moved). Tells payments through
    `session_cancelled`. Locks the mentor, then the booking.
    """
    reason = _check_reason(reason)
    with transaction.atomic():
        lock_profile(booking.mentor)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("mentor", "engagement")
            .get(pk=booking.pk)
        )
        side = _side(booking, by)
        if booking.status not in Booking.ACTIVE:
            raise ValidationError(
                _("This session is %(status)s already.") % {"status": booking.get_status_display()},
                code="state",
            )
        now = timezone.now()
        _refuse_once_started(booking, now)
        late = booking.status == Status.CONFIRMED and now > free_change_deadline(booking)
        _move(booking, Status.CANCELLED)
        booking.cancelled_at, booking.cancelled_by = now, by
        booking.forfeited = late and side == "mentee"
        booking.late_mentor_cancellation = late and side == "mentor"
        booking.hold_expires_at = None
        booking.sequence += 1
        booking.save(
            update_fields=[
                "status",
                "cancelled_at",
                "cancelled_by",
                "forfeited",
                "late_mentor_cancellation",
                "hold_expires_at",
                "sequence",
            ]
        )
        BookingChange.objects.create(
            booking=booking,
            kind=BookingChange.Kind.CANCELLED,
            by=by,
            at=now,
            reason=reason,
            old_starts_at=booking.starts_at,
            late=late,
        )
        if booking.engagement.status == Engagement.Status.PENDING:
            booking.engagement.status = Engagement.Status.CANCELLED
            booking.engagement.save(update_fields=["status"])
        if booking.confirmed_at is not None:  # a hold was never in anyone's calendar
            notify(booking, CANCELLED, by=by, reason=reason)
            session_cancelled.send(sender=Booking, booking=booking)
        else:
            hold_cancelled.send(sender=Booking, booking=booking)
    return booking


def _refuse_once_started(booking: Booking, now: datetime) -> None:
    """From its start, a session changes only by the attendance rules (rooms): neither side
    may move or cancel it and so escape a no-show."""
    if booking.status == Status.CONFIRMED and now >= booking.starts_at:
        raise ValidationError(
            _(
                "This session has started: it can no longer be moved or cancelled. If "
                "something went wrong, open a dispute after it."
            ),
            code="started",
        )


def give_up_credit(engagement_id: int) -> None:
    """A session's credit whose money went back to the mentee (called by payments): it can
    no longer be booked. Locks the engagement."""
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
        engagement.refunded_credits = min(engagement.refunded_credits + 1, engagement.credits)
        engagement.save(update_fields=["refunded_credits"])


def end_engagement(engagement_id: int, *, given_up: int) -> Engagement:
    """Ends an engagement whose sessions are over (called by payments once its money is
    settled): `given_up` credits never booked are counted as given back. Locks the
    engagement."""
    with transaction.atomic():
        engagement = Engagement.objects.select_for_update().get(pk=engagement_id)
        if engagement.status == Engagement.Status.ACTIVE:
            engagement.refunded_credits = min(
                engagement.refunded_credits + given_up, engagement.credits
            )
            engagement.status = Engagement.Status.ENDED
            engagement.save(update_fields=["refunded_credits", "status"])
        return engagement


@_retried
def reschedule_booking(booking: Booking, starts_at: datetime, *, by: User, reason: str) -> Booking:
    """Moves a confirmed session to `starts_at`, with a reason: the booking itself moves
    (its calendar event keeps its UID, with a higher SEQUENCE) or nothing changes. The mentee
    may move it until the free-change deadline; the mentor at any time. Raises Conflict when
    the new time is not free. Locks the mentor, then the booking."""
    reason = _check_reason(reason)
    starts_at = _utc(starts_at)
    with transaction.atomic():
        mentor = _lock(booking.mentor, booking.mentee)
        _check_listed(mentor)
        booking = (
            Booking.objects.select_for_update(of=("self",))
            .select_related("mentor", "engagement__offering")
            .get(pk=booking.pk)
        )
        side = _side(booking, by)
        if booking.status != Status.CONFIRMED:
            raise ValidationError(
                _("Only a confirmed session can be moved; this one is %(status)s.")
                % {"status": booking.get_status_display()},
                code="state",
            )
        now = timezone.now()
        _refuse_once_started(booking, now)
        late = now > free_change_deadline(booking)
        if late and side == "mentee":
            raise ValidationError(
                _(
                    "Less than %(hours)s hours before the start, a session can no longer be "
                    "moved. You can still cancel it, but it will not be refunded."
                )
                % {"hours": booking.engagement.free_change_hours},
                code="late",
            )
        engagement = booking.engagement
        minutes = engagement.offering.session_minutes
        if engagement.expires_at and starts_at + timedelta(minutes=minutes) > engagement.expires_at:
            raise ValidationError(
                _("The sessions of this package must take place by %(date)s.")
                % {"date": f"{engagement.expires_at:%Y-%m-%d %H:%M} UTC"},
                code="expired",
            )
        ends_at, blocked_from, blocked_until = _claim(
            mentor, booking.mentee, starts_at, minutes, now=now, ignoring=booking
        )
        old_start = booking.starts_at
        booking.starts_at, booking.ends_at = starts_at, ends_at
        booking.blocked_from, booking.blocked_until = blocked_from, blocked_until
        booking.sequence += 1
        booking.save(
            update_fields=["starts_at", "ends_at", "blocked_from", "blocked_until", "sequence"]
        )
        BookingChange.objects.create(
            booking=booking,
            kind=BookingChange.Kind.MOVED,
            by=by,
            at=now,
            reason=reason,
            old_starts_at=old_start,
            new_starts_at=starts_at,
            late=late,
        )
        notify(booking, MOVED, by=by, reason=reason)
        session_scheduled.send(sender=Booking, booking=booking)
    return booking


# Calendar feeds --------------------------------------------------------------------------------

FEED_PREFIX = "cal_"


def create_calendar_feed(user: User) -> str:
    """A new private feed address for `user`, replacing (and so revoking) any old one; the
    secret it returns is not stored and cannot be shown again."""
    secret = new_secret(FEED_PREFIX)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        CalendarFeed.objects.create(user=user, digest=digest_of(secret), created_at=timezone.now())
    return secret


def stop_calendar_feed(user: User) -> None:
    CalendarFeed.objects.filter(user=user).delete()


def feed_owner(secret: str) -> User | None:
    """Whose feed `secret` opens, if anyone's (an active account's)."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(digest=digest_of(secret), user__is_active=True)
        .first()
    )
    return feed.user if feed else None


@_retried
def close_booking(booking: Booking, status: str) -> Booking:
    """Ends a confirmed session as completed or as a no-show (the room's sweep decides which,
    from attendance). Safe to call twice. Locks the booking."""
    if status not in (Status.COMPLETED, Status.NO_SHOW):
        raise ValueError(f"a session ends completed or as a no-show, not {status}")
    with transaction.atomic():
        booking = Booking.objects.select_for_update().get(pk=booking.pk)
        if booking.status == status:
            return booking
        _move(booking, status)
        booking.save(update_fields=["status"])
    return booking
