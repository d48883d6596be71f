"""Choosing a time, and saying why a session is moved or cancelled."""

import uuid
from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from mentor247.bookings.domain import REASON_LENGTH
from mentor247.lib.bounds import check_moment


class TimeField(forms.CharField):
    """An instant as ISO 8601 with its offset, in the years lib.bounds allows; a time without
    an offset is refused."""

    def to_python(self, value: Any) -> datetime | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(_("Choose one of the times shown.")) from None
        return check_moment(moment)


class ChooseTimeForm(forms.Form):
    """One of the open times (radio buttons the template draws, grouped by the viewer's
    dates); `key` makes a repeated submission return the same booking."""

    start = TimeField(error_messages={"required": _("Choose a time.")})
    key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)


class BookForm(ChooseTimeForm):
    first_mentoring = forms.BooleanField(
        label=_("This is my first mentoring ever"),
        required=False,
        help_text=_("Your mentor sees this and takes it into account in your first session."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why?"),
        max_length=REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The other side reads it."),
    )


class MoveForm(ChooseTimeForm, ReasonForm):
    pass
