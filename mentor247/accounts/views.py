from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import set_language

from mentor247.accounts.domain import update_preferences
from mentor247.accounts.forms import PreferencesForm
from mentor247.lib.typing import AuthenticatedHttpRequest
from mentor247.policies.models import PolicyAcceptance


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A person's name, time zone and language, and the policies they accepted."""
    form = PreferencesForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        update_preferences(request.user, **form.cleaned_data)
        messages.success(request, _("Your settings are saved."))
        return HttpResponseRedirect(reverse("accounts:preferences"))
    acceptances = PolicyAcceptance.objects.filter(user=request.user).select_related(
        "version__policy"
    )
    return render(
        request,
        "accounts/preferences.html",
        {"form": form, "acceptances": acceptances},
        status=400 if form.errors else 200,
    )


@require_POST
def switch_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, remembered on the account of a logged-in person."""
    response = set_language(request)
    code = request.POST.get("language", "")
    if request.user.is_authenticated and code in dict(settings.LANGUAGES):
        update_preferences(request.user, language=code)
    return response
