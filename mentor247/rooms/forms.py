from django import forms
from django.utils.translation import gettext_lazy as _

from mentor247.rooms.domain import WRAP_UP_MAX


class WrapUpForm(forms.Form):
    action_items = forms.CharField(
        label=_("Action items"),
        max_length=WRAP_UP_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What your mentee does before the next session, one per line."),
    )
    next_step = forms.CharField(
        label=_("Next step"),
        max_length=WRAP_UP_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the topic of the next session, or when to meet again."),
    )
    closing_words = forms.CharField(
        label=_("Closing words"),
        max_length=WRAP_UP_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
