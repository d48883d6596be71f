"""Receipts and monthly statements as PDF documents (fpdf2), with the same content as their
pages, in the viewer's language and time zone."""

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF

from mentor247.lib.money import format_money
from mentor247.payments.models import LedgerEntry, Payment, Refund
from mentor247.templatetags.when import when_text


def _document(title: str) -> FPDF:
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_author(settings.SITE_NAME)
    pdf.add_font("body", "", settings.PDF_FONT)
    pdf.add_font("body", "B", settings.PDF_FONT_BOLD)
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    pdf.set_font("body", "B", 16)
    pdf.cell(0, 10, settings.SITE_NAME, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("body", "B", 13)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    pdf.set_font("body", "", 10)
    return pdf


def _pairs(pdf: FPDF, rows: Iterable[tuple[str, str]]) -> None:
    for label, value in rows:
        pdf.set_font("body", "B", 10)
        pdf.cell(60, 7, label)
        pdf.set_font("body", "", 10)
        pdf.multi_cell(0, 7, value, new_x="LMARGIN", new_y="NEXT")


def _table(pdf: FPDF, head: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    pdf.ln(2)
    widths, align = (40, 55, 40, 35), ("LEFT", "LEFT", "LEFT", "RIGHT")
    with pdf.table(col_widths=widths, text_align=align) as table:
        row = table.row()
        for cell in head:
            row.cell(cell)
        for values in rows:
            row = table.row()
            for cell in values:
                row.cell(cell)


def receipt_pdf(payment: Payment, receipt: Mapping[str, Any]) -> bytes:
    """The receipt of `payment` as PDF: `receipt` as payments.queries.receipt_of gives it."""
    engagement = payment.engagement
    refunds: Sequence[Refund] = receipt["refunds"]
    pdf = _document(_("Receipt %(number)s") % {"number": f"R-{payment.pk}"})
    amount = format_money(payment.amount, payment.currency)
    _pairs(
        pdf,
        [
            (_("Date"), when_text(payment.settled_at or payment.created_at)),
            (_("Paid by"), f"{payment.mentee.name} <{payment.mentee.email}>"),
            (
                _("For"),
                _("%(offering)s with %(mentor)s")
                % {"offering": engagement.offering.title, "mentor": engagement.mentor.user.name},
            ),
            (_("Amount charged"), amount),
            (_("Given back"), format_money(receipt["refunded"], payment.currency)),
            (_("Kept"), format_money(receipt["kept"], payment.currency)),
            (
                _("Of which the platform's fee so far"),
                format_money(receipt["fee"], payment.currency),
            ),
            (_("Paid through"), f"{payment.provider} {payment.reference}"),
        ],
    )
    if refunds:
        pdf.ln(3)
        pdf.set_font("body", "B", 11)
        pdf.cell(0, 8, _("Given back"), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("body", "", 10)
        _table(
            pdf,
            (_("Date"), _("Why"), _("State"), _("Amount")),
            (
                (
                    when_text(refund.created_at),
                    refund.reason,
                    str(refund.get_state_display()),
                    format_money(refund.amount, payment.currency),
                )
                for refund in refunds
            ),
        )
    return bytes(pdf.output())


def statement_pdf(
    title: str, entries: Sequence[LedgerEntry], totals: Sequence[tuple[str, str]]
) -> bytes:
    pdf = _document(title)
    _pairs(pdf, totals)
    _table(
        pdf,
        (_("When"), _("What"), _("Account"), _("Amount")),
        (
            (
                when_text(entry.transaction.created_at),
                str(entry.transaction.get_kind_display()),
                str(entry.account.get_kind_display()),
                format_money(entry.amount, entry.account.currency),
            )
            for entry in entries
        ),
    )
    if not entries:
        pdf.cell(0, 8, _("Nothing in this month."), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
