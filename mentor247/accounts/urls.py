from django.urls import path

from mentor247.accounts import views

app_name = "accounts"
urlpatterns = [
    path("settings/", views.preferences, name="preferences"),
]

# Under /mentor/, in the "mentor" namespace (gathered with other apps' in mentor247/urls.py).
mentor_urlpatterns = [
    path("", views.mentor_home, name="home"),
]
