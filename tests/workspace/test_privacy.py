"""Privacy: retention with a purge that reports counts and is idempotent, an export per case code, isolation."""

import json
from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest

from portal.workspace.models import AuditEntry, ClientCase, Referral, ReferralStatusChange, ShortlistItem, UnmetNeed
from portal.workspace.privacy import purge_expired
from portal.workspace.referrals import referral_create, referral_set_status
from portal.workspace.services import case_create, case_update, shortlist_add
from tests.workspace.conftest import audit_entry_at

pytestmark = pytest.mark.django_db


def _age(model, days: int, field: str, **filters) -> None:
    model.objects.filter(**filters).update(**{field: timezone.now() - timedelta(days=days)})


def test_purge_deletes_what_is_past_retention_reports_counts_and_is_idempotent(mediator_a, ocmw_a, case_a, make_offer):
    """A closed case past a year goes with its referral; an open one stays; a second run deletes nothing more."""
    offer = make_offer("Om de hoek")
    shortlist_add(by=mediator_a, case=case_a, offer=offer)
    referral_create(by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes")
    case_update(by=mediator_a, case=case_a, values={"status": "closed"})
    _age(ClientCase, 400, "closed_at", pk=case_a.pk)
    kept = case_create(by=mediator_a, organisation=ocmw_a, values={"code": "QT-77"})
    other = referral_create(by=mediator_a, case=kept, offer=offer, consent=True, contact_arrangement="client_comes")
    referral_set_status(by=mediator_a, referral=other, status="stopped", stop_reason="practical")
    _age(ReferralStatusChange, 400, "at", referral=other)
    UnmetNeed.objects.create(domain="sport")
    _age(UnmetNeed, 2000, "recorded_at")
    audit_entry_at(timezone.now() - timedelta(days=1000), case_code="OLD-11")

    out = StringIO()
    call_command("purge_expired", stdout=out)
    assert out.getvalue().splitlines() == [
        "referrals_of_deleted_cases: 1",
        "trajectories_of_deleted_cases: 0",
        "enrolments_of_deleted_cases: 0",
        "cases: 1",
        "ended_referrals: 1",
        "resident_contacts: 0",
        "ended_intakes: 0",
        "fund_interventions: 0",
        "unmet_needs: 1",
        "audit_entries: 1",
    ]
    assert list(ClientCase.objects.values_list("code", flat=True)) == ["QT-77"]
    assert not Referral.objects.exists() and not ShortlistItem.objects.exists() and not UnmetNeed.objects.exists()
    assert AuditEntry.objects.filter(case_code="KX-4821", action="delete", username="purge_expired").count() == 1
    assert set(purge_expired().values()) == {0}


def test_export_holds_everything_about_the_case_and_is_audited(client, mediator_a, case_a, make_offer, login):
    """The export lists the case's needs, shortlist, referrals with history and its audit entries."""
    offer = make_offer("Om de hoek")
    shortlist_add(by=mediator_a, case=case_a, offer=offer)
    referral_create(by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes")
    login(client, mediator_a)
    response = client.get(reverse("workspace:case_export", args=[case_a.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["case"]["code"] == "KX-4821" and data["case"]["ages"] == [34]
    assert [item["offer"] for item in data["shortlist"]] == ["Om de hoek"]
    assert (
        data["referrals"][0]["consent_by"] == "mediator-a"
        and data["referrals"][0]["history"][0]["status"] == "proposed"
    )
    assert [entry["action"] for entry in data["audit"]][:3] == ["create", "shortlist_add", "refer"]
    assert AuditEntry.objects.filter(case_code="KX-4821", action="export").count() == 1


def test_other_organisation_cannot_export_the_case_or_its_audit(client, mediator_b, case_a, login):
    """Error case: B's export of A's case is a 404, and no audit entry or other row is written."""
    login(client, mediator_b)
    before = (list(AuditEntry.objects.values()), list(ClientCase.objects.values()))
    response = client.get(reverse("workspace:case_export", args=[case_a.pk]))
    assert response.status_code == 404 and b"KX-4821" not in response.content
    assert (list(AuditEntry.objects.values()), list(ClientCase.objects.values())) == before


def test_retention_of_intakes_contacts_trajectories_and_interventions(mediator_a, ocmw_a, referrer, caw, kiel):
    """A stale resident contact is erased, an ended intake goes, an open trajectory stays; interventions stay."""
    from decimal import Decimal

    from organisations.models import Organisation
    from portal.workspace.funds import intervention_record
    from portal.workspace.intakes import IntakeInput, intake_submit, intake_triage
    from portal.workspace.models import FundIntervention, Intake, Trajectory
    from portal.workspace.trajectories import trajectory_close, trajectory_start

    Organisation.objects.filter(pk=ocmw_a.pk).update(kind="ocmw")
    ocmw_a.refresh_from_db()

    def submit(**extra) -> Intake:
        data = IntakeInput(question="Zwemmen.", first_contact_way="phone", client_agreed=True, **extra)
        return intake_submit(team=ocmw_a, data=data, resident=True)

    waiting = submit(resident_contact="0470 11 22 33")
    declined = submit(resident_contact="0470 44 55 66")
    intake_triage(by=mediator_a, intake=declined, decision="decline", message="Geen vraag naar vrije tijd.")
    _age(Intake, 40, "received_at", pk=waiting.pk)
    _age(Intake, 200, "changed_at", pk=declined.pk)
    quiet = case_create(by=mediator_a, organisation=ocmw_a, values={"code": "QT-41"})
    trajectory_start(by=mediator_a, case=quiet, kind="long")
    _age(ClientCase, 900, "updated_at", pk=quiet.pk)
    closed = case_create(by=mediator_a, organisation=ocmw_a, values={"code": "QT-42"})
    trajectory = trajectory_start(by=mediator_a, case=closed, kind="short")
    intervention_record(
        by=mediator_a, case=closed, on=timezone.localdate(), category="ticket", fund="local", total_cost=Decimal("12")
    )
    trajectory_close(by=mediator_a, trajectory=trajectory, destination="group", reason="other")
    _age(ClientCase, 400, "closed_at", pk=closed.pk)

    counts = purge_expired()
    assert counts["resident_contacts"] == 1 and counts["ended_intakes"] == 1 and counts["cases"] == 1
    assert counts["trajectories_of_deleted_cases"] == 1
    waiting.refresh_from_db()
    assert waiting.resident_contact == "" and waiting.resident_contact_erased_at is not None
    assert not Intake.objects.filter(pk=declined.pk).exists()
    assert list(Trajectory.objects.values_list("case__code", flat=True)) == ["QT-41"]
    intervention = FundIntervention.objects.get()
    assert intervention.case is None and intervention.case_ref == closed.pk and intervention.amount == Decimal("12.00")
    assert AuditEntry.objects.filter(case_code=declined.reference, action="delete").count() == 1
    assert set(purge_expired().values()) == {0}
