import re
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentor247.lib.money import to_minor
from mentor247.payments.providers.sandbox import FAILING_ACCOUNT, GOOD_ACCOUNT
from mentor247.payments.sandbox import TEST_CARDS


class CheckoutForm(forms.Form):
    # Drawn when the page is shown: a double click or a retried POST sends the same one.
    key = forms.CharField(max_length=100, widget=forms.HiddenInput)


class SandboxCardForm(forms.Form):
    number = forms.CharField(
        label=_("Card number"),
        max_length=23,
        widget=forms.TextInput(attrs={"autocomplete": "cc-number", "inputmode": "numeric"}),
    )
    expiry = forms.CharField(
        label=_("Expiry date (MM/YY)"),
        max_length=5,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "MM/YY"}),
    )
    code = forms.CharField(
        label=_("Security code"),
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if number not in TEST_CARDS:
            raise forms.ValidationError(
                _("This is not one of the sandbox's test cards (see the list on this page).")
            )
        return number

    def clean_expiry(self) -> date:
        match = re.fullmatch(r"(\d{2})\s*/\s*(\d{2})", self.cleaned_data["expiry"].strip())
        month = int(match.group(1)) if match else 0
        if not match or not 1 <= month <= 12:
            raise forms.ValidationError(_("Write the expiry date as MM/YY, for example 04/30."))
        expiry = date(2000 + int(match.group(2)), month, 1)
        today = timezone.now().date()
        if (expiry.year, expiry.month) < (today.year, today.month):
            raise forms.ValidationError(_("This card has expired."))
        return expiry

    def clean_code(self) -> str:
        code = self.cleaned_data["code"].strip()
        if not re.fullmatch(r"\d{3,4}", code):
            raise forms.ValidationError(_("The security code is 3 or 4 digits."))
        return code


class SandboxAccountForm(forms.Form):
    number = forms.CharField(label=_("Account number (IBAN)"), max_length=34)

    def clean_number(self) -> str:
        number = re.sub(r"\s", "", self.cleaned_data["number"]).upper()
        if number not in (GOOD_ACCOUNT, FAILING_ACCOUNT):
            raise forms.ValidationError(
                _("This is not one of the sandbox's test accounts (see the list on this page).")
            )
        return number


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=_("What went wrong?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 5})
    )


class StaffRefundForm(forms.Form):
    amount = forms.CharField(label=_("Amount"), max_length=20)
    reason = forms.CharField(
        label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, currency: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.currency = currency

    def clean_amount(self) -> int:
        try:
            amount = to_minor(self.cleaned_data["amount"], self.currency)
        except ValueError as error:
            raise forms.ValidationError(_("Write an amount such as 12.50.")) from error
        if amount <= 0:
            raise forms.ValidationError(_("Write an amount above zero."))
        return amount


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"),
        choices=[("refund", _("Refund the mentee")), ("release", _("Pay the mentor"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Why"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), max_length=200, required=False)
