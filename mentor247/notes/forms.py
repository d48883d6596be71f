from django import forms
from django.utils.translation import gettext_lazy as _

from mentor247.notes.domain import MAX_LENGTH


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"),
        required=False,
        strip=False,
        max_length=MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
