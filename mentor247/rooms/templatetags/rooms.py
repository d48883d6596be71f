from typing import Any

from django import template

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.lib.timezones import minutes_text
from mentor247.rooms import rules
from mentor247.rooms.domain import room_for
from mentor247.rooms.models import Room
from mentor247.rooms.queries import next_session_link, wrap_up_context

register = template.Library()


@register.inclusion_tag("rooms/_booking_panel.html")
def room_panel(booking: Booking, user: User) -> dict[str, Any]:
    """On a booking's page: the way into its room, and the mentor's wrap-up once written."""
    room: Room | None
    if booking.status == Booking.Status.CONFIRMED:
        room = room_for(booking)
    else:
        room = Room.objects.filter(booking=booking).first()
    context: dict[str, Any] = {
        "booking": booking,
        "room": room,
        "is_mentor": user.pk == booking.mentor.user_id,
        "opens_before": minutes_text(rules.OPENS_BEFORE),
    }
    if room is not None and room.wrap_up:
        context.update(wrap_up_context(room), next_session=next_session_link(booking))
    return context
