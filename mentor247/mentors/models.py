import zoneinfo
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from mentor247.accounts.roles import BOUND_BY_CONDUCT, MentorStatus
from mentor247.lib.languages import Proficiency, language_name
from mentor247.lib.money import CURRENCIES
from mentor247.lib.timezones import validate_time_zone
from mentor247.mentors import photos

SESSION_MINUTES = (30, 45, 60, 90)
MAX_SESSIONS = 12
DEFAULT_CREDIT_DAYS = 90
MAX_CREDIT_DAYS = 730


class Expertise(models.Model):
    """An area a mentor knows well, a tag shared by every mentor who names it."""

    name = models.CharField(_("name"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=60, unique=True, allow_unicode=True)

    class Meta:
        verbose_name = _("area of expertise")
        verbose_name_plural = _("areas of expertise")
        ordering: ClassVar = ["name"]

    def __str__(self) -> str:
        return self.name


class MentorProfile(models.Model):
    """A mentor's public page, from application to removal. Only approved profiles are listed
    or bookable."""

    Status = MentorStatus
    BOUND_BY_CONDUCT = BOUND_BY_CONDUCT

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="mentor_profile",
        verbose_name=_("user"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.APPLIED
    )
    headline = models.CharField(_("headline"), max_length=120)
    bio = models.TextField(_("about you"), max_length=5000)
    expertise = models.ManyToManyField(
        Expertise, related_name="mentors", verbose_name=_("areas of expertise")
    )
    years_of_experience = models.PositiveSmallIntegerField(
        _("years of experience"), validators=[MaxValueValidator(70)]
    )
    country = CountryField(_("country"))
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    # The name of the photo in storage, without size and extension (see mentors.photos).
    photo = models.CharField(_("photo"), max_length=80, blank=True)
    # Kept by the domain, and copied to the directory (Listing) for its filters and orders.
    lowest_price = models.PositiveIntegerField(_("lowest price"), null=True, blank=True)
    # 0 until the first rating (rating_count says whether there is one).
    rating_average = models.FloatField(_("average rating"), default=0.0)
    rating_count = models.PositiveIntegerField(_("ratings"), default=0)
    # What staff said with their last decision (a reason for a rejection, the changes asked).
    decision_note = models.TextField(_("note from staff"), blank=True)
    applied_at = models.DateTimeField(_("applied"))
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )

    class Meta:
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")

    def __str__(self) -> str:
        return str(self.user)

    @property
    def local_now(self) -> "datetime":
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def photo_url(self, size: str = "small") -> str:
        return photos.photo_url(self.photo, size) if self.photo else ""

    @property
    def photo_small(self) -> str:
        return self.photo_url("small")

    @property
    def photo_large(self) -> str:
        return self.photo_url("large")


class MentorLanguage(models.Model):
    profile = models.ForeignKey(
        MentorProfile, on_delete=models.CASCADE, related_name="languages", verbose_name=_("mentor")
    )
    language = models.CharField(_("language"), max_length=16)
    proficiency = models.PositiveSmallIntegerField(_("level"), choices=Proficiency.choices)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["profile", "language"], name="mentors_language_once")
        ]
        indexes: ClassVar = [
            models.Index(fields=["language", "proficiency"], name="mentors_language_level")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_proficiency_display()})"

    @property
    def name(self) -> str:
        return language_name(self.language)


class OfferingQuerySet(models.QuerySet["Offering"]):
    def current(self) -> "OfferingQuerySet":
        return self.filter(retired_at__isnull=True)


class Offering(models.Model):
    """What a mentor sells. Never edited once written: a change retires this row and writes a
    new one (mentors.domain.revise_offering), so a purchase keeps the terms it was made on."""

    profile = models.ForeignKey(
        MentorProfile,
        on_delete=models.PROTECT,
        related_name="offerings",
        verbose_name=_("mentor"),
    )
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=3000)
    session_count = models.PositiveSmallIntegerField(
        _("number of sessions"), validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)]
    )
    session_minutes = models.PositiveSmallIntegerField(
        _("minutes per session"), choices=[(m, str(m)) for m in SESSION_MINUTES]
    )
    # In minor units of `currency`; 0 is free.
    price = models.PositiveIntegerField(_("price"))
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES)
    # One topic per session, in order.
    plan = models.JSONField(_("plan"), default=list)
    # How long after the purchase its sessions can still be booked.
    credit_days = models.PositiveSmallIntegerField(
        _("days to book the sessions in"),
        default=DEFAULT_CREDIT_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_CREDIT_DAYS)],
    )
    expected_results = models.TextField(_("what you can expect"), max_length=3000)
    not_included = models.TextField(_("what it will not do"), max_length=3000)
    created_at = models.DateTimeField(_("created"))
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)
    replaces = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )

    objects = OfferingQuerySet.as_manager()

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        constraints: ClassVar = [
            models.CheckConstraint(
                condition=models.Q(session_count__gte=1, session_count__lte=MAX_SESSIONS),
                name="mentors_offering_sessions",
            ),
            models.CheckConstraint(
                condition=models.Q(session_minutes__in=SESSION_MINUTES),
                name="mentors_offering_minutes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_free(self) -> bool:
        return self.price == 0

    @property
    def total_minutes(self) -> int:
        return self.session_count * self.session_minutes


class Listing(models.Model):
    """A listed mentor, as the directory reads them: one narrow row for each mentor who meets
    the listing rule (mentors.listing), and none for anyone else. It holds the columns the
    directory filters and sorts by, so a search never reads the wide profile rows. Written only
    by mentors.listing.refresh_listing and its sweep."""

    profile = models.OneToOneField(
        MentorProfile,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="listing",
        verbose_name=_("mentor"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    currency = models.CharField(_("currency"), max_length=3)
    lowest_price = models.PositiveIntegerField(_("lowest price"), null=True)
    rating_average = models.FloatField(_("average rating"))
    rating_count = models.PositiveIntegerField(_("ratings"))
    time_zone = models.CharField(_("time zone"), max_length=64)
    # PostgreSQL's weighted search document, with a GIN index (see mentors.search); SQLite keeps
    # its documents in an FTS5 table (SearchEntry) and leaves this empty.
    document = SearchVectorField(null=True)

    class Meta:
        verbose_name = _("listed mentor")
        verbose_name_plural = _("listed mentors")
        # The directory's orders, ending on the id as its queries do (mentors.queries), so a
        # page is read from an index without sorting.
        indexes: ClassVar = [
            models.Index(
                models.F("rating_average").desc(),
                models.F("rating_count").desc(),
                "profile",
                name="mentors_listing_by_rating",
            ),
            models.Index(
                "currency",
                "lowest_price",
                "profile",
                condition=models.Q(lowest_price__isnull=False),
                name="mentors_listing_by_price",
            ),
        ]

    def __str__(self) -> str:
        return f"listing of mentor {self.pk}"


class ListingSweep(models.Model):
    """A mentor policy version the directory has been brought in line with: once it took
    effect, every mentor who had not accepted it was taken out. Until then the directory's
    queries check acceptances of that version themselves (mentors.listing)."""

    version = models.OneToOneField(
        "policies.PolicyVersion",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="listing_sweep",
        verbose_name=_("policy version"),
    )
    swept_at = models.DateTimeField(_("swept"))

    class Meta:
        verbose_name = _("directory sweep")
        verbose_name_plural = _("directory sweeps")

    def __str__(self) -> str:
        return f"directory swept for {self.version_id}"


class SearchEntry(models.Model):
    """A listed mentor's search document in SQLite's FTS5 table `mentors_search` (see
    mentors.search); written only with their Listing. PostgreSQL keeps the document in the
    Listing row itself and has no such table."""

    listing = models.OneToOneField(
        Listing,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        db_constraint=False,
        related_name="search_entry",
    )
    # FTS5's hidden column named after the table, which MATCH reads.
    document = SearchVectorField(db_column="mentors_search")
    # bm25 under the table's weights.
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "mentors_search"

    def __str__(self) -> str:
        return f"search entry of mentor {self.pk}"
