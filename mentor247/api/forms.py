from django import forms
from django.utils.translation import gettext_lazy as _

from mentor247.api.domain import MAX_NAME_LENGTH


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=MAX_NAME_LENGTH,
        help_text=_("Say what will use it, such as “calendar sync on my laptop”."),
    )
