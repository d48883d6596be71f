from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The client's address, as the ASGI server found it: the connection's, or the one named
    by X-Forwarded-For when the connection comes from a proxy in settings.FORWARDED_ALLOW_IPS
    (mentor247.serve starts uvicorn so). No header is read here, where anyone could set it."""
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:512]
