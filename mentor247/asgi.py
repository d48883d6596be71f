"""The ASGI application: Django for HTTP, Channels for WebSockets (call signalling)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mentor247.settings")
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402  (needs Django set up first)
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from mentor247.lib.body_limit import BodyLimit  # noqa: E402
from mentor247.rooms.origins import SameOriginValidator  # noqa: E402
from mentor247.routing import websocket_urlpatterns  # noqa: E402


def build_application() -> ProtocolTypeRouter:
    """The application, with request bodies over their limit refused as they arrive
    (lib.body_limit), and WebSocket Origins checked against the socket's own origin (scheme,
    host and port) and the trusted origins, as the settings are now."""
    return ProtocolTypeRouter(
        {
            "http": BodyLimit(django_asgi_app),
            "websocket": SameOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
        }
    )


application = build_application()
