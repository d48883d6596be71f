from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mentor247.accounts import views as account_views
from mentor247.api.api import api
from mentor247.bookings import urls as bookings_urls
from mentor247.bookings import views as bookings_views
from mentor247.lib.media import serve_media
from mentor247.mentors import urls as mentors_urls
from mentor247.mentors import views as mentors_views
from mentor247.payments import urls as payments_urls

# Namespaces whose pages come from several apps are gathered here, so no app's urls.py
# reaches into another's.
mentors_pages = (mentors_urls.urlpatterns + bookings_urls.mentors_urlpatterns, "mentors")
# Every mentor page lives under /mentor/ (policies.access.MENTOR_PREFIX).
mentor_pages = (
    mentors_urls.mentor_area_urlpatterns
    + bookings_urls.mentor_urlpatterns
    + payments_urls.mentor_urlpatterns,
    "mentor",
)

urlpatterns = [
    path("", mentors_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("mentor247.accounts.urls")),
    path("me/tokens/", include("mentor247.api.urls")),
    path("api/", api.urls),
    path("mentor/", include(mentor_pages)),
    path("policies/", include("mentor247.policies.urls")),
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("mentors/", include(mentors_pages)),
    path("bookings/", include("mentor247.bookings.urls")),
    path("bookings/", include("mentor247.notes.urls")),
    path("rooms/", include("mentor247.rooms.urls")),
    path("tech-check/", include("mentor247.techcheck.urls")),
    path("payments/", include("mentor247.payments.urls")),
    path("calendar/<str:secret>.ics", bookings_views.calendar_feed, name="calendar_feed"),
    path("staff/mentors/", include(mentors_urls.staff_urlpatterns)),
    path("staff/payments/", include(payments_urls.staff_urlpatterns)),
    path("staff/admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
        )
    ]
