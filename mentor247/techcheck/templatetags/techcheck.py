"""`{% last_tech_check person viewer %}`: one line on a person's latest tech check, for pages
such as a session's room. The page decides who may see whom; the line shows only when the
check was and its verdict, never its figures.

`{% quality_thresholds %}`: the verdict's quality table as JSON data for the page's scripts."""

from typing import Any

from django import template
from django.utils import timezone
from django.utils.html import json_script
from django.utils.safestring import SafeString
from django.utils.timesince import timesince
from django.utils.translation import gettext as _

from mentor247.accounts.models import User
from mentor247.techcheck import verdict
from mentor247.techcheck.queries import last_check

register = template.Library()


@register.inclusion_tag("techcheck/_last.html", takes_context=True)
def last_tech_check(context: dict[str, Any], person: User, viewer: User) -> dict[str, Any]:
    """The line as `viewer` reads it: about themselves, with a link to check (back to this
    page afterwards), or about the other person."""
    check = last_check(person)
    ago = ""
    if check is not None:
        age = timezone.now() - check.checked_at
        ago = (
            _("just now")
            if age.total_seconds() < 60
            else _("%(time)s ago") % {"time": timesince(check.checked_at)}
        )
    request = context.get("request")
    return {
        "check": check,
        "ago": ago,
        "person": person,
        "is_viewer": person.pk == viewer.pk,
        "back": request.get_full_path() if request is not None else "",
    }


@register.simple_tag
def quality_thresholds() -> SafeString:
    """`<script id="quality-thresholds" type="application/json">`, which static/media/quality.js
    reads: data only, so the Content-Security-Policy lets it be."""
    return json_script(verdict.thresholds(), "quality-thresholds")
