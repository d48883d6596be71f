"""The only writers of payments, refunds, settlements, disputes and payouts, and of the
ledger's movements for them (checkout.py, settlement.py, payouts.py).

Lock order, the same everywhere: the people and the mentor's profile (bookings.domain), the
booking, the payment, then the ledger's accounts (payments.ledger). Calls to a provider are
made outside transactions, each with an idempotency key stored before the call.
"""

from mentor247.payments.domain.checkout import (
    client_secret,
    handle_event,
    refund_payment,
    send_refund,
    settle_payment,
    start_checkout,
)
from mentor247.payments.domain.payouts import (
    open_payout_account,
    payout_minimum,
    refresh_payout_account,
    run_payouts,
    send_payout,
    start_payout,
)
from mentor247.payments.domain.settlement import (
    can_dispute,
    decide_dispute,
    open_dispute,
    refund_by_staff,
    refund_unbooked_credits,
    settle_due_sessions,
    settle_session,
)

__all__ = [
    "can_dispute",
    "client_secret",
    "decide_dispute",
    "handle_event",
    "open_dispute",
    "open_payout_account",
    "payout_minimum",
    "refresh_payout_account",
    "refund_by_staff",
    "refund_payment",
    "refund_unbooked_credits",
    "run_payouts",
    "send_payout",
    "send_refund",
    "settle_due_sessions",
    "settle_payment",
    "settle_session",
    "start_checkout",
    "start_payout",
]
