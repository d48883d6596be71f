from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def chrome(request: HttpRequest) -> dict[str, object]:
    """What the base layout needs on every page: the site's name, the viewer's zone, and
    whether payments are in test mode (the sandbox's test cards pay in production, when the
    operator allowed it on purpose: every page says so)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "PAYMENTS_TEST_MODE": settings.PAYMENTS_TEST_MODE,
        "viewer_time_zone": timezone.get_current_timezone_name(),
    }
