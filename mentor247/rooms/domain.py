"""The only writers of rooms and attendance."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.bookings.domain import close_booking
from mentor247.bookings.models import Booking
from mentor247.rooms import rules
from mentor247.rooms.models import Attendance, Room


def room_for(booking: Booking) -> Room:
    """The booking's room, made on first need."""
    room, _created = Room.objects.get_or_create(booking=booking)
    return room


def record_join(booking: Booking, user: User, *, device: str = "") -> Attendance:
    """Records that `user`, one of the booking's two people, entered its room now; the first
    time, it notes when, and for the mentor how late by the Code of Conduct's measure.
    Raises ValidationError outside the room's time or for a session not confirmed. Locks the
    room."""
    now = timezone.now()
    with transaction.atomic():
        room_for(booking)
        room = (
            Room.objects.select_for_update().select_related("booking__mentor").get(booking=booking)
        )
        booking = room.booking
        if booking.status != Booking.Status.CONFIRMED:
            raise ValidationError(_("This session is not confirmed."), code="state")
        if not rules.is_open(booking.starts_at, booking.ends_at, now):
            raise ValidationError(
                _("The room is open from 15 minutes before the start to 30 minutes after the end."),
                code="closed",
            )
        if user.pk == booking.mentor.user_id:
            if room.mentor_joined_at is None:
                room.mentor_joined_at = now
                room.mentor_late_minutes = rules.mentor_late_minutes(booking.starts_at, now)
        elif user.pk == booking.mentee_id:
            if room.mentee_joined_at is None:
                room.mentee_joined_at = now
        else:
            raise ValidationError(_("Only the session's two people enter its room."), code="party")
        room.save(update_fields=["mentor_joined_at", "mentor_late_minutes", "mentee_joined_at"])
        return Attendance.objects.create(room=room, user=user, joined_at=now, device=device[:16])


def record_leave(attendance: Attendance) -> None:
    Attendance.objects.filter(pk=attendance.pk, left_at__isnull=True).update(left_at=timezone.now())


def judge_attendance(now: datetime | None = None) -> tuple[int, int]:
    """The sweep: a confirmed session whose no-show mark has passed ends as a no-show when
    either person had not come by then (the room says who), and as completed once it has
    ended with both there. Returns (no-shows, completed); safe to run at any time."""
    now = now or timezone.now()
    no_shows = completed = 0
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, starts_at__lte=now - rules.NO_SHOW_AFTER
    ).order_by("pk")
    for booking in due:
        with transaction.atomic():
            room_for(booking)
            room = Room.objects.select_for_update().get(booking=booking)
            mentor_came = rules.came_in_time(booking.starts_at, room.mentor_joined_at)
            mentee_came = rules.came_in_time(booking.starts_at, room.mentee_joined_at)
            if mentor_came and mentee_came:
                if booking.ends_at <= now:
                    close_booking(booking, Booking.Status.COMPLETED)
                    completed += 1
                continue
            room.no_show = (
                Room.NoShow.BOTH
                if not (mentor_came or mentee_came)
                else Room.NoShow.MENTEE
                if mentor_came
                else Room.NoShow.MENTOR
            )
            room.save(update_fields=["no_show"])
            close_booking(booking, Booking.Status.NO_SHOW)
            no_shows += 1
    return no_shows, completed
