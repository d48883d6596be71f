"""The ledger: every movement of money is a LedgerTransaction of LedgerEntries that sum to zero
in each currency. Entries are never changed or removed (the database refuses it too), and an
account's balance is the sum of its entries. Written only by payments.ledger.post."""

from typing import Any, ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentor247.bookings.models import Booking, Engagement
from mentor247.mentors.models import MentorProfile


class LedgerAccount(models.Model):
    """Where money sits, per purpose and currency. An amount entered is money into the
    account. Money from mentees comes out of RECEIVED (so its balance is minus all that was
    ever paid in); REFUNDED, PAID_OUT and PROVIDER_FEES take in money that has left the
    platform; the others hold what the platform holds, for someone. `balance` is the sum of
    the account's entries, kept by payments.ledger.post under the account's lock, so a
    bound is checked without reading the account's history (manage.py verify_ledger checks
    that the two agree)."""

    class Kind(models.TextChoices):
        RECEIVED = "received", _("payments received from mentees")
        ESCROW = "escrow", _("escrow")  # one per engagement
        PAYABLE = "payable", _("payable to the mentor")  # one per mentor and currency
        IN_TRANSIT = "in_transit", _("payouts in transit")  # one per mentor and currency
        PAID_OUT = "paid_out", _("paid out to the mentor")  # one per mentor and currency
        REVENUE = "revenue", _("platform revenue")
        REFUNDED = "refunded", _("refunded to mentees")
        PROVIDER_FEES = "provider_fees", _("payment provider fees")

    PER_MENTOR: ClassVar = (Kind.PAYABLE, Kind.IN_TRANSIT, Kind.PAID_OUT)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    currency = models.CharField(_("currency"), max_length=3)
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("engagement"),
    )
    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_accounts",
        verbose_name=_("mentor"),
    )
    balance = models.BigIntegerField(_("balance"), default=0)

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        indexes: ClassVar = [
            # Weekly payouts read the mentors' accounts that hold money. (The tick's indexes
            # are not partial: SQLite uses a partial index only when a query spells out its
            # condition's values, and Django sends them as parameters.)
            models.Index(fields=["kind", "balance"], name="payments_account_holding")
        ]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["kind", "currency"],
                condition=models.Q(engagement__isnull=True, mentor__isnull=True),
                name="payments_one_platform_account",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency", "engagement"],
                condition=models.Q(engagement__isnull=False),
                name="payments_one_escrow_per_engagement",
            ),
            models.UniqueConstraint(
                fields=["kind", "currency", "mentor"],
                condition=models.Q(mentor__isnull=False),
                name="payments_one_account_per_mentor",
            ),
            # An escrow belongs to an engagement, a mentor's account to a mentor; the rest
            # to the platform.
            models.CheckConstraint(
                condition=models.Q(kind="escrow", engagement__isnull=False, mentor__isnull=True)
                | models.Q(
                    kind__in=["payable", "in_transit", "paid_out"],
                    engagement__isnull=True,
                    mentor__isnull=False,
                )
                | models.Q(
                    kind__in=["received", "revenue", "refunded", "provider_fees"],
                    engagement__isnull=True,
                    mentor__isnull=True,
                ),
                name="payments_account_has_its_owner",
            ),
        ]

    def __str__(self) -> str:
        owner = self.engagement_id or self.mentor_id or "platform"
        return f"{self.kind} {self.currency} ({owner})"


class LedgerTransaction(models.Model):
    """One movement of money, made of entries that balance. `key` names what it is for
    ("release:<booking id>", say), so the same movement can never be made twice."""

    class Kind(models.TextChoices):
        PAYMENT = "payment", _("payment")
        RELEASE = "release", _("release to the mentor")
        REFUND = "refund", _("refund")
        PAYOUT = "payout", _("payout")
        PAYOUT_PAID = "payout_paid", _("payout paid")
        PAYOUT_FAILED = "payout_failed", _("payout failed")
        FEE = "fee", _("provider fee")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    key = models.CharField(_("key"), max_length=100, unique=True)
    memo = models.CharField(_("memo"), max_length=200, blank=True)
    booking = models.ForeignKey(
        Booking,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("booking"),
    )
    payment = models.ForeignKey(
        "Payment",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ledger_transactions",
        verbose_name=_("payment"),
    )
    created_at = models.DateTimeField(_("created"), db_index=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering: ClassVar = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.key


class LedgerEntryQuerySet(models.QuerySet["LedgerEntry"]):
    def update(self, **kwargs: Any) -> int:
        raise TypeError("ledger entries are never changed")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never removed")


class LedgerEntry(models.Model):
    """An amount, in minor units of its account's currency, into (positive) or out of
    (negative) one account."""

    transaction = models.ForeignKey(
        LedgerTransaction,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("transaction"),
    )
    account = models.ForeignKey(
        LedgerAccount,
        on_delete=models.PROTECT,
        related_name="entries",
        verbose_name=_("account"),
        db_index=False,  # payments_entry_balance leads with it
    )
    amount = models.BigIntegerField(_("amount"))

    objects = LedgerEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes: ClassVar = [
            # A balance reads this index alone on PostgreSQL.
            models.Index(fields=["account", "amount"], name="payments_entry_balance")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=~models.Q(amount=0), name="payments_entry_moves_money"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.amount:+d} {self.account}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise TypeError("ledger entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise TypeError("ledger entries are never removed")


class Payment(models.Model):
    """One attempt to pay for a held booking (and its engagement) through a provider. A
    declined card ends an attempt; a new one is a new row. At most one attempt per booking
    is live or paid at a time, so a double click never charges twice."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        REQUIRES_ACTION = "requires_action", _("waiting for your confirmation")
        SUCCEEDED = "succeeded", _("paid")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    LIVE: ClassVar = (State.PENDING, State.REQUIRES_ACTION)
    OVER: ClassVar = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="payments", verbose_name=_("booking")
    )
    engagement = models.ForeignKey(
        Engagement, on_delete=models.PROTECT, related_name="payments", verbose_name=_("engagement")
    )
    mentee = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, related_name="payments", verbose_name=_("mentee")
    )
    amount = models.PositiveIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    provider = models.CharField(_("provider"), max_length=32)
    # The provider's id of the payment, once it has one; and of the charge that captured it,
    # once paid (a mentor's transfer names it as the source of its money).
    reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    charge_reference = models.CharField(_("provider charge"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    # What the mentee is told when it fails.
    message = models.CharField(_("message"), max_length=500, blank=True)
    # The checkout form's key (a retried POST finds this attempt), and the key sent with the
    # call to the provider, stored before the call is made.
    idempotency_key = models.CharField(_("idempotency key"), max_length=100)
    provider_key = models.CharField(_("provider idempotency key"), max_length=100, unique=True)
    created_at = models.DateTimeField(_("created"))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # Reconciliation (payments.domain.reconcile): when the provider is next asked about a
    # payment still under way, how often it was asked without an answer, and whether it
    # now waits for staff (the provider never answered).
    next_check_at = models.DateTimeField(_("next check"), null=True, blank=True)
    checks = models.PositiveSmallIntegerField(_("unanswered checks"), default=0)
    stuck = models.BooleanField(_("waiting for staff"), default=False)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["mentee", "idempotency_key"], name="payments_checkout_key_once"
            ),
            models.UniqueConstraint(
                fields=["provider", "reference"],
                condition=~models.Q(reference=""),
                name="payments_reference_once",
            ),
            # One attempt under way per booking (checkout also starts none beside one paid).
            # A provider may still capture an attempt the platform had ended; that one is
            # recorded as paid too, and refunded.
            models.UniqueConstraint(
                fields=["booking"],
                condition=models.Q(state__in=["pending", "requires_action"]),
                name="payments_one_live_attempt_per_booking",
            ),
        ]
        indexes: ClassVar = [
            models.Index(fields=["state", "next_check_at"], name="payments_payment_to_check")
        ]

    def __str__(self) -> str:
        return f"payment {self.pk} ({self.state})"


class WebhookEvent(models.Model):
    """An event a provider delivered, kept by its id so a replay changes nothing."""

    provider = models.CharField(_("provider"), max_length=32)
    event_id = models.CharField(_("event id"), max_length=255)
    received_at = models.DateTimeField(_("received"))

    class Meta:
        verbose_name = _("webhook event")
        verbose_name_plural = _("webhook events")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["provider", "event_id"], name="payments_event_once")
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_id}"


class SandboxCharge(models.Model):
    """The sandbox provider's own record of a charge: what an outside provider keeps on its
    side. The platform reads it only through the sandbox provider (payments.providers)."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for card details")
        REQUIRES_ACTION = "requires_action", _("waiting for the bank's confirmation")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled by the platform")

    reference = models.CharField(_("reference"), max_length=64, unique=True)
    idempotency_key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    amount = models.PositiveIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    description = models.CharField(_("description"), max_length=200)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    decline_code = models.CharField(_("decline code"), max_length=32, blank=True)
    card_last4 = models.CharField(_("card ending"), max_length=4, blank=True)
    return_url = models.URLField(_("return address"), max_length=500)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("sandbox charge")
        verbose_name_plural = _("sandbox charges")

    def __str__(self) -> str:
        return self.reference


class Refund(models.Model):
    """Money of a payment given back to the mentee. The ledger records it when it is
    decided; the provider is then asked, with `key`, until it has accepted it."""

    class State(models.TextChoices):
        PENDING = "pending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed; staff will look at it")

    payment = models.ForeignKey(
        Payment, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("payment")
    )
    # The session it gives back (one of a package's, say); the payment's own booking for a
    # refund of the whole payment or of sessions never booked.
    booking = models.ForeignKey(
        Booking, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("session")
    )
    amount = models.PositiveIntegerField(_("amount"))
    reason = models.CharField(_("reason"), max_length=500)
    # Staff who decided it; empty when a rule did.
    by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # When the provider is asked again after a refusal (back-off); none once sent or failed.
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    # The provider's reason for a refund it refused or that failed after it was sent.
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"))
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payments_refund_gives"),
        ]
        indexes: ClassVar = [
            models.Index(fields=["state", "next_attempt_at"], name="payments_refund_to_send")
        ]

    def __str__(self) -> str:
        return f"refund {self.pk} of payment {self.payment_id}"


class SandboxRefund(models.Model):
    """The sandbox provider's own record of a refund, by its idempotency key."""

    charge = models.ForeignKey(
        SandboxCharge, on_delete=models.PROTECT, related_name="refunds", verbose_name=_("charge")
    )
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    amount = models.PositiveIntegerField(_("amount"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("sandbox refund")
        verbose_name_plural = _("sandbox refunds")

    def __str__(self) -> str:
        return self.reference


class Settlement(models.Model):
    """What became of one session's money: released to the mentor (less the platform's fee)
    or refunded to the mentee. One per booking, so however many sweeps run, a session's
    money moves once."""

    class Outcome(models.TextChoices):
        RELEASED = "released", _("released to the mentor")
        REFUNDED = "refunded", _("refunded to the mentee")

    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="settlement", verbose_name=_("booking")
    )
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome.choices)
    amount = models.PositiveIntegerField(_("amount"))
    fee = models.PositiveIntegerField(_("platform fee"), default=0)
    created_at = models.DateTimeField(_("settled"))

    class Meta:
        verbose_name = _("settlement")
        verbose_name_plural = _("settlements")

    def __str__(self) -> str:
        return f"{self.outcome} {self.amount} for booking {self.booking_id}"


class DueSession(models.Model):
    """A paid session whose money has not moved yet: made when it is confirmed, removed when
    it is settled (in the same transaction as its Settlement). The settlement sweep reads
    these rows alone, so its cost follows the sessions still open, not all sessions ever."""

    booking = models.OneToOneField(
        Booking, on_delete=models.CASCADE, related_name="due", verbose_name=_("booking")
    )

    class Meta:
        verbose_name = _("session to settle")
        verbose_name_plural = _("sessions to settle")

    def __str__(self) -> str:
        return f"booking {self.booking_id} to settle"


class PayoutAccount(models.Model):
    """Where a mentor is paid: their account with the payment provider, once it can take
    transfers."""

    mentor = models.OneToOneField(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="payout_account",
        verbose_name=_("mentor"),
    )
    provider = models.CharField(_("provider"), max_length=32)
    # The provider's id of the account, once made; made with `provider_key`, stored before
    # the first call, so the account is made once however often the mentor asks.
    reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    provider_key = models.CharField(_("provider idempotency key"), max_length=100, blank=True)
    ready = models.BooleanField(_("ready for payouts"), default=False)
    # Transfers that failed in a row, and until when the account is not paid again: a bank
    # account that refuses is tried less and less often, until the mentor changes it.
    failures = models.PositiveSmallIntegerField(_("failed transfers in a row"), default=0)
    paused_until = models.DateTimeField(_("not paid until"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"))

    class Meta:
        verbose_name = _("payout account")
        verbose_name_plural = _("payout accounts")

    def __str__(self) -> str:
        return f"{self.provider} {self.reference}"


class Payout(models.Model):
    """Money payable to a mentor, sent to their payout account. The ledger moves it to
    "in transit" when the payout is made, then to "paid out" when the provider has paid it,
    or back to payable when the transfer failed."""

    class State(models.TextChoices):
        IN_TRANSIT = "in_transit", _("in transit")
        PAID = "paid", _("paid")
        FAILED = "failed", _("failed; the money is available again")

    mentor = models.ForeignKey(
        MentorProfile, on_delete=models.PROTECT, related_name="payouts", verbose_name=_("mentor")
    )
    amount = models.PositiveIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.IN_TRANSIT
    )
    requested = models.BooleanField(_("requested by the mentor"), default=False)
    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    message = models.CharField(_("message"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created"))
    settled_at = models.DateTimeField(_("settled"), null=True, blank=True)
    # A transfer the provider has not answered for: asked again with back-off, then left
    # to staff (its money stays in transit: whether it left is not known).
    attempts = models.PositiveSmallIntegerField(_("unanswered attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    stuck = models.BooleanField(_("waiting for staff"), default=False)

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering: ClassVar = ["-created_at"]
        indexes: ClassVar = [
            models.Index(fields=["state", "next_attempt_at"], name="payments_payout_to_send")
        ]
        constraints: ClassVar = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payments_payout_pays"),
        ]

    def __str__(self) -> str:
        return f"payout {self.pk} to {self.mentor_id} ({self.state})"


class SandboxTransfer(models.Model):
    """The sandbox provider's own record of a transfer to a mentor's test account."""

    key = models.CharField(_("idempotency key"), max_length=100, unique=True)
    reference = models.CharField(_("reference"), max_length=64, unique=True)
    account = models.CharField(_("account"), max_length=64)
    amount = models.PositiveIntegerField(_("amount"))
    currency = models.CharField(_("currency"), max_length=3)
    paid = models.BooleanField(_("paid"))
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("sandbox transfer")
        verbose_name_plural = _("sandbox transfers")

    def __str__(self) -> str:
        return self.reference


class SandboxAccount(models.Model):
    """The sandbox provider's own record of a mentor's test bank account."""

    reference = models.CharField(_("reference"), max_length=64, unique=True)
    owner = models.CharField(_("owner"), max_length=64, unique=True)  # its platform's key
    number = models.CharField(_("account number"), max_length=34, blank=True)
    created_at = models.DateTimeField(_("created"))

    class Meta:
        verbose_name = _("sandbox account")
        verbose_name_plural = _("sandbox accounts")

    def __str__(self) -> str:
        return self.reference


class Dispute(models.Model):
    """A mentee's objection to paying for a session, raised before its money is released;
    it holds the release until staff decide: refund the mentee or release to the mentor.
    Or a chargeback: the mentee's bank disputes the payment at the provider
    (`provider_reference`); it holds every session of the engagement until the bank decides
    (the provider's word, by webhook)."""

    class State(models.TextChoices):
        OPEN = "open", _("waiting for staff")
        REFUNDED = "refunded", _("decided: refunded to the mentee")
        RELEASED = "released", _("decided: released to the mentor")

    booking = models.OneToOneField(
        Booking, on_delete=models.PROTECT, related_name="dispute", verbose_name=_("booking")
    )
    reason = models.TextField(_("what went wrong"), max_length=2000)
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.OPEN)
    opened_at = models.DateTimeField(_("opened"))
    decided_by = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision = models.TextField(_("decision"), blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    # A chargeback: the provider's id of the dispute, and the amount the bank disputes.
    provider_reference = models.CharField(_("provider reference"), max_length=255, blank=True)
    amount = models.PositiveIntegerField(_("amount disputed"), default=0)

    class Meta:
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")
        ordering: ClassVar = ["opened_at"]

    def __str__(self) -> str:
        return f"dispute of booking {self.booking_id} ({self.state})"


class LedgerCheck(models.Model):
    """One run of manage.py verify_ledger (daily, by the tick): whether every invariant of
    the ledger held, and the first that did not."""

    ran_at = models.DateTimeField(_("ran"), db_index=True)
    ok = models.BooleanField(_("every invariant held"))
    problem = models.TextField(_("first violation"), blank=True)
    checked = models.PositiveIntegerField(_("transactions checked"), default=0)

    class Meta:
        verbose_name = _("ledger check")
        verbose_name_plural = _("ledger checks")
        ordering: ClassVar = ["-ran_at"]

    def __str__(self) -> str:
        return f"ledger check at {self.ran_at:%Y-%m-%d %H:%M} UTC: {'ok' if self.ok else 'failed'}"


class PeriodicRun(models.Model):
    """Work done once per period (the weekly payouts, the daily ledger check), claimed by
    inserting its name ("payouts:2026-12-07"), so two ticks at once do it once."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    ran_at = models.DateTimeField(_("ran"))

    class Meta:
        verbose_name = _("periodic run")
        verbose_name_plural = _("periodic runs")

    def __str__(self) -> str:
        return self.name
