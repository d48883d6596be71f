"""The real services behind the platform: the task worker, SMTP, and Redis."""

import json
import os
import subprocess
import sys
import uuid
from typing import Any

import pytest
import redis
from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from mentor247.accounts.models import User
from mentor247.conftest import Outbox, message_text, redis_url, staff_client
from mentor247.lib.mail import queue_email, seal, unseal
from mentor247.lib.tests.test_settings import ROOT


@pytest.mark.django_db(transaction=True)
def test_email_is_delivered_over_smtp_by_the_database_worker(
    settings: Any, smtp_outbox: Outbox
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = EmailMultiAlternatives(
        "Welcome", "Hello there.", "mentor247 <noreply@mentor247.example>", ["ada@example.com"]
    )
    message.attach_alternative("<p>Hello there.</p>", "text/html")
    with transaction.atomic():
        queue_email(message)
        assert DBTaskResult.objects.count() == 0  # nothing leaves before the commit
    assert DBTaskResult.objects.get().status == "READY"
    assert smtp_outbox.messages == []
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    delivered = smtp_outbox.wait_for("ada@example.com")
    assert delivered["Subject"] == "Welcome"
    assert message_text(delivered).strip() == "Hello there."
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_queued_email_keeps_its_links_from_anyone_reading_the_queue(
    settings: Any, smtp_outbox: Outbox, mentee: User, staff: User
) -> None:
    """A password-reset link in the task queue would let staff (the queue is in the admin)
    take over the account: the queue only ever holds the message sealed."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    Client().post("/accounts/password/reset/", {"email": mentee.email})
    stored = DBTaskResult.objects.get()
    assert "/accounts/password/reset/key/" not in json.dumps(stored.args_kwargs)
    assert mentee.email not in json.dumps(stored.args_kwargs)
    staff_view = staff_client(staff)
    page = staff_view.get(
        reverse(f"admin:{stored._meta.app_label}_dbtaskresult_change", args=[stored.pk])
    )
    assert page.status_code == 200
    assert "/accounts/password/reset/key/" not in page.content.decode()

    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    delivered = message_text(smtp_outbox.wait_for(mentee.email))
    assert "/accounts/password/reset/key/" in delivered


def test_a_sealed_message_opens_only_with_the_platform_key(settings: Any) -> None:
    sealed = seal(EmailMultiAlternatives("Hi", "Body", "a@example.com", ["b@example.com"]))
    assert unseal(sealed).to == ["b@example.com"]
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "x" * 60, [old_key]
    assert unseal(sealed).subject == "Hi"  # rotated: the fallback still opens it
    settings.SECRET_KEY_FALLBACKS = []
    with pytest.raises(InvalidToken):
        unseal(sealed)


def test_redis_url_puts_the_cache_and_the_channel_layer_on_redis() -> None:
    """With REDIS_URL set, processes share the cache (rate limits) and the channel layer
    (WebSocket fan-out) through Redis."""
    url = redis_url()
    key = f"test-{uuid.uuid4()}"
    script = f"""
import asyncio
from channels.layers import get_channel_layer
from django.core.cache import caches

cache = caches["default"]
cache.set("{key}", "shared", 30)
layer = get_channel_layer()

async def round_trip():
    channel = await layer.new_channel()
    await layer.send(channel, {{"type": "room.signal", "text": "offer"}})
    return await layer.receive(channel)

print(type(cache).__name__, type(layer).__name__, asyncio.run(round_trip()))
"""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--verbosity", "0", "-c", script],
        cwd=ROOT,
        env={**os.environ, "REDIS_URL": url},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "RedisCache RedisChannelLayer {'type': 'room.signal', 'text': 'offer'}"
    )
    server = redis.Redis.from_url(url)
    stored = f"{settings.SITE_NAME}:1:{key}"
    assert server.exists(stored) == 1  # written by the other process, into Redis
    server.delete(stored)
