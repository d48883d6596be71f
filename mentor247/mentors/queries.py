"""Reads of mentors for the public: the directory's search, and one mentor's page."""

import zoneinfo
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.expressions import OrderBy
from django.http import Http404
from django.utils import timezone

from mentor247.accounts.models import User
from mentor247.lib.pagination import CappedPaginator
from mentor247.lib.timezones import time_zone_names
from mentor247.mentors.listing import listed
from mentor247.mentors.models import Listing, MentorLanguage, MentorProfile, Offering
from mentor247.mentors.search import by_relevance, matching, terms

# Until mentors' weekly hours arrive with scheduling, a mentor's working day is 09:00-18:00 in
# their own zone, and "overlaps" means at least this many of those hours fall in the viewer's.
WORKING_HOURS = (time(9), time(18))
MIN_OVERLAP = timedelta(hours=2)

PAGE_SIZE = 20
# Nobody reads 50 pages of mentors, while each page further costs the database more; past
# this a search asks for a narrower one.
MAX_PAGES = 50
RESULT_CAP = PAGE_SIZE * MAX_PAGES


class Sort:
    RELEVANCE = "relevance"
    RATING = "rating"
    PRICE = "price"
    ALL = (RELEVANCE, RATING, PRICE)


def listed_profiles() -> QuerySet[MentorProfile]:
    """Mentors the public may see and book (mentors.listing says who)."""
    return MentorProfile.objects.filter(Exists(listed().filter(pk=OuterRef("pk"))))


def with_card_details(profiles: QuerySet[MentorProfile]) -> QuerySet[MentorProfile]:
    """What a mentor's card shows, fetched in a fixed number of queries for any number."""
    # The bio is the widest column, and cards do not show it.
    return (
        profiles.defer("bio")
        .select_related("user")
        .prefetch_related(
            "expertise",
            Prefetch(
                "languages", queryset=MentorLanguage.objects.order_by("-proficiency", "language")
            ),
        )
    )


def first_ids(listings: QuerySet[Listing], limit: int) -> list[int]:
    """The profile ids of the first `limit` of `listings`, in order. One query chooses every
    page up to the cap and tells how many there are: a broad search is matched and ranked
    once, not once for the page and again for the count."""
    return list(listings.values_list("pk", flat=True)[:limit])


def result_pages(listings: QuerySet[Listing]) -> CappedPaginator:
    """Pages of `listings`' profile ids, up to the cap, from one query; `cards` fetches a
    page's profiles."""
    return CappedPaginator(first_ids(listings, RESULT_CAP + 1), PAGE_SIZE, cap=RESULT_CAP)


def cards(ids: Sequence[int]) -> list[MentorProfile]:
    """The profiles of `ids`, in that order, with what their cards show."""
    found = with_card_details(MentorProfile.objects.filter(pk__in=ids)).in_bulk()
    # A mentor gone since the ids were read is left out rather than failing the page.
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class MentorFilters:
    text: str = ""
    expertise: str = ""  # a slug
    language: str = ""
    min_proficiency: int = 1
    currency: str = ""
    min_price: int | None = None  # minor units of `currency`
    max_price: int | None = None
    min_rating: float | None = None
    overlap_with: str = ""  # the viewer's time zone, when asked for
    sort: str = ""


def search_profiles(filters: MentorFilters) -> QuerySet[Listing]:
    """Listed mentors matching `filters`, in the order asked for; every order ends on the
    profile's id, so pages are stable. Reads the narrow Listing rows, joining other tables
    only for the filters that need them."""
    listings = matching(listed(), filters.text)
    if filters.expertise:
        listings = listings.filter(
            Exists(
                MentorProfile.expertise.through.objects.filter(
                    mentorprofile=OuterRef("pk"), expertise__slug=filters.expertise
                )
            )
        )
    if filters.language:
        listings = listings.filter(
            Exists(
                MentorLanguage.objects.filter(
                    profile=OuterRef("pk"),
                    language=filters.language,
                    proficiency__gte=filters.min_proficiency,
                )
            )
        )
    if filters.currency:
        listings = listings.filter(currency=filters.currency)
        if filters.max_price is not None:
            # An offering costs at most this exactly when the cheapest does: a column of the
            # listing, with an index, rather than a look at offerings.
            listings = listings.filter(lowest_price__lte=filters.max_price)
        if filters.min_price is not None:
            in_range = Q(price__gte=filters.min_price)
            if filters.max_price is not None:
                in_range &= Q(price__lte=filters.max_price)
            listings = listings.filter(
                Exists(Offering.objects.current().filter(in_range, profile=OuterRef("pk")))
            )
    if filters.min_rating is not None:
        listings = listings.filter(rating_average__gte=filters.min_rating)
    if filters.overlap_with:
        today = timezone.now().astimezone(zoneinfo.ZoneInfo(filters.overlap_with)).date()
        listings = listings.filter(time_zone__in=overlapping_zones(filters.overlap_with, today))
    if _sort(filters) == Sort.PRICE:
        # Cheapest first among those with something to book (the index holds just those).
        listings = listings.filter(lowest_price__isnull=False)
    return listings.order_by(*_order(filters))


def _sort(filters: MentorFilters) -> str:
    return filters.sort or (Sort.RELEVANCE if filters.text.strip() else Sort.RATING)


def _order(filters: MentorFilters) -> tuple[str | OrderBy, ...]:
    sort = _sort(filters)
    if sort == Sort.RELEVANCE and terms(filters.text):
        return by_relevance()
    if sort == Sort.PRICE:
        return ("lowest_price", "pk")
    return ("-rating_average", "-rating_count", "pk")


def _working_day(zone: zoneinfo.ZoneInfo, day: date) -> tuple[datetime, datetime]:
    start, end = WORKING_HOURS
    return datetime.combine(day, start, zone), datetime.combine(day, end, zone)


@lru_cache(maxsize=256)
def overlapping_zones(viewer_zone: str, day: date) -> tuple[str, ...]:
    """The time zones whose working day shares at least MIN_OVERLAP with the viewer's working
    day on `day` (the viewer's date). Computed over every zone once per viewer zone and day."""
    viewer_start, viewer_end = _working_day(zoneinfo.ZoneInfo(viewer_zone), day)
    zones = []
    for name in time_zone_names():
        zone = zoneinfo.ZoneInfo(name)
        # The mentor's working day that meets the viewer's may be on the date before or after.
        for offset in (-1, 0, 1):
            start, end = _working_day(zone, day + timedelta(days=offset))
            if min(end, viewer_end) - max(start, viewer_start) >= MIN_OVERLAP:
                zones.append(name)
                break
    return tuple(zones)


def _with_page_details(profiles: QuerySet[MentorProfile]) -> QuerySet[MentorProfile]:
    return (
        with_card_details(profiles)
        .prefetch_related(
            Prefetch(
                "offerings",
                queryset=Offering.objects.current().order_by("price", "pk"),
                to_attr="current_offerings",
            )
        )
        .defer(None)
    )


def public_profile(profile_id: int) -> MentorProfile:
    """A listed mentor's page, with current offerings; Http404 for anyone else."""
    profile = _with_page_details(listed_profiles()).filter(pk=profile_id).first()
    if profile is None:
        raise Http404
    return profile


# An applicant may see their page as mentees will once it is listed. A mentor who was
# rejected, suspended or removed has no page, not even for themself.
PREVIEWED = (MentorProfile.Status.APPLIED, MentorProfile.Status.CHANGES_REQUESTED)


def profile_page(profile_id: int, viewer: User | AnonymousUser) -> tuple[MentorProfile, bool]:
    """The mentor page `viewer` may see, and whether it is listed: a listed mentor's for
    anyone, an applicant's own for themself; Http404 otherwise."""
    try:
        return public_profile(profile_id), True
    except Http404:
        if not viewer.is_authenticated:
            raise
    own = (
        _with_page_details(MentorProfile.objects.filter(status__in=PREVIEWED))
        .filter(pk=profile_id, user=viewer)
        .first()
    )
    if own is None:
        raise Http404
    return own, False
