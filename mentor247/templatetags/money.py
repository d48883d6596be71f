from django import template

from mentor247.lib.money import format_money

register = template.Library()


@register.filter
def money(minor: int | None, currency: str) -> str:
    """``{{ offering.price|money:offering.currency }}`` → “€60.00”, written for the viewer's
    language."""
    return "" if minor is None else format_money(minor, currency)
