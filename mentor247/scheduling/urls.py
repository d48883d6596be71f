from django.urls import path

from mentor247.scheduling import views

# Under /mentor/, in the "mentor" namespace (gathered in mentor247/urls.py).
mentor_urlpatterns = [
    path("availability/", views.availability, name="availability"),
]
