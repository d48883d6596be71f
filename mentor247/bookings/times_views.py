"""Pages of a mentor that show their open times, which bookings works out: the mentor's public
page (under /mentors/) and their availability editor with its preview (under /mentor/). Their
templates stay with the app each page belongs to."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Min
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentor247.bookings.queries import open_times
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors.access import access_own_profile
from mentor247.mentors.queries import profile_page
from mentor247.policies.access import mentor_required
from mentor247.scheduling.domain import replace_availability
from mentor247.scheduling.forms import AvailabilityForm, PreviewForm
from mentor247.scheduling.queries import availability_of, by_local_date

NEXT_TIMES = 8


def profile(request: HttpRequest, profile_id: int) -> HttpResponse:
    mentor, listed = profile_page(profile_id, request.user)
    next_times: list[tuple[date, list[datetime]]] = []
    if listed and mentor.current_offerings:  # type: ignore[attr-defined]
        shortest = min(o.session_minutes for o in mentor.current_offerings)  # type: ignore[attr-defined]
        now = timezone.now()
        soonest = open_times(mentor, minutes=shortest, start=now, end=now + timedelta(days=14))
        viewer_zone = timezone.get_current_timezone()
        next_times = by_local_date(soonest[:NEXT_TIMES], viewer_zone)
    return render(
        request,
        "mentors/profile.html",
        {"mentor": mentor, "listed": listed, "next_times": next_times},
    )


PREVIEW = timedelta(days=14)
PREVIEW_MINUTES = 60  # without offerings


def _preview_zone(request: AuthenticatedHttpRequest, own_zone: str) -> tuple[PreviewForm, str]:
    """The zone the preview is seen from: the one asked for, else one far from the mentor's."""
    default = "America/New_York" if own_zone.startswith(("Asia/", "Australia/")) else "Asia/Kolkata"
    form = PreviewForm(request.GET if "zone" in request.GET else {"zone": default})
    return form, form.cleaned_data["zone"] if form.is_valid() else default


@mentor_required
@require_http_methods(["GET", "POST"])
def availability(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's week, settings, dates and trips, with the next two weeks' free times as a
    mentee in another zone sees them."""
    own = access_own_profile(request.user)
    form = AvailabilityForm(request.POST or None, availability=availability_of(own))
    preview_form, zone = _preview_zone(request, own.time_zone)
    if request.method == "POST" and form.is_valid():
        try:
            replace_availability(own, form.terms())
        except ValidationError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Your availability is saved."))
            return HttpResponseRedirect(f"{reverse('mentor:availability')}?zone={zone}")
    shortest = own.offerings.current().aggregate(shortest=Min("session_minutes"))["shortest"]
    minutes = shortest or PREVIEW_MINUTES
    now = timezone.now()
    # What mentees see: the hours less the bookings and holds already made.
    days = by_local_date(
        open_times(own, minutes=minutes, start=now, end=now + PREVIEW), ZoneInfo(zone)
    )
    return render(
        request,
        "scheduling/availability.html",
        {
            "form": form,
            "preview_form": preview_form,
            "zone": zone,
            "days": days,
            "minutes": minutes,
            "profile": own,
        },
        status=400 if form.errors else 200,
    )
