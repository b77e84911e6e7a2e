"""Mediator workspace URLs, under /bemiddeling/ (the search page there belongs to ``search.urls``)."""

from django.contrib.auth.views import LogoutView
from django.urls import path

from . import group_views, trajectory_views, views

app_name = "workspace"
urlpatterns = [
    path("dossiers/", views.case_list, name="case_list"),
    path("dossiers/nieuw/", views.case_create, name="case_create"),
    path("dossiers/<id:pk>/", views.case_detail, name="case_detail"),
    path("dossiers/<id:pk>/export/", views.case_export_json, name="case_export"),
    path("dossiers/<id:pk>/bewerken/", views.case_edit, name="case_edit"),
    path("dossiers/<id:pk>/shortlist/<id:offer_id>/toevoegen/", views.shortlist_add, name="shortlist_add"),
    path("dossiers/<id:pk>/shortlist/<id:offer_id>/verwijderen/", views.shortlist_remove, name="shortlist_remove"),
    path("shortlist/<id:offer_id>/toevoegen/", views.shortlist_add_from_search, name="shortlist_add_from_search"),
    path("dossiers/<id:pk>/fiche/<id:offer_id>/", views.client_sheet, name="client_sheet"),
    path("dossiers/<id:pk>/fiche/<id:offer_id>/pdf/", views.client_sheet_pdf, name="client_sheet_pdf"),
    path("dossiers/<id:pk>/doorverwijzen/<id:offer_id>/", views.referral_create, name="referral_create"),
    path("dossiers/<id:pk>/ontbrekend-aanbod/", views.unmet_need_create, name="unmet_need_create"),
    path("doorverwijzingen/<id:pk>/status/", views.referral_status, name="referral_status"),
    path("doorverwijzingen/<id:pk>/onthaal/", views.referral_welcome, name="referral_welcome"),
    path("cijfers/", trajectory_views.network_figures, name="figures"),
    path("cijfers/jaar.csv", trajectory_views.annual_figures_csv, name="annual_figures_csv"),
    path("cijfers/cijfers.csv", views.network_figures_csv, name="figures_csv"),
    path("cijfers/netwerken/", views.platform_figures, name="platform_figures"),
    path("signalen/", views.unmet_needs, name="unmet_needs"),
    path("tweede-stap/", views.second_factor_verify, name="second_factor"),
    path("tweede-stap/instellen/", views.second_factor_setup, name="second_factor_setup"),
    # Trajectories (issue 15): intake and triage, the trajectory, evaluations, funds, the agenda.
    path("aanmeldingen/", trajectory_views.intake_queue, name="intake_queue"),
    path("aanmeldingen/<id:pk>/", trajectory_views.intake_detail, name="intake_detail"),
    path("aanmeldingen/<id:pk>/nemen/", trajectory_views.intake_take, name="intake_take"),
    path("aanmeldingen/<id:pk>/contact/", trajectory_views.intake_contact, name="intake_contact"),
    path("verwijzen/", trajectory_views.referrer_home, name="referrer_home"),
    path("verwijzen/nieuw/", trajectory_views.referrer_intake_create, name="referrer_intake_create"),
    path("dossiers/<id:pk>/traject/", trajectory_views.trajectory_edit, name="trajectory_edit"),
    path("dossiers/<id:pk>/traject/stap/", trajectory_views.step_create, name="step_create"),
    path("dossiers/<id:pk>/traject/evaluatie/", trajectory_views.evaluation_create, name="evaluation_create"),
    path("dossiers/<id:pk>/traject/afsluiten/", trajectory_views.trajectory_close, name="trajectory_close"),
    path("dossiers/<id:pk>/fonds/", trajectory_views.intervention_create, name="intervention_create"),
    path("stappen/<id:pk>/gedaan/", trajectory_views.step_done, name="step_done"),
    path("agenda/", trajectory_views.agenda, name="agenda"),
    path("fondsen/", trajectory_views.fund_overview, name="funds"),
    # Group programmes (issue 16): enrolment and the waiting list, the guide's attendance per session.
    path("dossiers/<id:pk>/groep/", group_views.enrol, name="group_enrol"),
    path("inschrijvingen/<id:pk>/uitschrijven/", group_views.leave, name="group_leave"),
    path("groepen/", group_views.guided_programmes, name="guided_programmes"),
    path("groepen/sessie/<id:pk>/", group_views.session_attendance, name="session_attendance"),
    # Django's logout (POST only since Django 5); Wagtail's own asks for admin access, which mediators lack.
    path("afmelden/", LogoutView.as_view(next_page="wagtailadmin_login"), name="sign_out"),
]
