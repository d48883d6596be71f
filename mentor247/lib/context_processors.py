from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone


def chrome(request: HttpRequest) -> dict[str, object]:
    """What the base layout needs on every page: the site's name and the viewer's zone."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "viewer_time_zone": timezone.get_current_timezone_name(),
    }
