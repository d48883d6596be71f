from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    """The peer's address. Behind a proxy, configure the server (uvicorn --forwarded-allow-ips)
    to put the client's address here rather than trusting a header in application code."""
    return request.META.get("REMOTE_ADDR") or None


def user_agent(request: HttpRequest) -> str:
    return request.META.get("HTTP_USER_AGENT", "")[:512]
