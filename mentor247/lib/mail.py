"""Email leaves in the background: requests render it, the worker delivers it.

The message travels sealed (encrypted and authenticated with a key derived from SECRET_KEY):
emails carry password-reset and verification links, and the queue's rows are visible to staff
in the admin and kept after delivery.

Subjects are plain text on one line: `render_subject` renders them without HTML escaping, and
every queued subject is reduced to one line, so that no name or title can end the header.

Every email is written for its recipient: `render_email` renders it in their language, with
times on their clock (`speaking_to`).
"""

import base64
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Protocol

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import Context, Engine, TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_str
from django_tasks import task

from mentor247.lib.text import one_line


def _sealer() -> MultiFernet:
    # The first key seals; the fallbacks still open what was sealed before a key rotation.
    secrets = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
    return MultiFernet([Fernet(_key(secret)) for secret in secrets])


def _key(secret: str | bytes) -> bytes:
    digest = salted_hmac("mentor247.mail", "", secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest)


def seal(message: EmailMessage) -> str:
    html = None
    if isinstance(message, EmailMultiAlternatives):
        html = next((str(c) for c, mime in message.alternatives if mime == "text/html"), None)
    fields = {
        "subject": one_line(force_str(message.subject)),
        "body": force_str(message.body),
        "from_email": force_str(message.from_email),
        "to": [force_str(address) for address in message.to],
        "html": html,
        # Attachments given as (name, content, type), such as calendar invitations.
        "attachments": [
            [name, base64.b64encode(_bytes(content)).decode(), mimetype]
            for name, content, mimetype in (
                attachment for attachment in message.attachments if isinstance(attachment, tuple)
            )
        ],
    }
    return _sealer().encrypt(json.dumps(fields).encode()).decode()


def unseal(sealed: str) -> EmailMultiAlternatives:
    fields = json.loads(_sealer().decrypt(sealed.encode()))
    message = EmailMultiAlternatives(
        one_line(fields["subject"]), fields["body"], fields["from_email"], fields["to"]
    )
    if fields["html"]:
        message.attach_alternative(fields["html"], "text/html")
    for name, content, mimetype in fields.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    return message


def _bytes(content: str | bytes) -> bytes:
    return content.encode() if isinstance(content, str) else content


@task()
def deliver_email(sealed: str) -> None:
    unseal(sealed).send()


def queue_email(message: EmailMessage) -> None:
    """Delivers `message` once the current transaction commits (at once outside one)."""
    sealed = seal(message)
    transaction.on_commit(lambda: deliver_email.enqueue(sealed))


def render_subject(template_name: str, context: dict[str, Any]) -> str:
    """The subject template `template_name` rendered as plain text (no HTML escaping: a name
    such as `Lena"` stays as written) on one line."""
    template = Engine.get_default().get_template(template_name)
    return one_line(template.render(Context(context, autoescape=False)))


class Recipient(Protocol):
    """Whom an email is written for: a person (accounts.User) or anything shaped like one."""

    email: str
    language: str
    time_zone: str


@contextmanager
def speaking_to(recipient: Recipient | None) -> Iterator[None]:
    """Makes `recipient`'s language and time zone the active ones while what they will read is
    rendered; with no recipient, those already active stay."""
    if recipient is None:
        yield
        return
    with translation.override(recipient.language), timezone.override(recipient.time_zone):
        yield


def render_email(
    recipient: Recipient, template_prefix: str, context: dict[str, Any]
) -> EmailMultiAlternatives:
    """The email `template_prefix` to `recipient`, in their language and time zone: the
    subject from `<prefix>_subject.txt` (see `render_subject`), the text from
    `<prefix>_body.txt` and, where that template exists, HTML from `<prefix>_body.html`.

    The templates see `context` with `person` (the recipient) and SITE_NAME added. A time shown
    with the `when_text` filter is on the recipient's clock and names their zone; an email about
    a session with another person also shows it on that person's clock with `when_text_in`."""
    context = {"person": recipient, "SITE_NAME": settings.SITE_NAME, **context}
    with speaking_to(recipient):
        subject = render_subject(f"{template_prefix}_subject.txt", context)
        body = render_to_string(f"{template_prefix}_body.txt", context)
        try:
            html: str | None = render_to_string(f"{template_prefix}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(subject, body, to=[recipient.email])
    if html is not None:
        message.attach_alternative(html, "text/html")
    return message
