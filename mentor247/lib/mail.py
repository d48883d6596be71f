"""Email leaves in the background: requests render it, the worker delivers it.

The message travels sealed (encrypted and authenticated with a key derived from SECRET_KEY):
emails carry password-reset and verification links, and the queue's rows are visible to staff
in the admin and kept after delivery.

Subjects are plain text on one line: `render_subject` renders them without HTML escaping, and
every queued subject is reduced to one line, so that no name or title can end the header.
"""

import base64
import json
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.template import Context, Engine
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
