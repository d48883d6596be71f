"""Who may see a room: its booking's two people. Anyone else, staff included, gets 404."""

from django.http import Http404

from mentor247.accounts.models import User
from mentor247.bookings.queries import bookings_of
from mentor247.rooms.models import Room


def find_room(user: User, key: str) -> Room | None:
    if not user.is_authenticated:
        return None
    booking = bookings_of(user).filter(room__key=key).first()
    if booking is None:
        return None
    room = booking.room
    room.booking = booking  # with what bookings_of selected
    return room


def access_room(user: User, key: str) -> Room:
    room = find_room(user, key)
    if room is None:
        raise Http404
    return room
