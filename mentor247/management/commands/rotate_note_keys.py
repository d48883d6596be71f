"""Encrypts every note, chat line and wrap-up of a session again under the first key of
NOTES_KEYS, so older keys can be retired.

It lives in the project package, above the apps, because it reaches the encrypted columns of
both notes and rooms."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import models

from mentor247.lib.crypto import NoteUnreadable, rotate
from mentor247.notes.models import Note
from mentor247.rooms.models import ChatMessage, Room

BATCH = 500
# Every encrypted column: (model, field, what the report calls it).
ENCRYPTED: tuple[tuple[type[models.Model], str, str], ...] = (
    (Note, "ciphertext", "notes"),
    (ChatMessage, "ciphertext", "chat messages"),
    (Room, "wrap_up", "wrap-ups"),
)


class Command(BaseCommand):
    help = "Encrypts every note, chat message and wrap-up again under the first key of NOTES_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        problems = []
        for model, field, name in ENCRYPTED:
            done, unreadable = rotate_column(model, field)
            self.stdout.write(f"{done} {name} encrypted under the newest key.")
            if unreadable:
                problems.append(f"{len(unreadable)} {name} no key opens (ids {unreadable[:20]})")
        if problems:
            raise CommandError("; ".join(problems) + "; keep the old keys.")


def rotate_column(model: type[models.Model], field: str) -> tuple[int, list[int]]:
    done, unreadable = 0, []
    rows = model._default_manager.exclude(**{field: ""}).values_list("pk", field)
    for pk, token in rows.iterator(chunk_size=BATCH):
        try:
            rotated = rotate(token)
        except NoteUnreadable:
            unreadable.append(pk)
            continue
        # Only if nobody changed it meanwhile: a newer save is already under the newest key.
        model._default_manager.filter(pk=pk, **{field: token}).update(**{field: rotated})
        done += 1
    return done, unreadable
