"""WebSocket routes."""

from django.urls import URLPattern, path

from mentor247.rooms.consumers import RoomConsumer
from mentor247.techcheck.consumers import TechCheckConsumer

websocket_urlpatterns: list[URLPattern] = [
    # A room's call signalling.
    path("ws/rooms/<str:key>/", RoomConsumer.as_asgi()),
    # The tech check's network test (signalling of its WebRTC peer).
    path("ws/tech-check/", TechCheckConsumer.as_asgi()),
]
