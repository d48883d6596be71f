"""WebSocket routes. The video rooms' signalling consumers are added here."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
