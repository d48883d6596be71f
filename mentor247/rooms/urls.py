from django.urls import path

from mentor247.rooms import views

app_name = "rooms"
urlpatterns = [
    path("<str:key>/", views.room, name="room"),
    path("<str:key>/agenda/", views.tick, name="tick"),
    path("<str:key>/wrap-up/", views.wrap_up, name="wrap_up"),
]
