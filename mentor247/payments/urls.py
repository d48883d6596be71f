from django.urls import path

from mentor247.payments import views

app_name = "payments"
urlpatterns = [
    path("checkout/<int:booking_id>/", views.checkout, name="checkout"),
    path("<int:payment_id>/", views.payment, name="payment"),
    path("webhooks/<str:provider>/", views.webhook, name="webhook"),
    path("sandbox/<str:reference>/", views.sandbox_pay, name="sandbox_pay"),
    path("sandbox/<str:reference>/confirm/", views.sandbox_confirm, name="sandbox_confirm"),
    path("sandbox/accounts/<str:reference>/", views.sandbox_account, name="sandbox_account"),
]

# Under /mentor/, in the "mentor" namespace.
mentor_urlpatterns = [
    path("earnings/", views.earnings, name="earnings"),
    path("earnings/setup/", views.payout_setup, name="payout_setup"),
    path("earnings/payout/", views.request_payout, name="request_payout"),
]
