from django.urls import path

from mentor247.payments import sandbox_views, staff_views, views

app_name = "payments"
urlpatterns = [
    path("checkout/<int:booking_id>/", views.checkout, name="checkout"),
    path("<int:payment_id>/", views.payment, name="payment"),
    path("<int:payment_id>/receipt/", views.receipt, name="receipt"),
    path("webhooks/<str:provider>/", views.webhook, name="webhook"),
    path("disputes/<int:booking_id>/", views.dispute, name="dispute"),
    path("stripe/<str:reference>/", views.stripe_pay, name="stripe_pay"),
    path("sandbox/<str:reference>/", sandbox_views.sandbox_pay, name="sandbox_pay"),
    path("sandbox/<str:reference>/confirm/", sandbox_views.sandbox_confirm, name="sandbox_confirm"),
    path(
        "sandbox/accounts/<str:reference>/", sandbox_views.sandbox_account, name="sandbox_account"
    ),
]

# Under /mentor/, in the "mentor" namespace.
mentor_urlpatterns = [
    path("earnings/", views.earnings, name="earnings"),
    path("earnings/setup/", views.payout_setup, name="payout_setup"),
    path("earnings/payout/", views.request_payout, name="request_payout"),
    path("earnings/statement.pdf", views.statement, name="statement"),
]

# Under /staff/payments/, in the "payments_staff" namespace.
staff_urlpatterns = (
    [
        path("", staff_views.staff_payments, name="payments"),
        path("<int:payment_id>/", staff_views.staff_payment, name="payment"),
        path("disputes/", staff_views.staff_disputes, name="disputes"),
        path("disputes/<int:dispute_id>/", staff_views.staff_dispute, name="dispute"),
        path("payouts/", staff_views.staff_payouts, name="payouts"),
        path("attention/", staff_views.staff_attention, name="attention"),
        path("retry/<str:kind>/<int:pk>/", staff_views.staff_retry, name="retry"),
    ],
    "payments_staff",
)
