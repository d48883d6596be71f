"""Encrypts every note again under the first key of NOTES_KEYS, so older keys can be retired."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from mentor247.notes.crypto import NoteUnreadable, rotate
from mentor247.notes.models import Note

BATCH = 500


class Command(BaseCommand):
    help = "Encrypts every note again under the first key of NOTES_KEYS."

    def handle(self, *args: Any, **options: Any) -> None:
        done, unreadable = 0, []
        for note in Note.objects.only("pk", "ciphertext").iterator(chunk_size=BATCH):
            try:
                rotated = rotate(note.ciphertext)
            except NoteUnreadable:
                unreadable.append(note.pk)
                continue
            Note.objects.filter(pk=note.pk, ciphertext=note.ciphertext).update(ciphertext=rotated)
            done += 1
        self.stdout.write(f"{done} notes encrypted under the newest key.")
        if unreadable:
            raise CommandError(
                f"{len(unreadable)} notes no key opens (ids {unreadable[:20]}); keep the old keys."
            )
