from django.urls import path

from mentor247.notes import views

app_name = "notes"
urlpatterns = [
    path("<int:booking_id>/notes/<str:kind>/", views.save, name="save"),
]
