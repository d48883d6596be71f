from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentor247.policies.domain import check_new_version, complete_removal, publish_version
from mentor247.policies.models import Policy, PolicyAcceptance, PolicyVersion, RemovalRequest


@admin.register(Policy)
class PolicyAdmin(admin.ModelAdmin):
    list_display = ("kind",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class VersionForm(forms.ModelForm):
    # One labelled field in the staff member's own zone, instead of the admin's split widget.
    effective_at = forms.DateTimeField(
        label=_("Effective from"),
        initial=timezone.now,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("In your time zone. People must accept the new version from then on."),
    )

    class Meta:
        model = PolicyVersion
        fields = ("policy", "text", "changes", "effective_at")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and not self.errors:
            # The admin saves inside one transaction: the policy locked here stays locked
            # until the version is published, so the check still holds then.
            policy = Policy.objects.select_for_update().get(pk=data["policy"].pk)
            try:
                check_new_version(
                    policy,
                    text=data["text"],
                    changes=data.get("changes", ""),
                    effective_at=data["effective_at"],
                )
            except ValidationError as error:
                self.add_error(None, error)
        return data


@admin.register(PolicyVersion)
class PolicyVersionAdmin(admin.ModelAdmin):
    form = VersionForm
    list_display = ("policy", "number", "effective_at", "published_at", "published_by")
    list_select_related = ("policy", "published_by")
    list_filter = ("policy",)
    fields = ("policy", "text", "changes", "effective_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # A published version is a record of what people accepted: it is never edited.
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Only ever an addition (no change permission): numbering and checks are the domain's.
        published = publish_version(
            obj.policy,
            text=obj.text,
            changes=obj.changes,
            effective_at=obj.effective_at,
            published_by=request.user,  # type: ignore[arg-type]
        )
        # The admin logs, reports and links the object it passed in: make it the published one.
        obj.__dict__.update(published.__dict__)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PolicyAcceptance)
class PolicyAcceptanceAdmin(admin.ModelAdmin):
    list_display = ("user", "version", "accepted_at", "ip_address")
    list_select_related = ("user", "version__policy")
    list_filter = ("version__policy",)
    search_fields = ("user__email",)
    readonly_fields = ("user", "version", "accepted_at", "ip_address", "user_agent")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(RemovalRequest)
class RemovalRequestAdmin(admin.ModelAdmin):
    list_display = ("user", "declined_version", "status", "created_at", "resolved_at")
    list_select_related = ("user", "declined_version__policy")
    list_filter = ("status",)
    search_fields = ("user__email",)
    readonly_fields = (
        "user",
        "declined_version",
        "status",
        "created_at",
        "resolved_at",
        "resolved_by",
    )
    actions = ("carry_out",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=_("Carry out the selected removals"))
    def carry_out(self, request: HttpRequest, queryset: QuerySet[RemovalRequest]) -> None:
        for removal in queryset.filter(status=RemovalRequest.Status.OPEN):
            complete_removal(removal, by=request.user)  # type: ignore[arg-type]
        messages.success(request, _("The selected removals are done."))
