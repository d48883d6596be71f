"""The sandbox provider's own pages: its card page, its bank's confirmation step, and a
mentor's test bank account. They stand in for an outside provider's hosted pages."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.payments import sandbox
from mentor247.payments.access import access_sandbox_account, access_sandbox_charge
from mentor247.payments.domain import update_payout_account
from mentor247.payments.forms import (
    SandboxAccountForm,
    SandboxCardForm,
)
from mentor247.payments.models import SandboxCharge
from mentor247.payments.providers.sandbox import FAILING_ACCOUNT, GOOD_ACCOUNT


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_pay(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    charge = access_sandbox_charge(request.user, reference)
    if charge.state != SandboxCharge.State.OPEN:
        return _after_sandbox(charge)
    form = SandboxCardForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        return _after_sandbox(sandbox.pay_with_card(charge, form.cleaned_data["number"]))
    return render(
        request,
        "payments/sandbox_pay.html",
        {"charge": charge, "form": form, "cards": sandbox.TEST_CARDS},
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_confirm(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    charge = access_sandbox_charge(request.user, reference)
    if charge.state != SandboxCharge.State.REQUIRES_ACTION:
        return _after_sandbox(charge)
    if request.method == "POST":
        approved = request.POST.get("answer") == "approve"
        return _after_sandbox(sandbox.confirm(charge, approved=approved))
    return render(request, "payments/sandbox_confirm.html", {"charge": charge})


def _after_sandbox(charge: SandboxCharge) -> HttpResponse:
    if charge.state == SandboxCharge.State.REQUIRES_ACTION:
        return HttpResponseRedirect(reverse("payments:sandbox_confirm", args=[charge.reference]))
    if charge.state == SandboxCharge.State.OPEN:
        return HttpResponseRedirect(reverse("payments:sandbox_pay", args=[charge.reference]))
    return HttpResponseRedirect(charge.return_url)


@login_required
@require_http_methods(["GET", "POST"])
def sandbox_account(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The sandbox's page for a mentor's test bank account, for that mentor alone."""
    account = access_sandbox_account(request.user, reference)
    form = SandboxAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        sandbox.set_account_number(account, form.cleaned_data["number"])
        update_payout_account("sandbox", account.reference, details_changed=True)
        return HttpResponseRedirect(reverse("mentor:earnings"))
    return render(
        request,
        "payments/sandbox_account.html",
        {"form": form, "good": GOOD_ACCOUNT, "failing": FAILING_ACCOUNT},
        status=400 if form.is_bound else 200,
    )
