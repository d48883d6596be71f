"""Who may see which booking object: one accessor per type, each raising Http404."""

from django.http import Http404

from mentor247.accounts.models import User
from mentor247.bookings.models import Booking, Engagement
from mentor247.bookings.queries import bookings_of, engagements_of


def access_booking(user: User, booking_id: int) -> Booking:
    """A booking `user` takes part in (as mentee or mentor); anyone else's is 404, staff's
    included."""
    booking = bookings_of(user).filter(pk=booking_id).first()
    if booking is None:
        raise Http404
    return booking


def access_engagement(user: User, engagement_id: int) -> Engagement:
    engagement = engagements_of(user).filter(pk=engagement_id).first()
    if engagement is None:
        raise Http404
    return engagement
