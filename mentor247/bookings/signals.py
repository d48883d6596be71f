"""What bookings tell other apps."""

from django.dispatch import Signal

# Sent inside the transaction when a session is confirmed or moved, with `booking`: its
# times are now set (rooms schedule their attendance sweep from it).
session_scheduled = Signal()
