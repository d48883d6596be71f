import time
import zoneinfo
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from mentor247.lib.timezones import is_time_zone

Middleware = Callable[[HttpRequest], HttpResponse]

STARTED_KEY = "limits_started_at"
SEEN_KEY = "limits_seen_at"
# Writing the session on every request would cost a database write per page; a minute's
# precision is plenty for a limit measured in hours.
SEEN_RESOLUTION = 60
TIME_ZONE_COOKIE = "time_zone"


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
