"""The admin, entered only through allauth (mounted at /staff/admin/).

Django's own login and password forms know nothing of allauth's limits on failed logins or
of its two-factor step, so the admin's login sends visitors to allauth's login (which returns
them with `next`), and its password change to allauth's, whose signals the rest of the
platform listens to (personal API tokens end with a password change). The two-factor rule of
staff pages is the middleware's (accounts.middleware.staff_two_factor).
"""

from typing import Any

from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse


class StaffAdminSite(admin.AdminSite):
    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """allauth's login for visitors; 403 for people who are not active staff; for
        staff, Django's view, which sends them on to the admin."""
        return secure_admin_login(super().login)(request, extra_context)

    def password_change(  # type: ignore[override]  # a redirect in place of Django's form
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        return HttpResponseRedirect(reverse("account_change_password"))
