from django.urls import path

from mentor247.accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
]

# Every mentor page lives under /mentor/ (policies.access.MENTOR_PREFIX).
mentor_urlpatterns = (
    [path("", views.mentor_home, name="home")],
    "mentor",
)
