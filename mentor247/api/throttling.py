"""How often the API may be called: API_RATE_PERSON requests for each person (by token or
login session), API_RATE_ADDRESS for each address calling without one. Over the limit the
answer is 429 in the API's error shape, with Retry-After. The counts live in the cache (Redis
when REDIS_URL is set, so every server process counts together)."""

from django.conf import settings
from django.http import HttpRequest
from ninja.throttling import SimpleRateThrottle

from mentor247.accounts.models import User
from mentor247.lib.requests import client_ip


class CallerThrottle(SimpleRateThrottle):
    """Counts a person's requests by their id, and other requests by the client's address as
    lib.requests.client_ip finds it (never by a header the client chose)."""

    scope = "api"

    def __init__(self) -> None:
        # Both rates are read now, so that a rate written wrongly stops the server starting.
        super().__init__(settings.API_RATE_PERSON)
        self.parse_rate(settings.API_RATE_ADDRESS)

    def allow_request(self, request: HttpRequest) -> bool:
        caller = getattr(request, "auth", None)
        if isinstance(caller, User):
            self.num_requests, self.duration = self.parse_rate(settings.API_RATE_PERSON)
        else:
            self.num_requests, self.duration = self.parse_rate(settings.API_RATE_ADDRESS)
        return super().allow_request(request)

    def get_cache_key(self, request: HttpRequest) -> str:
        caller = getattr(request, "auth", None)
        if isinstance(caller, User):
            ident = f"person-{caller.pk}"
        else:
            ident = f"address-{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
