from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentor247.bookings import domain
from mentor247.bookings.access import access_booking, access_engagement
from mentor247.bookings.calendar import feed
from mentor247.bookings.domain import Busy, Conflict
from mentor247.bookings.forms import BookForm, ChooseTimeForm, MoveForm, ReasonForm
from mentor247.bookings.models import Booking, CalendarFeed
from mentor247.bookings.queries import (
    engagements_of,
    first_session_times,
    open_times,
    past,
    upcoming,
)
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors.queries import public_profile
from mentor247.scheduling.queries import by_local_date

WINDOW = timedelta(days=14)
MAX_WINDOWS = 26  # a year ahead, two weeks at a time


def _window(request: HttpRequest) -> tuple[datetime, datetime, int]:
    """The two weeks of open times shown: `?later=N` moves N fortnights ahead."""
    try:
        later = max(0, min(int(request.GET.get("later", "0")), MAX_WINDOWS))
    except ValueError:
        later = 0
    start = timezone.now() + later * WINDOW
    return start, start + WINDOW, later


def _days(moments: list[datetime]) -> list[tuple[date, list[datetime]]]:
    """Open times grouped by the viewer's dates (a mentor's day can span two of them)."""
    return by_local_date(moments, timezone.get_current_timezone())


def _times_context(request: HttpRequest, times: list[datetime], later: int) -> dict[str, object]:
    return {"days": _days(times), "later": later, "has_later": later < MAX_WINDOWS}


def _take_time(
    form: ChooseTimeForm, write: Callable[[dict[str, Any]], Booking]
) -> tuple[Booking | None, int]:
    """Runs `write` with a valid form's data: the booking it made or moved and 200, or None
    and 409 for a time that is not free (400 for anything else wrong), the form telling why."""
    if not form.is_valid():
        return None, 400
    try:
        return write(form.cleaned_data), 200
    except Conflict as conflict:
        form.add_error("start", conflict.message)
        return None, 409
    except Busy as busy:
        form.add_error(None, busy.message)
        return None, 503
    except ValidationError as error:
        add_domain_errors(form, error)
        return None, 400


@require_http_methods(["GET", "POST"])
def offering(request: HttpRequest, profile_id: int, offering_id: int) -> HttpResponse:
    """A listed mentor's offering with its open times in the viewer's zone; choosing one
    holds it (or books it, when free)."""
    profile = public_profile(profile_id)
    chosen = profile.offerings.current().filter(pk=offering_id).first()
    if chosen is None:
        raise Http404
    form = BookForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        mentee = request.user
        booking, status = _take_time(
            form,
            lambda data: domain.book(
                chosen,
                mentee,
                data["start"],
                first_mentoring=data["first_mentoring"],
                idempotency_key=data["key"],
            ),
        )
        if booking is not None:
            return HttpResponseRedirect(reverse("bookings:booking", args=[booking.pk]))
    start, end, later = _window(request)
    times = first_session_times(chosen, start=start, end=end)
    return render(
        request,
        "bookings/offering.html",
        {
            "profile": profile,
            "offering": chosen,
            "form": form,
            "hold_minutes": settings.BOOKING_HOLD_MINUTES,
            **_times_context(request, times, later),
        },
        status=status,
    )


@login_required
def my_bookings(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "bookings/my_bookings.html",
        {
            "upcoming": upcoming(request.user),
            "past": past(request.user),
            "engagements": engagements_of(request.user)
            .filter(status="active")
            .order_by("-confirmed_at")[:20],
        },
    )


@login_required
def booking(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    found = access_booking(request.user, booking_id)
    is_mentee = found.mentee_id == request.user.pk
    return render(
        request,
        "bookings/booking.html",
        {
            "booking": found,
            "is_mentee": is_mentee,
            "other": found.mentor.user if is_mentee else found.mentee,
            "deadline": domain.free_change_deadline(found),
            "changes": found.changes.select_related("by"),
            "can_move": found.status == Booking.Status.CONFIRMED
            and (not is_mentee or timezone.now() <= domain.free_change_deadline(found)),
            "can_cancel": found.status in Booking.ACTIVE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    found = access_booking(request.user, booking_id)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.cancel_booking(found, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_domain_errors(form, error)
        except Busy as busy:
            form.add_error(None, busy.message)
        else:
            messages.success(request, _("The session is cancelled. Both of you have been told."))
            return HttpResponseRedirect(reverse("bookings:booking", args=[found.pk]))
    is_mentee = found.mentee_id == request.user.pk
    late = timezone.now() > domain.free_change_deadline(found)
    return render(
        request,
        "bookings/cancel.html",
        {
            "booking": found,
            "form": form,
            "is_mentee": is_mentee,
            "forfeit": is_mentee and late and found.status == Booking.Status.CONFIRMED,
            "late_mentor": not is_mentee and late and found.status == Booking.Status.CONFIRMED,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def move(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    found = access_booking(request.user, booking_id)
    form = MoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        moved, status = _take_time(
            form,
            lambda data: domain.reschedule_booking(
                found, data["start"], by=request.user, reason=data["reason"]
            ),
        )
        if moved is not None:
            messages.success(request, _("The session has moved. Both of you have been told."))
            return HttpResponseRedirect(reverse("bookings:booking", args=[found.pk]))
    start, end, later = _window(request)
    minutes = found.engagement.offering.session_minutes
    times = open_times(found.mentor, minutes=minutes, start=start, end=end, ignoring=found)
    return render(
        request,
        "bookings/move.html",
        {"booking": found, "form": form, **_times_context(request, times, later)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def engagement(request: AuthenticatedHttpRequest, engagement_id: int) -> HttpResponse:
    """A purchase: its credits left and their expiry, its sessions, and (for the mentee) the
    next session to book."""
    found = access_engagement(request.user, engagement_id)
    is_mentee = found.mentee_id == request.user.pk
    left = domain.credits_left(found)
    can_book = is_mentee and found.status == "active" and left > 0
    form = ChooseTimeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not can_book:
            raise Http404
        booked, status = _take_time(
            form,
            lambda data: domain.book_from_engagement(
                found, data["start"], idempotency_key=data["key"]
            ),
        )
        if booked is not None:
            return HttpResponseRedirect(reverse("bookings:booking", args=[booked.pk]))
    context: dict[str, object] = {
        "engagement": found,
        "is_mentee": is_mentee,
        "left": left,
        "can_book": can_book,
        "form": form,
        "sessions": found.bookings.order_by("starts_at"),
    }
    if can_book:
        start, end, later = _window(request)
        if found.expires_at is not None:
            end = min(end, found.expires_at)
        minutes = found.offering.session_minutes
        times = open_times(found.mentor, minutes=minutes, start=start, end=end)
        context.update(_times_context(request, times, later))
    return render(request, "bookings/engagement.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def calendar(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's private calendar feed: make a new address (which revokes the old one),
    or stop it."""
    address = ""
    if request.method == "POST":
        if request.POST.get("action") == "stop":
            domain.stop_calendar_feed(request.user)
            messages.success(request, _("Your calendar feed is stopped."))
            return HttpResponseRedirect(reverse("bookings:calendar"))
        secret = domain.create_calendar_feed(request.user)
        address = request.build_absolute_uri(reverse("calendar_feed", args=[secret]))
    feed = CalendarFeed.objects.filter(user=request.user).first()
    return render(request, "bookings/calendar.html", {"feed": feed, "address": address})


def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The feed itself, for calendar programs: upcoming sessions, no login, 404 for an
    address that is not (or no longer) anyone's."""
    owner = domain.feed_owner(secret)
    if owner is None:
        raise Http404
    sessions = [b for b in upcoming(owner) if b.status == Booking.Status.CONFIRMED]
    links = {
        b.pk: request.build_absolute_uri(reverse("bookings:booking", args=[b.pk])) for b in sessions
    }
    body = feed(
        sessions, links=links, name=_("Mentoring on %(site)s") % {"site": settings.SITE_NAME}
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response
