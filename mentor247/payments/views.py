import contextlib
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any, cast

from csp.decorators import csp_update
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
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentor247.bookings.access import access_booking
from mentor247.bookings.domain import Busy
from mentor247.bookings.models import Booking
from mentor247.lib.bounds import check_day
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.money import format_money
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors.access import access_own_profile
from mentor247.payments import domain, providers
from mentor247.payments.access import access_earnings_profile, access_payment
from mentor247.payments.forms import (
    CheckoutForm,
    DisputeForm,
)
from mentor247.payments.models import (
    Payment,
)
from mentor247.payments.pdf import receipt_pdf, statement_pdf
from mentor247.payments.providers.base import BadSignature, ProviderError
from mentor247.payments.queries import (
    earnings_of,
    monthly_earnings,
    receipt_of,
    recent_months,
    statement_for_month,
    statement_of,
)
from mentor247.payments.rules import platform_fee
from mentor247.policies.access import mentor_money_required, mentor_required


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
        except Busy as busy:
            form.add_error(None, busy.message)
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
        # Not answering, or too busy: its webhook or the tick will settle it, and the page
        # keeps asking.
        with contextlib.suppress(ProviderError, Busy):
            domain.settle_payment(found.pk)
            found = access_payment(request.user, payment_id)
    partial = bool(request.headers.get("HX-Request"))
    return render(
        request,
        "payments/_state.html" if partial else "payments/payment.html",
        {
            "payment": found,
            "booking": found.booking,
        },
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
    except (ProviderError, Busy):
        return HttpResponse(status=503)  # the provider delivers it again later
    return HttpResponse(status=200)


# The mentor's money ----------------------------------------------------------------------


@mentor_money_required
@require_GET
def earnings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's money: what is in escrow, available, on its way and paid, by currency;
    payouts and the statement. A suspended or removed mentor sees it too, held."""
    own = access_earnings_profile(request.user)
    account = None
    with contextlib.suppress(ProviderError):
        account = domain.refresh_payout_account(own)
    statement = Paginator(statement_of(own), 50).get_page(request.GET.get("page"))
    rows = earnings_of(own)
    return render(
        request,
        "payments/earnings.html",
        {
            "earnings": rows,
            "chart": monthly_earnings(own, rows[0].currency) if rows else [],
            "months": recent_months(),
            "account": account,
            "payouts": own.payouts.all()[:20],
            "statement": statement,
            "minimums": [
                format_money(domain.payout_minimum(row.currency), row.currency) for row in rows
            ],
            "held": own.status != own.Status.APPROVED,
            "paused_until": account.paused_until
            if account and account.paused_until and account.paused_until > timezone.now()
            else None,
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


@login_required
@require_http_methods(["GET", "POST"])
def dispute(request: AuthenticatedHttpRequest, booking_id: int) -> HttpResponse:
    found = access_booking(request.user, booking_id)
    if found.mentee_id != request.user.pk:
        raise Http404
    form = DisputeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.open_dispute(found, request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Sent. Staff will look at it and write to you."))
            return HttpResponseRedirect(reverse("bookings:booking", args=[found.pk]))
    return render(
        request,
        "payments/dispute.html",
        {"booking": found, "form": form},
        status=400 if form.errors else 200,
    )


def _receipt_context(payment: Payment) -> dict[str, Any]:
    return {"payment": payment, **receipt_of(payment)}


@login_required
@require_GET
def receipt(request: AuthenticatedHttpRequest, payment_id: int) -> HttpResponse:
    """The mentee's receipt of a payment made, as a page or (?format=pdf) a PDF file."""
    found = access_payment(request.user, payment_id)
    if found.state != Payment.State.SUCCEEDED:
        raise Http404
    context = _receipt_context(found)
    if request.GET.get("format") == "pdf":
        document = receipt_pdf(found, context)
        return _pdf(document, f"receipt-R-{found.pk}.pdf")
    return render(request, "payments/receipt.html", context)


@mentor_money_required
@require_GET
def statement(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The mentor's statement of one month (?month=YYYY-MM, this month by default), as PDF; a
    month that is not one, or outside the years lib.bounds allows, goes back to the earnings
    page with a message."""
    own = access_earnings_profile(request.user)
    month = timezone.localdate().replace(day=1)
    if "month" in request.GET:
        try:
            month = check_day(datetime.strptime(request.GET["month"], "%Y-%m").date())
        except (ValueError, ValidationError):
            messages.error(
                request,
                _("There is no statement for “%(month)s”: give a month such as %(example)s.")
                % {"month": request.GET["month"][:20], "example": f"{month:%Y-%m}"},
            )
            return HttpResponseRedirect(reverse("mentor:earnings"))
    entries, totals = statement_for_month(own, month)
    title = _("Statement of %(month)s") % {"month": formats.date_format(month, "F Y")}
    rows = [(label, format_money(amount, currency)) for (label, currency), amount in totals.items()]
    rows.insert(0, (_("Mentor"), f"{request.user.name} <{request.user.email}>"))
    return _pdf(statement_pdf(title, entries, rows), f"statement-{month:%Y-%m}.pdf")


def _pdf(document: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(document, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# Stripe's card form (Stripe.js, from Stripe's own address, on this page alone).
STRIPE_JS = "https://js.stripe.com"


def _with_stripe_js(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    allowed = csp_update(
        {
            "script-src": [STRIPE_JS],
            "frame-src": [STRIPE_JS, "https://hooks.stripe.com"],
            "connect-src": ["https://api.stripe.com"],
        }
    )
    return cast(Callable[..., HttpResponse], allowed(view))


@login_required
@require_GET
@_with_stripe_js
def stripe_pay(request: AuthenticatedHttpRequest, reference: str) -> HttpResponse:
    """The mentee's card form for a Stripe payment: Stripe's Payment Element, which confirms
    the Payment Intent and comes back to the payment's page."""
    found = Payment.objects.filter(provider="stripe", reference=reference, mentee=request.user)
    payment_ = found.select_related("engagement__offering").first()
    if payment_ is None or payment_.state not in Payment.LIVE:
        raise Http404
    try:
        secret = domain.client_secret(payment_)
    except ProviderError:
        messages.error(request, _("The payment service is not answering. Please try again later."))
        return HttpResponseRedirect(reverse("payments:payment", args=[payment_.pk]))
    return render(
        request,
        "payments/stripe_pay.html",
        {
            "payment": payment_,
            "client_secret": secret,
            "publishable_key": settings.STRIPE_PUBLISHABLE_KEY,
            "return_url": request.build_absolute_uri(
                reverse("payments:payment", args=[payment_.pk])
            ),
        },
    )
