"""The only writers of personal API tokens, and the look-ups that go with them.

A token's secret is `m247_` and 43 URL-safe characters (256 random bits). The database keeps
its SHA-256 digest, never the secret: a copy of the database lets nobody call the API. A digest
without a salt is enough here, since the secret is random and long, not chosen by a person.

A token works for what its scopes allow (models.Scope) until it expires, at most
MAX_EXPIRY_DAYS after it was made, or is revoked: by its owner, or with all of the person's
tokens when their password changes or is reset (api.apps connects allauth's signals), since
someone who took over the account must not keep a way in.

Locking: creating a token locks the person's row (as every write about a person does first),
so two requests cannot both pass the limit on active tokens.
"""

from collections.abc import Iterable
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.api.models import ApiToken, RevokedBecause, Scope
from mentor247.lib.tokens import digest_of, new_secret

SECRET_PREFIX = "m247_"  # noqa: S105 - not a secret: what every token starts with
PREFIX_LENGTH = 12  # what the owner sees: "m247_" and 7 characters of the secret
MAX_NAME_LENGTH = 60
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token, not on every request.
USE_RESOLUTION = timedelta(minutes=1)
# How long a token may work: the page offers these, the domain takes any number of days up to
# the most.
EXPIRY_DAYS = (7, 30, 90, 365)
DEFAULT_EXPIRY_DAYS = 90
MAX_EXPIRY_DAYS = 365


def create_token(
    user: User,
    *,
    name: str,
    scopes: Iterable[str] = tuple(Scope.values),
    expires_in_days: int = DEFAULT_EXPIRY_DAYS,
) -> tuple[ApiToken, str]:
    """A new token of `user` that may do what `scopes` allow (every scope unless told) for
    `expires_in_days` days, and its secret, which is not stored and cannot be shown again.

    Raises ValidationError without a name (field "name"), without a known scope ("scopes"),
    with a life outside 1 to MAX_EXPIRY_DAYS days ("expires_in_days"), or when `user` already
    holds MAX_ACTIVE_TOKENS tokens that work (neither revoked nor expired). Locks the
    person's row.
    """
    name = name.strip()
    chosen = set(scopes)
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the program using it.")})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": _("A name has at most %(count)s characters.") % {"count": MAX_NAME_LENGTH}}
        )
    if not chosen or not chosen <= set(Scope.values):
        raise ValidationError(
            {
                "scopes": _("Choose what the token may do: %(scopes)s.")
                % {"scopes": ", ".join(Scope.values)}
            }
        )
    if not 1 <= expires_in_days <= MAX_EXPIRY_DAYS:
        raise ValidationError(
            {
                "expires_in_days": _("A token works for 1 to %(count)s days.")
                % {"count": MAX_EXPIRY_DAYS}
            }
        )
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).get()
        now = timezone.now()
        active = ApiToken.objects.filter(
            user=user, revoked_at__isnull=True, expires_at__gt=now
        ).count()
        if active >= MAX_ACTIVE_TOKENS:
            raise ValidationError(
                {
                    "name": _(
                        "You have %(count)s active tokens, the most we allow. Revoke one you "
                        "no longer use first."
                    )
                    % {"count": MAX_ACTIVE_TOKENS}
                }
            )
        secret = new_secret(SECRET_PREFIX)
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[:PREFIX_LENGTH],
            digest=digest_of(secret),
            scopes=[value for value in Scope.values if value in chosen],
            created_at=now,
            expires_at=now + timedelta(days=expires_in_days),
        )
    return token, secret


def revoke_token(token: ApiToken) -> ApiToken:
    """Stops `token` from working, at once and for good. Revoking it again changes nothing
    (the first revocation's time stays)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now, revoked_because=RevokedBecause.OWNER
    )
    token.refresh_from_db(fields=["revoked_at", "revoked_because"])
    return token


def revoke_all_tokens(user: User, *, because: str = RevokedBecause.PASSWORD) -> int:
    """Stops every token of `user` not revoked yet, in one UPDATE; how many it stopped."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_because=because
    )


def note_token_use(token: ApiToken) -> None:
    """Records that `token` was used now, writing at most once per USE_RESOLUTION; the
    conditional UPDATE keeps concurrent requests from writing twice."""
    now = timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < USE_RESOLUTION:
        return
    ApiToken.objects.filter(
        Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - USE_RESOLUTION), pk=token.pk
    ).update(last_used_at=now)
    token.last_used_at = now


def token_for_secret(secret: str) -> ApiToken | None:
    """The token whose secret is `secret`, not revoked, with its (active) person; None
    otherwise. It may have expired: the caller tells the two apart, to say which."""
    if not secret.startswith(SECRET_PREFIX):
        return None
    return (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


def access_token(user: User, token_id: int) -> ApiToken:
    """`user`'s own token `token_id`; Http404 for anyone else's, or none."""
    token = ApiToken.objects.filter(pk=token_id, user=user).first()
    if token is None:
        raise Http404
    return token
