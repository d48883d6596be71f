"""The only writers of mentor profiles, their languages, expertise and offerings.

Locking: a write about one mentor locks the person's row first (as policies.domain does), then
the profile row, so two writes about one mentor are taken in turn and never wait in a circle.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django.utils.text import get_text_list, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django_countries import countries

from mentor247.accounts.models import User
from mentor247.lib.languages import Proficiency, language_codes
from mentor247.lib.mail import queue_email, render_email
from mentor247.lib.money import CURRENCY_CODES, minor_digits
from mentor247.lib.timezones import validate_time_zone
from mentor247.mentors.listing import refresh_listing
from mentor247.mentors.models import (
    DEFAULT_CREDIT_DAYS,
    MAX_CREDIT_DAYS,
    MAX_SESSIONS,
    SESSION_MINUTES,
    Expertise,
    MentorLanguage,
    MentorProfile,
    Offering,
)
from mentor247.mentors.photos import delete_photo, store_photo
from mentor247.policies.domain import accept_pending
from mentor247.policies.models import MENTOR_KINDS
from mentor247.policies.queries import pending_versions

Status = MentorProfile.Status
HEADLINE_LENGTH = 120
TEXT_LENGTH = 5000
OFFERING_TEXT_LENGTH = 3000
TOPIC_LENGTH = 200
# Above any price a mentor may ask for one offering, and below the database's integer limits.
MAX_PRICE = 100_000_000
MAX_EXPERTISE = 10
MAX_LANGUAGES = 10
# Who may (re)apply: nobody with a profile in review, approved, suspended or removed.
MAY_APPLY = frozenset({Status.CHANGES_REQUESTED, Status.REJECTED})
IN_REVIEW = frozenset({Status.APPLIED})


@dataclass(frozen=True)
class ProfileDetails:
    headline: str
    bio: str
    expertise: Sequence[str]
    years_of_experience: int
    languages: Sequence[tuple[str, int]]
    country: str
    time_zone: str
    currency: str


@dataclass(frozen=True)
class OfferingTerms:
    title: str
    description: str
    session_count: int
    session_minutes: int
    price: int
    plan: Sequence[str]
    expected_results: str
    not_included: str
    credit_days: int = DEFAULT_CREDIT_DAYS


def too_long(limit: int) -> str:
    return _("Please keep this to at most %(count)s characters.") % {"count": limit}


# The directory's list of areas of expertise (mentors.forms) is cached; a decision or a
# profile change can add or remove areas.
EXPERTISE_CACHE_KEY = "mentors:expertise-choices"


def forget_expertise_choices() -> None:
    cache.delete(EXPERTISE_CACHE_KEY)


def unsupported_currency(currency: str) -> str:
    """Why prices cannot be set in `currency`: one with three decimal places (KWD, say)
    is refused for what it is, as payment providers take amounts of at most two."""
    try:
        three = minor_digits(currency) > 2
    except (ValueError, KeyError):
        three = False
    if three:
        return _(
            "Prices in %(currency)s cannot be taken: its amounts have three decimal places, "
            "which payments here do not support. Please choose another currency."
        ) % {"currency": currency}
    return _("Please choose one of the currencies listed.")


def check_details(details: ProfileDetails) -> None:
    """Raises ValidationError, by field, unless `details` can stand on a mentor's page."""
    errors: dict[str, str] = {}
    if not details.headline.strip():
        errors["headline"] = _("Say in one line what you help people with.")
    elif len(details.headline.strip()) > HEADLINE_LENGTH:
        errors["headline"] = too_long(HEADLINE_LENGTH)
    if not details.bio.strip():
        errors["bio"] = _("Tell mentees about yourself and how you work.")
    elif len(details.bio.strip()) > TEXT_LENGTH:
        errors["bio"] = too_long(TEXT_LENGTH)
    if details.currency not in CURRENCY_CODES:
        errors["currency"] = unsupported_currency(details.currency)
    names = [name.strip() for name in details.expertise if name.strip()]
    if not names:
        errors["expertise"] = _("Name at least one area of expertise.")
    elif len(names) > MAX_EXPERTISE:
        errors["expertise"] = _("Name at most %(count)s areas of expertise.") % {
            "count": MAX_EXPERTISE
        }
    elif any(len(name) > 60 or not slugify(name, allow_unicode=True) for name in names):
        errors["expertise"] = _("Each area of expertise needs a name of at most 60 characters.")
    if not 0 <= details.years_of_experience <= 70:
        errors["years_of_experience"] = _("Years of experience go from 0 to 70.")
    codes = [code for code, _level in details.languages]
    if not codes:
        errors["languages"] = _("Say which languages you mentor in.")
    elif len(codes) > MAX_LANGUAGES or len(set(codes)) != len(codes):
        errors["languages"] = _("Give each language once, at most %(count)s.") % {
            "count": MAX_LANGUAGES
        }
    elif any(
        code not in language_codes() or level not in Proficiency.values
        for code, level in details.languages
    ):
        errors["languages"] = _("Choose each language and its level from the lists.")
    if details.country not in countries:
        errors["country"] = _("Choose your country from the list.")
    try:
        validate_time_zone(details.time_zone)
    except ValidationError:
        errors["time_zone"] = _("Choose your time zone from the list.")
    if errors:
        raise ValidationError(errors)


def _expertise(name: str) -> Expertise:
    """The tag named `name` (in any case), or a new one. Slugs only make URLs: "C", "C#" and
    "C++" are three areas with slugs "c", "c-2" and "c-3"."""
    found = Expertise.objects.filter(name__iexact=name).first()
    if found is not None:
        return found
    base = slugify(name, allow_unicode=True)[:50]
    slug, number = base, 1
    while Expertise.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return Expertise.objects.create(name=name, slug=slug)


def lock_profile(profile: MentorProfile) -> MentorProfile:
    """Locks the mentor's person row, then their profile row (for other apps' writes about
    a mentor too), and returns the profile as it is now."""
    get_user_model().objects.select_for_update().filter(pk=profile.user_id).get()
    return MentorProfile.objects.select_for_update().get(pk=profile.pk)


def _write_details(profile: MentorProfile, details: ProfileDetails) -> None:
    profile.headline = details.headline.strip()
    profile.bio = details.bio.strip()
    profile.years_of_experience = details.years_of_experience
    profile.country = details.country
    profile.time_zone = details.time_zone
    profile.currency = details.currency
    profile.save()
    names: dict[str, str] = {}
    for name in details.expertise:
        if name.strip():
            names.setdefault(name.strip().casefold(), name.strip())  # the first spelling
    profile.expertise.set([_expertise(name) for name in names.values()])
    profile.languages.all().delete()
    MentorLanguage.objects.bulk_create(
        MentorLanguage(profile=profile, language=code, proficiency=level)
        for code, level in details.languages
    )


@contextmanager
def _new_photo(photo: UploadedFile | None) -> Iterator[str]:
    """Stores `photo` before any row is locked (decoding takes a while) and yields its key
    ("" without one); deletes the files again if what follows fails."""
    if not photo:
        yield ""
        return
    key = store_photo(photo)
    try:
        yield key
    except BaseException:
        delete_photo(key)
        raise


def _replace_photo(profile: MentorProfile, key: str) -> None:
    if not key:
        return
    old, profile.photo = profile.photo, key
    profile.save(update_fields=["photo"])
    if old:
        transaction.on_commit(lambda: delete_photo(old))


def apply_as_mentor(
    user: User,
    details: ProfileDetails,
    *,
    conduct_version_ids: list[int],
    ip_address: str | None,
    user_agent: str,
    photo: UploadedFile | None = None,
) -> MentorProfile:
    """Sends `user`'s application to staff, accepting the policies in effect for mentors that
    were shown (`conduct_version_ids`, in reading order).

    Someone asked for changes, or rejected, applies again with the same profile. Locks the
    person's row. Raises ValidationError when details or the policies shown are not right.
    """
    check_details(details)
    if not user.name.strip():
        raise ValidationError(
            _("Add your name in your account settings first: mentees need to know who you are."),
            code="name",
        )
    with _new_photo(photo) as photo_key, transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).get()
        profile = MentorProfile.objects.filter(user=user).first()
        if profile is not None and profile.status not in MAY_APPLY:
            raise ValidationError(
                _("You already have a mentor profile (%(status)s).")
                % {"status": profile.get_status_display()},
                code="exists",
            )
        if pending_versions(user, kinds=MENTOR_KINDS):
            accept_pending(
                user,
                version_ids=conduct_version_ids,
                ip_address=ip_address,
                user_agent=user_agent,
                kinds=MENTOR_KINDS,
            )
        profile = profile or MentorProfile(user=user)
        profile.status = Status.APPLIED
        profile.applied_at = timezone.now()
        _write_details(profile, details)
        _replace_photo(profile, photo_key)
        refresh_listing([profile.pk])
        transaction.on_commit(forget_expertise_choices)
    return profile


def update_profile(
    profile: MentorProfile, details: ProfileDetails, *, photo: UploadedFile | None = None
) -> MentorProfile:
    """Changes what a mentor's page says. The currency changes only while no priced offering
    is current, so no price is ever read in a currency it was not set in."""
    check_details(details)
    with _new_photo(photo) as photo_key, transaction.atomic():
        profile = lock_profile(profile)
        if profile.status == Status.REMOVED:
            raise ValidationError(_("This mentor profile was removed."), code="removed")
        if details.currency != profile.currency and (
            profile.offerings.current().filter(price__gt=0).exists()
        ):
            raise ValidationError(
                {
                    "currency": _(
                        "Your offerings have prices in %(currency)s. Retire them or make them "
                        "free before you change the currency."
                    )
                    % {"currency": profile.currency}
                }
            )
        _write_details(profile, details)
        _replace_photo(profile, photo_key)
        refresh_listing([profile.pk])
        transaction.on_commit(forget_expertise_choices)
    return profile


# Staff decisions -----------------------------------------------------------------------------


class Decision:
    APPROVE = "approve"
    REQUEST_CHANGES = "request_changes"
    REJECT = "reject"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"
    REMOVE = "remove"


# decision: (statuses it applies to, the status it leads to, whether a note is required)
TRANSITIONS: dict[str, tuple[frozenset[str], str, bool]] = {
    Decision.APPROVE: (IN_REVIEW, Status.APPROVED, False),
    Decision.REQUEST_CHANGES: (IN_REVIEW, Status.CHANGES_REQUESTED, True),
    Decision.REJECT: (IN_REVIEW, Status.REJECTED, True),
    Decision.SUSPEND: (frozenset({Status.APPROVED}), Status.SUSPENDED, True),
    Decision.REINSTATE: (frozenset({Status.SUSPENDED}), Status.APPROVED, False),
    Decision.REMOVE: (
        frozenset({Status.APPROVED, Status.SUSPENDED, Status.APPLIED}),
        Status.REMOVED,
        True,
    ),
}

DECISION_LABELS = {
    Decision.APPROVE: gettext_lazy("Approve"),
    Decision.REQUEST_CHANGES: gettext_lazy("Ask for changes"),
    Decision.REJECT: gettext_lazy("Reject"),
    Decision.SUSPEND: gettext_lazy("Suspend"),
    Decision.REINSTATE: gettext_lazy("Reinstate"),
    Decision.REMOVE: gettext_lazy("Remove"),
}


def decisions_for(profile: MentorProfile) -> list[str]:
    return [
        name for name, (before, _after, _note) in TRANSITIONS.items() if profile.status in before
    ]


def decide(profile: MentorProfile, decision: str, *, note: str, by: User) -> MentorProfile:
    """Staff's decision about a mentor; the mentor is emailed the outcome once it is saved.

    Raises ValidationError if the decision does not apply to the profile's status now (someone
    else decided first) or a required reason is missing. Locks the person's and profile's rows.
    """
    if decision not in TRANSITIONS:
        raise ValidationError(_("Choose a decision from the list."), code="decision")
    before, after, needs_note = TRANSITIONS[decision]
    if needs_note and not note.strip():
        raise ValidationError(
            {"note": _("Write the reason; the mentor will read it.")}, code="note"
        )
    with transaction.atomic():
        profile = lock_profile(profile)
        if profile.status not in before:
            raise ValidationError(
                _("This profile is %(status)s now; someone may have decided already.")
                % {"status": profile.get_status_display()},
                code="stale",
            )
        profile.status = after
        profile.decision_note = note.strip()
        profile.decided_at = timezone.now()
        profile.decided_by = by
        profile.save(update_fields=["status", "decision_note", "decided_at", "decided_by"])
        refresh_listing([profile.pk])
        _email_decision(profile, decision)
        transaction.on_commit(forget_expertise_choices)
    return profile


def _email_decision(profile: MentorProfile, decision: str) -> None:
    user = profile.user
    context = {"profile": profile, "user": user, "decision": decision}
    queue_email(render_email(user, "mentors/email/decision", context))


# Offerings -----------------------------------------------------------------------------------


def check_terms(terms: OfferingTerms) -> None:
    errors: dict[str, str] = {}
    if not terms.title.strip():
        errors["title"] = _("Give the offering a title.")
    elif len(terms.title.strip()) > HEADLINE_LENGTH:
        errors["title"] = too_long(HEADLINE_LENGTH)
    for field in ("description", "expected_results", "not_included"):
        if len(getattr(terms, field).strip()) > OFFERING_TEXT_LENGTH:
            errors[field] = too_long(OFFERING_TEXT_LENGTH)
    if not terms.description.strip():
        errors["description"] = _("Describe the offering.")
    if not 1 <= terms.credit_days <= MAX_CREDIT_DAYS:
        errors["credit_days"] = _("Sessions can be booked within 1 to %(max)s days.") % {
            "max": MAX_CREDIT_DAYS
        }
    if not 1 <= terms.session_count <= MAX_SESSIONS:
        errors["session_count"] = _("An offering has from 1 to %(max)s sessions.") % {
            "max": MAX_SESSIONS
        }
    if terms.session_minutes not in SESSION_MINUTES:
        errors["session_minutes"] = _("A session lasts %(choices)s minutes.") % {
            "choices": get_text_list([str(minutes) for minutes in SESSION_MINUTES], _("or"))
        }
    if terms.price < 0:
        errors["price"] = _("A price cannot be negative.")
    elif terms.price > MAX_PRICE:
        errors["price"] = _("That price is higher than the platform accepts.")
    topics = [topic.strip() for topic in terms.plan]
    if "session_count" not in errors and (len(topics) != terms.session_count or not all(topics)):
        errors["plan"] = ngettext(
            "Give one topic for the session, on one line.",
            "Give a topic for each of the %(count)s sessions, one per line.",
            terms.session_count,
        ) % {"count": terms.session_count}
    if not terms.expected_results.strip():
        errors["expected_results"] = _("Say what a mentee can realistically expect.")
    if not terms.not_included.strip():
        errors["not_included"] = _("Say what this offering will not do.")
    if errors:
        raise ValidationError(errors)


def _write_offering(
    profile: MentorProfile, terms: OfferingTerms, *, replaces: Offering | None
) -> Offering:
    offering = Offering.objects.create(
        profile=profile,
        title=terms.title.strip(),
        description=terms.description.strip(),
        session_count=terms.session_count,
        session_minutes=terms.session_minutes,
        price=terms.price,
        currency=profile.currency,
        plan=[topic.strip() for topic in terms.plan],
        expected_results=terms.expected_results.strip(),
        not_included=terms.not_included.strip(),
        credit_days=terms.credit_days,
        created_at=timezone.now(),
        replaces=replaces,
    )
    _offerings_changed(profile)
    return offering


def _offerings_changed(profile: MentorProfile) -> None:
    profile.lowest_price = profile.offerings.current().aggregate(low=Min("price"))["low"]
    profile.save(update_fields=["lowest_price"])
    refresh_listing([profile.pk])


def _check_may_sell(profile: MentorProfile) -> None:
    if profile.status in (Status.REMOVED, Status.REJECTED):
        raise ValidationError(_("This mentor profile cannot offer mentoring."), code="status")


def add_offering(profile: MentorProfile, terms: OfferingTerms) -> Offering:
    """A new offering, priced in the mentor's currency."""
    check_terms(terms)
    with transaction.atomic():
        profile = lock_profile(profile)
        _check_may_sell(profile)
        return _write_offering(profile, terms, replaces=None)


def revise_offering(offering: Offering, terms: OfferingTerms) -> Offering:
    """Retires `offering` and writes its successor with `terms`: what was bought before keeps
    the terms it was bought on. Raises ValidationError if it was retired meanwhile."""
    check_terms(terms)
    with transaction.atomic():
        profile = lock_profile(offering.profile)
        _check_may_sell(profile)
        offering = _retire(offering)
        return _write_offering(profile, terms, replaces=offering)


def retire_offering(offering: Offering) -> None:
    """Takes `offering` off sale; it stays for what was bought on it."""
    with transaction.atomic():
        profile = lock_profile(offering.profile)
        _retire(offering)
        _offerings_changed(profile)


def _retire(offering: Offering) -> Offering:
    offering = Offering.objects.select_for_update().get(pk=offering.pk)
    if offering.retired_at is not None:
        raise ValidationError(
            _(
                "This offering was changed or retired meanwhile; please start from its "
                "current version."
            ),
            code="retired",
        )
    offering.retired_at = timezone.now()
    offering.save(update_fields=["retired_at"])
    return offering
