from decimal import Decimal
from typing import Any

from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mentor247.lib.forms import add_domain_errors
from mentor247.lib.languages import Proficiency, language_choices
from mentor247.lib.money import CURRENCIES, to_major, to_minor
from mentor247.lib.timezones import time_zone_names
from mentor247.mentors.domain import (
    DECISION_LABELS,
    EXPERTISE_CACHE_KEY,
    OfferingTerms,
    ProfileDetails,
    decisions_for,
)
from mentor247.mentors.models import (
    DEFAULT_CREDIT_DAYS,
    MAX_CREDIT_DAYS,
    MAX_SESSIONS,
    SESSION_MINUTES,
    Expertise,
    MentorProfile,
    Offering,
)
from mentor247.mentors.queries import MentorFilters, Sort
from mentor247.policies.forms import version_ids_text
from mentor247.policies.models import PolicyVersion

LANGUAGE_ROWS = 4


def set_choices(form: forms.BaseForm, name: str, choices: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in time_zone_names()]


def _language_choices(blank: str) -> list[tuple[str, str]]:
    return [("", blank), *language_choices()]


class ProfileForm(forms.Form):
    """What a mentor's page says; the same fields to apply and, once approved, to edit."""

    label_suffix = ""

    headline = forms.CharField(
        label=_("Headline"),
        max_length=120,
        help_text=_("One line on what you help people with."),
    )
    bio = forms.CharField(
        label=_("About you"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Your experience, how you work with mentees, and who you help best."),
    )
    expertise = forms.CharField(
        label=_("Areas of expertise"),
        max_length=700,
        help_text=_("Separated by commas, e.g. “Product management, User research”."),
    )
    years_of_experience = forms.IntegerField(
        label=_("Years of experience"), min_value=0, max_value=70
    )
    country = forms.ChoiceField(label=_("Country"))
    time_zone = forms.ChoiceField(label=_("Time zone"))
    # Which currencies may be chosen is the domain's rule (mentors.domain.check_details),
    # which says why one cannot.
    currency = forms.CharField(
        label=_("Currency of your prices"),
        max_length=3,
        widget=forms.Select(choices=CURRENCIES),
        help_text=_("All your offerings are priced in this currency."),
    )

    def clean_currency(self) -> str:
        return str(self.cleaned_data["currency"]).strip().upper()

    photo = forms.FileField(
        label=_("Photo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
        help_text=_("A clear photo of your face: JPEG, PNG or WebP, up to 5 MB."),
    )

    def __init__(self, *args: Any, profile: MentorProfile | None = None, **kwargs: Any) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = initial_details(profile)
        super().__init__(*args, **kwargs)
        set_choices(self, "country", [("", _("Choose your country")), *countries])
        set_choices(self, "time_zone", _zone_choices())
        for row in range(1, LANGUAGE_ROWS + 1):
            self.fields[f"language_{row}"] = forms.ChoiceField(
                label=_("Language %(row)s") % {"row": row},
                choices=_language_choices(str(_("Choose a language"))),
                required=row == 1,
            )
            self.fields[f"level_{row}"] = forms.TypedChoiceField(
                label=_("Level in language %(row)s") % {"row": row},
                choices=[("", _("Choose a level")), *Proficiency.choices],
                coerce=int,
                required=False,
                empty_value=None,
            )

    def language_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [
            (self[f"language_{row}"], self[f"level_{row}"]) for row in range(1, LANGUAGE_ROWS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for row in range(1, LANGUAGE_ROWS + 1):
            if data.get(f"language_{row}") and not data.get(f"level_{row}"):
                self.add_error(f"level_{row}", _("Choose how well you speak this language."))
        return data

    def details(self) -> ProfileDetails:
        data = self.cleaned_data
        languages = [
            (data[f"language_{row}"], data[f"level_{row}"])
            for row in range(1, LANGUAGE_ROWS + 1)
            if data.get(f"language_{row}")
        ]
        return ProfileDetails(
            headline=data["headline"],
            bio=data["bio"],
            expertise=[name for name in data["expertise"].split(",") if name.strip()],
            years_of_experience=data["years_of_experience"],
            languages=languages,
            country=data["country"],
            time_zone=data["time_zone"],
            currency=data["currency"],
        )

    def add_domain_errors(self, error: ValidationError) -> None:
        """Shows the domain's errors at their fields (languages at the first row)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for field, errors in error.error_dict.items():
            self.add_error("language_1" if field == "languages" else field, errors)


def initial_details(profile: MentorProfile) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "headline": profile.headline,
        "bio": profile.bio,
        "expertise": ", ".join(tag.name for tag in profile.expertise.all()),
        "years_of_experience": profile.years_of_experience,
        "country": profile.country.code,
        "time_zone": profile.time_zone,
        "currency": profile.currency,
    }
    for row, language in enumerate(profile.languages.order_by("-proficiency", "pk"), start=1):
        if row > LANGUAGE_ROWS:
            break
        initial[f"language_{row}"] = language.language
        initial[f"level_{row}"] = language.proficiency
    return initial


class ApplicationForm(ProfileForm):
    """Applying also accepts the mentors' policies in effect, exactly those shown."""

    policy_versions = forms.CharField(widget=forms.HiddenInput, required=False)
    accept_conduct = forms.BooleanField(
        label=_("I have read the Mentor Code of Conduct and agree to follow it."),
        error_messages={"required": _("To apply, agree to the Mentor Code of Conduct.")},
    )

    def __init__(self, *args: Any, pending: list[PolicyVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.pending = pending
        self.fields["policy_versions"].initial = version_ids_text(pending)

    def version_ids(self) -> list[int]:
        text = self.cleaned_data.get("policy_versions") or ""
        return [int(part) for part in text.split(",") if part.strip().isdigit()]


class OfferingForm(forms.Form):
    label_suffix = ""
    title = forms.CharField(label=_("Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4})
    )
    session_count = forms.IntegerField(
        label=_("Number of sessions"), min_value=1, max_value=MAX_SESSIONS, initial=1
    )
    session_minutes = forms.TypedChoiceField(
        label=_("Minutes per session"),
        choices=[(m, str(m)) for m in SESSION_MINUTES],
        coerce=int,
        initial=60,
    )
    price = forms.DecimalField(
        label=_("Price"),
        min_value=Decimal(0),
        max_digits=10,
        help_text=_("For the whole offering; 0 makes it free."),
    )
    plan = forms.CharField(
        label=_("Plan"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One line per session, in order: the topic of each session."),
    )
    expected_results = forms.CharField(
        label=_("What a mentee can realistically expect"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    not_included = forms.CharField(
        label=_("What this offering will not do"),
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    credit_days = forms.IntegerField(
        label=_("Days to book the sessions in"),
        min_value=1,
        max_value=MAX_CREDIT_DAYS,
        initial=DEFAULT_CREDIT_DAYS,
        help_text=_("After buying, a mentee has this long to book every session."),
    )

    def __init__(
        self, *args: Any, currency: str, offering: Offering | None = None, **kwargs: Any
    ) -> None:
        if offering is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": offering.title,
                "description": offering.description,
                "session_count": offering.session_count,
                "session_minutes": offering.session_minutes,
                "price": to_major(offering.price, offering.currency),
                "plan": "\n".join(offering.plan),
                "expected_results": offering.expected_results,
                "not_included": offering.not_included,
                "credit_days": offering.credit_days,
            }
        super().__init__(*args, **kwargs)
        self.currency = currency
        self.fields["price"].label = _("Price in %(currency)s") % {"currency": currency}

    def clean_price(self) -> int:
        try:
            return to_minor(self.cleaned_data["price"], self.currency)
        except ValueError:
            raise ValidationError(
                _("%(currency)s prices cannot have that many decimals.")
                % {"currency": self.currency}
            ) from None

    def terms(self) -> OfferingTerms:
        data = self.cleaned_data
        return OfferingTerms(
            title=data["title"],
            description=data["description"],
            session_count=data["session_count"],
            session_minutes=data["session_minutes"],
            price=data["price"],
            plan=[line for line in data["plan"].splitlines() if line.strip()],
            expected_results=data["expected_results"],
            not_included=data["not_included"],
            credit_days=data["credit_days"],
        )

    def add_domain_errors(self, error: ValidationError) -> None:
        add_domain_errors(self, error)


class DecisionForm(forms.Form):
    label_suffix = ""

    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    note = forms.CharField(
        label=_("Note to the mentor"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to reject, ask for changes, suspend or remove; the mentor reads it."),
    )

    def __init__(self, *args: Any, profile: MentorProfile, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(
            self, "decision", [(name, DECISION_LABELS[name]) for name in decisions_for(profile)]
        )


def expertise_choices() -> list[tuple[str, str]]:
    """The areas approved mentors name; a distinct scan of every mentor's tags, so cached."""
    choices: list[tuple[str, str]] | None = cache.get(EXPERTISE_CACHE_KEY)
    if choices is None:
        choices = list(
            Expertise.objects.filter(mentors__status=MentorProfile.Status.APPROVED)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")
        )
        cache.set(EXPERTISE_CACHE_KEY, choices, 300)
    return choices


RATING_CHOICES = [("", _("Any rating")), ("4.5", "4.5+"), ("4", "4+"), ("3", "3+")]
SORT_CHOICES = [
    (Sort.RELEVANCE, _("Best match")),
    (Sort.RATING, _("Rating")),
    (Sort.PRICE, _("Price, lowest first")),
]


class SearchForm(forms.Form):
    """The directory's query, read from the URL so a search can be shared."""

    label_suffix = ""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    expertise = forms.ChoiceField(label=_("Expertise"), required=False)
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.TypedChoiceField(
        label=_("At least"),
        required=False,
        choices=Proficiency.choices,
        coerce=int,
        empty_value=None,
    )
    currency = forms.ChoiceField(
        label=_("Currency"), required=False, choices=[("", _("Any currency")), *CURRENCIES]
    )
    min_price = forms.DecimalField(label=_("Price from"), required=False, min_value=Decimal(0))
    max_price = forms.DecimalField(label=_("Price up to"), required=False, min_value=Decimal(0))
    rating = forms.ChoiceField(label=_("Rating"), required=False, choices=RATING_CHOICES)
    overlap = forms.BooleanField(label=_("Works when I work"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "expertise", [("", _("Any expertise")), *expertise_choices()])
        set_choices(self, "language", _language_choices(str(_("Any language"))))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        priced = data.get("min_price") is not None or data.get("max_price") is not None
        if priced and not data.get("currency"):
            self.add_error("currency", _("Choose a currency to filter by price."))
        elif priced:
            for name in ("min_price", "max_price"):
                if data.get(name) is not None:
                    try:
                        data[name] = to_minor(data[name], data["currency"])
                    except ValueError:
                        self.add_error(
                            name,
                            _("%(currency)s prices cannot have that many decimals.")
                            % {"currency": data["currency"]},
                        )
        if data.get("sort") == Sort.PRICE and not data.get("currency"):
            self.add_error("currency", _("Choose a currency to sort by price."))
        low, high = data.get("min_price"), data.get("max_price")
        if isinstance(low, int) and isinstance(high, int) and low > high:
            self.add_error("max_price", _("The upper price is below the lower one."))
        return data

    def filters(self, *, viewer_time_zone: str) -> MentorFilters:
        data = self.cleaned_data
        return MentorFilters(
            text=data.get("q") or "",
            expertise=data.get("expertise") or "",
            language=data.get("language") or "",
            min_proficiency=data.get("level") or Proficiency.BASIC,
            currency=data.get("currency") or "",
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            min_rating=float(data["rating"]) if data.get("rating") else None,
            overlap_with=viewer_time_zone if data.get("overlap") else "",
            sort=data.get("sort") or "",
        )
