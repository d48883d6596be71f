from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from mentor247.accounts import views as account_views
from mentor247.accounts.urls import mentor_urlpatterns
from mentor247.api.api import api
from mentor247.bookings import views as bookings_views
from mentor247.lib.media import serve_media
from mentor247.mentors.urls import staff_urlpatterns
from mentor247.payments.urls import staff_urlpatterns as payments_staff_urlpatterns

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("mentor247.accounts.urls")),
    path("me/tokens/", include("mentor247.api.urls")),
    path("api/", api.urls),
    path("mentor/", include(mentor_urlpatterns)),
    path("policies/", include("mentor247.policies.urls")),
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("mentors/", include("mentor247.mentors.urls")),
    path("bookings/", include("mentor247.bookings.urls")),
    path("bookings/", include("mentor247.notes.urls")),
    path("rooms/", include("mentor247.rooms.urls")),
    path("tech-check/", include("mentor247.techcheck.urls")),
    path("payments/", include("mentor247.payments.urls")),
    path("calendar/<str:secret>.ics", bookings_views.calendar_feed, name="calendar_feed"),
    path("staff/mentors/", include(staff_urlpatterns)),
    path("staff/payments/", include(payments_staff_urlpatterns)),
    path("staff/admin/", admin.site.urls),
]

if settings.SERVE_MEDIA:
    urlpatterns += [
        path(
            f"{settings.MEDIA_URL.strip('/')}/<path:path>",
            serve_media,
        )
    ]
