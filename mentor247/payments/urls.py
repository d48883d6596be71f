from django.urls import path

from mentor247.payments import views

app_name = "payments"
urlpatterns = [
    path("checkout/<int:booking_id>/", views.checkout, name="checkout"),
    path("<int:payment_id>/", views.payment, name="payment"),
    path("webhooks/<str:provider>/", views.webhook, name="webhook"),
    path("sandbox/<str:reference>/", views.sandbox_pay, name="sandbox_pay"),
    path("sandbox/<str:reference>/confirm/", views.sandbox_confirm, name="sandbox_confirm"),
]
