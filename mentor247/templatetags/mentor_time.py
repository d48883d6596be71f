from datetime import datetime

from django import template

from mentor247.lib.timezones import format_moment

register = template.Library()


@register.filter
def local_clock(moment: datetime) -> str:
    """A mentor's local time as they read it, in the moment's own zone: “Sun 01:30”, or
    “Sun 01:30 EDT” in the hour that comes twice."""
    return format_moment(moment, "D H:i", zone=moment.tzinfo, named=False)
