"""Text people type that ends up in one-line places: email headers, calendar fields."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators.
_BREAKING = {"Cc", "Zl", "Zp"}
_SPACES = re.compile(r"\s+")


def has_control_characters(text: str) -> bool:
    return any(unicodedata.category(char) in _BREAKING for char in text)


def one_line(text: str) -> str:
    """`text` on one line: every control character or line break becomes a space, runs of
    spaces become one, and the ends are trimmed."""
    spaced = "".join(" " if unicodedata.category(char) in _BREAKING else char for char in text)
    return _SPACES.sub(" ", spaced).strip()


def validate_person_name(name: str) -> None:
    """Refuses a name with line breaks, tabs or other control characters: a name is shown on
    one line, in pages, email subjects and calendars."""
    if has_control_characters(name):
        raise ValidationError(
            _("A name cannot contain line breaks, tabs or other control characters."),
            code="control_characters",
        )
