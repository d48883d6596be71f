"""Money is an integer count of a currency's minor units; these helpers read and show it."""

from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, get_currency_precision
from django.utils.translation import get_language, to_locale
from django.utils.translation import gettext_lazy as _

# The currencies mentors may charge in, with their names for the pickers.
CURRENCIES = (
    ("USD", _("US dollar")),
    ("EUR", _("Euro")),
    ("GBP", _("Pound sterling")),
    ("INR", _("Indian rupee")),
    ("JPY", _("Japanese yen")),
    ("BRL", _("Brazilian real")),
    ("CAD", _("Canadian dollar")),
    ("AUD", _("Australian dollar")),
    ("MXN", _("Mexican peso")),
    ("NPR", _("Nepalese rupee")),
)
CURRENCY_CODES = frozenset(code for code, _name in CURRENCIES)


def minor_digits(currency: str) -> int:
    """How many digits follow the decimal point in `currency` (2 for EUR, 0 for JPY)."""
    return int(get_currency_precision(currency))


def to_minor(amount: str | Decimal, currency: str) -> int:
    """Reads an amount in major units ("45.50") as minor units (4550); ValueError if it has
    more decimals than the currency or is negative."""
    try:
        value = Decimal(str(amount).strip())
    except InvalidOperation as error:
        raise ValueError(amount) from error
    if not value.is_finite() or value < 0:
        raise ValueError(amount)
    minor = value.scaleb(minor_digits(currency))
    if minor != minor.to_integral_value():
        raise ValueError(amount)
    return int(minor)


def to_major(minor: int, currency: str) -> Decimal:
    return Decimal(minor).scaleb(-minor_digits(currency))


def format_money(minor: int, currency: str) -> str:
    """The amount with its currency, written the way the viewer's language writes money."""
    locale = to_locale(get_language() or "en")
    return format_currency(to_major(minor, currency), currency, locale=locale)
