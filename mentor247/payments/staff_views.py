"""Staff pages of money: payments and their refunds, disputes, payouts."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from mentor247.accounts.models import AuditEntry
from mentor247.lib.forms import add_domain_errors
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.mentors.access import staff_required
from mentor247.payments import domain
from mentor247.payments.forms import (
    DecisionForm,
    SearchForm,
    StaffRefundForm,
)
from mentor247.payments.models import (
    Dispute,
    LedgerCheck,
    LedgerEntry,
    Payment,
    Payout,
    Refund,
)


@staff_required
@require_GET
def staff_payments(request: HttpRequest) -> HttpResponse:
    """Payments, newest first; searched by the mentee's email, a provider reference, or a
    payment or booking number."""
    search = SearchForm(request.GET)
    found = Payment.objects.select_related("mentee", "engagement__offering").order_by("-pk")
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if query:
        match = Q(mentee__email__iexact=query) | Q(reference=query)
        if query.isdigit():
            match |= Q(pk=int(query)) | Q(booking_id=int(query))
        found = found.filter(match)
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/staff_payments.html",
        {
            "page": page,
            "search": search,
            "open_disputes": Dispute.objects.filter(state="open").count(),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def staff_payment(request: AuthenticatedHttpRequest, payment_id: int) -> HttpResponse:
    """One payment: its refunds, its ledger movements, and a refund staff decide."""
    payment = Payment.objects.filter(pk=payment_id).select_related("mentee", "booking").first()
    if payment is None:
        raise Http404
    form = StaffRefundForm(request.POST or None, currency=payment.currency)
    if request.method == "POST" and form.is_valid():
        try:
            domain.refund_by_staff(
                payment,
                form.cleaned_data["amount"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Refunded. The refund is on its way to the card."))
            return HttpResponseRedirect(reverse("payments_staff:payment", args=[payment.pk]))
    return render(
        request,
        "payments/staff_payment.html",
        {
            "payment": payment,
            "refunds": payment.refunds.select_related("by"),
            "entries": LedgerEntry.objects.filter(transaction__payment=payment)
            .select_related("account", "transaction")
            .order_by("transaction__created_at", "pk"),
            "audit": AuditEntry.objects.filter(subject=f"payment:{payment.pk}").select_related(
                "actor"
            ),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def staff_disputes(request: HttpRequest) -> HttpResponse:
    tab = "decided" if request.GET.get("decided") else "open"
    found = Dispute.objects.select_related("booking__mentee", "booking__mentor__user").order_by(
        "opened_at"
    )
    found = found.exclude(state="open") if tab == "decided" else found.filter(state="open")
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(request, "payments/staff_disputes.html", {"page": page, "tab": tab})


@staff_required
@require_http_methods(["GET", "POST"])
def staff_dispute(request: AuthenticatedHttpRequest, dispute_id: int) -> HttpResponse:
    found = (
        Dispute.objects.filter(pk=dispute_id)
        .select_related("booking__mentee", "booking__mentor__user", "booking__engagement__offering")
        .first()
    )
    if found is None:
        raise Http404
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain.decide_dispute(
                found,
                refund=form.cleaned_data["outcome"] == "refund",
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_domain_errors(form, error)
        else:
            messages.success(request, _("Decided. The money has moved."))
            return HttpResponseRedirect(reverse("payments_staff:disputes"))
    return render(
        request,
        "payments/staff_dispute.html",
        {"dispute": found, "form": form},
        status=400 if form.errors else 200,
    )


@staff_required
@require_GET
def staff_payouts(request: HttpRequest) -> HttpResponse:
    """Payouts, newest first; searched by the mentor's email or a provider reference."""
    search = SearchForm(request.GET)
    found = Payout.objects.select_related("mentor__user").order_by("-pk")
    query = search.cleaned_data["q"].strip() if search.is_valid() else ""
    if query:
        found = found.filter(Q(mentor__user__email__iexact=query) | Q(reference=query))
    page = Paginator(found, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "payments/staff_payouts.html",
        {"page": page, "search": search, "query": _query(query)},
    )


@staff_required
@require_GET
def staff_attention(request: HttpRequest) -> HttpResponse:
    """What waits for staff: payments the provider never answered about, refunds it refused
    MAX_ATTEMPTS times, payouts whose transfer it never answered for; and the latest checks
    of the ledger."""
    return render(
        request,
        "payments/staff_attention.html",
        {
            "payments": Payment.objects.filter(stuck=True, state__in=Payment.LIVE)
            .select_related("mentee")
            .order_by("pk")[:100],
            "refunds": Refund.objects.filter(state=Refund.State.FAILED)
            .select_related("payment__mentee")
            .order_by("pk")[:100],
            "payouts": Payout.objects.filter(stuck=True, state=Payout.State.IN_TRANSIT)
            .select_related("mentor__user")
            .order_by("pk")[:100],
            "checks": LedgerCheck.objects.all()[:7],
        },
    )


RETRIED: dict[str, type[Payment] | type[Refund] | type[Payout]] = {
    "payment": Payment,
    "refund": Refund,
    "payout": Payout,
}


@staff_required
@require_POST
def staff_retry(request: AuthenticatedHttpRequest, kind: str, pk: int) -> HttpResponse:
    """Sets a payment, refund or payout that waits for staff going again."""
    model = RETRIED.get(kind)
    target = model._default_manager.filter(pk=pk).first() if model else None
    if target is None:
        raise Http404
    try:
        domain.retry_by_staff(target, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Asked again. It is settled as soon as the provider answers."))
    return HttpResponseRedirect(reverse("payments_staff:attention"))


def _query(query: str) -> str:
    """The search's part of a page link's query string."""
    return urlencode({"q": query}) + "&" if query else ""
