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
    platform; the others hold what the platform holds, for someone."""

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

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
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
