"""Group programmes: enrolment, the waiting list, attendance per session and the prompt after two absences."""

from datetime import datetime, timedelta
from decimal import Decimal
from io import StringIO
from zoneinfo import ZoneInfo

from django.core import mail
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

import pytest

from catalogue.facts import search_facts_holding
from catalogue.models import OfferPage, OfferSession
from portal.workspace import groups
from portal.workspace.models import AuditEntry, ClientCase, Enrolment, EnrolmentStatus, Presence
from portal.workspace.privacy import purge_expired
from portal.workspace.services import case_create, case_update

pytestmark = pytest.mark.django_db
BRUSSELS = ZoneInfo("Europe/Brussels")
EN = {"accept-language": "en"}


@pytest.fixture
def programme(make_offer):
    offer = make_offer(
        "OpStap: samen op stap",
        list_price=Decimal("0"),
        capacity=1,
        is_group_programme=True,
        guide_name="Leen Peeters",
        audience_note="Volwassenen in begeleiding",
    )
    start = datetime(2026, 3, 2, 13, tzinfo=BRUSSELS)
    for week in range(3):
        moment = start + timedelta(weeks=week)
        OfferSession.objects.create(
            offer=offer, start=moment, end=moment + timedelta(hours=2), place="Kielpark", activity=f"Uitstap {week + 1}"
        )
    return OfferPage.objects.get(pk=offer.pk)


@pytest.fixture
def case_c(mediator_a, ocmw_a, kiel):
    return case_create(by=mediator_a, organisation=ocmw_a, values={"code": "PL-7730", "home_neighbourhood": kiel})


def test_a_group_programme_is_a_search_fact(programme):
    assert "group_programme" in search_facts_holding(programme)


def test_enrol_into_a_free_place_takes_it(programme, case_a, mediator_a):
    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    assert enrolment.status == EnrolmentStatus.ENROLLED
    fresh = OfferPage.objects.get(pk=programme.pk)
    assert fresh.group_enrolled == 1 and fresh.group_places_left == 0 and fresh.is_full
    assert AuditEntry.objects.filter(case_code="KX-4821", action="enrol").exists()


def test_a_full_programme_puts_the_case_on_the_waiting_list_and_a_freed_place_moves_it_up(
    programme, case_a, case_c, mediator_a, django_capture_on_commit_callbacks
):
    first = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    waiting = groups.enrol(by=mediator_a, case=case_c, offer=programme)
    assert waiting.status == EnrolmentStatus.WAITING and groups.waiting_position(waiting) == 1
    with django_capture_on_commit_callbacks(execute=True):
        moved = groups.leave(by=mediator_a, enrolment=first, outcome="regular_offer")
    assert moved.pk == waiting.pk
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED and waiting.position is None
    assert mail.outbox[-1].to == [mediator_a.email] and "PL-7730" in mail.outbox[-1].subject


def test_a_case_deleted_by_the_retention_purge_gives_its_place_to_the_next_case_waiting(
    programme, case_a, case_c, mediator_a, django_capture_on_commit_callbacks
):
    groups.enrol(by=mediator_a, case=case_a, offer=programme)
    waiting = groups.enrol(by=mediator_a, case=case_c, offer=programme)
    case_update(by=mediator_a, case=case_a, values={"status": "closed"})
    ClientCase.objects.filter(pk=case_a.pk).update(closed_at=timezone.now() - timedelta(days=400))
    with django_capture_on_commit_callbacks(execute=True):
        purge_expired()
    waiting.refresh_from_db()
    assert waiting.status == EnrolmentStatus.ENROLLED
    assert OfferPage.objects.get(pk=programme.pk).group_enrolled == 1
    assert "PL-7730" in mail.outbox[-1].subject


def test_another_mediator_cannot_enrol_a_case_they_do_not_see(programme, case_a, mediator_b):
    with pytest.raises(PermissionDenied):
        groups.enrol(by=mediator_b, case=case_a, offer=programme)


def test_the_guide_records_attendance_and_the_trajectory_shows_it(
    client, login, programme, case_a, mediator_a, editor_a
):
    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    session = programme.sessions.order_by("start").first()
    login(client, editor_a)
    url = reverse("workspace:session_attendance", args=[session.pk])
    page = client.get(url, headers=EN)
    assert page.status_code == 200 and "KX-4821" in page.content.decode()
    assert "Kiel" not in page.content.decode().split("<h1", 1)[1].split("Kielpark", 1)[0]
    response = client.post(url, {f"presence-{enrolment.pk}": "present"})
    assert response.status_code == 302
    assert enrolment.attendances.get().presence == Presence.PRESENT
    assert AuditEntry.objects.filter(case_code="KX-4821", action="attendance", username="editor-a").exists()
    client.logout()
    login(client, mediator_a)
    case_page = client.get(reverse("workspace:case_detail", args=[case_a.pk]), headers=EN).content.decode()
    assert "OpStap: samen op stap" in case_page and "Uitstap 1" in case_page and ">present<" in case_page


def test_another_partner_and_another_team_cannot_open_the_attendance(
    client, login, programme, case_a, mediator_a, editor_b, mediator_b
):
    groups.enrol(by=mediator_a, case=case_a, offer=programme)
    session = programme.sessions.first()
    url = reverse("workspace:session_attendance", args=[session.pk])
    for person in (editor_b, mediator_b):
        login(client, person)
        assert client.get(url).status_code == 404
        assert client.post(url, {}).status_code == 404
        client.logout()


def test_two_absences_in_a_row_without_notice_prompt_the_mediator(
    client, login, programme, case_a, mediator_a, editor_a
):
    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    first, second, third = programme.sessions.order_by("start")
    groups.record_attendance(by=editor_a, session=first, presences={enrolment.pk: Presence.ABSENT})
    groups.record_attendance(by=editor_a, session=second, presences={enrolment.pk: Presence.EXCUSED})
    assert not groups.absent_in_a_row(enrolment)
    groups.record_attendance(by=editor_a, session=third, presences={enrolment.pk: Presence.ABSENT})
    assert not groups.absent_in_a_row(enrolment)
    groups.record_attendance(by=editor_a, session=second, presences={enrolment.pk: Presence.ABSENT})
    assert groups.absent_in_a_row(enrolment)
    login(client, mediator_a)
    listing = client.get(reverse("workspace:case_list"), headers=EN).content.decode()
    assert "Two absences in a row" in listing and "KX-4821" in listing


def test_the_guide_records_only_for_enrolled_cases_of_their_programme(programme, case_a, mediator_a, editor_b):
    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    with pytest.raises(PermissionDenied):
        groups.record_attendance(by=editor_b, session=programme.sessions.first(), presences={enrolment.pk: "present"})


def test_annual_report_prints_the_group_keys(programme, case_a, mediator_a, editor_a):
    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    groups.record_attendance(by=editor_a, session=programme.sessions.first(), presences={enrolment.pk: "present"})
    out = StringIO()
    call_command("annual_report", "--year", "2026", stdout=out)
    text = out.getvalue()
    for key in ("group_programmes", "group_sessions", "group_unique_participants", "group_attendance_avg"):
        assert f"\n{key};" in text


def test_the_demo_has_three_programmes_a_waiting_list_and_attendance(
    mediator_a, ocmw_a, partner_a, editor_a, django_capture_on_commit_callbacks
):
    from portal.workspace.group_demo import ensure_demo_groups

    with django_capture_on_commit_callbacks(execute=True):
        programmes = ensure_demo_groups(mediator=mediator_a, team=ocmw_a, partner=partner_a, guide=editor_a)
    assert ensure_demo_groups(mediator=mediator_a, team=ocmw_a, partner=partner_a, guide=editor_a) == programmes
    assert len(programmes) == 3 and programmes[2].sessions.count() == 12
    opstapje = OfferPage.objects.get(pk=programmes[1].pk)
    assert opstapje.organisation == partner_a and opstapje.is_full
    assert Enrolment.objects.filter(offer=opstapje, status=EnrolmentStatus.WAITING).count() == 1
    assert groups.absence_prompts_for(mediator_a)
    demo_case = case_create(by=mediator_a, organisation=ocmw_a, values={"code": "DEM-0001"})
    waiting = groups.enrol(by=mediator_a, case=demo_case, offer=opstapje)
    assert waiting.status == EnrolmentStatus.WAITING and groups.waiting_position(waiting) == 2


def test_the_case_export_holds_its_programmes_and_attendance(programme, case_a, mediator_a, editor_a):
    from portal.workspace.privacy import case_export

    enrolment = groups.enrol(by=mediator_a, case=case_a, offer=programme)
    groups.record_attendance(by=editor_a, session=programme.sessions.first(), presences={enrolment.pk: "excused"})
    (exported,) = case_export(by=mediator_a, case=case_a)["group_programmes"]
    assert exported["offer"] == programme.title and exported["attendance"][0]["attendance"] == "excused"


def test_search_finds_group_programmes_by_their_fact_and_counts_them_in_the_facet(programme, make_offer):
    from search.engines import get_engine
    from search.query import OfferQuery

    make_offer("Zwemmen op woensdag", list_price=Decimal("2"))
    engine = get_engine()
    assert [hit.id for hit in engine.search(OfferQuery(facts=("group_programme",))).hits] == [programme.pk]
    facts = {value.value: value.count for value in engine.search(OfferQuery()).facets["facts"]}
    assert facts["group_programme"] == 1


def test_enrolling_a_case_with_an_open_trajectory_adds_a_group_programme_step(programme, demo_trajectories, mediator_a):
    from portal.workspace.models import StepKind, Trajectory

    trajectory = Trajectory.objects.filter(case__organisation=demo_trajectories, closed_on__isnull=True).first()
    with translation.override("en"):  # the step's note is written in the mediator's language
        groups.enrol(by=mediator_a, case=trajectory.case, offer=programme)
    step = trajectory.steps.filter(kind=StepKind.GROUP_PROGRAMME).latest("pk")
    assert step.done and step.note == "OpStap: samen op stap: enrolled"


def test_the_offer_page_shows_the_programme_its_guide_and_what_happens_per_session(client, programme):
    page = client.get(programme.url, headers=EN).content.decode()
    assert "Group programme: a fixed group with a guide" in page and "Leen Peeters" in page
    assert "Uitstap 1 (Kielpark)" in page and "For: Volwassenen in begeleiding" in page


def test_the_guide_sees_the_group_and_the_waiting_list_by_case_code(
    client, login, programme, case_a, case_c, mediator_a, editor_a, editor_b
):
    groups.enrol(by=mediator_a, case=case_a, offer=programme)
    groups.enrol(by=mediator_a, case=case_c, offer=programme)
    login(client, editor_a)
    page = client.get(reverse("workspace:guided_programmes"), headers=EN).content.decode()
    assert "KX-4821" in page and "Waiting list (1)" in page and "<li>PL-7730</li>" in page
    assert AuditEntry.objects.filter(case_code="PL-7730", action="read", detail=f"programme:{programme.pk}").exists()
    client.logout()
    login(client, editor_b)
    assert client.get(reverse("workspace:guided_programmes")).status_code == 403
