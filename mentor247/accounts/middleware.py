import time
import zoneinfo
from collections.abc import Callable
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from mentor247.lib.timezones import is_time_zone

Middleware = Callable[[HttpRequest], HttpResponse]

STARTED_KEY = "limits_started_at"
SEEN_KEY = "limits_seen_at"
# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a limit measured in hours.
SEEN_RESOLUTION = 60
TIME_ZONE_COOKIE = "time_zone"
# Every staff page lives under /staff/, the admin included.
STAFF_PREFIX = "/staff/"


def start_session_clock(
    sender: object, request: HttpRequest, user: object, **kwargs: object
) -> None:
    """Connected to user_logged_in: both limits count from the moment of login."""
    now = int(time.time())
    request.session[STARTED_KEY] = now
    request.session[SEEN_KEY] = now


def session_limits(get_response: Middleware) -> Middleware:
    """Ends a login session idle for SESSION_IDLE_SECONDS or older than SESSION_COOKIE_AGE."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            now = int(time.time())
            started = request.session.setdefault(STARTED_KEY, now)
            seen = request.session.get(SEEN_KEY, now)
            if (
                now - started > settings.SESSION_COOKIE_AGE
                or now - seen > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)
            elif now - seen >= SEEN_RESOLUTION or SEEN_KEY not in request.session:
                request.session[SEEN_KEY] = now
        return get_response(request)

    return middleware


def viewer_preferences(get_response: Middleware) -> Middleware:
    """Shows the platform in the viewer's language and time zone.

    A logged-in user's own settings win; visitors get the zone their browser reported in a
    cookie (static/js/time-zone.js) and the language LocaleMiddleware chose.
    """

    def middleware(request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            zone_name = user.time_zone
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        else:
            zone_name = request.COOKIES.get(TIME_ZONE_COOKIE, "UTC")
        timezone.activate(zoneinfo.ZoneInfo(zone_name if is_time_zone(zone_name) else "UTC"))
        try:
            return get_response(request)
        finally:
            timezone.deactivate()

    return middleware


def two_factor_missing(request: HttpRequest) -> HttpResponse | None:
    """For active staff without two-factor authentication (TOTP) on, a redirect to turn it
    on; for staff with it on who gave no code in this session, a redirect to give one; None
    for everyone else, whose access the staff pages decide themselves.

    allauth's login asks anyone with TOTP on for a code after the password, and the admin
    has no login of its own (accounts.admin_site): a staff login made while TOTP was on
    passed that second step, and one made before gave a code to turn it on."""
    user = request.user
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return None
    if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        if any(
            record.get("method") == "mfa" for record in get_authentication_records(request, user)
        ):
            return None
        # Logged in without giving a code in this session (before two-factor was turned on,
        # or by a way that did not ask): a code now, then back here.
        return HttpResponseRedirect(
            f"{reverse('mfa_reauthenticate')}?{urlencode({'next': request.get_full_path()})}"
        )
    messages.warning(
        request,
        _(
            "Staff pages need two-factor authentication. Turn it on with an authenticator "
            "app, then go back to the staff pages."
        ),
    )
    return HttpResponseRedirect(reverse("mfa_activate_totp"))


def staff_two_factor(get_response: Middleware) -> Middleware:
    """Keeps staff without two-factor authentication out of every page under /staff/."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.path.startswith(STAFF_PREFIX) and (stop := two_factor_missing(request)):
            return stop
        return get_response(request)

    return middleware
