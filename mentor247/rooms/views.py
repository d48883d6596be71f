"""The room's page (waiting room, green room and call in one), the first session's agenda and
the wrap-up. Only the booking's two people reach any of them."""

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentor247.bookings.models import Booking
from mentor247.lib.crypto import NoteUnreadable
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.timezones import minutes_text
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.rooms import agenda, domain, rules
from mentor247.rooms.access import access_room
from mentor247.rooms.consumers import group_of
from mentor247.rooms.forms import WrapUpForm
from mentor247.rooms.models import Room
from mentor247.rooms.queries import next_session_link, wrap_up_context


def _tell_room(room: Room, event: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is not None:
        async_to_sync(layer.group_send)(group_of(room.pk), event)


def _strings() -> dict[str, str]:
    """What the room's script says, in the viewer's language."""
    return {
        "waiting": _("Waiting for the other person to join…"),
        "connecting": _("Connecting…"),
        "reconnecting": _("The connection dropped. Reconnecting…"),
        "peer_camera_off": _("Their camera is off."),
        "video_not_arriving": _("Their video is not arriving. The connection may be weak."),
        "peer_left": _("The other person left the room."),
        "quality_good": _("Connection: good"),
        "quality_fair": _("Connection: fair"),
        "quality_poor": _("Connection: poor"),
        "remaining": _("Time left: %(time)s"),
        "overtime": _("The session's time is over. The room closes %(after)s after the end.")
        % {"after": minutes_text(rules.CLOSES_AFTER)},
        "mute": _("Mute"),
        "unmute": _("Unmute"),
        "camera_off": _("Turn camera off"),
        "camera_on": _("Turn camera on"),
        "share": _("Share screen"),
        "stop_share": _("Stop sharing"),
        "you_camera_off": _("Your camera is off. Mentors keep it on during sessions."),
        "denied": _(
            "The browser is not allowed to use your camera or microphone. Allow it in the "
            "address bar's site settings, then reload the page."
        ),
        "no_device": _("No camera or microphone was found. Connect one, then reload the page."),
        "busy": _(
            "Your camera or microphone is in use by another program. Close it, then reload "
            "the page."
        ),
        "media_error": _("The camera or microphone could not start."),
        "left": _("You left the room. You can enter again while it is open."),
        "replaced": _("You entered this room from another window; this one has left."),
        "camera_n": _("Camera %(n)s"),
        "microphone_n": _("Microphone %(n)s"),
        "covered": _("Covered:"),
        "to_cover": _("To cover:"),
        "you": _("You"),
        "them": _("Them"),
    }


@login_required
def room(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    room = access_room(request.user, key)
    booking = room.booking
    is_mentor = request.user.pk == booking.mentor.user_id
    now = timezone.now()
    try:
        chat = domain.chat_of(room)
    except NoteUnreadable:
        chat = []
    context: dict[str, Any] = {
        "room": room,
        "booking": booking,
        "offering": booking.engagement.offering,
        "is_mentor": is_mentor,
        "other": booking.mentee if is_mentor else booking.mentor.user,
        "confirmed": booking.status == Booking.Status.CONFIRMED,
        "is_open": rules.is_open(booking.starts_at, booking.ends_at, now),
        "not_yet": now < rules.opens_at(booking.starts_at),
        "opens_at": rules.opens_at(booking.starts_at),
        "opens_before": minutes_text(rules.OPENS_BEFORE),
        "closes_at": rules.closes_at(booking.ends_at),
        "first_session": agenda.is_first_session(booking),
        "points": agenda.POINTS,
        "covered": room.covered,
        "plain_english": is_mentor and agenda.needs_plain_english(booking.mentee),
        "chat": chat,
        "strings": _strings(),
        "wrap_up_form": WrapUpForm() if is_mentor else None,
        "next_session": next_session_link(booking),
        **wrap_up_context(room),
    }
    if is_mentor and context["wrap_up"] is not None:
        context["wrap_up_form"] = WrapUpForm(initial=vars(context["wrap_up"]))
    return render(request, "rooms/room.html", context)


class TickForm(forms.Form):
    point = forms.CharField(max_length=32)
    done = forms.BooleanField(required=False)


@login_required
@require_POST
def tick(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The mentor ticks a point of the first session; the mentee's page follows live."""
    room = access_room(request.user, key)
    form = TickForm(request.POST)
    status = 200
    if form.is_valid():
        try:
            room.covered = domain.tick_point(
                room.booking, request.user, form.cleaned_data["point"], form.cleaned_data["done"]
            )
            _tell_room(room, {"type": "room.agenda", "covered": room.covered})
        except ValidationError as error:
            add_domain_errors(form, error)
            status = 400
    else:
        status = 400
    if not request.headers.get("HX-Request"):
        return HttpResponseRedirect(reverse("rooms:room", args=[key]))
    return render(
        request,
        "rooms/_agenda.html",
        {
            "room": room,
            "booking": room.booking,
            "offering": room.booking.engagement.offering,
            "points": agenda.POINTS,
            "covered": room.covered,
            "is_mentor": True,
            "form": form,
        },
        status=status,
    )


@login_required
@require_http_methods(["POST"])
def wrap_up(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    """The mentor's action items, next step and closing words; the mentee receives them."""
    room = access_room(request.user, key)
    form = WrapUpForm(request.POST)
    saved = False
    if form.is_valid():
        try:
            domain.write_wrap_up(room.booking, request.user, domain.WrapUp(**form.cleaned_data))
            saved = True
            _tell_room(room, {"type": "room.wrap_up"})
        except ValidationError as error:
            add_domain_errors(form, error)
    htmx = bool(request.headers.get("HX-Request"))
    if saved and not htmx:
        return HttpResponseRedirect(reverse("bookings:booking", args=[room.booking_id]))
    return render(
        request,
        "rooms/_wrap_up_form.html" if htmx else "rooms/wrap_up.html",
        {"room": room, "wrap_up_form": form, "saved": saved},
        status=200 if saved else 400,
    )
