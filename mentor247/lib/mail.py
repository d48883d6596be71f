"""Email leaves in the background: requests render it, the worker delivers it."""

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django_tasks import task


@task()
def deliver_email(
    subject: str, body: str, from_email: str, to: list[str], html: str | None = None
) -> None:
    message = EmailMultiAlternatives(subject, body, from_email, to)
    if html:
        message.attach_alternative(html, "text/html")
    message.send()


def queue_email(message: EmailMessage) -> None:
    """Delivers `message` once the current transaction commits (at once outside one)."""
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), None)
    args = (
        str(message.subject),
        str(message.body),
        str(message.from_email),
        list(message.to),
        html,
    )
    transaction.on_commit(lambda: deliver_email.enqueue(*args))
