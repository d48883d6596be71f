"""Notes: encrypted at rest, private or shared, autosaved, rotated to new keys, and closed to
anyone else."""

from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.management import CommandError, call_command
from django.db import connection

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.conftest import logged_in
from mentor247.lib.crypto import NoteUnreadable
from mentor247.notes.domain import NoteChanged, save_note, shown_note
from mentor247.notes.models import Note

pytestmark = pytest.mark.django_db

OLD, NEW = Fernet.generate_key().decode(), Fernet.generate_key().decode()


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def booking(bookable: Bookable, mentee: User) -> Any:
    return bookings.book(bookable.half_hour, mentee, at(3, 10))


def stored(note: Note) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ciphertext FROM notes_note WHERE id = %s", [note.pk])
        return cursor.fetchone()[0]


def test_the_database_holds_only_ciphertext(booking: Any, mentee: User, settings: Any) -> None:
    settings.NOTES_KEYS = [OLD]
    note = save_note(booking, mentee, kind="private", text="Ask about résumés, salary", version=0)
    assert "résumés" not in stored(note)
    assert stored(note).startswith("gAAAA")  # a Fernet token
    assert shown_note(booking, mentee, "private").text == "Ask about résumés, salary"


def test_private_notes_are_the_authors_and_the_shared_note_is_both(
    booking: Any, mentee: User, bookable: Bookable
) -> None:
    save_note(booking, mentee, kind="private", text="Mine alone.", version=0)
    save_note(booking, mentee, kind="shared", text="Agenda: CV, then interviews.", version=0)
    mentor = bookable.mentor
    assert shown_note(booking, mentor, "private").text == ""
    assert shown_note(booking, mentor, "shared").text == "Agenda: CV, then interviews."
    # The mentor edits the shared note; an edit based on the old version is refused.
    save_note(booking, mentor, kind="shared", text="Agenda: CV.", version=1)
    with pytest.raises(NoteChanged):
        save_note(booking, mentee, kind="shared", text="Agenda: interviews.", version=1)
    assert shown_note(booking, mentee, "shared").text == "Agenda: CV."


def test_rotation_re_encrypts_everything_and_old_keys_still_read(
    booking: Any, mentee: User, settings: Any
) -> None:
    settings.NOTES_KEYS = [OLD]
    note = save_note(booking, mentee, kind="private", text="Before the new key.", version=0)
    before = stored(note)
    settings.NOTES_KEYS = [NEW, OLD]  # a new key first; the old one still reads
    assert shown_note(booking, mentee, "private").text == "Before the new key."
    out = StringIO()
    call_command("rotate_note_keys", stdout=out)
    assert "1 notes encrypted under the newest key." in out.getvalue()
    assert stored(note) != before
    settings.NOTES_KEYS = [NEW]  # the old key retired
    assert shown_note(booking, mentee, "private").text == "Before the new key."


def test_a_note_no_key_opens_is_neither_shown_nor_saved_over(
    booking: Any, mentee: User, settings: Any
) -> None:
    settings.NOTES_KEYS = [OLD]
    note = save_note(booking, mentee, kind="private", text="Secret.", version=0)
    before = stored(note)
    settings.NOTES_KEYS = [NEW]  # the old key lost
    shown = shown_note(booking, mentee, "private")
    assert (shown.unreadable, shown.text) == (True, "")
    with pytest.raises(NoteUnreadable):
        save_note(booking, mentee, kind="private", text="Overwrite.", version=1)
    assert stored(note) == before
    with pytest.raises(CommandError, match="1 notes no key opens"):
        call_command("rotate_note_keys", stdout=StringIO())
    page = logged_in(mentee).get(f"/bookings/{booking.pk}/").content.decode()
    assert "cannot be read with the keys in use" in page
    assert before not in page


def test_notes_are_saved_from_the_booking_page_by_its_two_people_only(
    booking: Any, mentee: User, bookable: Bookable, stranger: User, staff: User
) -> None:
    path = f"/bookings/{booking.pk}/notes/shared/"
    client = logged_in(mentee)
    page = client.get(f"/bookings/{booking.pk}/").content.decode()
    assert 'name="version" value="0"' in page
    autosaved = client.post(
        path, {"text": "Goals: a first job.", "version": "0"}, HTTP_HX_REQUEST="true"
    )
    assert autosaved.status_code == 200
    assert "Saved at" in autosaved.content.decode()
    assert 'value="1"' in autosaved.content.decode()  # the new version, for the next save
    stale = client.post(path, {"text": "Old text.", "version": "0"})
    assert stale.status_code == 409
    assert "changed meanwhile" in stale.content.decode()
    for outsider in (stranger, staff):
        assert logged_in(outsider).post(path, {"text": "x", "version": "1"}).status_code == 404
    assert (
        logged_in(bookable.mentor)
        .get(f"/bookings/{booking.pk}/")
        .content.decode()
        .count("Goals: a first job.")
        == 1
    )
    assert (
        client.post(
            f"/bookings/{booking.pk}/notes/other/", {"text": "x", "version": "0"}
        ).status_code
        == 404
    )
    assert Note.objects.count() == 1


def test_staff_tools_never_show_notes() -> None:
    from django.contrib import admin

    assert not admin.site.is_registered(Note)
