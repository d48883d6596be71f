"""Payouts: the mentor's payout account, and payouts on request or weekly, once per balance.
See payments.domain for the lock order."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.lib.money import minor_digits
from mentor247.lib.tasks import enqueue_on_commit
from mentor247.mentors.domain import lock_profile
from mentor247.mentors.models import MentorProfile
from mentor247.payments import providers
from mentor247.payments.ledger import (
    Leg,
    balance,
    balances,
    mentor_account,
    post,
)
from mentor247.payments.models import (
    LedgerAccount,
    LedgerTransaction,
    Payout,
    PayoutAccount,
)
from mentor247.payments.providers.base import ProviderError

Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def open_payout_account(mentor: MentorProfile) -> str:
    """Starts (or picks up) the mentor's payout account with the provider; the address
    where they give their details. Raises ProviderError."""
    provider = providers.default()
    reference, url = provider.open_payout_account(mentor)
    account = PayoutAccount.objects.filter(mentor=mentor).first()
    if account is None or (account.provider, account.reference) != (provider.name, reference):
        PayoutAccount.objects.update_or_create(
            mentor=mentor,
            defaults={
                "provider": provider.name,
                "reference": reference,
                "ready": False,
                "updated_at": timezone.now(),
            },
        )
    return url


def refresh_payout_account(mentor: MentorProfile) -> PayoutAccount | None:
    """The mentor's payout account, asked again of the provider while it is not ready."""
    account = PayoutAccount.objects.filter(mentor=mentor).first()
    if account is None or account.ready:
        return account
    if providers.get(account.provider).payout_account_ready(account.reference):
        PayoutAccount.objects.filter(pk=account.pk).update(ready=True, updated_at=timezone.now())
        account.ready = True
    return account


def payout_minimum(currency: str) -> int:
    return settings.PAYOUT_MINIMUM * 10 ** minor_digits(currency)


def start_payout(mentor: MentorProfile, currency: str, *, requested: bool) -> Payout:
    """Pays out all that is payable to `mentor` in `currency`: the ledger moves it to "in
    transit" at once, and the transfer is sent in the background (send_payout). Only a mentor
    in good standing with a ready payout account is paid; a suspended or removed mentor's
    balance waits for staff. A weekly run pays at least PAYOUT_MINIMUM; a mentor's request
    any amount. Raises ValidationError when there is nothing to pay. Locks the mentor (their
    person and profile rows), so two runs at once pay a balance once; then the ledger."""
    with transaction.atomic():
        mentor = lock_profile(mentor)
        if mentor.status != MentorProfile.Status.APPROVED:
            raise ValidationError(
                _("Your balance is held while your account is being reviewed."), code="held"
            )
        account = PayoutAccount.objects.filter(mentor=mentor, ready=True).first()
        if account is None:
            raise ValidationError(_("Set up your payout details first."), code="no_account")
        payable = mentor_account(mentor, Kind.PAYABLE, currency)
        available = balance(payable)
        if available <= 0 or (not requested and available < payout_minimum(currency)):
            raise ValidationError(_("There is no money available to pay out."), code="nothing")
        payout = Payout.objects.create(
            mentor=mentor,
            amount=available,
            currency=currency,
            requested=requested,
            key=f"payout-{uuid.uuid4().hex}",
            created_at=timezone.now(),
        )
        post(
            TX.PAYOUT,
            [
                Leg(payable, -available),
                Leg(mentor_account(mentor, Kind.IN_TRANSIT, currency), available),
            ],
            key=f"payout:{payout.pk}",
        )
        from mentor247.payments.tasks import send_payout

        enqueue_on_commit(send_payout, payout.pk)
        return payout


def send_payout(payout_id: int) -> Payout:
    """Asks the provider to make the transfer, with the payout's key (asked twice, paid
    once), and records its outcome: paid out, or back to payable when it failed. A provider
    that does not answer is asked again by the next run (run_payouts)."""
    payout = Payout.objects.select_related("mentor").get(pk=payout_id)
    if payout.state != Payout.State.IN_TRANSIT:
        return payout
    account = PayoutAccount.objects.get(mentor=payout.mentor)
    try:
        transfer = providers.get(account.provider).transfer(
            payout, account.reference, key=payout.key
        )
    except ProviderError:
        return payout
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state != Payout.State.IN_TRANSIT or transfer.paid is None:
            if not payout.reference:
                Payout.objects.filter(pk=payout.pk).update(reference=transfer.reference)
            return payout
        in_transit = mentor_account(payout.mentor, Kind.IN_TRANSIT, payout.currency)
        if transfer.paid:
            paid_out = mentor_account(payout.mentor, Kind.PAID_OUT, payout.currency)
            post(
                TX.PAYOUT_PAID,
                [Leg(in_transit, -payout.amount), Leg(paid_out, payout.amount)],
                key=f"payout-paid:{payout.pk}",
            )
            payout.state = Payout.State.PAID
        else:
            payable = mentor_account(payout.mentor, Kind.PAYABLE, payout.currency)
            post(
                TX.PAYOUT_FAILED,
                [Leg(in_transit, -payout.amount), Leg(payable, payout.amount)],
                key=f"payout-failed:{payout.pk}",
            )
            payout.state, payout.message = Payout.State.FAILED, transfer.message[:500]
        payout.reference, payout.settled_at = transfer.reference, timezone.now()
        payout.save(update_fields=["state", "message", "reference", "settled_at"])
        return payout


def run_payouts() -> int:
    """The weekly run: a payout for every mentor and currency with at least PAYOUT_MINIMUM
    payable, in good standing, with a ready payout account; and transfers not yet answered
    are asked again. Safe to run at any time, and twice at once. Returns the payouts made."""
    # Transfers left unanswered by earlier runs; the payouts made now send their own.
    waiting = list(
        Payout.objects.filter(state=Payout.State.IN_TRANSIT).values_list("pk", flat=True)
    )
    accounts = list(
        LedgerAccount.objects.filter(
            kind=Kind.PAYABLE,
            mentor__status=MentorProfile.Status.APPROVED,
            mentor__payout_account__ready=True,
        ).select_related("mentor")
    )
    held = balances(accounts)
    made = 0
    for account in accounts:
        assert account.mentor is not None  # a PAYABLE account is a mentor's
        if held[account.pk] >= payout_minimum(account.currency):
            try:
                start_payout(account.mentor, account.currency, requested=False)
            except ValidationError:
                continue  # paid by a run at the same moment, or no longer payable
            made += 1
    for payout_id in waiting:
        send_payout(payout_id)
    return made
