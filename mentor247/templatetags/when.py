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
    machine = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return _time_tag(machine, formats.date_format(timezone.localtime(moment), "D j M Y, H:i"))


def _time_tag(machine: str, shown: str) -> SafeString:
    return format_html(
        '<time datetime="{}">{} ({})</time>', machine, shown, timezone.get_current_timezone_name()
    )


@register.filter
def when_text(moment: datetime | None) -> str:
    """``when`` for plain text, such as emails: “Tue 24 Nov 2026, 14:30 (Asia/Kolkata)”."""
    if moment is None:
        return ""
    shown = formats.date_format(timezone.localtime(moment), "D j M Y, H:i")
    return f"{shown} ({timezone.get_current_timezone_name()})"
