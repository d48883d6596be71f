"""What bookings tell other apps."""

from django.dispatch import Signal

# Sent inside the transaction when a session is confirmed or moved, with `booking`: its
# times are now set (rooms schedule their attendance sweep from it).
session_scheduled = Signal()

# Sent inside the transaction when a confirmed session is cancelled, with `booking` (payments
# settle its money from it).
session_cancelled = Signal()

# Sent inside the transaction when a hold (never confirmed) is cancelled by its mentee or
# mentor, with `booking`: payments give up a payment of it that is still under way.
hold_cancelled = Signal()
