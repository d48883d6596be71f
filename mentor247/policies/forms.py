from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from mentor247.lib.forms import show_value
from mentor247.policies.domain import STALE_DECISION
from mentor247.policies.models import PolicyVersion

ACCEPT = "accept"
DECLINE = "decline"


def version_ids_text(versions: list[PolicyVersion]) -> str:
    return ",".join(str(version.pk) for version in versions)


class ReviewForm(forms.Form):
    """Accept or decline the policy versions waiting for this person, exactly as shown."""

    versions = forms.CharField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(choices=[(ACCEPT, _("Accept")), (DECLINE, _("Decline"))])

    def __init__(self, *args: Any, pending: list[PolicyVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.fields["versions"].initial = version_ids_text(pending)
        for version in pending:
            self.fields[self.field_name(version)] = forms.BooleanField(
                required=False,
                label=_("I have read and accept the %(policy)s (version %(number)s).")
                % {"policy": version.policy, "number": version.number},
            )

    @staticmethod
    def field_name(version: PolicyVersion) -> str:
        return f"accept_{version.pk}"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("versions") != self.fields["versions"].initial:
            # Shown again, the form carries the versions waiting now, so it can be sent.
            show_value(self, "versions", self.fields["versions"].initial)
            raise forms.ValidationError(STALE_DECISION, code="stale")
        if data.get("decision") == ACCEPT:
            for version in self.pending:
                if not data.get(self.field_name(version)):
                    self.add_error(
                        self.field_name(version),
                        _("Tick this box to accept the %(policy)s.") % {"policy": version.policy},
                    )
        return data

    @property
    def version_ids(self) -> list[int]:
        """The versions shown, which clean() found to be those waiting."""
        return [version.pk for version in self.pending]

    @property
    def declined(self) -> bool:
        return self.cleaned_data["decision"] == DECLINE
