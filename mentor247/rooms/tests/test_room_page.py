"""The room's page and forms: who sees it, what it shows before, during and after the room's
time, the first session's points, the wrap-up, and the encryption of what is said."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, make_bookable
from mentor247.conftest import logged_in, make_user
from mentor247.lib import crypto
from mentor247.rooms import domain
from mentor247.rooms.domain import WrapUp, room_for
from mentor247.rooms.models import Room
from mentor247.rooms.quality import percentiles
from mentor247.rooms.tests.conftest import place, session_now
from mentor247.techcheck.models import TechCheck

pytestmark = pytest.mark.django_db
OLD = "K5pR0TJEeBfM0OhqRoT9nW2b3g6X1wY8zL4kC7vA0sE="
NEW = "bTn3cV5qW8eR1tY4uI7oP0aS2dF6gH9jK3lZ5xC8vB0="


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


def page_of(booking: Booking) -> str:
    return f"/rooms/{room_for(booking).key}/"


def test_only_the_two_people_see_the_room(
    bookable: Bookable, mentee: User, stranger: User, staff: User
) -> None:
    booking = session_now(bookable.hour, mentee)
    path = page_of(booking)
    for user in (stranger, staff, make_user("olga.other@example.com")):
        assert logged_in(user).get(path).status_code == 404, user.email
        assert logged_in(user).post(path + "wrap-up/").status_code == 404
        assert logged_in(user).post(path + "agenda/").status_code == 404
    assert Client().get(path).status_code == 302  # to the login page
    assert logged_in(mentee).get("/rooms/no-such-room/").status_code == 404
    assert logged_in(mentee).get(path).status_code == 200
    assert logged_in(bookable.mentor).get(path).status_code == 200


def test_before_it_opens_the_page_counts_down_and_links_the_tech_check(
    bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee, starts_in=timedelta(hours=2))
    TechCheck.objects.create(
        user=mentee,
        checked_at=timezone.now() - timedelta(minutes=12),
        verdict="good",
        camera="ok",
        microphone="ok",
        speaker="heard",
        device="computer",
    )
    page = logged_in(bookable.mentor).get(page_of(booking)).content.decode()
    assert "The room is not open yet" in page
    assert "data-countdown" in page
    assert "/tech-check/?next=/rooms/" in page
    assert "Mia Mentee's last tech check was 12\xa0minutes ago: good." in page
    assert "You have no tech check yet." in page
    assert 'id="green-room"' not in page
    mentee_page = logged_in(mentee).get(page_of(booking)).content.decode()
    assert "Your last tech check was 12\xa0minutes ago: good." in mentee_page
    assert "Max Mentor has no tech check" not in mentee_page  # for the mentor only


def test_while_open_the_page_holds_the_green_room_and_after_it_says_closed(
    bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.hour, mentee)
    page = logged_in(mentee).get(page_of(booking)).content.decode()
    assert 'id="green-room"' in page and 'id="checklist"' not in page
    assert "rooms/room.js" in page
    mentor_page = logged_in(bookable.mentor).get(page_of(booking)).content.decode()
    assert 'id="checklist"' in mentor_page
    assert "Open with encouragement" in mentor_page
    assert "speak slowly" not in mentor_page  # the mentee has not said their English is basic
    place(booking, timezone.now() - timedelta(minutes=91))  # an hour, ended 31 minutes ago
    closed = logged_in(mentee).get(page_of(booking)).content.decode()
    assert "The room closed at" in closed and 'id="green-room"' not in closed


def test_the_first_session_panel_is_for_the_first_session_only(
    bookable: Bookable, mentee: User
) -> None:
    first = session_now(bookable.package, mentee, starts_in=timedelta(minutes=5))
    assert "The first session" in logged_in(mentee).get(page_of(first)).content.decode()
    Booking.objects.filter(pk=first.pk).update(status=Booking.Status.COMPLETED)
    from mentor247.bookings import domain as bookings
    from mentor247.bookings.tests.conftest import at

    second = bookings.book_from_engagement(first.engagement, at(6, 11))
    assert "The first session" not in logged_in(mentee).get(page_of(second)).content.decode()


def test_only_the_mentor_ticks_points_and_only_real_ones(bookable: Bookable, mentee: User) -> None:
    booking = session_now(bookable.package, mentee)
    path = page_of(booking) + "agenda/"
    htmx = {"HX-Request": "true"}
    assert (
        logged_in(mentee).post(path, {"point": "results", "done": "on"}, headers=htmx).status_code
        == 400
    )
    assert (
        logged_in(bookable.mentor)
        .post(path, {"point": "gossip", "done": "on"}, headers=htmx)
        .status_code
        == 400
    )
    assert room_for(booking).covered == []
    mentor = logged_in(bookable.mentor)
    for point in ("results", "confidentiality"):
        assert mentor.post(path, {"point": point, "done": "on"}, headers=htmx).status_code == 200
    assert mentor.post(path, {"point": "results"}, headers=htmx).status_code == 200  # unticked
    assert room_for(booking).covered == ["confidentiality"]
    covered = logged_in(mentee).get(page_of(booking)).content.decode()
    assert 'data-covered="yes">Covered:</span> Confidentiality' in covered


def test_the_wrap_up_needs_action_items_and_a_next_step_and_is_stored_encrypted(
    bookable: Bookable, mentee: User
) -> None:
    booking = session_now(bookable.package, mentee)
    path = page_of(booking) + "wrap-up/"
    refused = logged_in(bookable.mentor).post(path, {"action_items": " ", "next_step": "Meet."})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    assert not Room.objects.get(booking=booking).wrap_up
    assert logged_in(mentee).post(path, {"action_items": "A", "next_step": "B"}).status_code == 400
    done = logged_in(bookable.mentor).post(
        path, {"action_items": "Draft the plan.", "next_step": "Review it.", "closing_words": ""}
    )
    assert done.status_code == 302
    stored = Room.objects.get(booking=booking).wrap_up
    assert "Draft" not in stored
    booking_page = logged_in(mentee).get(f"/bookings/{booking.pk}/").content.decode()
    assert "Draft the plan." in booking_page
    assert f'href="/bookings/packages/{booking.engagement_id}/"' in booking_page


def test_the_wrap_up_waits_for_the_room_to_open_and_a_single_leads_to_its_offering(
    bookable: Bookable, mentee: User
) -> None:
    later = session_now(bookable.hour, mentee, starts_in=timedelta(minutes=16))
    with pytest.raises(Exception, match="once the room has opened"):
        domain.write_wrap_up(later, bookable.mentor, WrapUp("Do.", "Next.", ""))
    place(later, timezone.now())
    assert domain.write_wrap_up(later, bookable.mentor, WrapUp("Do.", "Next.", "")) is True
    assert domain.write_wrap_up(later, bookable.mentor, WrapUp("Do more.", "Next.", "")) is False
    page = logged_in(mentee).get(page_of(later)).content.decode()
    assert "Do more." in page
    assert f'href="/mentors/{bookable.profile.pk}/offerings/{bookable.hour.pk}/"' in page


def test_rotation_covers_chat_and_wrap_ups(bookable: Bookable, mentee: User, settings: Any) -> None:
    settings.NOTES_KEYS = [OLD]
    booking = session_now(bookable.hour, mentee)
    room = room_for(booking)
    line = domain.post_chat(room, mentee, "Said in the call.")
    domain.write_wrap_up(booking, bookable.mentor, WrapUp("Items.", "Step.", "Words."))
    before = (line.ciphertext, Room.objects.get(pk=room.pk).wrap_up)
    settings.NOTES_KEYS = [NEW, OLD]
    out = StringIO()
    call_command("rotate_note_keys", stdout=out)
    assert "1 chat messages encrypted" in out.getvalue()
    assert "1 wrap-ups encrypted" in out.getvalue()
    line.refresh_from_db()
    room.refresh_from_db()
    assert (line.ciphertext, room.wrap_up) != before
    settings.NOTES_KEYS = [NEW]
    assert crypto.decrypt(line.ciphertext) == "Said in the call."
    assert domain.read_wrap_up(room) == WrapUp("Items.", "Step.", "Words.")


def test_percentiles_by_nearest_rank() -> None:
    assert percentiles([]) is None
    assert percentiles([5.0]) == {"p50": 5.0, "p95": 5.0, "max": 5.0}
    values = [float(v) for v in range(1, 21)]  # 1..20
    assert percentiles(values) == {"p50": 10.0, "p95": 19.0, "max": 20.0}


def test_standings_judge_everyone_connected_in_three_queries(
    bookable: Bookable, mentee: User, django_assert_num_queries: Any
) -> None:
    booking = session_now(bookable.hour, mentee)
    later = session_now(
        bookable.package, make_user("olga.other@example.com"), starts_in=timedelta(hours=3)
    )
    client = Client()
    client.force_login(mentee)
    key = client.session.session_key
    present = [
        domain.Presence(mentee.pk, key, booking.pk),
        domain.Presence(mentee.pk, "not-a-session", booking.pk),
        domain.Presence(bookable.mentor.pk, key, booking.pk),  # someone else's login
        domain.Presence(later.mentee_id, None, later.pk),
    ]
    with django_assert_num_queries(3):
        reasons = domain.standings(present)
    assert reasons == ["", "logged_out", "logged_out", "logged_out"]
