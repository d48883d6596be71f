"""The only writers of personal API tokens, and the look-ups that go with them.

A token's secret is `m247_` and 43 URL-safe characters (256 random bits). The database keeps
its SHA-256 digest, never the secret: a copy of the database lets nobody call the API. A digest
without a salt is enough here, since the secret is random and long, not chosen by a person.

Locking: creating a token locks the person's row (as every write about a person does first),
so two requests cannot both pass the limit on active tokens.
"""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.api.models import ApiToken
from mentor247.lib.tokens import digest_of, new_secret

SECRET_PREFIX = "m247_"  # noqa: S105 - not a secret: what every token starts with
PREFIX_LENGTH = 12  # what the owner sees: "m247_" and 7 characters of the secret
MAX_NAME_LENGTH = 60
MAX_ACTIVE_TOKENS = 20
# last_used_at is written at most this often per token, not on every request.
USE_RESOLUTION = timedelta(minutes=1)


def create_token(user: User, *, name: str) -> tuple[ApiToken, str]:
    """A new token of `user`, and its secret, which is not stored and cannot be shown again.

    Raises ValidationError (field "name") without a name, or when `user` already holds
    MAX_ACTIVE_TOKENS tokens that are not revoked. Locks the person's row.
    """
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Give the token a name, such as the program using it.")})
    if len(name) > MAX_NAME_LENGTH:
        raise ValidationError(
            {"name": _("A name has at most %(count)s characters.") % {"count": MAX_NAME_LENGTH}}
        )
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=user.pk).get()
        active = ApiToken.objects.filter(user=user, revoked_at__isnull=True).count()
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
            user=user, name=name, prefix=secret[:PREFIX_LENGTH], digest=digest_of(secret)
        )
    return token, secret


def revoke_token(token: ApiToken) -> ApiToken:
    """Stops `token` from working, at once and for good. Revoking it again changes nothing
    (the first revocation's time stays)."""
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    token.refresh_from_db(fields=["revoked_at"])
    return token


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
    """The active token whose secret is `secret`, with its (active) person; None otherwise."""
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
