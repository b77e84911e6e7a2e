"""One point of contact: a referrer's intake (signed in or public) becomes a case after triage; status only back."""

import io

from django.core import mail
from django.urls import reverse
from django.utils import translation

import pytest

from portal.workspace.contact import decrypt_contact
from portal.workspace.intakes import IntakeInput, intake_submit, intake_triage
from portal.workspace.models import (
    AuditEntry,
    ClientCase,
    Intake,
    IntakeChange,
    IntakeEvent,
    IntakeSource,
    IntakeStatus,
    StepKind,
    Trajectory,
)
from portal.workspace.trajectories import step_add, trajectory_close
from portal.workspace.trajectory_views import IntakeRateThrottle

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}
QUESTION = "Zij wil graag opnieuw zwemmen, samen met haar zoon."
MOTIVATION = "Sinds de scheiding komt ze weinig buiten; ze is bang om alleen te gaan."


def _referrer_post(ocmw_a, kiel, **overrides) -> dict:
    data = {
        "team": ocmw_a.pk,
        "referrer_organisation_name": "School De Regenboog",
        "referrer_kind": "school",
        "referrer_name": "Tom Peeters",
        "referrer_email": "tom@school.test",
        "question": QUESTION,
        "motivation": MOTIVATION,
        "thresholds": ["social", "financial"],
        "household_ages": "38, 9",
        "neighbourhood": kiel.pk,
        "first_contact_way": "home_visit",
        "client_agreed": "on",
    }
    data.update(overrides)
    return data


def _intake(referrer, caw, ocmw_a, kiel, **overrides) -> Intake:
    values = {
        "question": QUESTION,
        "motivation": MOTIVATION,
        "first_contact_way": "at_referrer",
        "client_agreed": True,
        "thresholds": ["social"],
        "household_ages": [38, 9],
        "neighbourhood": kiel,
        "referrer_organisation": caw,
        "referrer_name": "Sara Maes",
        "referrer_email": "sara@caw.test",
    }
    values.update(overrides)
    return intake_submit(team=ocmw_a, data=IntakeInput(**values), by=referrer)


def test_signed_in_referrer_refers_and_the_intake_becomes_a_case_after_triage(
    client, referrer, caw, ocmw_a, mediator_a, kiel, login, django_capture_on_commit_callbacks
):
    """A referrer's intake reaches the team's queue; accepting opens a case and trajectory; the referrer hears it."""
    client.force_login(referrer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:referrer_intake_create"),
            {
                **_referrer_post(ocmw_a, kiel),
                "referrer_organisation": caw.pk,
                "referrer_name": "Sara Maes",
                "referrer_email": "sara@caw.test",
            },
            headers=EN,
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    intake = Intake.objects.get()
    assert intake.source == IntakeSource.OTHER_SERVICE and intake.referred_by == referrer
    assert intake.referrer_organisation == caw and intake.thresholds == ["social", "financial"]
    assert [message.to for message in mail.outbox] == [["sara@caw.test"]]
    assert intake.reference in mail.outbox[0].subject and intake.status_token in mail.outbox[0].body

    login(client, mediator_a)
    queue = client.get(reverse("workspace:intake_queue"), headers=EN).content.decode()
    assert intake.reference in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("workspace:intake_detail", args=[intake.pk]),
            {"decision": "accept", "kind": "long", "main_threshold": "social"},
            headers=EN,
        )
    intake.refresh_from_db()
    case = ClientCase.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("workspace:case_detail", args=[case.pk])
    assert intake.status == IntakeStatus.ACCEPTED and intake.case == case and case.organisation == ocmw_a
    assert case.ages == [38, 9] and case.home_neighbourhood == kiel
    assert case.trajectory.kind == "long" and case.trajectory.mediator == mediator_a
    with translation.override("nl-be"):
        accepted = str(IntakeEvent.ACCEPTED.label)
    assert mail.outbox[-1].to == ["sara@caw.test"] and accepted in mail.outbox[-1].body

    client.force_login(referrer)
    home = client.get(reverse("workspace:referrer_home"), headers=EN).content.decode()
    assert intake.reference in home and "Accepted" in home
    assert case.code not in home and MOTIVATION not in home


def test_public_referrer_form_becomes_a_case_and_the_status_link_shows_progress(
    client, ocmw_a, mediator_a, kiel, django_capture_on_commit_callbacks
):
    """The public form files an intake; after triage and first contact the status link shows both, not the case."""
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel), headers=EN)
    assert response.status_code == 200 and b"Thank you" in response.content
    intake = Intake.objects.get()
    assert intake.referred_by is None and intake.referrer_organisation_name == "School De Regenboog"
    assert AuditEntry.objects.filter(case_code=intake.reference, action="create", username="public form").exists()
    with django_capture_on_commit_callbacks(execute=True):
        intake_triage(by=mediator_a, intake=intake, decision="accept", kind="short")
        trajectory = Trajectory.objects.get()
        step_add(
            by=mediator_a,
            trajectory=trajectory,
            kind=StepKind.FIRST_CONTACT,
            on=trajectory.started_on,
            done=True,
            contact_way="home_visit",
            note="Eerste huisbezoek, goed contact.",
        )
        trajectory_close(by=mediator_a, trajectory=trajectory, destination="regular_offer", reason="social")
    page = client.get(reverse("intake:status", args=[intake.status_token]), headers=EN)
    body = page.content.decode()
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "First contact done" in body and "The regular offer, on their own" in body
    assert "Eerste huisbezoek" not in body and trajectory.case.code not in body
    events = list(IntakeChange.objects.filter(intake=intake).values_list("event", flat=True))
    assert events == ["received", "accepted", "first_contact", "closed"]
    assert [message.to for message in mail.outbox] == [["tom@school.test"]] * 4


def test_resident_contact_is_encrypted_shown_to_the_team_audited_and_erased_at_first_contact(
    client, ocmw_a, mediator_a, mediator_b, kiel, login
):
    """A resident's contact is stored encrypted, read by the team's mediator with an audit entry, gone after contact."""
    response = client.post(
        reverse("intake:resident"),
        {
            "team": ocmw_a.pk,
            "question": "Ik wil graag sporten met mijn kinderen.",
            "household_ages": "41, 7, 5",
            "first_contact_way": "phone",
            "resident_contact": "Fatima, 0470 12 34 56, 's avonds",
            "client_agreed": "on",
        },
        headers=EN,
    )
    assert response.status_code == 200
    intake = Intake.objects.get()
    assert intake.source == IntakeSource.RESIDENT and "0470" not in intake.resident_contact
    assert decrypt_contact(intake.resident_contact) == "Fatima, 0470 12 34 56, 's avonds"

    login(client, mediator_b)
    assert client.get(reverse("workspace:intake_contact", args=[intake.pk])).status_code == 404
    assert not AuditEntry.objects.filter(action="intake_contact").exists()

    login(client, mediator_a)
    page = client.get(reverse("workspace:intake_contact", args=[intake.pk]), headers=EN)
    assert page.status_code == 200 and "0470 12 34 56" in page.content.decode()
    assert (
        AuditEntry.objects.filter(action="intake_contact", case_code=intake.reference, username="mediator-a").count()
        == 1
    )

    intake_triage(by=mediator_a, intake=intake, decision="accept", kind="short")
    trajectory = Trajectory.objects.get()
    step_add(
        by=mediator_a,
        trajectory=trajectory,
        kind=StepKind.FIRST_CONTACT,
        on=trajectory.started_on,
        done=True,
        contact_way="phone",
    )
    intake.refresh_from_db()
    assert intake.resident_contact == "" and intake.resident_contact_erased_at is not None
    assert client.get(reverse("workspace:intake_contact", args=[intake.pk])).status_code == 404


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("question", "", "This field is required"),
        ("question", "Bel haar op 0470 12 34 56", "Leave out e-mail addresses, phone numbers"),
        ("motivation", "Mail naar jan@example.com", "Leave out e-mail addresses"),
        ("household_ages", "dertig", "whole numbers"),
        ("client_agreed", "", "Ask the client first"),
        ("referrer_email", "", "Give your work e-mail"),
        ("first_contact_way", "teleport", "Select a valid choice"),
    ],
)
def test_public_form_refuses_bad_input_naming_the_field(client, ocmw_a, mediator_a, kiel, field, value, message):
    """Error case: a bad field comes back as a 400 naming it, with the problem, and nothing is stored."""
    response = client.post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel, **{field: value}), headers=EN)
    body = response.content.decode()
    assert response.status_code == 400 and message in body and f'href="#id_{field}' in body
    assert not Intake.objects.exists() and not AuditEntry.objects.exists()


def test_public_form_errors_are_in_dutch_for_a_dutch_browser(client, ocmw_a, mediator_a, kiel):
    """Error case: a Dutch browser gets the field error in Dutch."""
    response = client.post(
        reverse("intake:referrer"),
        _referrer_post(ocmw_a, kiel, question="Bel 0470 12 34 56"),
        headers={"accept-language": "nl-BE"},
    )
    assert response.status_code == 400 and "Laat e-mailadressen" in response.content.decode()


def test_honeypot_filled_stores_nothing(client, ocmw_a, mediator_a, kiel):
    """Error case: a robot that fills the hidden field gets a thank-you page and nothing is stored."""
    response = client.post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel, website="http://spam.test"))
    assert response.status_code == 200 and not Intake.objects.exists()


def test_public_form_is_rate_limited_per_address(client, ocmw_a, mediator_a, kiel, monkeypatch):
    """Error case: past the limit the form answers 429 with a clear message and stores nothing more."""
    monkeypatch.setattr(IntakeRateThrottle, "THROTTLE_RATES", {"intake": "2/hour"})
    for _attempt in range(2):
        assert client.post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel)).status_code == 200
    response = client.post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel), headers=EN)
    assert response.status_code == 429 and "Too many forms" in response.content.decode()
    assert Intake.objects.count() == 2


def test_public_form_needs_csrf(ocmw_a, mediator_a, kiel):
    """Error case: a post without the CSRF token is refused and stores nothing."""
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("intake:referrer"), _referrer_post(ocmw_a, kiel))
    assert response.status_code == 403 and not Intake.objects.exists()


def test_more_information_asked_and_answered_through_the_status_link(client, referrer, caw, ocmw_a, mediator_a, kiel):
    """The team asks more; the referrer answers on the status page; the intake is back in the queue."""
    intake = _intake(referrer, caw, ocmw_a, kiel)
    intake_triage(by=mediator_a, intake=intake, decision="more_info", message="Welke dagen kan ze?")
    page = client.get(reverse("intake:status", args=[intake.status_token]), headers=EN).content.decode()
    assert "Welke dagen kan ze?" in page
    response = client.post(reverse("intake:status", args=[intake.status_token]), {"text": "Woensdagnamiddag."})
    assert response.status_code == 302
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.NEW and "Woensdagnamiddag." in intake.extra_information


@pytest.mark.parametrize(
    ("decision", "extra", "field"),
    [
        ("accept", {}, "kind"),
        ("more_info", {}, "message"),
        ("redirect", {"message": "Schuldhulp eerst"}, "redirected_to"),
        ("decline", {}, "message"),
    ],
)
def test_triage_refuses_a_decision_without_what_it_needs(
    client, referrer, caw, ocmw_a, mediator_a, kiel, login, decision, extra, field
):
    """Error case: each decision names the field it lacks, and neither intake nor case changes."""
    intake = _intake(referrer, caw, ocmw_a, kiel)
    login(client, mediator_a)
    response = client.post(
        reverse("workspace:intake_detail", args=[intake.pk]), {"decision": decision, **extra}, headers=EN
    )
    assert response.status_code == 400 and f'href="#id_{field}' in response.content.decode()
    intake.refresh_from_db()
    assert intake.status == IntakeStatus.NEW and not ClientCase.objects.exists()


def test_redirect_tells_the_referrer_where_and_why(
    referrer, caw, ocmw_a, mediator_a, kiel, django_capture_on_commit_callbacks
):
    """A redirect names the service and the reason in the referrer's message."""
    intake = _intake(referrer, caw, ocmw_a, kiel)
    with django_capture_on_commit_callbacks(execute=True):
        intake_triage(
            by=mediator_a,
            intake=intake,
            decision="redirect",
            redirected_to="Schuldhulpverlening OCMW",
            message="Eerst de schulden regelen.",
        )
    assert intake.status == IntakeStatus.REDIRECTED
    assert "Schuldhulpverlening OCMW: Eerst de schulden regelen." in mail.outbox[-1].body


def test_referrer_cannot_read_the_intake_or_case_content(client, referrer, caw, ocmw_a, mediator_a, kiel, login):
    """Error case: a referrer's requests for the team's pages and the case are refused; only the status is shown."""
    intake = _intake(referrer, caw, ocmw_a, kiel)
    intake_triage(by=mediator_a, intake=intake, decision="accept", kind="short")
    intake.refresh_from_db()
    login(client, referrer)
    for url in (
        reverse("workspace:intake_detail", args=[intake.pk]),
        reverse("workspace:intake_queue"),
        reverse("workspace:case_detail", args=[intake.case_id]),
        reverse("workspace:case_export", args=[intake.case_id]),
        reverse("workspace:agenda"),
    ):
        response = client.get(url)
        assert response.status_code == 403, url
        assert MOTIVATION.encode() not in response.content


def test_contact_keys_rotate_and_the_old_key_can_then_be_dropped(ocmw_a, mediator_a, settings):
    """A contact written with the old key opens after rotation with only the new key configured."""
    from django.core.management import call_command

    from cryptography.fernet import Fernet, InvalidToken

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.WORKSPACE_CONTACT_KEYS = [old]
    intake = intake_submit(
        team=ocmw_a,
        data=IntakeInput(question="Zwemmen.", first_contact_way="phone", client_agreed=True, resident_contact="0470 1"),
        resident=True,
    )
    settings.WORKSPACE_CONTACT_KEYS = [new, old]
    call_command("rotate_contact_keys", stdout=io.StringIO())
    settings.WORKSPACE_CONTACT_KEYS = [new]
    intake.refresh_from_db()
    assert decrypt_contact(intake.resident_contact) == "0470 1"
    settings.WORKSPACE_CONTACT_KEYS = [old]
    with pytest.raises(InvalidToken):
        decrypt_contact(intake.resident_contact)
