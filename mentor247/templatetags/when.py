"""Shows moments in the viewer's own time zone, always naming the zone."""

from datetime import UTC, datetime

from django import template
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.filter
def when(moment: datetime | None) -> SafeString | str:
    """``{{ booking.starts_at|when }}`` → “Tue 24 Nov 2026, 14:30 (Asia/Kolkata)”."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{} ({})</time>',
        moment.astimezone(UTC).isoformat().replace("+00:00", "Z"),
        formats.date_format(local, "D j M Y, H:i"),
        timezone.get_current_timezone_name(),
    )


@register.filter
def day(moment: datetime | None) -> SafeString | str:
    """A date alone, as the viewer's calendar shows it, with the zone named."""
    if moment is None:
        return ""
    local = timezone.localtime(moment)
    return format_html(
        '<time datetime="{}">{} ({})</time>',
        local.date().isoformat(),
        formats.date_format(local, "j M Y"),
        timezone.get_current_timezone_name(),
    )
