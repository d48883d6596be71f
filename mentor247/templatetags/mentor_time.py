from datetime import datetime

from django import template
from django.utils import formats

register = template.Library()


@register.filter
def local_clock(moment: datetime) -> str:
    """A mentor's local time as they read it (the moment must already be in their zone)."""
    return formats.date_format(moment.replace(tzinfo=None), "D H:i")
