from typing import Any, ClassVar

from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from mentor247.accounts.models import User
from mentor247.accounts.signals import password_set_by_staff


class PasswordSetByStaffForm(AdminPasswordChangeForm):
    """Staff setting someone's password: every API token of theirs ends, as when they change
    or reset it themselves (api.apps)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        if commit:
            password_set_by_staff.send(sender=type(self), user=user)
        return user


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    change_password_form = PasswordSetByStaffForm
    ordering = ("email",)
    list_display = ("email", "name", "is_staff", "is_active", "date_joined")
    list_filter = ("is_staff", "is_active", "language")
    search_fields = ("email", "name")
    readonly_fields = ("date_joined", "last_login")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Profile"), {"fields": ("name", "time_zone", "language")}),
        (_("Roles"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Permissions"), {"classes": ("collapse",), "fields": ("groups", "user_permissions")}),
        (_("Dates"), {"fields": ("date_joined", "last_login")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "name", "password1", "password2"),
            },
        ),
    )
    filter_horizontal: ClassVar = ("groups", "user_permissions")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # People are deactivated, never deleted: their policy acceptances are kept records.
        return False


class AuthenticatorAdmin(admin.ModelAdmin[Authenticator]):
    """Who has which kind of two-factor authentication, made and last used when; never its
    data (the encrypted secrets). Staff may remove one for someone who lost their device."""

    list_display = ("user", "type", "created_at", "last_used_at")
    list_filter = ("type",)
    list_select_related = ("user",)
    search_fields = ("user__email",)
    fields = ("user", "type", "created_at", "last_used_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


def hide_two_factor_data(site: admin.AdminSite) -> None:
    """Puts AuthenticatorAdmin in place of allauth's, which shows each secret: called once
    every app registered its models (accounts.admin_apps)."""
    if site.is_registered(Authenticator):
        site.unregister(Authenticator)
    site.register(Authenticator, AuthenticatorAdmin)
