"""One organisation rule, asked on every path: who may change partner A's offer, and who may see its draft.

The matrix crosses every kind of caller (anonymous, partner A's and B's editors, their API keys, a
mediator, a coordinator) with every way to change an offer (admin, API, spreadsheet, UiTdatabank feed,
freshness confirmation) and every way to read one (API, open data, search). Every cell makes the real
request: a refused attempt must be refused the way that path refuses (named per cell below) and leave
every offer exactly as it was; a read must answer, show the published offer and never the draft.
"""

from datetime import date, timedelta
from decimal import Decimal
from functools import cache

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from catalogue.geo import AreaFeature, read_areas
from catalogue.importing.spreadsheet import sheet_import
from catalogue.importing.uitdatabank import uitdatabank_import
from catalogue.models import Area, OfferPage, OfferSession
from catalogue.services import MUNICIPALITIES_GEOJSON
from organisations.models import Membership, Network, NetworkKind, Organisation, OrganisationIndexPage, OrganisationKind
from organisations.permissions import can_coordinate, can_edit_for
from organisations.roles import Role
from organisations.services import api_key_issue, membership_grant, organisation_create
from portal.api import router
from portal.demo_pages import ensure_vision_note
from portal.services import network_site_create
from portal.workspace.contact import encrypt_contact
from portal.workspace.groups import enrol
from portal.workspace.intakes import IntakeInput, intake_submit, intake_triage
from portal.workspace.models import Attendance, AuditEntry, Enrolment, Intake, PlaceStatus
from portal.workspace.referrals import referral_create
from portal.workspace.services import case_create
from portal.workspace.trajectories import evaluation_record, step_add, trajectory_start
from portal.workspace.urls import urlpatterns
from portal.workspace.wagtail_hooks import register_referral_inbox_urls
from search.indexer import index_offers
from tests.factories import OfferFactory, OrganisationFactory, UserFactory

from .catalogue.test_import_spreadsheet import row, xlsx
from .catalogue.test_import_uitdatabank import event

pytestmark = pytest.mark.django_db

CALLERS = ["anonymous", "editor_a", "editor_b", "key_a", "key_b", "mediator", "coordinator"]
MAY_CHANGE_A = {"editor_a", "key_a", "coordinator"}
WRITES = ["admin edit", "api patch", "api unpublish", "api delete", "spreadsheet", "uitdatabank feed", "confirm"]
READS = ["api detail of the draft", "api list", "open data csv", "open data json-ld", "search api"]
ADMIN_LOGIN = "/admin/login/"


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


def _admin_refusal(response) -> str:
    """How the admin refused a request: the login page for whoever is not signed in, else the status."""
    if response.status_code == 302 and response["Location"].startswith(ADMIN_LOGIN):
        return "login"
    if response.status_code == 302 and response["Location"] == "/admin/":
        return "dashboard"  # Wagtail's answer to a signed-in person without permission on the page
    return str(response.status_code)


def attempt(world, caller: str, action: str, client) -> str:
    """Try one write; "changed" when it went through, else how it was refused."""
    offer, partner = world["published"], world["partner_a"]
    person = world["people"].get(caller)
    api = api_client(world, caller)
    # Keys and visitors reach the admin without a session: a key sent to the admin is not a login.
    if person is not None:
        client.force_login(person)
    headers = {"HTTP_AUTHORIZATION": f"Api-Key {world['keys'][caller]}"} if caller in world["keys"] else {}
    if action == "admin edit":
        if person is None:
            return _admin_refusal(client.post(f"/admin/pages/{offer.pk}/edit/", {"title": "Veranderd"}, **headers))
        response = client.get(f"/admin/pages/{offer.pk}/edit/")
        return "changed" if response.status_code == 200 else _admin_refusal(response)
    if action == "api patch":
        response = api.patch(f"/api/v1/offers/{offer.pk}/", {"title": "Veranderd"}, format="json")
        return "changed" if response.status_code == 200 else str(response.status_code)
    if action == "api unpublish":
        response = api.post(f"/api/v1/offers/{offer.pk}/unpublish/")
        return "changed" if response.status_code == 200 else str(response.status_code)
    if action == "api delete":
        response = api.delete(f"/api/v1/offers/{offer.pk}/")
        return "changed" if response.status_code == 204 else str(response.status_code)
    if action in ("spreadsheet", "uitdatabank feed"):
        if person is None:
            # The admin's import is the only way in for a person; the command runs on the server itself.
            upload = (
                SimpleUploadedFile("a.xlsx", xlsx(row(extern_id="a-1", titel="Van het rekenblad")))
                if action == "spreadsheet"
                else SimpleUploadedFile("a.json", b'{"@type": "Event"}')
            )
            response = client.post("/admin/catalogue/import/", {"organisation": partner.pk, "file": upload}, **headers)
            return _admin_refusal(response)
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
            return "PermissionDenied"
        return "changed"
    if action == "confirm":
        response = client.post(f"/admin/catalogue/offers/{offer.pk}/confirm/", **headers)
        if OfferPage.objects.get(pk=offer.pk).last_confirmed == timezone.localdate():
            return "changed"
        return _admin_refusal(response)
    raise AssertionError(action)


# How each path refuses a caller who may not change A's offers. Mediators have no admin access at all,
# so the admin sends them to its login page; partner B's editor gets Wagtail's dashboard.
REFUSALS = {
    "admin edit": {"anonymous": "login", "key_a": "login", "key_b": "login", "mediator": "login", None: "dashboard"},
    "api patch": {"anonymous": "401", None: "403"},
    "api unpublish": {"anonymous": "401", None: "403"},
    "api delete": {"anonymous": "401", None: "403"},
    "spreadsheet": {"anonymous": "login", "key_a": "login", "key_b": "login", None: "PermissionDenied"},
    "uitdatabank feed": {"anonymous": "login", "key_a": "login", "key_b": "login", None: "PermissionDenied"},
    "confirm": {"anonymous": "login", "key_a": "login", "key_b": "login", "mediator": "login", None: "403"},
}


@pytest.mark.parametrize("action", WRITES)
@pytest.mark.parametrize("caller", CALLERS)
def test_only_partner_a_and_coordinators_change_partner_a_offers(world, client, caller, action):
    """Error case for every caller but A's own and coordinators: refused as that path refuses, nothing changed."""
    before = snapshot()
    outcome = attempt(world, caller, action, client)
    # An API key acts only through the API; the other paths belong to signed-in people.
    allowed = caller in MAY_CHANGE_A and (action.startswith("api ") or not caller.startswith("key_"))
    if allowed:
        assert outcome == "changed", f"{caller} {action}: refused ({outcome})"
    else:
        refusals = REFUSALS[action]
        assert outcome == refusals.get(caller, refusals[None]), f"{caller} {action}: {outcome}"
        assert snapshot() == before


def read(world, caller: str, action: str, client) -> tuple[int, str]:
    draft = world["draft"]
    api = api_client(world, caller)
    if action == "api detail of the draft":
        response = api.get(f"/api/v1/offers/{draft.pk}/")
        return response.status_code, response.content.decode()
    if action == "api list":
        response = api.get("/api/v1/offers/", {"page_size": 200})
        return response.status_code, response.content.decode()
    if action == "open data csv":
        response = client.get("/open-data/offers.csv")
        return response.status_code, b"".join(response.streaming_content).decode("utf-8-sig")
    if action == "open data json-ld":
        response = client.get("/open-data/offers.jsonld")
        return response.status_code, response.content.decode()
    if action == "search api":
        response = api.get("/api/v1/search/offers", {"q": "van"})
        return response.status_code, response.content.decode()
    raise AssertionError(action)


@pytest.mark.parametrize("action", READS)
@pytest.mark.parametrize("caller", CALLERS)
def test_partner_a_draft_never_leaks(world, client, caller, action):
    """Error case: only partner A (and coordinators, through the API) may see A's unpublished draft."""
    status, content = read(world, caller, action, client)
    may_see = caller in MAY_CHANGE_A and action.startswith("api ") and action != "search api"
    if action == "api detail of the draft":
        expected_status = 200 if may_see else 404
        assert status == expected_status, f"{caller} {action}: {status}"
        assert ("Ontwerp van A" in content) == may_see
        return
    # A list answers, and answers with the published offer: an error page would show no draft either.
    assert status == 200, f"{caller} {action}: {status}"
    assert "Gepubliceerd van A" in content, f"{caller} {action} does not list the published offer"
    assert ("Ontwerp van A" in content) == may_see, f"{caller} {action}: the draft {'missing' if may_see else 'leaks'}"


# Every route of the offers API that writes, and the matrix cell that tries it on partner A's offer.
# Create, upsert and bulk write only the caller's own organisation's offers: a key or an editor of B
# creating by A's external id makes B's own offer (tests/catalogue/test_upsert.py).
WRITE_ROUTES = {
    ("offer-detail", "PATCH"): "api patch",
    ("offer-detail", "PUT"): "api patch",
    ("offer-detail", "DELETE"): "api delete",
    ("offer-unpublish", "POST"): "api unpublish",
    ("offer-list", "POST"): None,
    ("offer-upsert", "PUT"): None,
    ("offer-bulk", "POST"): None,
}


def test_every_write_route_of_the_offers_api_is_in_the_matrix():
    """A new write route on offers fails here until the matrix tries it (or says why it needs not)."""

    found = set()
    for _prefix, viewset, basename in router.registry:
        if basename != "offer":
            continue
        for route in router.get_routes(viewset):
            for method, action_name in route.mapping.items():
                if method in ("post", "put", "patch", "delete") and hasattr(viewset, action_name):
                    name = route.name.format(basename=basename)
                    found.add((name, method.upper()))
    assert found == set(WRITE_ROUTES)
    assert {cell for cell in WRITE_ROUTES.values() if cell} <= set(WRITES)


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
    "trajectory form",
    "agenda",
    "intake queue",
    "referrer status page",
]
CASE_SECRETS = ("Sinds de scheiding komt ze weinig buiten", "Eén keer per week buiten", "0470 98 76 54", "Proefles")
# The case's pages in the matrix, by the object their address names.
CASE_URLS = {
    "case page": ("workspace:case_detail", "case"),
    "case export": ("workspace:case_export", "case"),
    "intake page": ("workspace:intake_detail", "intake"),
    "resident contact": ("workspace:intake_contact", "intake"),
    "evaluation form": ("workspace:evaluation_create", "case"),
    "step form": ("workspace:step_create", "case"),
    "close form": ("workspace:trajectory_close", "case"),
    "intervention form": ("workspace:intervention_create", "case"),
    "trajectory form": ("workspace:trajectory_edit", "case"),
    "agenda": ("workspace:agenda", None),
    "intake queue": ("workspace:intake_queue", None),
    "referrer status page": ("intake:status", "status"),
}
# Pages of one case or intake that the matrix leaves out, and where they are tested.
CASE_PAGES_ELSEWHERE = {
    "case_edit": "tests/workspace/test_isolation.py",
    "shortlist_add": "tests/workspace/test_isolation.py",
    "shortlist_remove": "tests/workspace/test_isolation.py",
    "client_sheet": "needs an offer on the shortlist: tests/workspace/test_isolation.py",
    "client_sheet_pdf": "needs an offer on the shortlist: tests/workspace/test_isolation.py",
    "referral_create": "needs an offer: tests/workspace/test_referrals.py",
    "unmet_need_create": "tests/workspace/test_figures.py",
    "intake_take": "a POST that changes the intake; no authorisation test names it yet",
    "group_enrol": "this file: test_only_the_cases_mediator_enrols_and_only_the_guide_reads_the_roll",
}


@pytest.fixture
def case_world(db, mediator, editor_a, coordinator):
    """An OCMW's accepted intake (from a referrer, with a resident's contact) with its trajectory and evaluation."""

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
    person = case_world["people"].get(caller)
    if person is not None:
        client.force_login(person)
        device = TOTPDevice.objects.create(user=person, name="matrix", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    case, intake = case_world["case"], case_world["intake"]
    name, target = CASE_URLS[action]
    args = {"case": [case.pk], "intake": [intake.pk], "status": [intake.status_token], None: []}[target]
    response = client.get(reverse(name, args=args))
    return response.status_code, response.content.decode()


@pytest.mark.parametrize("action", CASE_READS)
@pytest.mark.parametrize("caller", CASE_CALLERS)
def test_only_the_case_organisations_mediators_read_case_content(case_world, client, caller, action):
    """Error case for every caller but the OCMW's own mediator: the case's content never reaches them."""

    audited_before = AuditEntry.objects.filter(action__in=["read", "intake_contact"]).count()
    status, content = case_read(case_world, caller, action, client)
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


def test_every_page_of_one_case_or_intake_is_in_the_matrix():
    """A new page under a case's or an intake's address fails here until the matrix reads it (or says where)."""

    pages = {
        pattern.name
        for pattern in urlpatterns
        if str(pattern.pattern).startswith(("dossiers/<id:pk>/", "aanmeldingen/<id:pk>/"))
    }
    in_matrix = {name.removeprefix("workspace:") for name, _target in CASE_URLS.values()}
    assert pages - in_matrix == set(CASE_PAGES_ELSEWHERE)
    assert list(CASE_URLS) == CASE_READS


# --- The Network admin: what a coordinator records there, Wagtail and the organisation rule both see ---------


def _admin_form(client, url: str, data: dict) -> None:
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_organisation_created_in_the_admin_gets_its_page_and_editors_group(client, coordinator):
    """The Network menu creates an organisation through the service: its directory page and editors exist."""

    client.force_login(coordinator)
    _admin_form(
        client,
        "/admin/snippets/organisations/organisation/add/",
        {"name": "Sportclub C", "slug": "sportclub-c", "kind": "leisure_provider"},
    )
    organisation = Organisation.objects.get(slug="sportclub-c")
    assert organisation.page.get_parent().specific_class is OrganisationIndexPage
    assert organisation.page.live
    assert organisation.editors_group is not None
    assert set(
        GroupPagePermission.objects.filter(group=organisation.editors_group, page=organisation.page).values_list(
            "permission__codename", flat=True
        )
    ) == {"add_page", "change_page", "publish_page", "lock_page", "unlock_page"}


def _both_say(user, organisation, offer) -> tuple[bool, bool]:
    """(the organisation rule, Wagtail's page permissions) on whether this user may edit the offer."""

    offer.refresh_from_db()
    return can_edit_for(user, organisation), offer.permissions_for_user(user).can_edit()


def test_a_membership_recorded_in_the_admin_is_what_wagtail_and_the_rule_both_see(client, coordinator, partner_a):
    """A membership added, changed and removed in the Network menu: the rule and Wagtail agree at every step."""

    offer = OfferFactory(organisation=partner_a)
    person = UserFactory(username="new-editor")
    client.force_login(coordinator)
    assert _both_say(person, partner_a, offer) == (False, False)

    add = {"user": person.pk, "organisation": partner_a.pk, "role": "partner_editor"}
    _admin_form(client, "/admin/snippets/organisations/membership/add/", add)
    membership = Membership.objects.get(user=person)
    person = type(person).objects.get(pk=person.pk)
    assert _both_say(person, partner_a, offer) == (True, True)

    change = {**add, "role": "mediator"}
    _admin_form(client, f"/admin/snippets/organisations/membership/edit/{membership.pk}/", change)
    person = type(person).objects.get(pk=person.pk)
    assert _both_say(person, partner_a, offer) == (False, False)

    _admin_form(client, f"/admin/snippets/organisations/membership/edit/{membership.pk}/", add)
    _admin_form(client, f"/admin/snippets/organisations/membership/delete/{membership.pk}/", {})
    assert not Membership.objects.filter(user=person).exists()
    person = type(person).objects.get(pk=person.pk)
    assert _both_say(person, partner_a, offer) == (False, False)


# --- The second factor in the admin: asked on the pages with case data, and on no other ---------------------

# A person's second factor at the moment they open an admin page.
SECOND_FACTOR_STATES = ["no device", "device, no code this session", "code confirmed"]
# Admin pages by whether they show case data; each cell opens one as partner A's editor or a coordinator.
ADMIN_CASE_PAGES = {"referral inbox": "/admin/doorverwijzingen/"}
ADMIN_OTHER_PAGES = ["dashboard", "offer edit", "page explorer", "images"]
# Where the inbox sends each state: set up an app, type its code, or the inbox itself.
CASE_PAGE_ANSWERS = {"no device": "setup", "device, no code this session": "code", "code confirmed": "200"}


def _admin_page_url(world, page: str) -> str:
    offer = world["published"]
    return {
        "referral inbox": ADMIN_CASE_PAGES["referral inbox"],
        "dashboard": "/admin/",
        "offer edit": f"/admin/pages/{offer.pk}/edit/",
        "page explorer": f"/admin/pages/{offer.get_parent().pk}/",
        "images": "/admin/images/",
    }[page]


def _second_factor_answer(response) -> str:
    location = response.get("Location", "")
    if response.status_code == 302 and location.startswith(reverse("workspace:second_factor_setup") + "?"):
        return "setup"
    if response.status_code == 302 and location.startswith(reverse("workspace:second_factor") + "?"):
        return "code"
    return str(response.status_code)


@pytest.mark.parametrize("page", [*ADMIN_CASE_PAGES, *ADMIN_OTHER_PAGES])
@pytest.mark.parametrize("state", SECOND_FACTOR_STATES)
@pytest.mark.parametrize("caller", ["editor_a", "coordinator"])
def test_the_admin_asks_for_the_second_factor_on_case_data_only(world, client, caller, state, page):
    """Case data in the admin waits for a confirmed code (set up first without an app); other pages never ask."""

    person = world["people"][caller]
    client.force_login(person)
    if state != "no device":
        device = TOTPDevice.objects.create(user=person, name="matrix", confirmed=True)
    if state == "code confirmed":
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    answer = _second_factor_answer(client.get(_admin_page_url(world, page)))
    expected = CASE_PAGE_ANSWERS[state] if page in ADMIN_CASE_PAGES else "200"
    assert answer == expected, f"{caller} with {state} on {page}: {answer}"


def test_every_admin_page_of_the_workspace_is_in_the_second_factor_matrix():
    """A new admin page of the workspace (where case data lives) fails here until it says where it is tested."""

    tested = {
        "workspace_referral_inbox": "this matrix, as 'referral inbox'",
        "workspace_referral_inbox_status": "a POST from the inbox: tests/workspace/test_second_factor.py",
        "workspace_referral_inbox_place": "this file: test_only_the_offers_partner_answers_a_reserved_place",
    }
    assert {pattern.name for pattern in register_referral_inbox_urls()} == set(tested)


# --- Reserved places: only the offer's partner answers a request, in its inbox, and sees no more than the code ---

PLACE_CALLERS = [
    "anonymous",
    "own_mediator",
    "other_mediator",
    "referrer",
    "coordinator_elsewhere",
    "editor",
    "editor_b",
]
# How each caller's answer to partner A's reserved place is met: only partner A's editor gets back to the inbox.
PLACE_ANSWERS = {
    "anonymous": "login",
    "own_mediator": "login",  # a mediator has no admin access: the workspace is theirs, the inbox the partner's
    "other_mediator": "login",
    "referrer": "login",
    "coordinator_elsewhere": "404",  # the coordinator's inbox holds only organisations they are a partner editor of
    "editor": "inbox",
    "editor_b": "404",
}


@pytest.fixture
def place_world(case_world, partner_a, editor_b):
    offer = OfferFactory(organisation=partner_a, capacity=10, reserved_places=2, reserved_price=Decimal("0"))
    referral = referral_create(
        by=case_world["people"]["own_mediator"],
        case=case_world["case"],
        offer=offer,
        consent=True,
        contact_arrangement="client_comes",
        reserve_place=True,
    )
    return {**case_world, "referral": referral, "people": {**case_world["people"], "editor_b": editor_b}}


@pytest.mark.parametrize("caller", PLACE_CALLERS)
def test_only_the_offers_partner_answers_a_reserved_place(place_world, client, caller):
    """Error case for every caller but partner A's editor: the request stays as it was, its inbox shows nothing."""

    referral = place_world["referral"]
    person = place_world["people"].get(caller)
    if person is not None:
        client.force_login(person)
        device = TOTPDevice.objects.create(user=person, name="matrix", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    inbox = client.get("/admin/doorverwijzingen/")
    response = client.post(reverse("workspace_referral_inbox_place", args=[referral.pk]), {"answer": "confirm"})
    answer = "inbox" if response.get("Location") == "/admin/doorverwijzingen/" else _admin_refusal(response)
    assert answer == PLACE_ANSWERS[caller], f"{caller}: {answer}"
    referral.refresh_from_db()
    answered = AuditEntry.objects.filter(detail=f"{referral.pk}:confirmed").exists()
    if caller == "editor":
        assert referral.place_status == PlaceStatus.CONFIRMED and answered
        assert place_world["case"].code in inbox.content.decode()
        assert not any(secret in inbox.content.decode() for secret in CASE_SECRETS)
    else:
        assert referral.place_status == PlaceStatus.REQUESTED and not answered
        assert place_world["case"].code not in inbox.content.decode()


# --- Group programmes: the case's mediator enrols, the programme's guide sees the roll by case code only -----

GROUP_CALLERS = [*PLACE_CALLERS]
# Per caller: the answer to enrolling the case, to the guide's attendance page and to saving attendance there.
GROUP_ANSWERS = {
    "anonymous": ("302", "302", "302"),
    "own_mediator": ("enrolled", "404", "404"),  # the team does not run partner A's programme: no roll
    "other_mediator": ("404", "404", "404"),
    "referrer": ("403", "404", "404"),
    "coordinator_elsewhere": ("404", "404", "404"),
    "editor": ("403", "200", "saved"),  # partner A's editor guides the programme, but enrols no case
    "editor_b": ("403", "404", "404"),
}


@pytest.fixture
def group_world(place_world, partner_a):
    programme = OfferFactory(organisation=partner_a, capacity=8, is_group_programme=True, guide_name="Leen Peeters")
    start = timezone.now()
    session = OfferSession.objects.create(offer=programme, start=start, end=start + timedelta(hours=2))
    return {**place_world, "programme": programme, "session": session}


@pytest.mark.parametrize("caller", GROUP_CALLERS)
def test_only_the_cases_mediator_enrols_and_only_the_guide_reads_the_roll(group_world, client, caller):
    """Error case for all but the case's mediator (enrol) and the programme's guide (roll): nothing changes or leaks."""

    case, programme, session = group_world["case"], group_world["programme"], group_world["session"]
    person = group_world["people"].get(caller)
    if person is not None:
        client.force_login(person)
        device = TOTPDevice.objects.create(user=person, name="matrix", confirmed=True)
        client_session = client.session
        client_session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        client_session.save()
    response = client.post(reverse("workspace:group_enrol", args=[case.pk]), {"offer": programme.pk})
    enrolled = Enrolment.objects.filter(case=case, offer_id=programme.pk).first()
    answers = ["enrolled" if enrolled else str(response.status_code)]
    enrolled = enrolled or enrol(by=group_world["people"]["own_mediator"], case=case, offer=programme)
    roll = client.get(reverse("workspace:session_attendance", args=[session.pk]))
    answers.append(str(roll.status_code))
    saved = client.post(
        reverse("workspace:session_attendance", args=[session.pk]), {f"presence-{enrolled.pk}": "absent"}
    )
    answers.append("saved" if Attendance.objects.filter(enrolment=enrolled).exists() else str(saved.status_code))
    assert tuple(answers) == GROUP_ANSWERS[caller], f"{caller}: {answers}"
    content = roll.content.decode()
    assert not any(secret in content for secret in CASE_SECRETS), f"{caller} sees more than the case code"
    assert (case.code in content) == (caller == "editor")


# --- Across networks: each coordinator edits their own network's pages, partners and record, nothing else's -

NETWORK_CALLERS = ["antwerp_coordinator", "gent_coordinator", "superuser"]
# What each target is, and which network's coordinators may change it ("shared": a partner of both).
NETWORK_TARGETS = {
    "antwerp vision note": "antwerpen",
    "antwerp home page": "antwerpen",
    "antwerp partner page": "antwerpen",
    "antwerp offer": "antwerpen",
    "antwerp network record": "antwerpen",
    "antwerp partner record": "antwerpen",
    "shared partner page": "shared",
    "shared partner record": "shared",
    "shared offer": "shared",
    "gent vision note": "gent",
    "gent home page": "gent",
    "gent partner page": "gent",
    "gent offer": "gent",
    "gent network record": "gent",
    "gent partner record": "gent",
}
# The ways to change each kind of target, each a real request.
NETWORK_ACTIONS = {
    "page": ["admin edit", "admin publish"],
    "offer": ["admin edit", "api patch"],
    "record": ["snippet edit"],
}
NETWORK_CELLS = [
    (target, action)
    for target in NETWORK_TARGETS
    for action in NETWORK_ACTIONS[
        "offer" if target.endswith("offer") else "record" if target.endswith("record") else "page"
    ]
]
# How each path refuses a coordinator of another network: the admin (pages and the snippets alike) sends
# them to its dashboard; the API says 403 (the offer is published, so they see it, but may not change it).
NETWORK_REFUSALS = {
    "admin edit": "dashboard",
    "admin publish": "dashboard",
    "api patch": "403",
    "snippet edit": "dashboard",
}


def network_snapshot() -> list[tuple]:
    pages = [
        (page.pk, page.title, page.live, page.latest_revision_id, page.has_unpublished_changes)
        for page in Page.objects.order_by("pk")
    ]
    records = [
        (network.pk, network.name, network.reduced_tariff_rules, sorted(network.partners.values_list("pk", flat=True)))
        for network in Network.objects.order_by("pk")
    ]
    partners = list(Organisation.objects.order_by("pk").values_list("pk", "name", "phone"))
    return [*pages, *records, *partners, *snapshot()]


# Each network's one municipality, with its real boundary from the shipped file.
NETWORK_AREAS = {"Antwerpen": "11002", "Gent": "44021"}
IN_GENT = {"latitude": 51.05, "longitude": 3.72, "postal_code": "9000", "street_address": "Korenmarkt 1"}


@cache
def _municipality_feature(code: str) -> AreaFeature:
    return next(feature for feature in read_areas(MUNICIPALITIES_GEOJSON) if feature.code == code)


def _network_with_site(name: str):
    """A network of one municipality with its own site and vision note."""
    feature = _municipality_feature(NETWORK_AREAS[name])
    municipality, _created = Area.objects.get_or_create(
        code=feature.code,
        defaults={
            "level": "municipality",
            "name": feature.name,
            "geometry": feature.geometry,
            "centroid_latitude": feature.centroid_latitude,
            "centroid_longitude": feature.centroid_longitude,
        },
    )
    network = Network.objects.create(name=name, slug=slugify(name), kind=NetworkKind.LOCAL)
    network.municipalities.set([municipality])
    home = network_site_create(
        network=network,
        hostname=f"{network.slug}.localhost",
        home={"title": f"Vrije tijd in {name}", "intro": f"Het netwerk vrije tijd van {name}."},
    )
    network.refresh_from_db()
    return network, home, ensure_vision_note(home), OrganisationIndexPage.objects.child_of(home).get()


def _network_partner(network, directory, name: str):
    partner = organisation_create(index=directory, name=name, kind=OrganisationKind.LEISURE_PROVIDER)
    network.partners.add(partner)
    return partner


def _network_coordinator(network, directory, username: str):
    # A coordinator's own organisation (and so the installation's coordinators group) gives no other network.
    person = UserFactory(username=username)
    own = organisation_create(
        index=directory, name=f"Coördinatie {network.name}", kind=OrganisationKind.SOCIAL_ORGANISATION
    )
    membership_grant(user=person, organisation=own, role=Role.COORDINATOR)
    network.coordinators.add(person)
    return person


@pytest.fixture
def networks_world(db):
    """Antwerpen and Gent, each on its own site with a vision note, a partner with an offer and a coordinator;
    a third partner, its page in Antwerp's directory, is a partner of both networks."""

    antwerpen, antwerp_home, antwerp_note, antwerp_directory = _network_with_site("Antwerpen")
    gent, gent_home, gent_note, gent_directory = _network_with_site("Gent")
    antwerp_partner = _network_partner(antwerpen, antwerp_directory, "Sportdienst Antwerpen")
    gent_partner = _network_partner(gent, gent_directory, "Sportdienst Gent")
    shared = _network_partner(antwerpen, antwerp_directory, "Provinciale zwemfederatie")
    gent.partners.add(shared)
    offers = {
        "antwerp offer": OfferFactory(organisation=antwerp_partner, title="Zwemmen in Antwerpen"),
        "gent offer": OfferFactory(organisation=gent_partner, title="Zwemmen in Gent", **IN_GENT),
        "shared offer": OfferFactory(organisation=shared, title="Zwemmen met de federatie"),
    }
    people = {
        "antwerp_coordinator": _network_coordinator(antwerpen, antwerp_directory, "coordinator-antwerpen"),
        "gent_coordinator": _network_coordinator(gent, gent_directory, "coordinator-gent"),
        "superuser": UserFactory(username="admin", is_superuser=True, is_staff=True),
    }
    targets = {
        "antwerp vision note": antwerp_note,
        "antwerp home page": antwerp_home,
        "antwerp partner page": antwerp_partner.page,
        "antwerp network record": antwerpen,
        "antwerp partner record": antwerp_partner,
        "shared partner page": shared.page,
        "shared partner record": shared,
        "gent vision note": gent_note,
        "gent home page": gent_home,
        "gent partner page": gent_partner.page,
        "gent network record": gent,
        "gent partner record": gent_partner,
        **offers,
    }
    return {"people": people, "targets": targets, "networks": {"antwerpen": antwerpen, "gent": gent}}


def _may_change(caller: str, target: str) -> bool:
    owner = NETWORK_TARGETS[target]
    return (
        caller == "superuser" or owner == "shared" or caller.startswith({"antwerpen": "antwerp", "gent": "gent"}[owner])
    )


def _page_form(page, title: str) -> dict:
    """What the page's own edit form sends on "publish", with a new title."""

    page = page.specific
    values = {"title": title, "slug": page.slug, "comments": inline_formset([]), "action-publish": "1"}
    if hasattr(page, "track_guidance"):  # a network's home page
        values.update(
            intro=page.intro,
            track_guidance=page.track_guidance,
            track_thresholds=page.track_thresholds,
            track_cooperation=page.track_cooperation,
        )
    elif hasattr(page, "sections"):  # its vision note
        sections = [
            ("section", {"heading": b.value["heading"], "body": rich_text(str(b.value["body"]))}) for b in page.sections
        ]
        values.update(
            intro=page.intro,
            version=page.version,
            approved_on=page.approved_on.isoformat(),
            sections=streamfield(sections),
        )
    else:  # a partner's page
        values["organisation"] = page.organisation_id
    return nested_form_data(values)


def _record_form(network) -> dict:
    """The Network snippet's form as its editor sees it, with new reduced-tariff rules."""
    data = {
        "name": network.name,
        "partners": [str(pk) for pk in network.partners.values_list("pk", flat=True)],
        "mediation_teams": [str(pk) for pk in network.mediation_teams.values_list("pk", flat=True)],
        "reduced_tariff_rules": "Regionale UiTPAS: 80% korting.",
        "retention_days": "{}",
    }
    # Only who may set networks up sees (and must send) the setup fields.
    data.update(
        slug=network.slug,
        kind=network.kind,
        municipalities=[str(pk) for pk in network.municipalities.values_list("pk", flat=True)],
        sub_area_level=network.sub_area_level,
        site=str(network.site_id),
        coordinators=[str(pk) for pk in network.coordinators.values_list("pk", flat=True)],
    )
    return data


PARTNER_PHONE = "09 123 45 67"


def _partner_form(partner) -> dict:
    """The Organisation snippet's form, with a new phone number."""
    fields = ("name", "slug", "kind", "description", "email", "website", "street_address", "postal_code", "city")
    return {**{field: getattr(partner, field) for field in fields}, "phone": PARTNER_PHONE}


def network_attempt(networks_world, caller: str, target: str, action: str, client) -> str:
    """Try one change of one network's target; "changed" when it went through, else how it was refused."""

    person = networks_world["people"][caller]
    subject = networks_world["targets"][target]
    client.force_login(person)
    title = f"Veranderd door {caller}"
    if action == "admin edit":
        response = client.get(f"/admin/pages/{subject.pk}/edit/")
        return "changed" if response.status_code == 200 else _admin_refusal(response)
    if action == "admin publish":
        response = client.post(f"/admin/pages/{subject.pk}/edit/", _page_form(subject, title))
        page = Page.objects.get(pk=subject.pk)
        if page.title == title and page.live and not page.has_unpublished_changes:
            return "changed"
        return _admin_refusal(response)
    if action == "api patch":
        api = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        api.force_login(person)
        response = api.patch(f"/api/v1/offers/{subject.pk}/", {"title": title}, format="json")
        return "changed" if response.status_code == 200 else str(response.status_code)
    if action == "snippet edit" and isinstance(subject, Network):
        url = f"/admin/snippets/organisations/network/edit/{subject.pk}/"
        response = client.post(url, _record_form(subject))
        if Network.objects.get(pk=subject.pk).reduced_tariff_rules == "Regionale UiTPAS: 80% korting.":
            return "changed"
        return _admin_refusal(response)
    if action == "snippet edit":
        url = f"/admin/snippets/organisations/organisation/edit/{subject.pk}/"
        response = client.post(url, _partner_form(subject))
        if Organisation.objects.get(pk=subject.pk).phone == PARTNER_PHONE:
            return "changed"
        return _admin_refusal(response)
    raise AssertionError(action)


@pytest.mark.parametrize(("target", "action"), NETWORK_CELLS)
@pytest.mark.parametrize("caller", NETWORK_CALLERS)
def test_a_coordinator_changes_only_their_own_networks_pages_partners_and_record(
    networks_world, client, caller, target, action
):
    """Error case for a coordinator of another network: refused as the path refuses, nothing changed; a
    partner of both networks is both coordinators', and a superuser changes everything."""
    before = network_snapshot()
    outcome = network_attempt(networks_world, caller, target, action, client)
    if _may_change(caller, target):
        assert outcome == "changed", f"{caller} {action} on {target}: refused ({outcome})"
    else:
        assert outcome == NETWORK_REFUSALS[action], f"{caller} {action} on {target}: {outcome}"
        assert network_snapshot() == before


def test_a_coordinator_changes_their_network_record_but_not_its_setup(networks_world, client):
    """Error case: the setup fields (slug, site, coordinators) sent by a coordinator with the form are ignored."""

    antwerpen, gent_coordinator = networks_world["networks"]["antwerpen"], networks_world["people"]["gent_coordinator"]
    client.force_login(networks_world["people"]["antwerp_coordinator"])
    data = _record_form(antwerpen)
    data.update(slug="overgenomen", coordinators=[*data["coordinators"], str(gent_coordinator.pk)])
    response = client.post(f"/admin/snippets/organisations/network/edit/{antwerpen.pk}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    antwerpen = Network.objects.get(pk=antwerpen.pk)
    assert antwerpen.reduced_tariff_rules == "Regionale UiTPAS: 80% korting."
    assert antwerpen.slug == "antwerpen"
    assert not antwerpen.coordinators.filter(pk=gent_coordinator.pk).exists()


def test_the_network_rule_and_wagtail_agree_on_every_network_target(networks_world):
    """The organisation rule and Wagtail's page permissions give each coordinator the same pages."""

    for caller, person in networks_world["people"].items():
        for target, subject in networks_world["targets"].items():
            if target.endswith("network record"):
                assert can_coordinate(person, subject) == _may_change(caller, target), (caller, target)
                continue
            if target.endswith("partner record"):
                assert can_edit_for(person, subject) == _may_change(caller, target), (caller, target)
                continue
            wagtail_says = subject.specific.permissions_for_user(person).can_edit()
            assert wagtail_says == _may_change(caller, target), (caller, target)
            organisation = getattr(subject.specific, "organisation", None)
            if organisation is not None:
                assert can_edit_for(person, organisation) == _may_change(caller, target), (caller, target)


@pytest.fixture
def network_case_world(case_world):
    """The OCMW's case above in Antwerpen's network; Wervik's network has its own OCMW, mediator and case."""

    antwerpen = Network.objects.create(name="Antwerpen", slug="antwerpen", kind=NetworkKind.CITY)
    antwerpen.mediation_teams.add(Membership.objects.get(user=case_world["people"]["own_mediator"]).organisation)
    wervik = Network.objects.create(name="Wervik", slug="wervik", kind=NetworkKind.LOCAL)
    team = organisation_create(
        index=OrganisationIndexPage.objects.order_by("path").first(), name="OCMW Wervik", kind=OrganisationKind.OCMW
    )
    wervik.mediation_teams.add(team)
    mediator = UserFactory(username="mediator-wervik")
    membership_grant(user=mediator, organisation=team, role=Role.MEDIATOR)
    own_case = case_create(by=mediator, organisation=team, values={"code": "WV-1001"})
    trajectory_start(by=mediator, case=own_case, kind="long", mediator=mediator)
    return {**case_world, "own_case": own_case, "people": {**case_world["people"], "wervik_mediator": mediator}}


@pytest.mark.parametrize("action", CASE_READS)
def test_a_mediator_of_another_network_reads_nothing_of_this_networks_case(network_case_world, client, action):
    """Error case: Wervik's mediator on an Antwerp mediator's case and intake: refused (302, 403 or 404 as each
    page answers), no content shown, no read audited; their own agenda and queue answer without it."""

    audited_before = AuditEntry.objects.filter(action__in=["read", "intake_contact"]).count()
    status, content = case_read(network_case_world, "wervik_mediator", action, client)
    case, intake = network_case_world["case"], network_case_world["intake"]
    secrets = [*CASE_SECRETS, case.code] + ([] if action == "referrer status page" else [intake.reference])
    assert not [secret for secret in secrets if secret in content], f"Wervik's mediator sees {action}"
    if action in ("referrer status page", "agenda", "intake queue") and status == 200:
        return
    assert status in (302, 403, 404), f"Wervik's mediator {action}: {status}"
    assert AuditEntry.objects.filter(action__in=["read", "intake_contact"]).count() == audited_before


@pytest.mark.parametrize("action", [action for action in CASE_READS if CASE_URLS[action][1] == "case"])
def test_a_mediator_of_another_network_reads_their_own_networks_case(network_case_world, client, action):
    """Wervik's mediator opens each page of their own team's case."""

    mediator, own_case = network_case_world["people"]["wervik_mediator"], network_case_world["own_case"]
    client.force_login(mediator)
    device = TOTPDevice.objects.create(user=mediator, name="matrix", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get(reverse(CASE_URLS[action][0], args=[own_case.pk]))
    assert response.status_code == 200, f"{action}: {response.status_code}"
    assert own_case.code in response.content.decode()
