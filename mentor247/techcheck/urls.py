from django.urls import path

from mentor247.techcheck import views

app_name = "techcheck"
urlpatterns = [
    path("", views.page, name="page"),
    path("results/", views.record, name="record"),
]
