"""Shows moments in the viewer's own time zone, always naming the zone, and naming the side of
the change for a wall time that comes twice (see lib.timezones.format_moment)."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from mentor247.lib.timezones import format_moment

register = template.Library()


@register.filter
def when(moment: datetime | None) -> SafeString | str:
    """``{{ booking.starts_at|when }}`` → “Tue 24 Nov 2026, 14:30 (Asia/Kolkata)”."""
    if moment is None:
        return ""
    machine = moment.astimezone(UTC).isoformat().replace("+00:00", "Z")
    return format_html('<time datetime="{}">{}</time>', machine, format_moment(moment))


@register.filter
def when_text(moment: datetime | None) -> str:
    """``when`` for plain text, such as emails: “Tue 24 Nov 2026, 14:30 (Asia/Kolkata)”."""
    return "" if moment is None else format_moment(moment)


@register.filter
def when_text_in(moment: datetime | None, zone: str) -> str:
    """``when_text`` on the clock of `zone`, such as another person's: ``{{ booking.starts_at|
    when_text_in:other.time_zone }}`` → “Tue 24 Nov 2026, 10:00 (Europe/Berlin)”."""
    return "" if moment is None else format_moment(moment, zone=ZoneInfo(zone))


@register.filter
def clock(moment: datetime | None) -> str:
    """``{{ booking.ends_at|clock }}`` → “15:30”, the time of day in the viewer's zone, for
    next to a moment shown with ``when``; “01:30 EST” in the hour that comes twice."""
    return "" if moment is None else format_moment(moment, "H:i", named=False)
