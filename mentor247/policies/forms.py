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


def parse_version_ids(text: str) -> list[int]:
    try:
        return [int(part) for part in text.split(",") if part]
    except ValueError:
        return []


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
            self.show_current_versions()
            raise forms.ValidationError(STALE_DECISION, code="stale")
        if data.get("decision") == ACCEPT:
            for version in self.pending:
                if not data.get(self.field_name(version)):
                    self.add_error(
                        self.field_name(version),
                        _("Tick this box to accept the %(policy)s.") % {"policy": version.policy},
                    )
        return data

    def show_current_versions(self) -> None:
        """Shows the form again carrying the versions waiting now, so that it can be sent."""
        show_value(self, "versions", self.fields["versions"].initial)

    @property
    def version_ids(self) -> list[int]:
        return parse_version_ids(self.cleaned_data["versions"])

    @property
    def declined(self) -> bool:
        return self.cleaned_data["decision"] == DECLINE
