"""Who may see which payment object: one accessor per type, each raising Http404."""

from django.http import Http404

from mentor247.accounts.models import User
from mentor247.mentors.models import MentorProfile
from mentor247.payments.models import Payment, SandboxAccount, SandboxCharge


def access_payment(user: User, payment_id: int) -> Payment:
    """A payment of `user`'s own (as the mentee who paid); anyone else's is 404."""
    payment = (
        Payment.objects.filter(pk=payment_id, mentee=user)
        .select_related("booking", "engagement__offering", "engagement__mentor__user")
        .first()
    )
    if payment is None:
        raise Http404
    return payment


def sandbox_charge(reference: str) -> SandboxCharge:
    """The sandbox's card page is reached by its charge's unguessable reference, as an
    outside provider's hosted page is."""
    charge = SandboxCharge.objects.filter(reference=reference).first()
    if charge is None:
        raise Http404
    return charge


def access_earnings_profile(user: User) -> MentorProfile:
    """The mentor profile whose money `user` may see: their own, approved, suspended or
    removed (money held for a mentor stays theirs to see); anyone else gets 404."""
    statuses = (
        MentorProfile.Status.APPROVED,
        MentorProfile.Status.SUSPENDED,
        MentorProfile.Status.REMOVED,
    )
    profile = MentorProfile.objects.filter(user=user, status__in=statuses).first()
    if profile is None:
        raise Http404
    return profile


def access_sandbox_charge(user: User, reference: str) -> SandboxCharge:
    """The sandbox's card page of a charge, for the mentee paying it alone (a stranger who
    learns the address gets 404): the sandbox reads its own charge by the platform's
    payment of the same reference."""
    if not Payment.objects.filter(provider="sandbox", reference=reference, mentee=user).exists():
        raise Http404
    return sandbox_charge(reference)


def access_sandbox_account(user: User, reference: str) -> SandboxAccount:
    """The sandbox's page of a mentor's test bank account, for that mentor alone."""
    account = SandboxAccount.objects.filter(
        reference=reference,
        reference__in=MentorProfile.objects.filter(user=user).values("payout_account__reference"),
    ).first()
    if account is None:
        raise Http404
    return account
