"""How often the platform asks a provider again about what it has no final word on."""

from datetime import timedelta

from django.conf import settings

from mentor247.payments import rules

# Unanswered tries after which a payment, refund or payout waits for staff.
MAX_ATTEMPTS = 8
LONGEST_WAIT = timedelta(hours=12)


def first_check() -> timedelta:
    """How long after a payment, refund or payout starts the sweep first asks about it, and
    the first wait after an unanswered try (PAYMENTS_RECONCILE_MINUTES)."""
    return timedelta(minutes=settings.PAYMENTS_RECONCILE_MINUTES)


def backoff(attempts: int) -> timedelta:
    """The wait before asking again after `attempts` unanswered tries."""
    return rules.backoff(attempts, first=first_check(), longest=LONGEST_WAIT)
