from django.contrib.admin.apps import AdminConfig


class StaffAdminConfig(AdminConfig):
    """Django's admin app (in INSTALLED_APPS) with accounts.admin_site.StaffAdminSite as
    `admin.site`: a module of its own, since app configs load before any model may."""

    default_site = "mentor247.accounts.admin_site.StaffAdminSite"

    def ready(self) -> None:
        super().ready()  # every app's admin module registers its models
        # Imported here: the admin modules need the models, loaded only once apps are ready.
        from django.contrib import admin

        from mentor247.accounts.admin import hide_two_factor_data

        hide_two_factor_data(admin.site)
