"""The query string of GET /api/mentors, read into mentors.queries.MentorFilters."""

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from mentor247.lib.languages import language_codes
from mentor247.lib.money import CURRENCY_CODES, minor_digits, to_minor
from mentor247.lib.timezones import is_time_zone
from mentor247.mentors.queries import MentorFilters, Sort

if TYPE_CHECKING:
    from mentor247.api.schemas import MentorQuery


def mentor_filters(query: "MentorQuery") -> MentorFilters:
    """Raises ValidationError, by parameter, for values that cannot mean anything: an unknown
    language, currency or time zone, or a price that is not an amount of the currency."""
    errors: dict[str, str] = {}
    language = query.language.strip().lower()
    if language and language not in language_codes():
        errors["language"] = _("“%(code)s” is not a language code we know, such as en or es.") % {
            "code": query.language
        }
    currency = query.currency.strip().upper()
    if currency and currency not in CURRENCY_CODES:
        errors["currency"] = _("Choose one of these currencies: %(codes)s.") % {
            "codes": ", ".join(sorted(CURRENCY_CODES))
        }
    prices: dict[str, int | None] = {"min_price": None, "max_price": None}
    for name, raw in (("min_price", query.min_price), ("max_price", query.max_price)):
        if not raw.strip():
            continue
        if not currency:
            errors[name] = _("Give a currency with a price, such as currency=EUR.")
        elif currency in CURRENCY_CODES:
            try:
                prices[name] = to_minor(raw, currency)
            except ValueError:
                errors[name] = _(
                    "Write the price in %(currency)s as a positive number with at most "
                    "%(digits)s decimals, such as 45."
                ) % {"currency": currency, "digits": minor_digits(currency)}
    if query.sort == Sort.PRICE and not currency:
        errors["sort"] = _("Sorting by price needs a currency, such as currency=EUR.")
    low, high = prices["min_price"], prices["max_price"]
    if low is not None and high is not None and low > high:
        errors["max_price"] = _("The highest price is below the lowest.")
    overlap_with = query.overlap_with.strip()
    if overlap_with and not is_time_zone(overlap_with):
        errors["overlap_with"] = _("“%(name)s” is not a time zone we know.") % {
            "name": overlap_with
        }
    if errors:
        raise ValidationError(errors)
    return MentorFilters(
        text=query.q,
        expertise=query.expertise.strip(),
        language=language,
        min_proficiency=query.level,
        currency=currency,
        min_price=low,
        max_price=high,
        min_rating=query.rating,
        overlap_with=overlap_with,
        sort=query.sort,
    )
