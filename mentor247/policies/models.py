from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PolicyKind(models.TextChoices):
    TERMS = "terms", _("Terms of Use")
    PRIVACY = "privacy", _("Privacy Policy")
    CONDUCT = "conduct", _("Mentor Code of Conduct")


# Everyone accepts the Terms and the Privacy Policy; mentors also the Code of Conduct.
EVERYONE_KINDS = (PolicyKind.TERMS, PolicyKind.PRIVACY)
MENTOR_KINDS = (*EVERYONE_KINDS, PolicyKind.CONDUCT)


class Policy(models.Model):
    kind = models.CharField(_("kind"), max_length=16, choices=PolicyKind.choices, unique=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        ordering: ClassVar = ["kind"]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class PolicyVersionQuerySet(models.QuerySet["PolicyVersion"]):
    def in_effect(self, at: Any = None) -> "PolicyVersionQuerySet":
        """The version of each policy in force at a moment (now by default)."""
        at = at or timezone.now()
        newer = PolicyVersion.objects.filter(
            policy=models.OuterRef("policy"), effective_at__lte=at
        ).filter(
            Q(effective_at__gt=models.OuterRef("effective_at"))
            | Q(effective_at=models.OuterRef("effective_at"), number__gt=models.OuterRef("number"))
        )
        return self.filter(effective_at__lte=at).exclude(models.Exists(newer))


class PolicyVersion(models.Model):
    """One published text of a policy. Once in effect it is never edited: publish a new one."""

    policy = models.ForeignKey(
        Policy, on_delete=models.PROTECT, related_name="versions", verbose_name=_("policy")
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), help_text=_("Markdown."))
    changes = models.TextField(
        _("what changed"),
        blank=True,
        help_text=_("A short summary shown to people who accepted an earlier version."),
    )
    effective_at = models.DateTimeField(_("effective from"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )

    objects = PolicyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy version")
        verbose_name_plural = _("policy versions")
        ordering: ClassVar = ["policy__kind", "-number"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["policy", "number"], name="policies_version_unique"),
        ]

    def __str__(self) -> str:
        return _("%(policy)s, version %(number)s") % {"policy": self.policy, "number": self.number}

    def is_in_effect_or_past(self) -> bool:
        return self.effective_at <= timezone.now()


class PolicyAcceptance(models.Model):
    """A record that a person accepted a version: who, which, when and from where. Never edited."""

    # PROTECT: the record of who accepted what outlives any attempt to delete the person;
    # accounts are deactivated, not deleted.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="policy_acceptances",
        verbose_name=_("user"),
    )
    version = models.ForeignKey(
        PolicyVersion,
        on_delete=models.PROTECT,
        related_name="acceptances",
        verbose_name=_("version"),
    )
    accepted_at = models.DateTimeField(_("accepted"), default=timezone.now)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("user agent"), max_length=512, blank=True)

    class Meta:
        verbose_name = _("policy acceptance")
        verbose_name_plural = _("policy acceptances")
        ordering: ClassVar = ["-accepted_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(fields=["user", "version"], name="policies_acceptance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("Policy acceptances are never edited.")
        super().save(*args, **kwargs)


class RemovalRequest(models.Model):
    """Made when someone declines a policy: staff remove them, unless they accept after all."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        WITHDRAWN = "withdrawn", _("withdrawn: the policy was accepted after all")
        DONE = "done", _("done: removed by staff")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="removal_requests",
        verbose_name=_("user"),
    )
    declined_version = models.ForeignKey(
        PolicyVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("declined")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.OPEN
    )
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )

    class Meta:
        verbose_name = _("removal request")
        verbose_name_plural = _("removal requests")
        ordering: ClassVar = ["-created_at"]
        constraints: ClassVar = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="open"),
                name="policies_one_open_removal_request",
            ),
        ]

    def __str__(self) -> str:
        return _("Removal of %(user)s") % {"user": self.user}
