"""Figures per network and across networks: a coordinator sees their own network's, the platform every network's."""

from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from catalogue.models import Area
from catalogue.services import areas_load
from organisations.models import Network, NetworkKind
from organisations.roles import Role
from organisations.services import membership_grant
from portal.workspace import figures
from portal.workspace.models import UnmetNeed
from portal.workspace.referrals import referral_create
from portal.workspace.services import case_create
from portal.workspace.unmet import unmet_need_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def networks(ocmw_a, buurtwerk_b, partner_a, coordinator) -> dict[str, Network]:
    areas_load(wijken_of=[])
    antwerpen = Network.objects.create(name="Antwerpen", slug="antwerpen", kind=NetworkKind.CITY)
    antwerpen.municipalities.set(Area.objects.filter(code="11002"))
    antwerpen.mediation_teams.set([ocmw_a])
    antwerpen.partners.set([ocmw_a, partner_a])
    antwerpen.coordinators.set([coordinator])
    gent = Network.objects.create(name="Gent", slug="gent", kind=NetworkKind.CITY)
    gent.municipalities.set(Area.objects.filter(code="44021"))
    gent.mediation_teams.set([buurtwerk_b])
    gent.partners.set([buurtwerk_b])
    gent_coordinator = UserFactory(username="coordinator-gent")
    membership_grant(user=gent_coordinator, organisation=buurtwerk_b, role=Role.COORDINATOR)
    gent.coordinators.set([gent_coordinator])
    return {"antwerpen": antwerpen, "gent": gent}


@pytest.fixture
def referrals(networks, mediator_a, case_a, mediator_b, buurtwerk_b, kiel, make_offer) -> None:
    """Six referrals by Antwerp's team, five by Gent's."""
    offer = make_offer("Om de hoek")
    case_b = case_create(by=mediator_b, organisation=buurtwerk_b, values={"code": "GT-1001", "ages": [40]})
    for _index in range(6):
        referral_create(by=mediator_a, case=case_a, offer=offer, consent=True, contact_arrangement="client_comes")
    for _index in range(5):
        referral_create(by=mediator_b, case=case_b, offer=offer, consent=True, contact_arrangement="client_comes")


def _figures(client, user, login, **params) -> str:
    login(client, user)
    response = client.get(reverse("workspace:figures"), params, headers={"accept-language": "en"})
    assert response.status_code == 200
    return response.content.decode()


def test_a_coordinator_sees_the_figures_of_their_own_network(client, coordinator, referrals, login):
    body = _figures(client, coordinator, login)
    assert "Figures for the network Antwerpen" in body
    assert "<td>All referrals</td><td>6<svg" in body


def test_the_other_networks_coordinator_sees_only_theirs(client, networks, referrals, login):
    body = _figures(client, networks["gent"].coordinators.get(), login)
    assert "Figures for the network Gent" in body
    assert "<td>All referrals</td><td>5<svg" in body


def test_a_coordinator_cannot_ask_for_another_networks_figures(client, networks, referrals, login):
    """Error case: the network parameter only chooses among the networks one coordinates."""
    login(client, networks["gent"].coordinators.get())
    assert client.get(reverse("workspace:figures"), {"network": "antwerpen"}).status_code == 404
    assert client.get(reverse("workspace:figures_csv"), {"network": "antwerpen"}).status_code == 404
    assert client.get(reverse("workspace:unmet_needs"), {"network": "antwerpen"}).status_code == 404


def test_the_csv_holds_the_chosen_networks_figures(client, networks, referrals, login):
    login(client, networks["gent"].coordinators.get())
    response = client.get(reverse("workspace:figures_csv"), headers={"accept-language": "en"})
    assert 'filename="vrijetijdsnet-cijfers-gent.csv"' in response["Content-Disposition"]
    assert "All referrals;5;" in response.content.decode()


def test_an_unmet_need_is_counted_in_its_municipality(networks, mediator_a, ocmw_a, mediator_b, buurtwerk_b, kiel):
    """From the client's neighbourhood; without one, from the team's network when it covers one municipality."""
    in_kiel = unmet_need_record(by=mediator_a, organisation=ocmw_a, domain="sport", neighbourhood=kiel)
    in_gent = unmet_need_record(by=mediator_b, organisation=buurtwerk_b, domain="sport")
    assert in_kiel.municipality.name == "Antwerpen"
    assert in_gent.municipality.name == "Gent"


def test_a_team_in_several_municipalities_leaves_the_municipality_unknown(networks, mediator_b, buurtwerk_b):
    networks["gent"].municipalities.add(Area.objects.get(code="43005"))
    need = unmet_need_record(by=mediator_b, organisation=buurtwerk_b, domain="culture")
    assert need.municipality is None


def test_the_platform_sees_every_network_with_people_counts_suppressed(client, networks, referrals, login):
    for _index in range(5):
        UnmetNeed.objects.create(organisation=networks["gent"].mediation_teams.get(), domain="sport")
    platform = UserFactory(username="platform")
    platform.user_permissions.add(Permission.objects.get(codename="view_platform_figures"))
    login(client, platform)
    response = client.get(reverse("workspace:platform_figures"), headers={"accept-language": "en"})
    body = response.content.decode()
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    row = '<th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>'
    assert row.format("Antwerpen", "Antwerpen", 2, 1, 6, "fewer than 5") in body
    assert row.format("Gent", "Gent", 1, 0, 5, 5) in body
    assert "KX-4821" not in body and "GT-1001" not in body


def test_an_offer_served_from_outside_counts_in_the_network_it_serves(networks, partner_a, make_offer):
    networks["gent"].partners.add(partner_a)
    make_offer("Alleen in Antwerpen")
    regional = make_offer("Voor de hele regio")
    regional.served_networks.set([networks["gent"]])
    regional.save()
    offers = {row["network"].slug: row["offers"] for row in figures.platform_rows()}
    assert offers == {"antwerpen": 2, "gent": 1}


def test_the_platform_rows_take_as_many_queries_for_many_networks_as_for_two(
    networks, referrals, django_assert_max_num_queries
):
    with CaptureQueriesContext(connection) as two:
        figures.platform_rows()
    for number in range(8):
        network = Network.objects.create(name=f"Netwerk {number}", slug=f"netwerk-{number}", kind=NetworkKind.LOCAL)
        network.municipalities.set(Area.objects.filter(level="municipality").order_by("code")[number : number + 2])
    with django_assert_max_num_queries(len(two)):
        assert len(figures.platform_rows()) == 10


def test_a_network_coordinator_is_not_the_platform(client, coordinator, networks, login):
    """Error case: the figures across networks are the platform's, not a coordinator's."""
    login(client, coordinator)
    assert client.get(reverse("workspace:platform_figures")).status_code == 403
