import contextlib
import secrets

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentor247.bookings.access import access_booking
from mentor247.bookings.models import Booking
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.money import format_money
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors.access import access_own_profile
from mentor247.payments import domain, providers, sandbox
from mentor247.payments.access import access_payment, sandbox_charge
from mentor247.payments.forms import CheckoutForm, SandboxAccountForm, SandboxCardForm
from mentor247.payments.models import Payment, SandboxAccount, SandboxCharge
from mentor247.payments.providers.base import BadSignature, ProviderError
from mentor247.payments.providers.sandbox import FAILING_ACCOUNT, GOOD_ACCOUNT
from mentor247.payments.queries import earnings_of, statement_of
from mentor247.payments.rules import platform_fee
from mentor247.policies.access import mentor_required


@login_required
@require_http_methods(["GET", "POST"])
def checkout(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    """The price, the platform's fee, the cancellation rule and the policies of a held
    booking, and the button that starts paying for it with the provider."""
    booking = access_booking(request.user, booking_id)
    if booking.mentee_id != request.user.pk:
        raise Http404
    if booking.status not in Booking.HOLDING:
        return HttpResponseRedirect(reverse("bookings:booking", args=[booking.pk]))
    form = CheckoutForm(request.POST or None, initial={"key": secrets.token_urlsafe(24)})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            payment, charge = domain.start_checkout(
                booking,
                request.user,
                idempotency_key=form.cleaned_data["key"],
                return_url=lambda made: request.build_absolute_uri(
                    reverse("payments:payment", args=[made.pk])
                ),
            )
        except ValidationError as error:
            add_domain_errors(form, error)
            status = 400
        except ProviderError:
            form.add_error(
                None, _("The payment service is not answering. Please try again in a moment.")
            )
            status = 503
        else:
            if payment.state in Payment.LIVE and charge.next_url:
                return HttpResponseRedirect(charge.next_url)
            return HttpResponseRedirect(reverse("payments:payment", args=[payment.pk]))
    engagement = booking.engagement
    return render(
        request,
        "payments/checkout.html",
        {
            "booking": booking,
            "engagement": engagement,
            "fee": platform_fee(engagement.price, engagement.platform_fee_rate),
            "fee_percent": engagement.platform_fee_rate / 100,
            "policies": engagement.policy_versions.select_related("policy"),
            "provider": providers.default(),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def payment(request: AuthenticatedHttpRequest, payment_id: int) -> HttpResponse:
    """Where the mentee comes back from the provider: the payment's state, asked of the
    provider again while it is not settled (the webhook may not have arrived yet)."""
    found = access_payment(request.user, payment_id)
    if found.state in Payment.LIVE:
        # Not answering: its webhook will settle it, and the page keeps asking.
        with contextlib.suppress(ProviderError):
            found = domain.settle_payment(found.pk)
    partial = bool(request.headers.get("HX-Request"))
    return render(
        request,
        "payments/_state.html" if partial else "payments/payment.html",
        {"payment": found, "booking": found.booking},
    )


@csrf_exempt  # signed by the provider instead
@require_POST
def webhook(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        handler = providers.get(provider)
    except providers.UnknownProvider as error:
        raise Http404 from error
    try:
        event = handler.parse_webhook(request.body, request.headers)
    except BadSignature:
        return HttpResponseBadRequest()
    try:
        domain.handle_event(provider, event)
    except ProviderError:
        return HttpResponse(status=503)  # the provider delivers it again later
    return HttpResponse(status=200)


# The sandbox provider's own pages ---------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sandbox_pay(request: HttpRequest, reference: str) -> HttpResponse:
    charge = sandbox_charge(reference)
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


@require_http_methods(["GET", "POST"])
def sandbox_confirm(request: HttpRequest, reference: str) -> HttpResponse:
    charge = sandbox_charge(reference)
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


# The mentor's money ----------------------------------------------------------------------


@mentor_required
@require_GET
def earnings(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = access_own_profile(request.user)
    account = None
    with contextlib.suppress(ProviderError):
        account = domain.refresh_payout_account(own)
    statement = Paginator(statement_of(own), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/earnings.html",
        {
            "earnings": earnings_of(own),
            "account": account,
            "payouts": own.payouts.all()[:20],
            "statement": statement,
            "minimum": settings.PAYOUT_MINIMUM,
        },
    )


@mentor_required
@require_POST
def payout_setup(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = access_own_profile(request.user)
    try:
        return HttpResponseRedirect(domain.open_payout_account(own))
    except ProviderError:
        messages.error(request, _("The payment service is not answering. Please try again later."))
        return HttpResponseRedirect(reverse("mentor:earnings"))


@mentor_required
@require_POST
def request_payout(request: AuthenticatedHttpRequest) -> HttpResponse:
    own = access_own_profile(request.user)
    currency = request.POST.get("currency", "")
    try:
        payout = domain.start_payout(own, currency, requested=True)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("A payout of %(amount)s is on its way.")
            % {"amount": format_money(payout.amount, payout.currency)},
        )
    return HttpResponseRedirect(reverse("mentor:earnings"))


@require_http_methods(["GET", "POST"])
def sandbox_account(request: HttpRequest, reference: str) -> HttpResponse:
    """The sandbox's page for a mentor's test bank account."""
    account = SandboxAccount.objects.filter(reference=reference).first()
    if account is None:
        raise Http404
    form = SandboxAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        SandboxAccount.objects.filter(pk=account.pk).update(number=form.cleaned_data["number"])
        return HttpResponseRedirect(reverse("mentor:earnings"))
    return render(
        request,
        "payments/sandbox_account.html",
        {"form": form, "good": GOOD_ACCOUNT, "failing": FAILING_ACCOUNT},
        status=400 if form.is_bound else 200,
    )
