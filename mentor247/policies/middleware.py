from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from mentor247.policies.access import MENTOR_PREFIX, mentor_gate, review_url
from mentor247.policies.models import EVERYONE_KINDS
from mentor247.policies.rules import has_pending

Middleware = Callable[[HttpRequest], HttpResponse]

# Where someone who has not accepted the Terms or Privacy Policy in effect may still go: the
# policies themselves, leaving, the language switcher, and files.
OPEN_PREFIXES = ("/policies/", "/accounts/logout/", "/i18n/", "/static/", "/favicon.ico")


def policy_acceptance(get_response: Middleware) -> Middleware:
    """Sends logged-in people to accept the Terms and Privacy Policy in effect before anything
    else, and guards every page under /mentor/ as `access.mentor_required` does (which mentor
    views carry as well, and API endpoints and consumers use through `mentor_access`)."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(MENTOR_PREFIX):
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
            return HttpResponseRedirect(review_url(request.get_full_path()))
        return get_response(request)

    return middleware
