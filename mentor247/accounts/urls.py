from django.urls import path

from mentor247.accounts import views
from mentor247.mentors.urls import mentor_area_urlpatterns
from mentor247.payments.urls import mentor_urlpatterns as payments_mentor_urlpatterns

app_name = "accounts"
urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
]

# Every mentor page lives under /mentor/ (policies.access.MENTOR_PREFIX).
mentor_urlpatterns = (
    [
        path("", views.mentor_home, name="home"),
        *mentor_area_urlpatterns,
        *payments_mentor_urlpatterns,
    ],
    "mentor",
)
