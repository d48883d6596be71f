from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentor247.policies.models import PolicyVersion

ACCEPT = "accept"
DECLINE = "decline"


class ReviewForm(forms.Form):
    """Accept or decline the policy versions waiting for this person, exactly as shown."""

    versions = forms.CharField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))])

    def __init__(self, *args: Any, pending: list[PolicyVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.fields["versions"].initial = ",".join(str(version.pk) for version in pending)
        for version in pending:
            self.fields[self.field_name(version)] = forms.BooleanField(
                required=False,
                label=_("I have read and accept the %(policy)s (version %(number)s).")
                % {"policy": version.policy, "number": version.number},
            )

    @staticmethod
    def field_name(version: PolicyVersion) -> str:
        return f"accept_{version.pk}"

    def checkbox_fields(self) -> list[forms.BoundField]:
        return [self[self.field_name(version)] for version in self.pending]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("versions") != self.fields["versions"].initial:
            raise forms.ValidationError(
                _(
                    "The policies changed while you were reading them. Please read the versions "
                    "shown now and decide again."
                ),
                code="stale",
            )
        if data.get("decision") == ACCEPT:
            for version in self.pending:
                if not data.get(self.field_name(version)):
                    self.add_error(
                        self.field_name(version),
                        _("Tick this box to accept the %(policy)s.") % {"policy": version.policy},
                    )
        return data

    @property
    def declined(self) -> bool:
        return self.cleaned_data["decision"] == DECLINE
