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

from mentor247.lib.money import CURRENCIES
from mentor247.lib.timezones import validate_time_zone
from mentor247.mentors.languages import Proficiency, language_name

SESSION_MINUTES = (30, 45, 60, 90)
MAX_SESSIONS = 12


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

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        CHANGES_REQUESTED = "changes_requested", _("changes requested")
        REJECTED = "rejected", _("rejected")
        APPROVED = "approved", _("approved")
        SUSPENDED = "suspended", _("suspended")
        REMOVED = "removed", _("removed")

    BOUND_BY_CONDUCT = frozenset(
        {Status.APPLIED, Status.CHANGES_REQUESTED, Status.APPROVED, Status.SUSPENDED}
    )

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
    # Kept by the domain, for filters and sorting without joins.
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
        # The directory's two orders, over listed profiles only, ending on the id as the
        # queries do (mentors.queries), so a page is read from the index without sorting.
        indexes: ClassVar = [
            models.Index(
                models.F("rating_average").desc(),
                models.F("rating_count").desc(),
                "id",
                condition=models.Q(status="approved"),
                name="mentors_listed_by_rating",
            ),
            models.Index(
                "currency",
                "lowest_price",
                "id",
                condition=models.Q(status="approved", lowest_price__isnull=False),
                name="mentors_listed_by_price",
            ),
        ]

    def __str__(self) -> str:
        return str(self.user)

    @property
    def local_now(self) -> "datetime":
        return timezone.now().astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def photo_url(self, size: str = "small") -> str:
        from mentor247.mentors.photos import photo_url

        return photo_url(self.photo, size) if self.photo else ""

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


class SearchEntry(models.Model):
    """A profile's search document in `mentors_search`, the table each engine keeps in its own
    form (see mentors.search); written only by mentors.search.index_profiles."""

    profile = models.OneToOneField(
        MentorProfile,
        on_delete=models.DO_NOTHING,
        primary_key=True,
        db_column="rowid",
        related_name="search_entry",
    )
    # PostgreSQL's tsvector; in FTS5, the hidden column named after the table that MATCH reads.
    document = SearchVectorField(db_column="mentors_search")
    # FTS5's bm25 under the table's weights (SQLite only; PostgreSQL ranks with ts_rank).
    rank = models.FloatField()

    class Meta:
        managed = False
        db_table = "mentors_search"

    def __str__(self) -> str:
        return f"search entry of mentor {self.pk}"
