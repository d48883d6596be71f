"""The only writers of rooms, attendance, chat and the first session's agenda and wrap-up."""

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentor247.accounts.models import User
from mentor247.bookings.domain import close_booking
from mentor247.bookings.models import Booking
from mentor247.lib import crypto
from mentor247.lib.mail import queue_email, render_email
from mentor247.lib.timezones import minutes_text
from mentor247.mentors.models import MentorProfile
from mentor247.policies.queries import has_pending
from mentor247.rooms import agenda, browsers, limits, rules
from mentor247.rooms.models import Attendance, CameraOff, ChatMessage, JoinAttempt, Room

CHAT_MAX = 2000
WRAP_UP_MAX = 4000


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
                _("The room is open from %(before)s before the start to %(after)s after the end.")
                % {
                    "before": minutes_text(rules.OPENS_BEFORE),
                    "after": minutes_text(rules.CLOSES_AFTER),
                },
                code="closed",
            )
        if user.pk == booking.mentor.user_id:
            if not rules.counts_for(booking.starts_at, room.mentor_joined_at):
                room.mentor_joined_at = now
                room.mentor_late_minutes = rules.mentor_late_minutes(booking.starts_at, now)
        elif user.pk == booking.mentee_id:
            if not rules.counts_for(booking.starts_at, room.mentee_joined_at):
                room.mentee_joined_at = now
        else:
            raise ValidationError(_("Only the session's two people enter its room."), code="party")
        room.save(update_fields=["mentor_joined_at", "mentor_late_minutes", "mentee_joined_at"])
        return Attendance.objects.create(room=room, user=user, joined_at=now, device=device[:16])


def record_leave(attendance: Attendance) -> None:
    Attendance.objects.filter(pk=attendance.pk, left_at__isnull=True).update(left_at=timezone.now())


def judge_attendance(now: datetime | None = None, *, limit: int = 500) -> tuple[int, int]:
    """The sweep: a confirmed session whose no-show mark has passed ends as a no-show when
    either person had not come by then (the room says who), and as completed once its room
    has closed with both there (the room stays open after the end, see rules). At most
    `limit` sessions a run, the longest due first. Returns (no-shows, completed); safe to
    run at any time."""
    now = now or timezone.now()
    no_shows = completed = 0
    # In the order of the (status, starts_at) index, which is all this reads.
    due = Booking.objects.filter(
        status=Booking.Status.CONFIRMED, starts_at__lte=now - rules.NO_SHOW_AFTER
    ).order_by("starts_at", "pk")
    for booking_id in due.values_list("pk", flat=True)[:limit]:
        with transaction.atomic():
            Room.objects.get_or_create(booking_id=booking_id)
            room = Room.objects.select_for_update().get(booking_id=booking_id)
            # Read again under the room's lock: it may have been moved or cancelled since.
            booking = Booking.objects.select_related("engagement").get(pk=booking_id)
            if booking.status != Booking.Status.CONFIRMED or not rules.no_show_due(
                booking.starts_at, now
            ):
                continue
            mentor_came = rules.came_in_time(booking.starts_at, room.mentor_joined_at)
            mentee_came = rules.came_in_time(booking.starts_at, room.mentee_joined_at)
            if mentor_came and mentee_came:
                if rules.closes_at(booking.ends_at) <= now:
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


# Entering the room ----------------------------------------------------------------------------


class Refused(Exception):
    """The door stays shut, for a reason (JoinAttempt.Reason) the person is told."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message


@dataclass
class Entry:
    attendance: Attendance
    warning: str
    # Sockets of this person's earlier stays still open (another tab, a dropped connection):
    # the newer one replaces them.
    replaced: list[str]


def _door_check(
    booking: Booking, user: User, *, device: str, camera_on: bool, checklist: bool
) -> str:
    """The Code of Conduct at the door: a mentor enters with the current Code accepted, the
    camera on, the checklist confirmed, and not from a phone when the platform refuses phones
    (camera and checklist not again when reconnecting). Returns a warning to show, or raises
    Refused."""
    if user.pk != booking.mentor.user_id:
        return ""
    if booking.mentor.status in (MentorProfile.Status.SUSPENDED, MentorProfile.Status.REMOVED):
        raise Refused(JoinAttempt.Reason.POLICY, _("Your mentor profile is suspended or removed."))
    if has_pending(user):
        raise Refused(
            JoinAttempt.Reason.POLICY,
            _("Accept the current Mentor Code of Conduct and policies before you enter the room."),
        )
    # Back after a dropped connection, the door was passed moments ago: the camera may be
    # off by then (it is recorded), and the checklist was confirmed.
    reconnecting = _reconnecting(booking, user)
    if not camera_on and not reconnecting:
        raise Refused(
            JoinAttempt.Reason.CAMERA_OFF,
            _("Turn your camera on to enter: mentors keep their camera on during sessions."),
        )
    if not checklist and not reconnecting:
        raise Refused(
            JoinAttempt.Reason.CHECKLIST, _("Confirm each point of the checklist to enter.")
        )
    if device == browsers.PHONE:
        if settings.ROOMS_REFUSE_MENTOR_PHONE:
            raise Refused(
                JoinAttempt.Reason.PHONE,
                _("Mentors join sessions from a computer or a tablet, not from a phone."),
            )
        return _("You are on a phone. Please use a computer or a tablet for your next sessions.")
    return ""


RECONNECT_WITHIN = timedelta(seconds=60)


def _reconnecting(booking: Booking, user: User) -> bool:
    """Whether `user` is in the room now, or left it less than RECONNECT_WITHIN ago, in this
    session's room time: a socket that came back, not someone entering."""
    recent = timezone.now() - RECONNECT_WITHIN
    return (
        Attendance.objects.filter(
            room__booking=booking,
            user=user,
            joined_at__gte=rules.opens_at(booking.starts_at),
        )
        .filter(Q(left_at__isnull=True) | Q(left_at__gte=recent))
        .exists()
    )


def enter(
    booking: Booking,
    user: User,
    *,
    device: str,
    camera_on: bool,
    checklist: bool,
    channel: str = "",
) -> Entry:
    """Lets `user` into the booking's room from the socket `channel`, recording the attempt
    either way. Raises Refused at the door, or ValidationError outside the room's time."""
    now = timezone.now()
    try:
        warning = _door_check(
            booking, user, device=device, camera_on=camera_on, checklist=checklist
        )
    except Refused as refused:
        JoinAttempt.objects.create(
            room=room_for(booking),
            user=user,
            at=now,
            device=device,
            outcome=JoinAttempt.Outcome.REFUSED,
            reason=refused.reason,
        )
        raise
    with transaction.atomic():
        attendance = record_join(booking, user, device=device)
        attendance.channel = channel
        attendance.save(update_fields=["channel"])
        earlier = Attendance.objects.filter(
            room_id=attendance.room_id, user=user, left_at__isnull=True
        ).exclude(pk=attendance.pk)
        replaced = [stay.channel for stay in earlier if stay.channel]
        for stay in earlier:
            _end_stay(stay, now)
        JoinAttempt.objects.create(
            room_id=attendance.room_id,
            user=user,
            at=now,
            device=device,
            outcome=JoinAttempt.Outcome.WARNED if warning else JoinAttempt.Outcome.ADMITTED,
            reason=JoinAttempt.Reason.PHONE if warning else JoinAttempt.Reason.NONE,
        )
    return Entry(attendance=attendance, warning=warning, replaced=replaced)


def _end_stay(attendance: Attendance, now: datetime, summary: dict[str, Any] | None = None) -> None:
    changes: dict[str, Any] = {"left_at": now}
    if summary is not None:
        changes["connection"] = summary
    Attendance.objects.filter(pk=attendance.pk, left_at__isnull=True).update(**changes)
    CameraOff.objects.filter(attendance=attendance, ended_at__isnull=True).update(ended_at=now)


def leave(attendance: Attendance, summary: dict[str, Any]) -> None:
    """Ends a stay (once), with the browser's connection summary (rooms.quality)."""
    with transaction.atomic():
        _end_stay(attendance, timezone.now(), summary)


def camera_changed(attendance: Attendance, on: bool) -> None:
    """Opens or closes a camera-off interval of the stay. Raises ValidationError, recording
    nothing, when the person switches faster than limits.CAMERA allows in this room."""
    if not limits.take("camera", attendance.room_id, attendance.user_id, limits.CAMERA):
        raise ValidationError(
            _("The camera was switched too often. Wait a few seconds and try again."),
            code="rate",
        )
    now = timezone.now()
    with transaction.atomic():
        stay = Attendance.objects.select_for_update().filter(pk=attendance.pk).first()
        if stay is None or stay.left_at is not None:
            return  # a message that arrived after the stay ended
        open_off = CameraOff.objects.filter(attendance=attendance, ended_at__isnull=True)
        if on:
            open_off.update(ended_at=now)
        elif not open_off.exists():
            CameraOff.objects.create(attendance=attendance, started_at=now)


@dataclass(frozen=True)
class Presence:
    """Someone connected to a room: who, by which login, in which booking's room."""

    user_id: int
    session_key: str | None
    booking_id: int


LOGGED_OUT, NOT_TAKING_PLACE, PROFILE_CLOSED, ROOM_CLOSED = (
    "logged_out",
    "not_taking_place",
    "profile_closed",
    "room_closed",
)
LEAVE_REASONS = {
    LOGGED_OUT: gettext_lazy("You were logged out."),
    NOT_TAKING_PLACE: gettext_lazy("This session is no longer taking place."),
    PROFILE_CLOSED: gettext_lazy("Your mentor profile is suspended or removed."),
    ROOM_CLOSED: gettext_lazy("The room has closed."),
}


def standings(present: Sequence[Presence]) -> list[str]:
    """Why each connected participant must leave now (a key of LEAVE_REASONS, or "" to
    stay): their login ended (logged out everywhere, password changed), their account or
    mentor profile was closed, the session stopped being confirmed, or the room closed.
    Three queries for any number of them."""
    now = timezone.now()
    users = User.objects.filter(is_active=True).in_bulk({p.user_id for p in present})
    bookings = Booking.objects.select_related("mentor").in_bulk({p.booking_id for p in present})
    sessions = _sessions({p.session_key for p in present if p.session_key}, now)
    reasons = []
    for presence in present:
        user = users.get(presence.user_id)
        data = sessions.get(presence.session_key or "", {})
        booking = bookings.get(presence.booking_id)
        if (
            user is None
            or str(data.get(SESSION_KEY)) != str(user.pk)
            or not constant_time_compare(
                data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()
            )
        ):
            reasons.append(LOGGED_OUT)
        elif booking is None or booking.status != Booking.Status.CONFIRMED:
            reasons.append(NOT_TAKING_PLACE)
        elif user.pk == booking.mentor.user_id and booking.mentor.status in (
            MentorProfile.Status.SUSPENDED,
            MentorProfile.Status.REMOVED,
        ):
            reasons.append(PROFILE_CLOSED)
        elif not rules.is_open(booking.starts_at, booking.ends_at, now):
            reasons.append(ROOM_CLOSED)
        else:
            reasons.append("")
    return reasons


def _sessions(keys: set[str], now: datetime) -> dict[str, dict[str, Any]]:
    """The data of the login sessions still valid among `keys`."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return {key: store(session_key=key).load() for key in keys}
    rows = Session.objects.filter(session_key__in=keys, expire_date__gt=now)
    return {row.session_key: store().decode(row.session_data) for row in rows}


# Chat -------------------------------------------------------------------------------------------


def post_chat(room: Room, user: User, text: str) -> ChatMessage:
    """Keeps `user`'s chat message in `room`, encrypted. Raises ValidationError, keeping
    nothing, for an empty or too long message, or beyond the rate limits.CHAT allows a person
    in a room."""
    text = text.strip()
    if not text:
        raise ValidationError(_("Write something first."), code="empty")
    if len(text) > CHAT_MAX:
        raise ValidationError(
            _("A message holds at most %(max)d characters.") % {"max": CHAT_MAX}, code="long"
        )
    if not limits.take("chat", room.pk, user.pk, limits.CHAT):
        raise ValidationError(
            _("You are sending messages too fast. Wait a few seconds and try again."),
            code="rate",
        )
    return ChatMessage.objects.create(
        room=room, author=user, sent_at=timezone.now(), ciphertext=crypto.encrypt(text)
    )


def chat_line(message: ChatMessage) -> dict[str, Any]:
    """A chat message as the room's page and socket show it (raises NoteUnreadable)."""
    return {
        "id": message.pk,
        "author": message.author_id,
        "sent_at": message.sent_at.isoformat(),
        "text": crypto.decrypt(message.ciphertext),
    }


def chat_of(room: Room, *, last: int = 200) -> list[dict[str, Any]]:
    messages = list(room.chat.order_by("-sent_at", "-pk")[:last])
    return [chat_line(message) for message in reversed(messages)]


# The first session's agenda and the wrap-up -----------------------------------------------------


def _mentor_locked_room(booking: Booking, user: User) -> Room:
    if user.pk != booking.mentor.user_id:
        raise ValidationError(_("Only the mentor records this."), code="party")
    room_for(booking)
    return Room.objects.select_for_update().get(booking=booking)


def tick_point(booking: Booking, user: User, code: str, done: bool) -> list[str]:
    """The mentor ticks (or unticks) one of the first session's points; returns the points
    covered, in the agenda's order."""
    if code not in agenda.CODES:
        raise ValidationError(_("There is no such point."), code="point")
    with transaction.atomic():
        room = _mentor_locked_room(booking, user)
        covered = (set(room.covered) | {code}) if done else (set(room.covered) - {code})
        room.covered = [point.code for point in agenda.POINTS if point.code in covered]
        room.save(update_fields=["covered"])
    return room.covered


@dataclass
class WrapUp:
    action_items: str
    next_step: str
    closing_words: str


def write_wrap_up(booking: Booking, user: User, wrap_up: WrapUp) -> bool:
    """The mentor's closing of a session: action items, a next step and closing words, which
    the mentee receives. Possible once the room has opened; may be corrected later. Returns
    whether this was the first time (when the mentee is emailed)."""
    fields = {
        "action_items": wrap_up.action_items.strip(),
        "next_step": wrap_up.next_step.strip(),
        "closing_words": wrap_up.closing_words.strip(),
    }
    if not fields["action_items"] or not fields["next_step"]:
        raise ValidationError(_("Write the action items and the next step."), code="empty")
    if any(len(value) > WRAP_UP_MAX for value in fields.values()):
        raise ValidationError(
            _("Each part holds at most %(max)d characters.") % {"max": WRAP_UP_MAX}, code="long"
        )
    if booking.status not in (Booking.Status.CONFIRMED, Booking.Status.COMPLETED):
        raise ValidationError(_("This session did not take place."), code="state")
    if timezone.now() < rules.opens_at(booking.starts_at):
        raise ValidationError(_("The wrap-up is written once the room has opened."), code="early")
    with transaction.atomic():
        room = _mentor_locked_room(booking, user)
        first = not room.wrap_up
        room.wrap_up = crypto.encrypt(json.dumps(fields))
        room.wrapped_up_at = timezone.now()
        room.save(update_fields=["wrap_up", "wrapped_up_at"])
        if first:
            transaction.on_commit(lambda: _email_wrap_up(booking))
    return first


def read_wrap_up(room: Room) -> WrapUp | None:
    if not room.wrap_up:
        return None
    return WrapUp(**json.loads(crypto.decrypt(room.wrap_up)))


def _email_wrap_up(booking: Booking) -> None:
    # The email says where to read it, not what it says: the session's words stay on the
    # platform.
    from mentor247.bookings.notify import booking_link

    context = {"booking": booking, "mentor": booking.mentor.user, "link": booking_link(booking)}
    queue_email(render_email(booking.mentee, "rooms/email/wrap_up", context))
