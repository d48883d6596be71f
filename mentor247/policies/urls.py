from django.urls import path

from mentor247.policies import views

app_name = "policies"
urlpatterns = [
    path("review/", views.review, name="review"),
    path("<slug:kind>/", views.document, name="document"),
    path("<slug:kind>/v<int:number>/", views.document, name="version"),
]
