"""Who may see which payment object: one accessor per type, each raising Http404."""

from django.http import Http404

from mentor247.accounts.models import User
from mentor247.payments.models import Payment, SandboxCharge


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
