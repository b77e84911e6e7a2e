"""One organisation rule, asked on every path: who may change partner A's offer, and who may see its draft.

The matrix crosses every kind of caller (anonymous, partner A's and B's editors, their API keys, a
mediator, a coordinator) with every way to change an offer (admin, API, spreadsheet, UiTdatabank feed,
freshness confirmation) and every way to read one (API, open data, search). A refused attempt must
leave every offer exactly as it was; a draft must never leak. The module counts the cells it checked.
"""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.utils import timezone

import pytest
from rest_framework.test import APIClient

from catalogue.importing.spreadsheet import sheet_import
from catalogue.importing.uitdatabank import uitdatabank_import
from catalogue.models import OfferPage
from organisations.services import api_key_issue
from search.indexer import index_offers
from tests.factories import OfferFactory

from .catalogue.test_import_spreadsheet import row, xlsx
from .catalogue.test_import_uitdatabank import event

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "editor_a", "editor_b", "key_a", "key_b", "mediator", "coordinator"]
MAY_CHANGE_A = {"editor_a", "key_a", "coordinator"}
WRITES = ["admin edit", "api patch", "api unpublish", "api delete", "spreadsheet", "uitdatabank feed", "confirm"]
READS = ["api detail of the draft", "api list", "open data csv", "open data json-ld", "search api"]
CHECKED: list[tuple[str, str]] = []


def snapshot() -> list[tuple]:
    return [
        (offer.pk, offer.title, offer.live, offer.latest_revision_id, offer.revisions.count(), offer.last_confirmed)
        for offer in OfferPage.objects.order_by("pk")
    ]


@pytest.fixture
def world(partner_a, partner_b, editor_a, editor_b, mediator, coordinator):
    partner_a.email = "info@a.test"
    partner_a.save()
    published = OfferFactory(
        organisation=partner_a, title="Gepubliceerd van A", external_id="a-1", last_confirmed=date(2025, 1, 1)
    )
    draft = OfferFactory(organisation=partner_a, title="Ontwerp van A", publish=False, external_id="a-2")
    index_offers([published.pk, draft.pk])
    people = {"editor_a": editor_a, "editor_b": editor_b, "mediator": mediator, "coordinator": coordinator}
    keys = {
        "key_a": api_key_issue(organisation=partner_a, name="A", by=editor_a)[1],
        "key_b": api_key_issue(organisation=partner_b, name="B", by=editor_b)[1],
    }
    return {"partner_a": partner_a, "published": published, "draft": draft, "people": people, "keys": keys}


def api_client(world, caller: str) -> APIClient:
    client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
    if caller in world["keys"]:
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {world['keys'][caller]}")
    elif caller in world["people"]:
        client.force_login(world["people"][caller])
    return client


def attempt(world, caller: str, action: str, client) -> bool:
    """Try one write; True when it went through, False when it was refused."""
    offer, partner = world["published"], world["partner_a"]
    person = world["people"].get(caller)
    api = api_client(world, caller)
    if action == "admin edit":
        if person is None:
            return False  # keys and visitors have no admin
        client.force_login(person)
        return client.get(f"/admin/pages/{offer.pk}/edit/").status_code == 200
    if action == "api patch":
        return api.patch(f"/api/v1/offers/{offer.pk}/", {"title": "Veranderd"}, format="json").status_code == 200
    if action == "api unpublish":
        return api.post(f"/api/v1/offers/{offer.pk}/unpublish/").status_code == 200
    if action == "api delete":
        return api.delete(f"/api/v1/offers/{offer.pk}/").status_code == 204
    if action in ("spreadsheet", "uitdatabank feed"):
        if person is None:
            return False  # imports run for a signed-in person in the admin, or for a coordinator's command
        try:
            if action == "spreadsheet":
                sheet_import(
                    organisation=partner,
                    content=xlsx(row(extern_id="a-1", titel="Van het rekenblad")),
                    filename="a.xlsx",
                    by=person,
                )
            else:
                uitdatabank_import(organisation=partner, documents=[("event", event(1))], by=person)
        except PermissionDenied:
            return False
        return True
    if action == "confirm":
        if person is None:
            return False
        client.force_login(person)
        client.post(f"/admin/catalogue/offers/{offer.pk}/confirm/")
        return OfferPage.objects.get(pk=offer.pk).last_confirmed == timezone.localdate()
    raise AssertionError(action)


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("caller", CALLERS)
def test_only_partner_a_and_coordinators_change_partner_a_offers(world, client, caller, action):
    """Error case for every caller but A's own and coordinators: refused, and nothing changed anywhere."""
    before = snapshot()
    allowed = attempt(world, caller, action, client)
    CHECKED.append((caller, action))
    # An API key acts only through the API; the other paths belong to signed-in people.
    expected = caller in MAY_CHANGE_A and (action.startswith("api ") or not caller.startswith("key_"))
    assert allowed == expected, f"{caller} {action}: {'allowed' if allowed else 'refused'}"
    if not allowed:
        assert snapshot() == before


def read(world, caller: str, action: str, client) -> str:
    draft = world["draft"]
    api = api_client(world, caller)
    if action == "api detail of the draft":
        response = api.get(f"/api/v1/offers/{draft.pk}/")
        return response.content.decode() if response.status_code == 200 else ""
    if action == "api list":
        return api.get("/api/v1/offers/", {"page_size": 200}).content.decode()
    if action == "open data csv":
        return b"".join(client.get("/open-data/offers.csv").streaming_content).decode("utf-8-sig")
    if action == "open data json-ld":
        return client.get("/open-data/offers.jsonld").content.decode()
    if action == "search api":
        return api.get("/api/v1/search/offers", {"q": "ontwerp"}).content.decode()
    raise AssertionError(action)


@pytest.mark.parametrize("action", READS)
@pytest.mark.parametrize("caller", CALLERS)
def test_partner_a_draft_never_leaks(world, client, caller, action):
    """Error case: only partner A (and coordinators, through the API) may see A's unpublished draft."""
    content = read(world, caller, action, client)
    CHECKED.append((caller, action))
    may_see = caller in MAY_CHANGE_A and action.startswith("api ") and action != "search api"
    if not may_see:
        assert "Ontwerp van A" not in content, f"{caller} sees A's draft through {action}"


def test_the_whole_matrix_was_checked():
    """Runs last in this module: every caller crossed with every write and every read."""
    assert len(CHECKED) == len(CALLERS) * (len(WRITES) + len(READS)) == 84
    assert len(set(CHECKED)) == 84


# --- Case content: only the mediators of the organisation that holds the case read it ------------------------

CASE_CALLERS = ["anonymous", "own_mediator", "other_mediator", "referrer", "coordinator_elsewhere", "editor"]
CASE_READS = [
    "case page",
    "case export",
    "intake page",
    "resident contact",
    "evaluation form",
    "step form",
    "close form",
    "intervention form",
    "agenda",
    "intake queue",
    "referrer status page",
]
CASE_SECRETS = ("Sinds de scheiding komt ze weinig buiten", "Eén keer per week buiten", "0470 98 76 54", "Proefles")
CASE_CHECKED: list[tuple[str, str]] = []


@pytest.fixture
def case_world(db, mediator, editor_a, coordinator):
    """An OCMW's accepted intake (from a referrer, with a resident's contact) with its trajectory and evaluation."""
    from organisations.models import Membership
    from organisations.roles import Role
    from organisations.services import membership_grant
    from portal.workspace.intakes import IntakeInput, intake_submit, intake_triage
    from portal.workspace.trajectories import evaluation_record, step_add
    from tests.factories import OrganisationFactory, UserFactory

    team = Membership.objects.get(user=mediator).organisation
    team.kind = "ocmw"
    team.save()
    other_mediator = UserFactory(username="mediator-elsewhere")
    membership_grant(user=other_mediator, organisation=OrganisationFactory(name="OCMW B"), role=Role.MEDIATOR)
    referrer = UserFactory(username="referrer-caw")
    caw = OrganisationFactory(name="CAW")
    membership_grant(user=referrer, organisation=caw, role=Role.REFERRER)
    intake = intake_submit(
        team=team,
        by=referrer,
        data=IntakeInput(
            question="Zij wil opnieuw zwemmen.",
            motivation="Sinds de scheiding komt ze weinig buiten.",
            first_contact_way="home_visit",
            client_agreed=True,
            referrer_organisation=caw,
            referrer_name="Sara",
            referrer_email="sara@caw.test",
            resident_contact="0470 98 76 54",
        ),
        resident=False,
    )
    # A resident's contact rides on the same intake for this matrix (the public form stores it the same way).
    from portal.workspace.contact import encrypt_contact
    from portal.workspace.models import Intake

    Intake.objects.filter(pk=intake.pk).update(resident_contact=encrypt_contact("0470 98 76 54"))
    intake = intake_triage(by=mediator, intake=Intake.objects.get(pk=intake.pk), decision="accept", kind="long")
    trajectory = intake.case.trajectory
    trajectory.goals = "Eén keer per week buiten komen."
    trajectory.save()
    start = trajectory.started_on
    step_add(by=mediator, trajectory=trajectory, kind="accompanied_activity", on=start, done=False, note="Proefles")
    evaluation_record(
        by=mediator, trajectory=trajectory, on=start, intrapersonal=1, interpersonal=2, other_domains=1, independence=1
    )
    people = {
        "own_mediator": mediator,
        "other_mediator": other_mediator,
        "referrer": referrer,
        "coordinator_elsewhere": coordinator,
        "editor": editor_a,
    }
    return {"intake": intake, "case": intake.case, "people": people}


def case_read(case_world, caller: str, action: str, client) -> tuple[int, str]:
    from django.urls import reverse

    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    person = case_world["people"].get(caller)
    if person is not None:
        client.force_login(person)
        device = TOTPDevice.objects.create(user=person, name="matrix", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    case, intake = case_world["case"], case_world["intake"]
    urls = {
        "case page": reverse("workspace:case_detail", args=[case.pk]),
        "case export": reverse("workspace:case_export", args=[case.pk]),
        "intake page": reverse("workspace:intake_detail", args=[intake.pk]),
        "resident contact": reverse("workspace:intake_contact", args=[intake.pk]),
        "evaluation form": reverse("workspace:evaluation_create", args=[case.pk]),
        "step form": reverse("workspace:step_create", args=[case.pk]),
        "close form": reverse("workspace:trajectory_close", args=[case.pk]),
        "intervention form": reverse("workspace:intervention_create", args=[case.pk]),
        "agenda": reverse("workspace:agenda"),
        "intake queue": reverse("workspace:intake_queue"),
        "referrer status page": reverse("intake:status", args=[intake.status_token]),
    }
    response = client.get(urls[action])
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("action", CASE_READS)
@pytest.mark.parametrize("caller", CASE_CALLERS)
def test_only_the_case_organisations_mediators_read_case_content(case_world, client, caller, action):
    """Error case for every caller but the OCMW's own mediator: the case's content never reaches them."""
    from portal.workspace.models import AuditEntry

    audited_before = AuditEntry.objects.filter(action__in=["read", "intake_contact"]).count()
    status, content = case_read(case_world, caller, action, client)
    CASE_CHECKED.append((caller, action))
    case, intake = case_world["case"], case_world["intake"]
    if caller == "own_mediator":
        assert status == 200, f"{caller} {action}: {status}"
        assert case.code in content or intake.reference in content, f"{caller} {action} shows nothing of the case"
        return
    # The status page names the intake's number; every other page names neither it nor the case.
    secrets = [*CASE_SECRETS, case.code] + ([] if action == "referrer status page" else [intake.reference])
    leaked = [secret for secret in secrets if secret in content]
    assert not leaked, f"{caller} sees {leaked} through {action}"
    if action in ("referrer status page", "agenda", "intake queue") and status == 200:
        return  # the status link shows status only; a mediator elsewhere sees their own (empty) agenda and queue
    else:
        assert status in (302, 403, 404), f"{caller} {action}: {status}"
        assert AuditEntry.objects.filter(action__in=["read", "intake_contact"]).count() == audited_before


def test_the_whole_case_matrix_was_checked():
    """Runs last in this module: every caller crossed with every read of a case's content."""
    assert len(CASE_CHECKED) == len(CASE_CALLERS) * len(CASE_READS) == 66
    assert len(set(CASE_CHECKED)) == 66
