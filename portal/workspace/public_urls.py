"""The public intake, under /aanmelden/: one point of contact for referrers without an account and for residents."""

from django.urls import path

from . import trajectory_views

app_name = "intake"
urlpatterns = [
    path("", trajectory_views.intake_start, name="start"),
    path("doorverwijzen/", trajectory_views.intake_public_referrer, name="referrer"),
    path("zelf/", trajectory_views.intake_public_resident, name="resident"),
    path("status/<slug:token>/", trajectory_views.intake_status, name="status"),
]
