"""Mentor search at scale: the directory's query and page over 100,000 listed mentors.

The mentors come from demo.mentors and are written with bulk_create (the domain functions would
take hours for this many), each with its expertise, languages, offerings and acceptances of the
mentor policies in effect, so every one of them is listed; then refresh_listing(None) writes
their Listing rows and search documents. Data made by an earlier run is reused when it is
complete. Only the searches are timed.

Smoke mode (SMOKE): 30 mentors, three mixed and two filtered searches, one round; nothing
judged.
"""

import itertools
import os
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import QuerySet
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from mentor247.accounts.models import User
from mentor247.demo.mentors import DemoMentor, demo_mentors
from mentor247.lib.money import to_minor
from mentor247.mentors.listing import refresh_listing, sweep_listing
from mentor247.mentors.models import Expertise, MentorLanguage, MentorProfile, Offering
from mentor247.mentors.queries import (
    PAGE_SIZE,
    RESULT_CAP,
    MentorFilters,
    cards,
    first_ids,
    search_profiles,
)
from mentor247.policies.models import MENTOR_KINDS, PolicyAcceptance, PolicyVersion

DOMAIN = "bench.mentor247.test"
CHUNK = 5000  # mentors generated and inserted at a time
BATCH = 1000  # rows per INSERT


@dataclass(frozen=True)
class Sizes:
    mentors: int = int(os.environ.get("BENCH_MENTORS", "100000"))
    rounds: int = 200
    searches: int = 60  # mixed, the landing page first
    filtered: int = 40  # words and three filters


FULL = Sizes()
SMOKE = Sizes(mentors=30, rounds=1, searches=3, filtered=2)

Timer = Callable[..., tuple[float, float]]
Counter = Callable[[Callable[[], object]], int]

# What visitors type, and the filters they set, drawn from the words of the demo directory.
WORDS = (
    "python", "product manager", "machine learning", "ux research", "seo", "fundraising",
    "residency interview", "phd proposal", "contract law", "songwriting", "career change",
    "system design", "feedback", "data", "music production", "portfolio review", "finance",
    "leadership remote teams", "cv", "nursing abroad", "pitch deck", "technical writing",
    "interview", "startup", "design",
)  # fmt: skip
LANGUAGES = ("en", "en", "en", "es", "hi", "pt", "fr", "de", "ja", "ar", "ne", "zh-hans")
# currency, maximum price in major units
PRICES = (
    ("USD", "80"), ("USD", "45.50"), ("USD", "150"), ("EUR", "60"), ("GBP", "100"),
    ("INR", "3000"), ("JPY", "20000"), ("CAD", "120"), ("AUD", "150"), ("BRL", "400"),
    ("MXN", "1500"), ("NPR", "6000"),
)  # fmt: skip


@dataclass(frozen=True)
class Search:
    params: dict[str, str]  # the directory's GET parameters

    @property
    def filters(self) -> MentorFilters:
        """What the directory makes of the parameters."""
        currency, max_price = self.params.get("currency", ""), self.params.get("max_price")
        return MentorFilters(
            text=self.params.get("q", ""),
            language=self.params.get("language", ""),
            min_proficiency=int(self.params.get("level", "1")),
            currency=currency,
            max_price=to_minor(max_price, currency) if max_price else None,
            sort=self.params.get("sort", ""),
        )

    def __str__(self) -> str:
        return "&".join(f"{key}={value}" for key, value in self.params.items()) or "(no filters)"


# The directory as it opens, and a typical search, for the query counts.
LANDING = Search({})
TYPICAL = Search({"q": "product manager", "language": "en"})


def searches(count: int = 60, *, seed: int = 7) -> list[Search]:
    """The landing page, then `count` - 1 searches: mostly a few words, often a language,
    sometimes a price limit or another order."""
    rng = random.Random(seed)
    found = [LANDING]
    while len(found) < count:
        params = {}
        if rng.random() < 0.75:
            params["q"] = rng.choice(WORDS)
        if rng.random() < 0.5:
            params["language"] = rng.choice(LANGUAGES)
            params["level"] = str(rng.choice((1, 2, 2, 3, 4)))
        if rng.random() < 0.35:
            params["currency"], params["max_price"] = rng.choice(PRICES)
        if rng.random() < 0.15:
            # Prices compare within one currency, so sorting by price needs one.
            params["sort"] = rng.choice(("price", "rating")) if "currency" in params else "rating"
        if Search(params) not in found:
            found.append(Search(params))
    return found


# Data ----------------------------------------------------------------------------------------


def bench_users() -> QuerySet[User]:
    return User.objects.filter(email__endswith=f"@{DOMAIN}")


def ensure_mentors(count: int) -> None:
    """`count` listed bench mentors, made now unless an earlier run left exactly that many."""
    existing = bench_users().count()
    if existing == count:
        print(f"mentors: {count:,}, made by an earlier run")
        return
    if existing:
        delete_mentors()
    timings = {"records": 0.0, "inserts": 0.0}
    versions = list(PolicyVersion.objects.in_effect().filter(policy__kind__in=MENTOR_KINDS))
    unusable = make_password(None)
    records = demo_mentors(count, domain=DOMAIN)
    while True:
        start = time.perf_counter()
        chunk = list(itertools.islice(records, CHUNK))
        timings["records"] += time.perf_counter() - start
        if not chunk:
            break
        start = time.perf_counter()
        insert(chunk, versions=versions, password=unusable)
        timings["inserts"] += time.perf_counter() - start
    start = time.perf_counter()
    refresh_listing(None)
    sweep_listing()  # as the worker would have done since the policies took effect
    timings["refresh_listing(None)"] = time.perf_counter() - start
    start = time.perf_counter()
    analyse()
    timings["analyse"] = time.perf_counter() - start
    spent = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
    print(f"mentors: {count:,} made in {sum(timings.values()):.1f} s ({spent})")


def insert(chunk: list[DemoMentor], *, versions: list[PolicyVersion], password: str) -> None:
    now = timezone.now()
    with transaction.atomic():
        tags = expertise_ids({name for mentor in chunk for name in mentor.details.expertise})
        users = User.objects.bulk_create(
            [
                User(
                    email=mentor.email,
                    name=mentor.name,
                    time_zone=mentor.details.time_zone,
                    language=mentor.language,
                    password=password,
                    date_joined=now,
                )
                for mentor in chunk
            ],
            batch_size=BATCH,
        )
        profiles = MentorProfile.objects.bulk_create(
            [
                MentorProfile(
                    user=user,
                    status=MentorProfile.Status.APPROVED,
                    headline=mentor.details.headline,
                    bio=mentor.details.bio,
                    years_of_experience=mentor.details.years_of_experience,
                    country=mentor.details.country,
                    time_zone=mentor.details.time_zone,
                    currency=mentor.details.currency,
                    lowest_price=min(terms.price for terms in mentor.offerings),
                    applied_at=now,
                    decided_at=now,
                )
                for user, mentor in zip(users, chunk, strict=True)
            ],
            batch_size=BATCH,
        )
        pairs = list(zip(profiles, chunk, strict=True))
        MentorProfile.expertise.through.objects.bulk_create(
            [
                MentorProfile.expertise.through(
                    mentorprofile_id=profile.pk, expertise_id=tags[name]
                )
                for profile, mentor in pairs
                for name in mentor.details.expertise
            ],
            batch_size=BATCH,
        )
        MentorLanguage.objects.bulk_create(
            [
                MentorLanguage(profile=profile, language=code, proficiency=level)
                for profile, mentor in pairs
                for code, level in mentor.details.languages
            ],
            batch_size=BATCH,
        )
        Offering.objects.bulk_create(
            [
                Offering(
                    profile=profile,
                    title=terms.title,
                    description=terms.description,
                    session_count=terms.session_count,
                    session_minutes=terms.session_minutes,
                    price=terms.price,
                    currency=profile.currency,
                    plan=list(terms.plan),
                    expected_results=terms.expected_results,
                    not_included=terms.not_included,
                    created_at=now,
                )
                for profile, mentor in pairs
                for terms in mentor.offerings
            ],
            batch_size=BATCH,
        )
        PolicyAcceptance.objects.bulk_create(
            [
                PolicyAcceptance(user=user, version=version, accepted_at=now, user_agent="bench")
                for user in users
                for version in versions
            ],
            batch_size=BATCH,
        )


def expertise_ids(names: set[str]) -> dict[str, int]:
    """The tag of each of `names`, made as mentors.domain makes them: found by name in any
    case, or new with a slug not taken yet."""
    tags = {name.casefold(): pk for name, pk in Expertise.objects.values_list("name", "pk")}
    taken = set(Expertise.objects.values_list("slug", flat=True))
    new = []
    for name in sorted(name for name in names if name.casefold() not in tags):
        base = slug = slugify(name, allow_unicode=True)[:50]
        number = 1
        while slug in taken:
            number += 1
            slug = f"{base}-{number}"
        taken.add(slug)
        new.append(Expertise(name=name, slug=slug))
    for tag in Expertise.objects.bulk_create(new):
        tags[tag.name.casefold()] = tag.pk
    return {name: tags[name.casefold()] for name in names}


def delete_mentors() -> None:
    """Removes an incomplete set of bench mentors, children first (most relations protect)."""
    with transaction.atomic():
        profiles = MentorProfile.objects.filter(user__in=bench_users())
        Offering.objects.filter(profile__in=profiles).delete()
        MentorLanguage.objects.filter(profile__in=profiles).delete()
        MentorProfile.expertise.through.objects.filter(mentorprofile__in=profiles).delete()
        PolicyAcceptance.objects.filter(user__in=bench_users()).delete()
        profiles.delete()
        bench_users().delete()


def analyse() -> None:
    """The state a running installation reaches on its own after a big load: planner
    statistics (autovacuum's or PRAGMA optimize's ANALYZE) and, on PostgreSQL, the visibility
    map that lets index-only scans skip the table (autovacuum's VACUUM)."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# Timing --------------------------------------------------------------------------------------


def run_query(search: Search) -> None:
    """What the directory asks the database: the ids of every page up to the cap (which
    count the matches), then the first page's cards."""
    cards(first_ids(search_profiles(search.filters), RESULT_CAP + 1)[:PAGE_SIZE])


def filtered_searches(count: int = 40, *, seed: int = 11) -> list[Search]:
    """The issue's case: words, and three filters (a language at a level, a currency, and a
    price ceiling in it)."""
    rng = random.Random(seed)
    found: list[Search] = []
    while len(found) < count:
        currency, max_price = rng.choice(PRICES)
        search = Search(
            {
                "q": rng.choice(WORDS),
                "language": rng.choice(LANGUAGES),
                "level": str(rng.choice((1, 2, 3))),
                "currency": currency,
                "max_price": max_price,
            }
        )
        if search not in found:
            found.append(search)
    return found


def run(*, timed: Timer, queries: Counter, sizes: Sizes = FULL) -> None:
    ensure_mentors(sizes.mentors)
    url = reverse("mentors:directory")
    visitor = Client()
    all_searches = searches(sizes.searches)
    for search in all_searches:  # warm caches and compiled templates
        run_query(search)
        response = visitor.get(url, search.params)
        assert response.status_code == 200, (search, response.status_code)

    def rotate(action: Callable[[Search], object]) -> Callable[[], object]:
        cycle = itertools.cycle(all_searches)
        return lambda: action(next(cycle))

    def page(search: Search) -> object:
        return visitor.get(url, search.params)

    filtered = filtered_searches(sizes.filtered)
    for search in filtered:
        run_query(search)
        visitor.get(url, search.params)

    def rotate_over(
        chosen: list[Search], action: Callable[[Search], object]
    ) -> Callable[[], object]:
        cycle = itertools.cycle(chosen)
        return lambda: action(next(cycle))

    rows = [
        (
            f"query: words + 3 filters, {len(filtered)} searches",
            rotate_over(filtered, run_query),
            run_query,
        ),
        ("page: words + 3 filters", rotate_over(filtered, page), page),
        (f"query: mixed, {len(all_searches)} searches", rotate(run_query), run_query),
        ("page: mixed", rotate(page), page),
    ]
    print(f"database: {connection.vendor}, {MentorProfile.objects.count():,} mentor profiles")
    print(f"{'what':<38} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, action, once in rows:
        median, p95 = timed(action, rounds=sizes.rounds)
        print(f"{name:<38} {median:>10.2f} {p95:>8.2f} {queries(partial(once, TYPICAL)):>8}")
    print("slowest searches (query, ms):")
    for seconds, search in slowest(all_searches, 5):
        print(f"  {seconds * 1000:>8.1f}  {search}")


def slowest(all_searches: list[Search], count: int) -> list[tuple[float, Search]]:
    timings = []
    for search in all_searches:
        start = time.perf_counter()
        run_query(search)
        timings.append((time.perf_counter() - start, search))
    return sorted(timings, key=lambda timing: -timing[0])[:count]
