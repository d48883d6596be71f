"""WebSocket routes."""

from django.urls import URLPattern, path

from mentor247.rooms.consumers import RoomConsumer

websocket_urlpatterns: list[URLPattern] = [
    # A room's call signalling.
    path("ws/rooms/<str:key>/", RoomConsumer.as_asgi()),
]
