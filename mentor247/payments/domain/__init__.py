"""The only writers of payments, refunds, settlements, disputes and payouts, and of the
ledger's movements for them (checkout.py, settlement.py, payouts.py, reconcile.py).

Lock order: a session's settlement locks the people and the mentor's profile where bookings
do, the booking, then its paid payment; a payment being settled locks the payment, then (to
confirm its booking) the people, the profile and that booking, a payment no settlement of
the booking waits on, since a booking is settled only once its payment is. The ledger's
accounts come last everywhere (payments.ledger), posted after the other work so that the
platform's own accounts are held only until the commit. Calls to a provider are made outside
transactions, each with an idempotency key stored before the call.
"""

from mentor247.payments.domain.checkout import (
    client_secret,
    give_up_payment,
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
    run_weekly_payouts,
    send_payout,
    start_payout,
    update_payout_account,
)
from mentor247.payments.domain.reconcile import check_payment, reconcile, retry_by_staff
from mentor247.payments.domain.settlement import (
    can_dispute,
    decide_dispute,
    end_engagement,
    end_engagements,
    open_dispute,
    paid_payment,
    refund_by_staff,
    settle_due_sessions,
    settle_session,
)

__all__ = [
    "can_dispute",
    "check_payment",
    "client_secret",
    "decide_dispute",
    "end_engagement",
    "end_engagements",
    "give_up_payment",
    "handle_event",
    "open_dispute",
    "open_payout_account",
    "paid_payment",
    "payout_minimum",
    "reconcile",
    "refresh_payout_account",
    "refund_by_staff",
    "refund_payment",
    "retry_by_staff",
    "run_payouts",
    "run_weekly_payouts",
    "send_payout",
    "send_refund",
    "settle_due_sessions",
    "settle_payment",
    "settle_session",
    "start_checkout",
    "start_payout",
    "update_payout_account",
]
