from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from mentor247.policies.access import MENTOR_MONEY_PREFIX, MENTOR_PREFIX, mentor_gate, review_url
from mentor247.policies.models import EVERYONE_KINDS
from mentor247.policies.queries import has_pending

Middleware = Callable[[HttpRequest], HttpResponse]

# Where someone who has not accepted the Terms or Privacy Policy in effect may still go: the
# policies themselves, leaving, the language switcher, and files.
OPEN_PREFIXES = (
    "/policies/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/media/",
    "/favicon.ico",
)
# API clients cannot follow a redirect to a page to read: they are told in JSON.
API_PREFIX = "/api/"


def policy_acceptance(get_response: Middleware) -> Middleware:
    """Sends logged-in people to accept the Terms and Privacy Policy in effect before anything
    else, and guards every page under /mentor/ as `access.mentor_required` does (which mentor
    views carry as well, and API endpoints and consumers use through `mentor_access`)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(MENTOR_PREFIX) and not request.path.startswith(
            MENTOR_MONEY_PREFIX
        ):
            # A mentor's policies include everyone's, so this one check covers the page.
            if stop := mentor_gate(request):
                return stop
            request.mentor_checked = True  # type: ignore[attr-defined]
            return get_response(request)
        if (
            request.user.is_authenticated
            and not request.path.startswith(OPEN_PREFIXES)
            and has_pending(request.user, kinds=EVERYONE_KINDS)
        ):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {
                        "detail": _(
                            "Please accept the Terms of Use and Privacy Policy in effect first."
                        ),
                        "review_url": reverse("policies:review"),
                        "errors": {},
                    },
                    status=403,
                )
            return HttpResponseRedirect(review_url(request.get_full_path()))
        return get_response(request)

    return middleware
