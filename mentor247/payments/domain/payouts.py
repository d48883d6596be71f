"""Payouts: the mentor's payout account, and payouts on request or weekly, once per balance.
See payments.domain for the lock order."""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.lib.tasks import enqueue_on_commit
from mentor247.mentors.domain import lock_profile
from mentor247.mentors.models import MentorProfile
from mentor247.payments import providers, rules
from mentor247.payments.domain.retry import MAX_ATTEMPTS, backoff, first_check
from mentor247.payments.ledger import (
    Leg,
    balance,
    mentor_account,
    post,
)
from mentor247.payments.models import (
    LedgerAccount,
    LedgerEntry,
    LedgerTransaction,
    Payout,
    PayoutAccount,
    PeriodicRun,
)
from mentor247.payments.providers.base import ProviderError, Source

Kind = LedgerAccount.Kind
TX = LedgerTransaction.Kind


def open_payout_account(mentor: MentorProfile) -> str:
    """Starts (or picks up) the mentor's payout account with the provider; the address
    where they give their details. The account is made with a key stored before the first
    call, and once the provider has named it, only asked again for its address, so however
    often the mentor asks it is made once. Raises ProviderError."""
    provider = providers.default()
    with transaction.atomic():
        account, _created = PayoutAccount.objects.select_for_update().get_or_create(
            mentor=mentor,
            defaults={
                "provider": provider.name,
                "provider_key": f"account-{uuid.uuid4().hex}",
                "updated_at": timezone.now(),
            },
        )
        if account.provider != provider.name:  # the platform moved to another provider
            account.provider, account.reference, account.ready = provider.name, "", False
            account.provider_key = f"account-{uuid.uuid4().hex}"
            account.save(update_fields=["provider", "reference", "ready", "provider_key"])
    reference, url = provider.open_payout_account(
        mentor, reference=account.reference, key=account.provider_key
    )
    if reference != account.reference:
        PayoutAccount.objects.filter(pk=account.pk, reference="").update(
            reference=reference, updated_at=timezone.now()
        )
    return url


def refresh_payout_account(mentor: MentorProfile) -> PayoutAccount | None:
    """The mentor's payout account, its readiness asked again of the provider (an account
    can become ready, or stop being ready, at any time). Raises ProviderError."""
    account = PayoutAccount.objects.filter(mentor=mentor).first()
    if account is None or not account.reference:
        return account
    return update_payout_account(account.provider, account.reference)


def update_payout_account(
    provider: str, reference: str, *, details_changed: bool = False
) -> PayoutAccount | None:
    """Brings the payout account `reference` to the provider's word on whether it can be
    paid (for a page, or the provider's webhook). When the mentor changed its details, a
    pause after failed transfers ends. Raises ProviderError."""
    account = PayoutAccount.objects.filter(provider=provider, reference=reference).first()
    if account is None:
        return None
    ready = providers.get(provider).payout_account_ready(reference)
    if ready != account.ready or details_changed:
        fields: dict[str, object] = {"ready": ready, "updated_at": timezone.now()}
        if details_changed:
            fields.update(failures=0, paused_until=None)
        PayoutAccount.objects.filter(pk=account.pk).update(**fields)
        account.refresh_from_db()
    return account


def payout_minimum(currency: str) -> int:
    """The least a weekly payout pays, in minor units of `currency` (PAYOUT_MINIMUMS)."""
    return settings.PAYOUT_MINIMUMS.get(currency, settings.PAYOUT_MINIMUM_DEFAULT)


def start_payout(mentor: MentorProfile, currency: str, *, requested: bool) -> Payout:
    """Pays out all that is payable to `mentor` in `currency`: the ledger moves it to "in
    transit" at once, and the transfer is sent in the background (send_payout). Only a mentor
    in good standing with a ready payout account is paid; a suspended or removed mentor's
    balance waits for staff. A weekly run pays at least payout_minimum(); a mentor's request
    any amount. An account whose transfers keep failing is paused (longer each time) until
    the mentor changes it. Raises ValidationError when there is nothing to pay. Locks the
    mentor (their person and profile rows), so two runs at once pay a balance once; then
    the ledger."""
    with transaction.atomic():
        mentor = lock_profile(mentor)
        if mentor.status != MentorProfile.Status.APPROVED:
            raise ValidationError(
                _("Your balance is held while your account is being reviewed."), code="held"
            )
        account = PayoutAccount.objects.filter(mentor=mentor, ready=True).first()
        if account is None:
            raise ValidationError(_("Set up your payout details first."), code="no_account")
        now = timezone.now()
        if account.paused_until is not None and account.paused_until > now:
            raise ValidationError(
                _(
                    "Your bank refused the last transfers. Check your payout details: once "
                    "you change them, payouts start again."
                ),
                code="paused",
            )
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
            created_at=now,
            next_attempt_at=now + first_check(),  # if the task below is lost
        )
        post(
            TX.PAYOUT,
            [
                Leg(payable, -available),
                Leg(mentor_account(mentor, Kind.IN_TRANSIT, currency), available),
            ],
            key=f"payout:{payout.pk}",
        )
        # Imported here: payments.tasks imports the domain (a task runs a domain function).
        from mentor247.payments.tasks import send_payout

        enqueue_on_commit(send_payout, payout.pk)
        return payout


PAUSE_FIRST = timedelta(days=1)
PAUSE_LONGEST = timedelta(days=30)


def send_payout(payout_id: int) -> Payout:
    """Asks the provider to make the transfer, with the payout's key (asked twice, paid
    once), and records its outcome: paid out, or back to payable when it failed (and the
    account paused, PAUSE_FIRST the first time, doubling up to PAUSE_LONGEST). A provider
    that does not answer is asked again by the reconciliation sweep after retry.backoff();
    after retry.MAX_ATTEMPTS tries the payout waits for staff, its money in transit."""
    payout = Payout.objects.select_related("mentor").get(pk=payout_id)
    if payout.state != Payout.State.IN_TRANSIT or payout.stuck:
        return payout
    account = PayoutAccount.objects.get(mentor=payout.mentor)
    try:
        transfer = providers.get(account.provider).transfer(
            payout, account.reference, key=payout.key, sources=sources_of(payout)
        )
    except ProviderError as error:
        attempts = payout.attempts + 1
        Payout.objects.filter(pk=payout.pk, state=Payout.State.IN_TRANSIT).update(
            attempts=attempts,
            stuck=attempts >= MAX_ATTEMPTS,
            next_attempt_at=timezone.now() + backoff(attempts),
            message=str(error)[:500],
        )
        payout.refresh_from_db()
        return payout
    with transaction.atomic():
        payout = Payout.objects.select_for_update().get(pk=payout_id)
        if payout.state != Payout.State.IN_TRANSIT:
            return payout
        if transfer.paid is None:  # on its way: asked again later
            Payout.objects.filter(pk=payout.pk).update(
                reference=transfer.reference,
                attempts=0,
                next_attempt_at=timezone.now() + backoff(1),
            )
            payout.refresh_from_db()
            return payout
        return _transfer_settled(
            payout, transfer.reference, paid=transfer.paid, message=transfer.message
        )


def sources_of(payout: Payout) -> list[Source]:
    """Which captured charges the money of `payout` came from, first released first paid:
    the mentor's releases in order, less what earlier payouts took (as the ledger has it,
    net of payouts that failed or were reversed), then this payout's amount of what follows.
    Money of no known charge is named by ""."""
    payable = mentor_account(payout.mentor, Kind.PAYABLE, payout.currency)
    own = f"payout:{payout.pk}"
    taken = -sum(
        LedgerEntry.objects.filter(
            account=payable,
            transaction__kind__in=(TX.PAYOUT, TX.PAYOUT_FAILED),
            transaction__pk__lt=LedgerTransaction.objects.filter(key=own).values("pk")[:1],
        ).values_list("amount", flat=True)
    )
    releases = (
        LedgerEntry.objects.filter(account=payable, transaction__kind=TX.RELEASE)
        .order_by("transaction__created_at", "transaction__pk")
        .values_list("amount", "transaction__payment__charge_reference")
    )
    sources: list[Source] = []
    left = payout.amount
    for amount, charge in releases:
        skip = min(taken, amount)
        taken, amount = taken - skip, amount - skip
        part = min(amount, left)
        if part > 0:
            sources.append(Source(charge or "", part))
            left -= part
        if not left:
            break
    if left:
        sources.append(Source("", left))
    return sources


def _transfer_settled(payout: Payout, reference: str, *, paid: bool, message: str) -> Payout:
    """Records the provider's final word on a payout in transit (locked by the caller)."""
    in_transit = mentor_account(payout.mentor, Kind.IN_TRANSIT, payout.currency)
    now = timezone.now()
    if paid:
        paid_out = mentor_account(payout.mentor, Kind.PAID_OUT, payout.currency)
        post(
            TX.PAYOUT_PAID,
            [Leg(in_transit, -payout.amount), Leg(paid_out, payout.amount)],
            key=f"payout-paid:{payout.pk}",
        )
        payout.state = Payout.State.PAID
        PayoutAccount.objects.filter(mentor=payout.mentor).update(failures=0, paused_until=None)
    else:
        payable = mentor_account(payout.mentor, Kind.PAYABLE, payout.currency)
        post(
            TX.PAYOUT_FAILED,
            [Leg(in_transit, -payout.amount), Leg(payable, payout.amount)],
            key=f"payout-failed:{payout.pk}",
        )
        payout.state, payout.message = Payout.State.FAILED, message[:500]
        _pause(payout.mentor, now)
    payout.reference, payout.settled_at, payout.next_attempt_at = reference, now, None
    payout.save(update_fields=["state", "message", "reference", "settled_at", "next_attempt_at"])
    return payout


def pause_payout_account(mentor_id: int) -> None:
    """The mentor's bank refused money sent on to it (told by the provider): their payout
    account is paused as after a failed transfer."""
    with transaction.atomic():
        _pause(MentorProfile.objects.get(pk=mentor_id), timezone.now())


def _pause(mentor: MentorProfile, now: datetime) -> None:
    account = PayoutAccount.objects.select_for_update().get(mentor=mentor)
    account.failures += 1
    account.paused_until = now + min(PAUSE_FIRST * 2 ** (account.failures - 1), PAUSE_LONGEST)
    account.save(update_fields=["failures", "paused_until"])


def run_payouts() -> int:
    """The weekly run: a payout for every mentor and currency with at least payout_minimum()
    payable, in good standing, with a ready payout account that is not paused. Reads only
    accounts holding money (their balance is on their row). Safe to run at any time, and
    twice at once. Returns the payouts made."""
    now = timezone.now()
    accounts = list(
        LedgerAccount.objects.filter(
            kind=Kind.PAYABLE,
            balance__gt=0,
            mentor__status=MentorProfile.Status.APPROVED,
            mentor__payout_account__ready=True,
        )
        .exclude(mentor__payout_account__paused_until__gt=now)
        .select_related("mentor")
    )
    made = 0
    for account in accounts:
        assert account.mentor is not None  # a PAYABLE account is a mentor's
        if account.balance >= payout_minimum(account.currency):
            try:
                start_payout(account.mentor, account.currency, requested=False)
            except ValidationError:
                continue  # paid by a run at the same moment, or no longer payable
            made += 1
    return made


def run_weekly_payouts(now: datetime | None = None) -> int:
    """The tick's payouts step: run_payouts once per week, at PAYOUT_WEEKDAY and PAYOUT_HOUR
    (UTC), claimed by a PeriodicRun row so that two ticks run it once. Returns the payouts
    made."""
    now = now or timezone.now()
    moment = rules.next_payout_at(
        now, weekday=settings.PAYOUT_WEEKDAY, hour=settings.PAYOUT_HOUR
    ) - timedelta(days=7)
    try:
        with transaction.atomic():
            PeriodicRun.objects.create(name=f"payouts:{moment:%Y-%m-%d}", ran_at=now)
    except IntegrityError:
        return 0  # this week's run is done, or under way
    return run_payouts()
