"""The pages where a person makes and revokes their personal API tokens (/me/tokens/)."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import F
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mentor247.api.domain import access_token, create_token, revoke_token
from mentor247.api.forms import TokenForm
from mentor247.api.models import ApiToken
from mentor247.lib.typing import AuthenticatedHttpRequest


@login_required
@reauthentication_required(allow_get=True)
@require_http_methods(["GET", "POST"])
def tokens(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The person's tokens, and a form for a new one. Making one asks for the password again
    when the login is not recent (a token acts for the account), and answers with the secret
    on this page, once: it is neither stored nor sent anywhere else."""
    form = TokenForm(request.POST or None)
    token, secret = None, ""
    if request.method == "POST" and form.is_valid():
        try:
            token, secret = create_token(
                request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            form = TokenForm()
    response = render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "new_token": token,
            "secret": secret,
            # Those not revoked first, newest first.
            "tokens": ApiToken.objects.filter(user=request.user).order_by(
                F("revoked_at").asc(nulls_first=True), "-created_at", "-pk"
            ),
        },
        status=400 if form.errors else 200,
    )
    add_never_cache_headers(response)
    return response


@login_required
@require_POST
def revoke(request: AuthenticatedHttpRequest, token_id: int) -> HttpResponse:
    token = revoke_token(access_token(request.user, token_id))
    messages.success(
        request, _("The token “%(name)s” is revoked; it no longer works.") % {"name": token.name}
    )
    return HttpResponseRedirect(reverse("tokens:list"))
