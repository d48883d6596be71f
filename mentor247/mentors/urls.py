from django.urls import path

from mentor247.mentors import views

# Under /mentors/, in the "mentors" namespace; mentor247/urls.py adds a mentor's page and their
# offerings' pages, which show open times (bookings).
urlpatterns = [
    path("", views.directory, name="directory"),
    path("apply/", views.apply, name="apply"),
]

# Under /mentor/ (policies.access.MENTOR_PREFIX), in the "mentor" namespace.
mentor_area_urlpatterns = [
    path("", views.mentor_home, name="home"),
    path("profile/", views.edit_profile, name="profile"),
    path("offerings/", views.offerings, name="offerings"),
    path("offerings/new/", views.edit_offering, name="new_offering"),
    path("offerings/<int:offering_id>/", views.edit_offering, name="edit_offering"),
    path("offerings/<int:offering_id>/retire/", views.retire_offering, name="retire_offering"),
]

staff_urlpatterns = (
    [
        path("", views.staff_mentors, name="list"),
        path("<int:profile_id>/", views.staff_mentor, name="mentor"),
    ],
    "mentors_staff",
)
