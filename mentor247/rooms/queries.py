"""What the room's pages read."""

from typing import Any

from django.urls import reverse
from django.utils import timezone

from mentor247.bookings.domain import credits_left
from mentor247.bookings.models import Booking
from mentor247.lib.crypto import NoteUnreadable
from mentor247.rooms import domain
from mentor247.rooms.models import Attendance, Room


def next_session_link(booking: Booking) -> str:
    """Where the mentee books the next session: the package's next session while it has
    credits, otherwise the same offering again."""
    engagement = booking.engagement
    if credits_left(engagement) > 0 and (
        engagement.expires_at is None or engagement.expires_at > timezone.now()
    ):
        return reverse("bookings:engagement", args=[engagement.pk])
    return reverse("mentors:offering", args=[booking.mentor_id, engagement.offering_id])


def wrap_up_context(room: Room) -> dict[str, Any]:
    """The wrap-up as templates show it, failing closed when no key opens it."""
    try:
        return {"wrap_up": domain.read_wrap_up(room), "wrap_up_unreadable": False}
    except NoteUnreadable:
        return {"wrap_up": None, "wrap_up_unreadable": True}


def others_present(room: Room, user_id: int) -> bool:
    """Whether someone else is in the room now."""
    return (
        Attendance.objects.filter(room=room, left_at__isnull=True).exclude(user_id=user_id).exists()
    )
