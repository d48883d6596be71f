"""The languages mentors can speak, with the levels they speak them at."""

from functools import cache

from django.conf.locale import LANG_INFO
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class Proficiency(models.IntegerChoices):
    # Ordered, so "at least conversational" is a comparison.
    BASIC = 1, _("basic")
    CONVERSATIONAL = 2, _("conversational")
    FLUENT = 3, _("fluent")
    NATIVE = 4, _("native")


@cache
def language_codes() -> tuple[str, ...]:
    # Django's table of languages, less its aliases; a language's name is translated by
    # Django's own catalogue.
    return tuple(sorted(code for code, info in LANG_INFO.items() if "name" in info))


def language_name(code: str) -> str:
    info = LANG_INFO.get(code, {})
    return gettext(info["name"]) if "name" in info else code


def language_choices() -> list[tuple[str, str]]:
    return sorted(((code, language_name(code)) for code in language_codes()), key=lambda c: c[1])
