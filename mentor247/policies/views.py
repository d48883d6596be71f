from typing import TYPE_CHECKING

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mentor247.lib.requests import client_ip, user_agent
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.policies.diff import changed_lines
from mentor247.policies.domain import accept_pending, decline_pending
from mentor247.policies.forms import ReviewForm
from mentor247.policies.models import (
    PolicyAcceptance,
    PolicyKind,
    PolicyVersion,
    RemovalRequest,
)
from mentor247.policies.queries import pending_versions

if TYPE_CHECKING:
    from mentor247.accounts.models import User


def document(request: HttpRequest, kind: str, number: int | None = None) -> HttpResponse:
    """A policy as it reads now (or a given version), with every version ever published."""
    if kind not in PolicyKind.values:
        raise Http404
    versions = list(PolicyVersion.objects.filter(policy__kind=kind).select_related("policy"))
    in_effect = PolicyVersion.objects.in_effect().filter(policy__kind=kind).first()
    if number is None:
        shown = in_effect
    else:
        shown = next((version for version in versions if version.number == number), None)
    if shown is None:
        raise Http404
    return render(
        request,
        "policies/document.html",
        {"version": shown, "in_effect": in_effect, "versions": versions},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Where people accept new policy versions, seeing what changed since the one they accepted."""
    user = request.user
    next_url = safe_next(request)
    pending = pending_versions(user)
    if not pending:
        return HttpResponseRedirect(next_url)
    form = ReviewForm(request.POST or None, pending=pending)
    if request.method == "POST" and form.is_valid():
        try:
            if form.declined:
                decline_pending(user, version_ids=form.version_ids)
                messages.warning(
                    request,
                    _(
                        "We have your request to be removed. Until staff act on it you can "
                        "still change your mind by accepting below."
                    ),
                )
                return HttpResponseRedirect(request.get_full_path())
            accept_pending(
                user,
                version_ids=form.version_ids,
                ip_address=client_ip(request),
                user_agent=user_agent(request),
            )
        except ValidationError as error:
            # What is waiting changed between the form's check and the lock: show it now.
            pending = pending_versions(user)
            if not pending:
                return HttpResponseRedirect(next_url)
            form = ReviewForm(request.POST, pending=pending)
            if form.is_valid():
                form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your acceptance is recorded."))
            return HttpResponseRedirect(next_url)
    earlier = latest_accepted_by_policy(user, pending)
    items = [
        {
            "version": version,
            "earlier": earlier.get(version.policy_id),
            "diff": changed_lines(earlier[version.policy_id].text, version.text)
            if version.policy_id in earlier
            else None,
        }
        for version in pending
    ]
    removal = RemovalRequest.objects.filter(user=user, status=RemovalRequest.Status.OPEN).first()
    return render(
        request,
        "policies/review.html",
        {"form": form, "items": items, "removal": removal, "next": next_url},
        status=400 if request.method == "POST" else 200,
    )


def latest_accepted_by_policy(
    user: "User", pending: list[PolicyVersion]
) -> dict[int, PolicyVersion]:
    acceptances = (
        PolicyAcceptance.objects.filter(
            user=user, version__policy__in=[version.policy_id for version in pending]
        )
        .select_related("version")
        .order_by("version__number")
    )
    return {acceptance.version.policy_id: acceptance.version for acceptance in acceptances}


def safe_next(request: HttpRequest) -> str:
    candidate = request.GET.get("next", "")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return "/"
