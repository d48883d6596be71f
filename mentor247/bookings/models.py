"""Engagements (a mentee's purchase of an offering, holding its session credits) and Bookings
(one scheduled session of an engagement). Written only by bookings.domain."""

import uuid
from datetime import timedelta
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.mentors.models import MentorProfile, Offering


class Engagement(models.Model):
    """One mentee's purchase of one offering: its terms as bought, and its session credits."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for payment")
        ACTIVE = "active", _("active")
        ENDED = "ended", _("ended")  # every credit used, or expired
        CANCELLED = "cancelled", _("cancelled")  # never paid

    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("mentee"),
    )
    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="engagements",
        verbose_name=_("mentor"),
    )
    # The revision bought: offerings are never edited, so these are the terms agreed.
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("offering")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    credits = models.PositiveSmallIntegerField(_("sessions bought"))
    # Sessions whose money went back to the mentee (a cancellation, say): no longer bookable.
    refunded_credits = models.PositiveSmallIntegerField(_("sessions refunded"), default=0)
    # The terms the mentee agreed to when buying, so a dispute is judged by them: the price
    # (minor units of `currency`), the platform's fee out of it (basis points), the hours
    # before a session until which it may be moved or cancelled free of charge, and the
    # policies in effect (the Terms, the Privacy Policy, the mentor's Code of Conduct).
    price = models.PositiveIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3)
    platform_fee_rate = models.PositiveSmallIntegerField(_("platform fee (basis points)"))
    free_change_hours = models.PositiveSmallIntegerField(_("free change until (hours before)"))
    policy_versions = models.ManyToManyField(
        "policies.PolicyVersion", related_name="+", verbose_name=_("policies agreed to")
    )
    first_mentoring = models.BooleanField(_("the mentee's first mentoring ever"), default=False)
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    # Credits can be booked until then; set when the engagement is confirmed.
    expires_at = models.DateTimeField(_("sessions to be booked by"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            # The tick ends active engagements once they expire.
            models.Index(fields=["status", "expires_at"], name="bookings_engagement_expiring")
        ]

    def __str__(self) -> str:
        return f"{self.offering} for {self.mentee}"


class Booking(models.Model):
    """One scheduled mentoring session: a start and end in UTC.

    It begins as a hold of the slot while the mentee pays (held, then awaiting payment, with
    `hold_expires_at`) and is confirmed once paid (or at once when free). Active bookings and
    holds share one table, so one rule keeps any two of a mentor's (each widened by the
    buffers it was booked with) or of a mentee's from overlapping: an exclusion constraint on
    PostgreSQL, a check under the database's write lock on SQLite (bookings.domain).
    """

    class Status(models.TextChoices):
        HELD = "held", _("held")
        AWAITING_PAYMENT = "awaiting_payment", _("awaiting payment")
        CONFIRMED = "confirmed", _("confirmed")
        COMPLETED = "completed", _("completed")
        CANCELLED = "cancelled", _("cancelled")
        EXPIRED = "expired", _("hold expired")
        NO_SHOW = "no_show", _("no-show")

    ACTIVE: ClassVar = (Status.HELD, Status.AWAITING_PAYMENT, Status.CONFIRMED)
    HOLDING: ClassVar = (Status.HELD, Status.AWAITING_PAYMENT)

    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("engagement")
    )
    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("mentor")
    )
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("mentee"),
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    # The mentor's time the booking takes: [blocked_from, blocked_until), the session widened
    # by the buffers in force when it was booked.
    blocked_from = models.DateTimeField(_("blocked from"))
    blocked_until = models.DateTimeField(_("blocked until"))
    hold_expires_at = models.DateTimeField(_("hold expires"), null=True, blank=True)
    # The calendar event: one UID for its whole life, SEQUENCE raised by every change.
    uid = models.UUIDField(_("calendar UID"), default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0)
    created_at = models.DateTimeField(_("created"))
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    # A mentee's cancellation after the free-change deadline: the session is forfeited.
    forfeited = models.BooleanField(_("forfeited"), default=False)
    # A mentor's cancellation after that deadline counts against their reliability.
    late_mentor_cancellation = models.BooleanField(
        _("late cancellation by the mentor"), default=False
    )

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering: ClassVar = ["starts_at"]
        indexes: ClassVar = [
            models.Index(fields=["mentor", "starts_at"], name="bookings_mentor_start"),
            models.Index(fields=["mentee", "starts_at"], name="bookings_mentee_start"),
            models.Index(
                fields=["hold_expires_at"],
                condition=models.Q(status__in=["held", "awaiting_payment"]),
                name="bookings_holds_expiring",
            ),
            # The tick reads holds that ran out and confirmed sessions that have begun. Not
            # partial indexes: SQLite uses one only when a query spells out its condition's
            # values, and Django sends them as parameters.
            models.Index(fields=["status", "hold_expires_at"], name="bookings_status_hold"),
            models.Index(fields=["status", "starts_at"], name="bookings_status_start"),
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="bookings_starts_before_it_ends",
            ),
            models.CheckConstraint(
                condition=models.Q(blocked_from__lte=models.F("starts_at"))
                & models.Q(blocked_until__gte=models.F("ends_at")),
                name="bookings_blocks_its_own_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} with {self.mentee} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class BookingChange(models.Model):
    """A record of a booking moved or cancelled: who, when, why, and the times before and
    after. Never edited."""

    class Kind(models.TextChoices):
        MOVED = "moved", _("moved")
        CANCELLED = "cancelled", _("cancelled")

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="changes", verbose_name=_("booking")
    )
    kind = models.CharField(_("change"), max_length=16, choices=Kind.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("when"))
    reason = models.TextField(_("reason"), max_length=2000)
    old_starts_at = models.DateTimeField(_("start before"))
    new_starts_at = models.DateTimeField(_("start after"), null=True, blank=True)
    # After the free-change deadline (see bookings.domain).
    late = models.BooleanField(_("late"), default=False)

    class Meta:
        verbose_name = _("booking change")
        verbose_name_plural = _("booking changes")
        ordering: ClassVar = ["at"]

    def __str__(self) -> str:
        return f"{self.booking_id} {self.kind} at {self.at:%Y-%m-%d %H:%M} UTC"


class CalendarFeed(models.Model):
    """A person's private calendar address: whoever has it sees their upcoming sessions, so
    only its digest is kept, and a new address replaces the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed",
        verbose_name=_("user"),
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"calendar feed of {self.user_id}"


class IdempotencyKey(models.Model):
    """A key a person's client sent with a request that books, claimed in the same transaction
    as the booking it made, under the person's lock: a retry, or the same request sent at the
    same moment, gets that booking. `fingerprint` is the digest of what the request asked, so
    the same key sent with another request is refused. Keys last KEY_LIFETIME."""

    KEY_LIFETIME = timedelta(hours=24)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    key = models.CharField(_("key"), max_length=100)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="+", verbose_name=_("booking")
    )
    created_at = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        verbose_name = _("idempotency key")
        verbose_name_plural = _("idempotency keys")
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user", "key"], name="bookings_idempotency_claimed_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.user_id}"
