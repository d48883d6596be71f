from django.contrib import admin
from django.urls import include, path

from mentor247.accounts import views as account_views
from mentor247.accounts.urls import mentor_urlpatterns

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("me/", include("mentor247.accounts.urls")),
    path("mentor/", include(mentor_urlpatterns)),
    path("policies/", include("mentor247.policies.urls")),
    path("i18n/setlang/", account_views.switch_language, name="set_language"),
    path("staff/admin/", admin.site.urls),
]
