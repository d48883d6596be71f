from django.urls import path

from mentor247.bookings import times_views, views

app_name = "bookings"
urlpatterns = [
    path("", views.my_bookings, name="mine"),
    path("<int:booking_id>/", views.booking, name="booking"),
    path("<int:booking_id>/cancel/", views.cancel, name="cancel"),
    path("<int:booking_id>/move/", views.move, name="move"),
    path("packages/<int:engagement_id>/", views.engagement, name="engagement"),
    path("calendar/", views.calendar, name="calendar"),
]

# Under /mentors/, in the "mentors" namespace (gathered in mentor247/urls.py).
mentors_urlpatterns = [
    path("<int:profile_id>/", times_views.profile, name="profile"),
    path(
        "<int:profile_id>/offerings/<int:offering_id>/",
        views.offering,
        name="offering",
    ),
]

# Under /mentor/, in the "mentor" namespace (gathered in mentor247/urls.py).
mentor_urlpatterns = [
    path("availability/", times_views.availability, name="availability"),
]
