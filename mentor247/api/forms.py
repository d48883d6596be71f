from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from mentor247.api.domain import DEFAULT_EXPIRY_DAYS, EXPIRY_DAYS, MAX_NAME_LENGTH
from mentor247.api.models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("Say what will use it, such as “calendar sync on my laptop”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        initial=[Scope.READ],
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Give it only what the program needs."),
        error_messages={"required": _("Choose at least one thing the token may do.")},
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Works for"),
        coerce=int,
        choices=[
            (days, ngettext_lazy("%(count)d day", "%(count)d days", "count") % {"count": days})
            for days in EXPIRY_DAYS
        ],
        initial=DEFAULT_EXPIRY_DAYS,
        help_text=_("Then it stops working, and you make a new one if you still need it."),
    )
