from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from mentor247.accounts.domain import complete_sign_up
from mentor247.accounts.models import User
from mentor247.lib.forms import show_value
from mentor247.lib.requests import client_ip, user_agent
from mentor247.lib.text import validate_person_name
from mentor247.lib.timezones import is_time_zone, time_zone_names
from mentor247.policies.forms import version_ids_text
from mentor247.policies.models import EVERYONE_KINDS
from mentor247.policies.queries import versions_in_effect


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


ACCEPT_LABEL = _(
    'I accept the <a href="{}">Terms of Use</a> and the <a href="{}">Privacy Policy</a>.'
)


class SignupForm(AllauthSignupForm):
    """Sign-up by email that also records the Terms and Privacy Policy the person accepted."""

    name = forms.CharField(label=_("Your name"), max_length=150, validators=[validate_person_name])
    # Filled in by the browser (static/js/time-zone.js); UTC when scripts are off.
    time_zone = forms.CharField(widget=forms.HiddenInput, required=False)
    policy_versions = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_policies = forms.BooleanField(
        required=True,
        error_messages={
            "required": _("To create an account, accept the Terms of Use and Privacy Policy.")
        },
    )

    field_order = ("name", "email", "password1", "password2", "accept_policies")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.versions = versions_in_effect(EVERYONE_KINDS)
        self.fields["policy_versions"].initial = version_ids_text(self.versions)
        self.fields["accept_policies"].label = format_html(
            str(ACCEPT_LABEL),
            reverse("policies:document", args=["terms"]),
            reverse("policies:document", args=["privacy"]),
        )

    def clean_time_zone(self) -> str:
        name = self.cleaned_data.get("time_zone") or "UTC"
        return name if is_time_zone(name) else "UTC"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if self.data.get("policy_versions") != version_ids_text(self.versions):
            # Shown again, the form carries the versions in effect now.
            show_value(self, "policy_versions", version_ids_text(self.versions))
            raise forms.ValidationError(
                _(
                    "The Terms of Use or Privacy Policy changed while you were signing up. "
                    "Please read the current versions and tick the box again."
                ),
                code="stale",
            )
        return data

    def save(self, request: HttpRequest) -> User:
        with transaction.atomic():
            user: User = super().save(request)
        return user

    def signup(self, request: HttpRequest, user: User) -> None:
        complete_sign_up(
            user,
            name=self.cleaned_data["name"],
            time_zone=self.cleaned_data["time_zone"],
            language=preferred_language(request),
            accepted=self.versions,
            ip_address=client_ip(request),
            user_agent=user_agent(request),
        )


def preferred_language(request: HttpRequest) -> str:
    code = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class PreferencesForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)

    def clean_name(self) -> str:
        name: str = self.cleaned_data["name"]
        validate_person_name(name)
        return name

    class Meta:
        model = User
        fields = ("name", "time_zone", "language", "english_level")
        labels = {
            "name": _("Your name"),
            "language": _("Language"),
            "english_level": _("Your level of English"),
        }
        help_texts = {
            "english_level": _(
                "Your mentors see it, so they can speak slowly when it helps. Leave it empty "
                "if you prefer not to say."
            )
        }
