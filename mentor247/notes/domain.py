"""The only writer of notes."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.lib.crypto import NoteUnreadable, decrypt, encrypt
from mentor247.notes.models import Note

MAX_LENGTH = 20_000


class NoteChanged(Exception):
    """The note was saved by someone else (the other side, or another tab) since the text
    being saved was read."""

    def __init__(self, version: int) -> None:
        super().__init__(version)
        self.version = version


@dataclass(frozen=True)
class ShownNote:
    kind: str
    text: str
    version: int  # 0 before the first save
    unreadable: bool = False


def _mine(booking: Booking, user: User, kind: str) -> QuerySet[Note]:
    notes = Note.objects.filter(booking=booking, kind=kind)
    return notes.filter(author=user) if kind == Note.Kind.PRIVATE else notes


def shown_note(booking: Booking, user: User, kind: str) -> ShownNote:
    """The note of `kind` that `user` (one of the booking's two people) sees, decrypted."""
    note = _mine(booking, user, kind).first()
    if note is None:
        return ShownNote(kind, "", 0)
    try:
        return ShownNote(kind, decrypt(note.ciphertext), note.version)
    except NoteUnreadable:
        return ShownNote(kind, "", note.version, unreadable=True)


def save_note(booking: Booking, author: User, *, kind: str, text: str, version: int) -> Note:
    """Saves `author`'s private note, or the booking's shared note, encrypted. `version` is
    the one the text was based on (0 for a first save): if someone saved since, NoteChanged
    and nothing changes. A note that cannot be decrypted is never saved over
    (NoteUnreadable). The caller has checked that `author` is one of the booking's people.
    Locks the note."""
    if kind not in Note.Kind.values:
        raise ValidationError(_("There is no such note."), code="kind")
    if len(text) > MAX_LENGTH:
        raise ValidationError(
            {"text": _("A note holds at most %(count)s characters.") % {"count": MAX_LENGTH}}
        )
    try:
        with transaction.atomic():
            note = _mine(booking, author, kind).select_for_update().first()
            now = timezone.now()
            if note is None:
                if version != 0:
                    raise NoteChanged(0)
                return Note.objects.create(
                    booking=booking,
                    kind=kind,
                    author=author,
                    ciphertext=encrypt(text),
                    updated_at=now,
                )
            decrypt(note.ciphertext)  # fails closed: an unreadable note is not replaced
            if note.version != version:
                raise NoteChanged(note.version)
            note.ciphertext = encrypt(text)
            note.version += 1
            note.author = author
            note.updated_at = now
            note.save(update_fields=["ciphertext", "version", "author", "updated_at"])
            return note
    except IntegrityError as error:
        # The other side saved the first version of the shared note at the same moment.
        raise NoteChanged(1) from error
