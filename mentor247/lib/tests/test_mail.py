"""Every email is written for its recipient, whoever's request or task sends it: in their
language, with times on their clock, and, for a session with another person, on that person's
clock too. Delivered over SMTP to a server on loopback."""

from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from mentor247.accounts.models import User
from mentor247.bookings import domain
from mentor247.bookings.tests.conftest import make_bookable
from mentor247.conftest import Outbox, make_user
from mentor247.conftest import message_text as raw_text
from mentor247.lib.mail import queue_email, render_email
from mentor247.mentors import domain as mentors_domain
from mentor247.rooms import domain as rooms_domain

pytestmark = pytest.mark.django_db

# Wednesday 13 January 2027, 10:00 UTC: 15:30 in Kolkata, 05:00 in New York.
START = datetime(2027, 1, 13, 10, 0, tzinfo=UTC)
MOVED = datetime(2027, 1, 14, 11, 0, tzinfo=UTC)
DASH = "\N{EN DASH}"


def subject(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def message_text(message: Message) -> str:
    return raw_text(message).replace("\r\n", "\n")


def speaking(user: User, language: str, zone: str) -> User:
    user.language, user.time_zone = language, zone
    user.save(update_fields=["language", "time_zone"])
    return user


def test_booking_emails_reach_each_side_in_their_language_on_both_clocks(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=UTC), tick=True):
        bookable = make_bookable("max.mentor@example.com")
        mentor = speaking(bookable.mentor, "en", "America/New_York")
        mentee = speaking(make_user("ana.mentee@example.com", name="Ana"), "es", "Asia/Kolkata")
        with django_capture_on_commit_callbacks(execute=True):
            booking = domain.book(bookable.half_hour, mentee, START)

        to_mentee = smtp_outbox.wait_for(mentee.email)
        assert subject(to_mentee) == "Mentoría con Max.Mentor reservada"
        text = message_text(to_mentee)
        assert text.startswith("Hola, Ana:")
        assert f"Cuándo: mié 13 Ene 2027, 15:30 (Asia/Kolkata) {DASH} 16:00\n" in text
        assert "Max.Mentor: mié 13 Ene 2027, 05:00 (America/New_York)\n" in text

        to_mentor = smtp_outbox.wait_for(mentor.email)
        assert subject(to_mentor) == "Mentoring with Ana is booked"
        text = message_text(to_mentor)
        assert f"When: Wed 13 Jan 2027, 05:00 (America/New_York) {DASH} 05:30\n" in text
        assert "Ana: Wed 13 Jan 2027, 15:30 (Asia/Kolkata)\n" in text

        smtp_outbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            booking = domain.reschedule_booking(booking, MOVED, by=mentee, reason="Later.")
        text = message_text(smtp_outbox.wait_for(mentee.email))
        assert f"Cuándo: jue 14 Ene 2027, 16:30 (Asia/Kolkata) {DASH} 17:00\n" in text
        text = message_text(smtp_outbox.wait_for(mentor.email))
        assert "Ana: Thu 14 Jan 2027, 16:30 (Asia/Kolkata)\n" in text

        smtp_outbox.messages.clear()
        with django_capture_on_commit_callbacks(execute=True):
            domain.cancel_booking(booking, by=mentor, reason="Ill.")
        text = message_text(smtp_outbox.wait_for(mentee.email))
        assert "Max.Mentor: jue 14 Ene 2027, 06:00 (America/New_York)\n" in text
        text = message_text(smtp_outbox.wait_for(mentor.email))
        assert f"When: Thu 14 Jan 2027, 06:00 (America/New_York) {DASH} 06:30\n" in text


def test_one_zone_is_named_once_when_both_sides_share_it(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=UTC), tick=True):
        bookable = make_bookable("max.mentor@example.com")
        mentor = speaking(bookable.mentor, "en", "Europe/Berlin")
        mentee = speaking(make_user("ana.mentee@example.com", name="Ana"), "en", "Europe/Berlin")
        with django_capture_on_commit_callbacks(execute=True):
            domain.book(bookable.half_hour, mentee, START)
    text = message_text(smtp_outbox.wait_for(mentor.email))
    assert f"When: Wed 13 Jan 2027, 11:00 (Europe/Berlin) {DASH} 11:30\n" in text
    assert text.count("Europe/Berlin") == 1


def test_the_wrap_up_reaches_the_mentee_in_their_language_on_both_clocks(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    with time_machine.travel(datetime(2027, 1, 10, 9, 0, tzinfo=UTC), tick=True):
        bookable = make_bookable("max.mentor@example.com")
        mentor = speaking(bookable.mentor, "en", "America/New_York")
        mentee = speaking(make_user("ana.mentee@example.com", name="Ana"), "es", "Asia/Kolkata")
        with django_capture_on_commit_callbacks(execute=True):
            booking = domain.book(bookable.half_hour, mentee, START)
    smtp_outbox.messages.clear()
    with time_machine.travel(datetime(2027, 1, 13, 10, 20, tzinfo=UTC), tick=True):
        wrap_up = rooms_domain.WrapUp(action_items="Read.", next_step="Talk.", closing_words="")
        with django_capture_on_commit_callbacks(execute=True):
            rooms_domain.write_wrap_up(booking, mentor, wrap_up)
    email = smtp_outbox.wait_for(mentee.email)
    assert subject(email) == "Max.Mentor te ha enviado el cierre de tu sesión"
    text = message_text(email)
    assert "mié 13 Ene 2027, 15:30 (Asia/Kolkata)" in text
    assert "Max.Mentor: mié 13 Ene 2027, 05:00 (America/New_York)" in text
    assert "Consúltalos y reserva tu próxima sesión aquí:" in text


def test_a_mentor_decision_reaches_the_mentor_in_their_language(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    staff = make_user("sam.staff@example.com", staff=True)
    applicant = speaking(make_user("lu.mentor@example.com", mentor=True), "es", "Asia/Tokyo")
    profile = applicant.mentor_profile
    with django_capture_on_commit_callbacks(execute=True):
        mentors_domain.decide(profile, "suspend", note="Late twice.", by=staff)
    email = smtp_outbox.wait_for(applicant.email)
    assert subject(email) == "Tu perfil de mentor está suspendido"
    assert "\n\nLate twice.\n\nEl equipo de mentor247\n" in message_text(email)


def test_account_emails_reach_a_person_in_their_language(
    db: None, smtp_outbox: Outbox, django_capture_on_commit_callbacks: Any
) -> None:
    person = speaking(make_user("ana.mentee@example.com", name="Ana"), "es", "Asia/Kolkata")
    client = Client()  # an English page asks for the reset
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": person.email})
    assert response.status_code == 302
    text = message_text(smtp_outbox.wait_for(person.email))
    assert text.startswith("¡Hola de parte de testserver!")


def test_an_email_with_an_html_body_has_both_parts_in_the_recipients_language_and_zone(
    db: None,
    smtp_outbox: Outbox,
    settings: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    folder = tmp_path / "mail"
    folder.mkdir()
    when = "{% load i18n when %}{% translate 'When:' %} {{ moment|when_text }}"
    (folder / "note_subject.txt").write_text("{% load i18n %}{% translate 'When:' %} {{ x }}")
    (folder / "note_body.txt").write_text(when)
    (folder / "note_body.html").write_text(f"<p>{when}</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    person = speaking(make_user("ana.mentee@example.com", name="Ana"), "es", "Asia/Kolkata")

    with django_capture_on_commit_callbacks(execute=True):
        queue_email(render_email(person, "mail/note", {"moment": START, "x": "<b>"}))

    email = smtp_outbox.wait_for(person.email)
    assert subject(email) == "Cuándo: <b>"
    assert message_text(email) == "Cuándo: mié 13 Ene 2027, 15:30 (Asia/Kolkata)"
    [html] = [part for part in email.walk() if part.get_content_type() == "text/html"]
    payload = html.get_payload(decode=True)
    assert isinstance(payload, bytes)
    assert payload.decode() == "<p>Cuándo: mié 13 Ene 2027, 15:30 (Asia/Kolkata)</p>"
