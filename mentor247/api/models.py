from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    """What a token may do; every API operation that takes a token names the one it needs
    (api.auth). The login session of the browser may do all of it."""

    READ = "read", _("Read your profile, offerings, availability and bookings")
    BOOK = "book", _("Book, move and cancel sessions")
    MANAGE = "manage", _("Change your mentor profile, offerings and availability")


class RevokedBecause(models.TextChoices):
    OWNER = "owner", _("by you")
    PASSWORD = "password", _("when your password changed")


class ApiToken(models.Model):
    """A personal token for the API. Only the SHA-256 digest of its secret is kept: the secret
    is shown once, when the token is made (api.domain.create_token). It works until it is
    revoked or expires, for what its scopes allow."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("user"),
    )
    name = models.CharField(_("name"), max_length=60)
    # The secret's first characters, so its owner can tell which token a program uses.
    prefix = models.CharField(_("prefix"), max_length=16)
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_because = models.CharField(
        _("revoked because"), max_length=16, choices=RevokedBecause.choices, blank=True
    )
    # Scope values, in the order of Scope.
    scopes = models.JSONField(_("scopes"), default=list)
    expires_at = models.DateTimeField(_("expires"))

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering: ClassVar = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    def scope_labels(self) -> list[str]:
        return [str(Scope(value).label) for value in self.scopes if value in Scope.values]
