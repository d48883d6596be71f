"""Payment providers: one module per provider, named in settings.PAYMENT_PROVIDERS by dotted
path, each a subclass of payments.providers.base.Provider. `get` gives the one of a name."""

import functools

from django.conf import settings
from django.utils.module_loading import import_string

from mentor247.payments.providers.base import Provider


class UnknownProvider(LookupError):
    pass


@functools.cache
def _load(name: str, path: str) -> Provider:
    provider = import_string(path)()
    assert isinstance(provider, Provider) and provider.name == name, path
    return provider


def get(name: str) -> Provider:
    path = settings.PAYMENT_PROVIDERS.get(name)
    if path is None:
        raise UnknownProvider(name)
    return _load(name, path)


def default() -> Provider:
    """The provider new payments go through (settings.PAYMENT_PROVIDER)."""
    return get(settings.PAYMENT_PROVIDER)
