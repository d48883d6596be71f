"""The room's times at their boundaries, with a controlled clock: opening, the mentor's
punctuality, no-shows and completion; and TURN credentials only inside the room's time."""

import base64
import hashlib
import hmac
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core.exceptions import ValidationError

from mentor247.accounts.models import User
from mentor247.bookings import domain as bookings
from mentor247.bookings.models import Booking
from mentor247.bookings.tests.conftest import Bookable, at, make_bookable
from mentor247.rooms.domain import judge_attendance, record_join, room_for
from mentor247.rooms.models import Room
from mentor247.rooms.turn import ice_servers

pytestmark = pytest.mark.django_db
SECOND = timedelta(seconds=1)


@pytest.fixture
def bookable(db: None) -> Bookable:
    return make_bookable("max.mentor@example.com")


@pytest.fixture
def session(bookable: Bookable, mentee: User) -> Booking:
    """A free half hour at 10:00 UTC in three days' time."""
    return bookings.book(bookable.half_hour, mentee, at(3, 10))


def test_the_room_opens_15_minutes_before_and_closes_30_after(
    session: Booking, mentee: User, stranger: User
) -> None:
    start, end = session.starts_at, session.ends_at
    closed = pytest.raises(ValidationError, match="open from 15 minutes before")
    with time_machine.travel(start - timedelta(minutes=15) - SECOND, tick=False), closed:
        record_join(session, mentee)
    with time_machine.travel(start - timedelta(minutes=15), tick=False):
        record_join(session, mentee)
        with pytest.raises(ValidationError, match="two people"):
            record_join(session, stranger)
    closed = pytest.raises(ValidationError, match="open from 15 minutes before")
    with time_machine.travel(end + timedelta(minutes=30) + SECOND, tick=False), closed:
        record_join(session, mentee)
    assert len(room_for(session).key) >= 24  # unguessable


@pytest.mark.parametrize(
    ("joined", "late"),
    [
        (timedelta(minutes=-15), 0),
        (timedelta(minutes=-5), 0),  # exactly five minutes before: on time
        (timedelta(minutes=-5) + SECOND, 1),
        (timedelta(minutes=-4), 1),
        (timedelta(minutes=3), 8),
    ],
)
def test_a_mentor_who_joins_later_than_five_minutes_before_is_late(
    session: Booking, bookable: Bookable, joined: timedelta, late: int
) -> None:
    with time_machine.travel(session.starts_at + joined, tick=False):
        record_join(session, bookable.mentor)
        with time_machine.travel(session.starts_at + joined + timedelta(minutes=2), tick=False):
            record_join(session, bookable.mentor)  # a rejoin changes nothing
    room = Room.objects.get(booking=session)
    assert (room.mentor_late_minutes, room.mentor_joined_at) == (late, session.starts_at + joined)
    assert room.attendances.count() == 2


@pytest.mark.parametrize(
    ("mentor_at", "mentee_at", "outcome", "no_show"),
    [
        (timedelta(minutes=-5), timedelta(minutes=14, seconds=59), "confirmed", ""),
        (timedelta(minutes=-5), timedelta(minutes=15), "no_show", "mentee"),
        (None, timedelta(minutes=0), "no_show", "mentor"),
        (timedelta(minutes=15), timedelta(minutes=0), "no_show", "mentor"),
        (None, None, "no_show", "both"),
    ],
)
def test_a_no_show_is_marked_15_minutes_after_the_start(
    session: Booking,
    bookable: Bookable,
    mentee: User,
    mentor_at: Any,
    mentee_at: Any,
    outcome: str,
    no_show: str,
) -> None:
    for user, when in ((bookable.mentor, mentor_at), (mentee, mentee_at)):
        if when is not None:
            with time_machine.travel(session.starts_at + when, tick=False):
                record_join(session, user)
    mark = session.starts_at + timedelta(minutes=15)
    assert judge_attendance(mark - SECOND) == (0, 0)  # too early to judge anyone
    judge_attendance(mark)
    session.refresh_from_db()
    assert (session.status, Room.objects.get(booking=session).no_show) == (outcome, no_show)


def test_a_session_both_attended_completes_after_its_end(
    session: Booking, bookable: Bookable, mentee: User
) -> None:
    with time_machine.travel(session.starts_at - timedelta(minutes=6), tick=False):
        record_join(session, bookable.mentor)
        record_join(session, mentee)
    # The room stays open 30 minutes after the end, and the session with it.
    closing = session.ends_at + timedelta(minutes=30)
    assert judge_attendance(closing - SECOND) == (0, 0)
    assert judge_attendance(closing) == (0, 1)
    session.refresh_from_db()
    assert session.status == "completed"
    assert judge_attendance(closing + timedelta(hours=1)) == (0, 0)  # once only


def joined_then_moved(session: Booking, mentor: User) -> Booking:
    """The mentor came early; the session was then moved to the next day, just before it
    would have started (from its start it can no longer be moved)."""
    with time_machine.travel(session.starts_at - timedelta(minutes=6), tick=False):
        record_join(session, mentor)
    with time_machine.travel(session.starts_at - timedelta(minutes=1), tick=False):
        return bookings.reschedule_booking(
            session, session.starts_at + timedelta(days=1), by=mentor, reason="Ill."
        )


def test_a_join_before_a_session_was_moved_does_not_count_for_its_new_time(
    session: Booking, bookable: Bookable, mentee: User
) -> None:
    moved = joined_then_moved(session, bookable.mentor)
    # The next day, neither comes: both are no-shows, whatever the mentor did the day before.
    assert judge_attendance(moved.starts_at + timedelta(minutes=15)) == (1, 0)
    assert Room.objects.get(booking=session).no_show == Room.NoShow.BOTH


def test_a_mentor_joining_after_a_move_is_measured_from_the_new_start(
    session: Booking, bookable: Bookable
) -> None:
    moved = joined_then_moved(session, bookable.mentor)
    with time_machine.travel(moved.starts_at + timedelta(minutes=3), tick=False):
        record_join(moved, bookable.mentor)
    room = Room.objects.get(booking=session)
    assert room.mentor_joined_at == moved.starts_at + timedelta(minutes=3)
    assert room.mentor_late_minutes == 8


def test_turn_credentials_only_inside_the_rooms_time(
    session: Booking, mentee: User, stranger: User, settings: Any
) -> None:
    settings.STUN_URLS = ["stun:turn.example:3478"]
    settings.TURN_URLS = ["turn:turn.example:3478?transport=udp"]
    settings.TURN_SECRET = "shared-with-coturn"
    early = time_machine.travel(session.starts_at - timedelta(minutes=16), tick=False)
    with early, pytest.raises(ValidationError, match="not open"):
        ice_servers(session, mentee)
    with time_machine.travel(session.starts_at, tick=False):
        stun, turn = ice_servers(session, mentee)
        with pytest.raises(ValidationError, match="two people"):
            ice_servers(session, stranger)
    assert stun == {"urls": ["stun:turn.example:3478"]}
    expires = int((session.ends_at + timedelta(minutes=30)).timestamp())
    assert turn["username"] == f"{expires}:{mentee.pk}"
    expected = hmac.new(b"shared-with-coturn", turn["username"].encode(), hashlib.sha1).digest()
    assert turn["credential"] == base64.b64encode(expected).decode()


def test_the_tick_judges_a_session_at_its_no_show_mark_and_not_before(
    bookable: Bookable, mentee: User
) -> None:
    from django.core.management import call_command

    session = bookings.book(bookable.half_hour, mentee, at(3, 10))  # free: confirmed at once
    moved = bookings.reschedule_booking(session, at(4, 11), by=mentee, reason="A clash.")
    mark = moved.starts_at + timedelta(minutes=15)
    with time_machine.travel(mark - timedelta(seconds=30)):
        call_command("tick", verbosity=0)
    assert Booking.objects.get(pk=session.pk).status == Booking.Status.CONFIRMED
    # At the no-show mark, with nobody there, the tick ends it as a no-show.
    with time_machine.travel(mark + timedelta(seconds=30)):
        call_command("tick", verbosity=0)
    session.refresh_from_db()
    assert session.status == Booking.Status.NO_SHOW
    assert Room.objects.get(booking=session).no_show == Room.NoShow.BOTH
