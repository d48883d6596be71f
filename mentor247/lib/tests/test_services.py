"""The real services behind the platform: the task worker, SMTP, and Redis."""

import asyncio
import uuid
from typing import Any

import pytest
from django.core.cache import caches
from django.core.mail import EmailMultiAlternatives
from django.core.management import call_command
from django.db import transaction

from mentor247.conftest import Outbox, message_text, redis_url
from mentor247.lib.mail import queue_email


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
        from django_tasks_db.models import DBTaskResult

        assert DBTaskResult.objects.count() == 0  # nothing leaves before the commit
    assert DBTaskResult.objects.get().status == "READY"
    assert smtp_outbox.messages == []
    call_command("db_worker", batch=True, no_startup_delay=True, reload=False, verbosity=0)
    delivered = smtp_outbox.wait_for("ada@example.com")
    assert delivered["Subject"] == "Welcome"
    assert message_text(delivered).strip() == "Hello there."
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_the_redis_cache_backend_works(settings: Any) -> None:
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "redis": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url(),
            "KEY_PREFIX": f"test-{uuid.uuid4()}",
        },
    }
    cache = caches["redis"]
    cache.set("greeting", {"hello": "world"}, 5)
    assert cache.get("greeting") == {"hello": "world"}
    assert cache.add("counter", 1) is True
    assert cache.add("counter", 5) is False
    assert cache.incr("counter") == 2
    cache.delete_many(["greeting", "counter"])


def test_the_redis_channel_layer_carries_messages() -> None:
    from channels_redis.core import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[redis_url()], prefix=f"test-{uuid.uuid4()}")

    async def round_trip() -> dict[str, str]:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "room.signal", "text": "offer"})
        received: dict[str, str] = await layer.receive(channel)
        await layer.flush()
        return received

    assert asyncio.run(round_trip()) == {"type": "room.signal", "text": "offer"}
