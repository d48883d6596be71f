"""Demo mentors: believable, varied, and the same on every run (a seeded random.Random).

`demo_mentors(count)` yields plain records quickly enough for 100,000 (the search benchmark
bulk-inserts them); `create_demo_directory(records, ...)` writes records through the domain
functions, as real mentors are written: the person signs up and accepts the policies, applies,
staff approve, offerings are added, and a generated photo goes through the upload pipeline.

The texts are content, not interface: plain English, never marked for translation. Ratings
are left empty, since nobody has reviewed these mentors. The content they are made from is in
demo/data.py.
"""

import io
import random
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from functools import cache

from allauth.account.models import EmailAddress
from django.conf.locale import LANG_INFO
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image, ImageDraw, ImageFont

from mentor247.accounts.models import User
from mentor247.demo.data import (
    ASIDES,
    CLOSING_TOPIC,
    FIELDS,
    FREE_INTRO,
    GENERIC_NOT_INCLUDED,
    INTROS,
    OPENING_TOPIC,
    PACKAGE_DESCRIPTIONS,
    PACKAGES,
    PRICE_STEPS,
    REGIONS,
    SINGLE_DESCRIPTIONS,
    STYLES,
    USD_RATES,
    DemoMentor,
    Field,
    People,
    Region,
)
from mentor247.lib.languages import Proficiency
from mentor247.lib.money import minor_digits
from mentor247.mentors.domain import (
    MAY_APPLY,
    Decision,
    OfferingTerms,
    ProfileDetails,
    add_offering,
    apply_as_mentor,
    decide,
    update_profile,
)
from mentor247.mentors.models import MentorProfile
from mentor247.policies.domain import accept_versions
from mentor247.policies.models import MENTOR_KINDS
from mentor247.policies.queries import pending_versions
from mentor247.scheduling.domain import AvailabilityTerms, BookingSettings, replace_availability
from mentor247.scheduling.models import Availability

SEED = 247
DEMO_DOMAIN = "mentor247.test"
AVATAR_SIDE = 480
DEMO_USER_AGENT = "seed_demo"
# White text reads at AA contrast on each of these.
AVATAR_COLOURS = (
    (15, 118, 110),
    (67, 56, 202),
    (126, 34, 206),
    (180, 83, 9),
    (21, 128, 61),
    (185, 28, 28),
    (29, 78, 216),
    (71, 85, 105),
    (157, 23, 77),
    (146, 64, 14),
)

# Records -------------------------------------------------------------------------------------


def demo_mentors(
    count: int, *, seed: int = SEED, domain: str = DEMO_DOMAIN, start: int = 0
) -> Iterator[DemoMentor]:
    """`count` demo mentors; the same `seed` always gives the same mentors in the same order,
    so the first ten of a hundred are the ten of `demo_mentors(10)`. Emails are unique (they
    carry the mentor's number, from `start`)."""
    rng = random.Random(seed)  # noqa: S311 - demo content, not secrets
    regions: list[Region] = []
    fields: list[Field] = []
    for number in range(start, start + count):
        # Shuffled rounds: every region and field comes up once per round, in varied order.
        if not regions:
            regions = list(REGIONS)
            rng.shuffle(regions)
        if not fields:
            fields = list(FIELDS)
            rng.shuffle(fields)
        yield _mentor(rng, number, regions.pop(), fields.pop(), domain)


def _mentor(
    rng: random.Random, number: int, region: Region, field: Field, domain: str
) -> DemoMentor:
    people = rng.choice(region.peoples)
    name = f"{rng.choice(people.given)} {rng.choice(people.family)}"
    years = rng.randint(3, 30)
    currency = region.currencies[0] if rng.random() < 0.8 else rng.choice(region.currencies)
    languages = _languages(rng, region, people)
    details = ProfileDetails(
        headline=rng.choice(field.headlines),
        bio=_bio(rng, field, region, years, languages),
        expertise=_expertise(rng, field),
        years_of_experience=years,
        languages=languages,
        country=region.country,
        time_zone=region.time_zone,
        currency=currency,
    )
    hourly = _hourly(rng, field, region, currency, years)
    local = _ascii_slug(name)
    return DemoMentor(
        email=f"{local}.{number}@{domain}",
        name=name,
        language="es" if people.language == "es" else "en",
        details=details,
        offerings=_offerings(rng, field, currency, hourly),
        colour=AVATAR_COLOURS[number % len(AVATAR_COLOURS)],
    )


def _ascii_slug(name: str) -> str:
    base = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return ".".join("".join(ch for ch in word if ch.isalnum()) for word in base.lower().split())


def _languages(rng: random.Random, region: Region, people: People) -> tuple[tuple[str, int], ...]:
    chosen: dict[str, int] = {people.language: Proficiency.NATIVE}
    # Most mentors on an international platform speak some English.
    if people.language != "en" and ("en" in region.second or rng.random() < 0.85):
        chosen["en"] = rng.choice(
            (Proficiency.CONVERSATIONAL, Proficiency.FLUENT, Proficiency.FLUENT)
        )
    others = [code for code in region.second if code not in chosen]
    if others and (len(chosen) == 1 or rng.random() < 0.35):
        chosen[rng.choice(others)] = rng.choice(
            (Proficiency.BASIC, Proficiency.CONVERSATIONAL, Proficiency.FLUENT)
        )
    return tuple(list(chosen.items())[:3])


def _expertise(rng: random.Random, field: Field) -> tuple[str, ...]:
    tags = rng.sample(field.tags, rng.randint(1, min(4, len(field.tags))))
    if rng.random() < 0.25:
        # Some mentors straddle two fields.
        other = rng.choice(FIELDS)
        if other is not field:
            tags.append(rng.choice(other.tags))
    return tuple(dict.fromkeys(tags))[:5]


def _language_list(codes: Sequence[str]) -> str:
    names = [LANG_INFO[code]["name"] for code in codes]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _bio(
    rng: random.Random,
    field: Field,
    region: Region,
    years: int,
    languages: Sequence[tuple[str, int]],
) -> str:
    intro = rng.choice(INTROS).format(
        role=rng.choice(field.roles),
        years=years,
        employer=rng.choice(field.employers),
        city=rng.choice(region.cities),
    )
    paragraphs = [intro + " " + " ".join(rng.sample(field.helps, 2))]
    if rng.random() < 0.7:
        style = " ".join(rng.sample(STYLES, 2))
        if rng.random() < 0.5:
            spoken = [code for code, level in languages if level >= Proficiency.CONVERSATIONAL]
            style += f" I mentor in {_language_list(spoken)}."
        paragraphs.append(style)
    if rng.random() < 0.5:
        paragraphs.append(rng.choice([text for key, text in ASIDES if key != field.key]))
    if len(paragraphs) == 1:
        paragraphs.append(rng.choice(STYLES))
    return "\n\n".join(paragraphs)


def _hourly(rng: random.Random, field: Field, region: Region, currency: str, years: int) -> int:
    """A price for one hour in minor units of `currency`, rounded to a price people set."""
    low, high = field.usd_hour
    usd = rng.uniform(low, high) * (0.7 + min(years, 25) / 50) * region.price_factor
    return _rounded(usd * USD_RATES[currency], currency)


def _rounded(major: float, currency: str) -> int:
    step = PRICE_STEPS.get(currency, 5)
    return max(step, round(major / step) * step) * 10 ** _digits(currency)


@cache
def _digits(currency: str) -> int:
    return minor_digits(currency)


def _offerings(
    rng: random.Random, field: Field, currency: str, hourly: int
) -> tuple[OfferingTerms, ...]:
    if rng.random() < 0.03:
        # A few mentors volunteer: everything they offer is free.
        return (FREE_INTRO, _single(rng, field, currency, 0))
    offerings = [_single(rng, field, currency, hourly)]
    if rng.random() < 0.6:
        offerings.append(_package(rng, field, currency, hourly))
    if rng.random() < 0.15:
        offerings.append(FREE_INTRO)
    return tuple(offerings)


def _single(rng: random.Random, field: Field, currency: str, hourly: int) -> OfferingTerms:
    minutes = rng.choice((45, 60, 60, 90))
    # Titles and topics of single sessions go in pairs.
    kind = rng.randrange(len(field.single_titles))
    price = _rounded(hourly * minutes / 60 / 10 ** _digits(currency), currency) if hourly else 0
    return OfferingTerms(
        title=field.single_titles[kind],
        description=rng.choice(SINGLE_DESCRIPTIONS).format(minutes=minutes),
        session_count=1,
        session_minutes=minutes,
        price=price,
        plan=(field.single_topics[kind],),
        expected_results=rng.choice(field.results),
        not_included=rng.choice(field.not_included),
    )


def _package(rng: random.Random, field: Field, currency: str, hourly: int) -> OfferingTerms:
    count, minutes = rng.choice(PACKAGES)
    # Packages cost a little less per hour than single sessions.
    major = hourly * count * minutes / 60 * rng.choice((0.85, 0.9, 0.95))
    middle = sorted(rng.sample(range(len(field.package_topics)), count - 2))
    plan = (OPENING_TOPIC, *(field.package_topics[i] for i in middle), CLOSING_TOPIC)
    results = rng.sample(field.results, 2)
    return OfferingTerms(
        title=f"{rng.choice(field.package_titles)}: {count} x {minutes} minutes",
        description=rng.choice(PACKAGE_DESCRIPTIONS).format(
            count=count, minutes=minutes, weeks=count * 2
        ),
        session_count=count,
        session_minutes=minutes,
        price=_rounded(major / 10 ** _digits(currency), currency),
        plan=plan,
        expected_results=" ".join(results),
        not_included=rng.choice(field.not_included) + " " + rng.choice(GENERIC_NOT_INCLUDED),
    )


# Writing the demo directory ------------------------------------------------------------------


def avatar_upload(mentor: DemoMentor) -> SimpleUploadedFile:
    """A portrait-free picture for `mentor`: their initials on a coloured square, as a PNG
    upload, so it goes through the same checks and re-encoding as a person's photo."""
    image = Image.new("RGB", (AVATAR_SIDE, AVATAR_SIDE), mentor.colour)
    draw = ImageDraw.Draw(image)
    lighter = tuple(min(255, channel + 24) for channel in mentor.colour)
    draw.ellipse((60, 60, AVATAR_SIDE - 60, AVATAR_SIDE - 60), fill=lighter)
    font = ImageFont.load_default(size=170)
    centre = AVATAR_SIDE / 2
    draw.text((centre, centre), mentor.initials, fill=(255, 255, 255), font=font, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile("avatar.png", buffer.getvalue(), content_type="image/png")


def create_demo_mentor(mentor: DemoMentor, *, staff: User, password_hash: str) -> MentorProfile:
    """Creates, or completes, one demo mentor through the domain: sign-up acceptances, the
    application with the Code of Conduct pending, staff's approval, the offerings. Anything
    already there is left as it is, so running it again changes nothing."""
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=mentor.email,
            defaults={
                "name": mentor.name,
                "time_zone": mentor.details.time_zone,
                "language": mentor.language,
                "password": password_hash,
            },
        )
        if created:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        profile = MentorProfile.objects.filter(user=user).first()
        # A mentor from before profiles existed has a blank one, waiting to be completed and
        # sent again (mentors migration 0002), as any mentor asked for changes would.
        if profile is None or (not profile.headline and profile.status in MAY_APPLY):
            # As at sign-up: the Terms and Privacy Policy first; applying adds the Code.
            if pending := pending_versions(user):
                accept_versions(user, pending, ip_address=None, user_agent=DEMO_USER_AGENT)
            profile = apply_as_mentor(
                user,
                mentor.details,
                conduct_version_ids=[v.pk for v in pending_versions(user, kinds=MENTOR_KINDS)],
                ip_address=None,
                user_agent=DEMO_USER_AGENT,
                photo=avatar_upload(mentor),
            )
        elif not profile.headline:
            # Left approved and blank by an earlier version of that migration.
            profile = update_profile(profile, mentor.details, photo=avatar_upload(mentor))
        if profile.status == MentorProfile.Status.APPLIED:
            profile = decide(profile, Decision.APPROVE, note="", by=staff)
        if not profile.offerings.exists():
            for terms in mentor.offerings:
                add_offering(profile, terms)
        if not Availability.objects.filter(profile=profile).exists():
            replace_availability(profile, demo_availability(mentor.email))
    return profile


HOURS = 60
# Weeks that mentors keep, on their own clock: office hours, evenings and a Saturday morning,
# or early mornings.
DEMO_WEEKS = (
    [[(9 * HOURS, 12 * HOURS), (14 * HOURS, 18 * HOURS)]] * 5 + [[], []],
    [[(18 * HOURS, 21 * HOURS + 30)]] * 4 + [[], [(10 * HOURS, 14 * HOURS)], []],
    [[(7 * HOURS, 11 * HOURS)]] * 6 + [[]],
)


def demo_availability(email: str) -> AvailabilityTerms:
    """One of the demo weeks, chosen by the mentor's address so a new run gives the same."""
    choice = sum(email.encode()) % len(DEMO_WEEKS)
    return AvailabilityTerms(
        weekly_hours=DEMO_WEEKS[choice],
        settings=BookingSettings(
            buffer_before=10 if choice == 0 else 0,
            buffer_after=10 if choice == 0 else 0,
            minimum_notice=12 * HOURS,
            horizon_days=60,
            max_per_day=4,
            slot_grid=30,
        ),
    )


def create_demo_directory(
    mentors: Iterable[DemoMentor], *, staff: User, password_hash: str
) -> list[MentorProfile]:
    """Creates each of `mentors` that is missing (see create_demo_mentor); safe to repeat."""
    return [
        create_demo_mentor(mentor, staff=staff, password_hash=password_hash) for mentor in mentors
    ]
