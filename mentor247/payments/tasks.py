from django_tasks import task

from mentor247.payments import domain, sandbox


@task()
def deliver_sandbox_event(event_id: str, reference: str) -> bool:
    return sandbox.deliver(event_id, reference)


@task()
def settle_payment(payment_id: int) -> str:
    return domain.settle_payment(payment_id).state


@task()
def send_refund(refund_id: int) -> str:
    return domain.send_refund(refund_id).state


@task()
def send_payout(payout_id: int) -> str:
    return domain.send_payout(payout_id).state


@task()
def settle_session(booking_id: int) -> bool:
    return domain.settle_session(booking_id) is not None


@task()
def give_up_payment(payment_id: int) -> str:
    return domain.give_up_payment(payment_id).state


@task()
def check_payment(payment_id: int) -> str:
    return domain.check_payment(payment_id).state
