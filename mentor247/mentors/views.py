from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentor247.lib.requests import client_ip, user_agent
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors import domain, queries
from mentor247.mentors.access import (
    access_own_offering,
    access_own_profile,
    access_profile_as_staff,
    staff_required,
)
from mentor247.mentors.forms import (
    ApplicationForm,
    DecisionForm,
    OfferingForm,
    ProfileForm,
    SearchForm,
)
from mentor247.mentors.models import MentorProfile
from mentor247.mentors.queries import (
    MAX_PAGES,
    MentorFilters,
    cards,
    first_ids,
    listed_profiles,
    result_pages,
    search_profiles,
)
from mentor247.policies.access import mentor_required
from mentor247.policies.models import MENTOR_KINDS, PolicyAcceptance
from mentor247.policies.queries import pending_versions, versions_in_effect


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), MAX_PAGES))
    except ValueError:
        return 1


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/home.html",
        {"mentors": cards(first_ids(search_profiles(MentorFilters()), 6))},
    )


def directory(request: HttpRequest) -> HttpResponse:
    """Finding a mentor. The query lives in the URL; htmx asks for the results part alone."""
    # Always bound: an empty query is a valid one (every filter off).
    form = SearchForm(request.GET)
    page = None
    if form.is_valid():
        filters = form.filters(viewer_time_zone=timezone.get_current_timezone_name())
        page = result_pages(search_profiles(filters)).get_page(_page_number(request))
        page.object_list = cards(list(page))
    # Links to other pages keep the query, without the empty fields.
    query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name != "page":
            query.setlist(name, [value for value in values if value])
    partial = bool(request.headers.get("HX-Request"))
    return render(
        request,
        "mentors/_results.html" if partial else "mentors/directory.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "max_pages": MAX_PAGES,
            # A working day's hours, not moments: no zone, so no side of a repeated hour.
            "working_hours": [f"{hour.hour}:{hour.minute:02d}" for hour in queries.WORKING_HOURS],
            "overlap_hours": queries.MIN_OVERLAP // timedelta(hours=1),
        },
        # htmx swaps in 2xx answers only, and the results part is where errors are told.
        status=400 if form.errors and not partial else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def apply(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Applying to mentor; afterwards, where the application stands."""
    existing = MentorProfile.objects.filter(user=request.user).first()
    if existing is not None and existing.status not in domain.MAY_APPLY:
        return render(request, "mentors/application_status.html", {"profile": existing})
    pending = pending_versions(request.user, kinds=MENTOR_KINDS)
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        profile=existing,
        pending=pending,
        initial=None if existing else {"time_zone": request.user.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        try:
            domain.apply_as_mentor(
                request.user,
                form.details(),
                conduct_version_ids=form.version_ids(),
                ip_address=client_ip(request),
                user_agent=user_agent(request),
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Thank you. Your application is with our staff."))
            return HttpResponseRedirect(reverse("mentors:apply"))
    return render(
        request,
        "mentors/apply.html",
        {"form": form, "profile": existing, "conduct": versions_in_effect(("conduct",))},
        status=400 if form.errors else 200,
    )


# The mentor's own pages (under /mentor/) ---------------------------------------------------


@mentor_required
@require_http_methods(["GET", "POST"])
def edit_profile(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = access_own_profile(request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, profile=own)
    if request.method == "POST" and form.is_valid():
        try:
            domain.update_profile(own, form.details(), photo=form.cleaned_data.get("photo"))
        except ValidationError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Your profile is saved."))
            return HttpResponseRedirect(reverse("mentor:profile"))
    return render(
        request,
        "mentors/edit_profile.html",
        {"form": form, "profile": own},
        status=400 if form.errors else 200,
    )


@mentor_required
def offerings(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = access_own_profile(request.user)
    current = own.offerings.current().order_by("price", "pk")
    return render(request, "mentors/offerings.html", {"profile": own, "offerings": current})


@mentor_required
@require_http_methods(["GET", "POST"])
def edit_offering(
    request: AuthenticatedHttpRequest, offering_id: int | None = None
) -> HttpResponse:
    """A new offering, or a change to one (which replaces it: see domain.revise_offering)."""
    own = access_own_profile(request.user)
    offering = access_own_offering(request.user, offering_id) if offering_id else None
    form = OfferingForm(request.POST or None, currency=own.currency, offering=offering)
    if request.method == "POST" and form.is_valid():
        try:
            if offering is None:
                domain.add_offering(own, form.terms())
            else:
                domain.revise_offering(offering, form.terms())
        except ValidationError as error:
            form.add_domain_errors(error)
        else:
            messages.success(request, _("Your offering is saved."))
            return HttpResponseRedirect(reverse("mentor:offerings"))
    return render(
        request,
        "mentors/edit_offering.html",
        {"form": form, "offering": offering, "profile": own},
        status=400 if form.errors else 200,
    )


@mentor_required
@require_POST
def retire_offering(request: AuthenticatedHttpRequest, offering_id: int) -> HttpResponse:
    offering = access_own_offering(request.user, offering_id)
    try:
        domain.retire_offering(offering)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("“%(title)s” is no longer offered.") % {"title": offering})
    return HttpResponseRedirect(reverse("mentor:offerings"))


# Staff ---------------------------------------------------------------------------------------

STAFF_TABS = ("applied", "approved", "suspended", "closed")


@staff_required
def staff_mentors(request: HttpRequest) -> HttpResponse:
    """Applications to review first; then the mentors by status."""
    tab = request.GET.get("status", "applied")
    if tab not in STAFF_TABS:
        raise Http404
    statuses = {
        "applied": [MentorProfile.Status.APPLIED],
        "approved": [MentorProfile.Status.APPROVED],
        "suspended": [MentorProfile.Status.SUSPENDED],
        "closed": [
            MentorProfile.Status.CHANGES_REQUESTED,
            MentorProfile.Status.REJECTED,
            MentorProfile.Status.REMOVED,
        ],
    }[tab]
    profiles = (
        MentorProfile.objects.filter(status__in=statuses)
        .select_related("user")
        .order_by("applied_at", "pk")
    )
    page = Paginator(profiles, 50).get_page(request.GET.get("page"))
    counts = MentorProfile.objects.aggregate(
        applied=Count("pk", filter=Q(status=MentorProfile.Status.APPLIED))
    )
    return render(request, "mentors/staff_list.html", {"page": page, "tab": tab, "counts": counts})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_mentor(request: AuthenticatedHttpRequest, profile_id: int) -> HttpResponse:
    mentor = access_profile_as_staff(request.user, profile_id)
    form = DecisionForm(request.POST or None, profile=mentor)
    if request.method == "POST" and form.is_valid():
        try:
            domain.decide(
                mentor,
                form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.error_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(request, _("Saved. The mentor is told by email."))
            return HttpResponseRedirect(reverse("mentors_staff:mentor", args=[mentor.pk]))
    offerings = mentor.offerings.current().order_by("price", "pk")
    return render(
        request,
        "mentors/staff_mentor.html",
        {"mentor": mentor, "form": form, "offerings": offerings},
        status=400 if form.errors else 200,
    )


@mentor_required
def mentor_home(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's own area: the policies in effect they accepted and whether they are listed."""
    in_effect = versions_in_effect(MENTOR_KINDS)
    accepted = {
        acceptance.version_id: acceptance
        for acceptance in PolicyAcceptance.objects.filter(
            user=request.user, version__in=[version.pk for version in in_effect]
        )
    }
    rows = [(version, accepted.get(version.pk)) for version in in_effect]
    listed = listed_profiles().filter(user=request.user).exists()
    return render(request, "accounts/mentor_home.html", {"rows": rows, "listed": listed})
