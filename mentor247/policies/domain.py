"""The only writers of policies, their versions, acceptances and removal requests."""

from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mentor247.lib.timezones import format_moment
from mentor247.policies.models import (
    Policy,
    PolicyAcceptance,
    PolicyKind,
    PolicyVersion,
    RemovalRequest,
)
from mentor247.policies.queries import pending_versions
from mentor247.policies.signals import decisions_changed, removal_completed, version_published

if TYPE_CHECKING:
    from mentor247.accounts.models import User

DEFAULTS_DIR = Path(__file__).resolve().parent / "defaults"
# Publishing "now" from a form that took a moment to fill in is still publishing now.
PAST_TOLERANCE = timedelta(minutes=5)


def default_text(kind: str) -> str:
    return (DEFAULTS_DIR / f"{kind}.md").read_text()


def install_default_policies(using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """Creates each policy with its shipped text as version 1 where it has no version yet.

    Safe to run any number of times; connected to post_migrate.
    """
    with transaction.atomic(using=using):
        for kind in PolicyKind:
            policy, _created = Policy.objects.using(using).get_or_create(kind=kind)
            if not PolicyVersion.objects.using(using).filter(policy=policy).exists():
                PolicyVersion.objects.using(using).create(
                    policy=policy, number=1, text=default_text(kind), effective_at=timezone.now()
                )


def check_new_version(
    policy: Policy, *, text: str, changes: str, effective_at: datetime
) -> PolicyVersion | None:
    """Raises ValidationError unless this text may become the next version of `policy`;
    returns the latest version so far."""
    if effective_at < timezone.now() - PAST_TOLERANCE:
        raise ValidationError({"effective_at": _("A new version cannot take effect in the past.")})
    if not text.strip():
        raise ValidationError({"text": _("A policy needs its text.")})
    latest = policy.versions.order_by("-number").first()
    if latest is not None:
        # "Now" is as early as a version can take effect (see publish_version).
        if max(effective_at, timezone.now()) < latest.effective_at:
            raise ValidationError(
                {
                    "effective_at": _(
                        "Version %(number)s takes effect on %(date)s; a newer version cannot "
                        "take effect before it."
                    )
                    % {"number": latest.number, "date": _shown(latest.effective_at)}
                }
            )
        if latest.text.strip() == text.strip():
            raise ValidationError(
                {
                    "text": _("The text is the same as version %(number)s.")
                    % {"number": latest.number}
                }
            )
        if not changes.strip():
            raise ValidationError(
                {"changes": _("Say briefly what changed, for the people who accepted it before.")}
            )
    return latest


def _shown(moment: datetime) -> str:
    return format_moment(moment, "Y-m-d H:i")


def publish_version(
    policy: Policy,
    *,
    text: str,
    changes: str,
    effective_at: datetime,
    published_by: "User | None",
) -> PolicyVersion:
    """Publishes the next version of `policy`.

    From `effective_at` on, everyone the policy applies to is sent to accept it before going on.
    Locks the policy row, so two staff publishing at once get consecutive numbers.
    """
    with transaction.atomic():
        policy = Policy.objects.select_for_update().get(pk=policy.pk)
        latest = check_new_version(policy, text=text, changes=changes, effective_at=effective_at)
        version = PolicyVersion.objects.create(
            policy=policy,
            number=(latest.number + 1) if latest else 1,
            text=text,
            changes=changes,
            effective_at=max(effective_at, timezone.now()),
            published_by=published_by,
        )
        version_published.send(sender=PolicyVersion, version=version)
        return version


def accept_versions(
    user: "User",
    versions: Iterable[PolicyVersion],
    *,
    ip_address: str | None,
    user_agent: str,
) -> list[PolicyAcceptance]:
    """Records that `user` accepted `versions`, and withdraws an open removal request once
    nothing is left to accept."""
    now = timezone.now()
    with transaction.atomic():
        accepted = [
            PolicyAcceptance.objects.get_or_create(
                user=user,
                version=version,
                defaults={
                    "accepted_at": now,
                    "ip_address": ip_address,
                    "user_agent": user_agent[:512],
                },
            )[0]
            for version in versions
        ]
        if not pending_versions(user):
            RemovalRequest.objects.filter(user=user, status=RemovalRequest.Status.OPEN).update(
                status=RemovalRequest.Status.WITHDRAWN, resolved_at=now
            )
        decisions_changed.send(sender=PolicyAcceptance, user_ids=[user.pk])
    return accepted


def accept_pending(
    user: "User",
    *,
    version_ids: list[int],
    ip_address: str | None,
    user_agent: str,
    kinds: tuple[str, ...] | None = None,
) -> list[PolicyAcceptance]:
    """Accepts the versions waiting for `user`, exactly those that were shown (`version_ids`);
    of `kinds` when given (an applicant accepts the mentors' policies before becoming one).

    Locks the user's row, so an acceptance and a decline sent at once are taken in turn.
    """
    with transaction.atomic():
        pending = _lock_and_check(user, version_ids, kinds=kinds)
        return accept_versions(user, pending, ip_address=ip_address, user_agent=user_agent)


def decline_pending(user: "User", *, version_ids: list[int]) -> RemovalRequest:
    """Starts the removal of `user`, who declined the versions waiting for them.

    Declining the Terms of Use or Privacy Policy asks for the account to be closed; declining
    only the Code of Conduct, for the mentor profile to be removed. A mentor is hidden from
    listings at once; staff see the request in the admin. Locks the user's row.
    """
    with transaction.atomic():
        pending = _lock_and_check(user, version_ids)
        # Pending versions come in reading order, Terms and Privacy Policy before the Code of
        # Conduct, so the first one is the widest thing declined.
        declined = pending[0]
        request, created = RemovalRequest.objects.get_or_create(
            user=user, status=RemovalRequest.Status.OPEN, defaults={"declined_version": declined}
        )
        if not created and _ends_account(declined) and not _ends_account(request.declined_version):
            # A mentor who declined the Code of Conduct now declines the Terms too: the request
            # widens from the mentor profile to the whole account.
            request.declined_version = declined
            request.save(update_fields=["declined_version"])
        decisions_changed.send(sender=RemovalRequest, user_ids=[user.pk])
    return request


def _ends_account(version: PolicyVersion) -> bool:
    return version.policy.kind != PolicyKind.CONDUCT


STALE_DECISION = gettext_lazy(
    "The policies changed while you were reading them. Please read the versions shown now "
    "and decide again."
)


def _lock_user(user_id: int) -> "User":
    """Every write about one person's policies locks that person's row first, and only then
    other rows, so that two such writes never wait for each other in a circle."""
    user: User = get_user_model().objects.select_for_update().get(pk=user_id)
    return user


def _lock_and_check(
    user: "User", version_ids: list[int], *, kinds: tuple[str, ...] | None = None
) -> list[PolicyVersion]:
    _lock_user(user.pk)
    pending = pending_versions(user, kinds=kinds)
    if not pending or [version.pk for version in pending] != version_ids:
        raise ValidationError(STALE_DECISION, code="stale")
    return pending


def complete_removal(request: RemovalRequest, *, by: "User") -> None:
    """Staff carry out a removal: a declined Code of Conduct ends mentoring, a declined Terms
    of Use or Privacy Policy ends the account."""
    with transaction.atomic():
        user = _lock_user(request.user_id)
        request = (
            RemovalRequest.objects.select_for_update(of=("self",))
            .select_related("declined_version__policy")
            .get(pk=request.pk)
        )
        if request.status != RemovalRequest.Status.OPEN:
            return
        removal_completed.send(sender=RemovalRequest, user=user, by=by)
        if _ends_account(request.declined_version):
            user.is_active = False
            user.save(update_fields=["is_active"])
        request.status = RemovalRequest.Status.DONE
        request.resolved_at = timezone.now()
        request.resolved_by = by
        request.save(update_fields=["status", "resolved_at", "resolved_by"])
        decisions_changed.send(sender=RemovalRequest, user_ids=[user.pk])
