from typing import Any

from django import template

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking
from mentor247.notes.domain import shown_note
from mentor247.notes.models import Note

register = template.Library()


@register.inclusion_tag("notes/_panel.html")
def notes_panel(booking: Booking, user: User) -> dict[str, Any]:
    """The booking's notes as `user` sees them: their private note and the shared one."""
    return {
        "booking": booking,
        "notes": [
            shown_note(booking, user, kind) for kind in (Note.Kind.PRIVATE, Note.Kind.SHARED)
        ],
    }
