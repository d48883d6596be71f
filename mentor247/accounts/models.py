from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentor247.accounts.roles import BOUND_BY_CONDUCT, MentorStatus
from mentor247.lib.languages import Proficiency
from mentor247.lib.timezones import validate_time_zone


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields: Any) -> "User":
        if not email:
            raise ValueError("Users need an email address.")
        user = self.model(email=self.normalize_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """Everyone is a mentee; a mentor also has a MentorProfile; `is_staff` marks the platform's
    staff."""

    # Stored in lower case (see save), so uniqueness is case-insensitive.
    email = models.EmailField(_("email address"), unique=True)
    name = models.CharField(_("name"), max_length=150, blank=True)
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The level of English the person states; a mentor sees a reminder in the room when their
    # mentee's is basic (lib.languages.Proficiency).
    english_level = models.PositiveSmallIntegerField(
        _("English level"), choices=Proficiency.choices, null=True, blank=True
    )
    is_staff = models.BooleanField(
        _("staff"), default=False, help_text=_("May use the staff pages and the admin.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Inactive accounts cannot log in.")
    )
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.name or self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def _mentor_status(self) -> str | None:
        # One query, then cached on the instance by Django (a missing profile too).
        try:
            status: str = self.mentor_profile.status
        except ObjectDoesNotExist:
            return None
        return status

    @property
    def is_mentor(self) -> bool:
        """Approved to offer mentoring now."""
        return self._mentor_status() == MentorStatus.APPROVED

    @property
    def bound_by_conduct(self) -> bool:
        """Applying for, holding, or suspended from the mentor role: bound by the Code of
        Conduct (policies.queries.required_kinds)."""
        return self._mentor_status() in BOUND_BY_CONDUCT

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class AuditEntry(models.Model):
    """A staff action: who did what to which object, when and why. Written only by
    accounts.domain.record_staff_action, in the same transaction as the action, and never
    changed."""

    actor = models.ForeignKey(
        User, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    action = models.CharField(_("action"), max_length=64)
    subject = models.CharField(_("subject"), max_length=100, db_index=True)
    reason = models.TextField(_("reason"))
    details = models.JSONField(_("details"), default=dict, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering: ClassVar = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} on {self.subject} by {self.actor_id}"
