"""A network may keep its teams' client data shorter than the installation: the purge applies its periods."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone, translation

import pytest

from organisations.models import Network, NetworkKind
from portal.workspace.models import CaseStatus, ClientCase, UnmetNeed
from portal.workspace.privacy import purge_expired
from portal.workspace.services import case_create

pytestmark = pytest.mark.django_db


def _ago(days: int):
    return timezone.now() - timedelta(days=days)


def _closed(case: ClientCase, days: int) -> ClientCase:
    ClientCase.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED, closed_at=_ago(days))
    return case


@pytest.fixture
def case_b(mediator_b, buurtwerk_b) -> ClientCase:
    return case_create(by=mediator_b, organisation=buurtwerk_b, values={"code": "GT-1001", "ages": [40]})


@pytest.fixture
def gent(buurtwerk_b) -> Network:
    """Gent keeps closed cases 30 days and unmet needs 90; Antwerp's team keeps the installation's periods."""
    network = Network.objects.create(
        name="Gent", slug="gent", kind=NetworkKind.CITY, retention_days={"closed_case": 30, "unmet_need": 90}
    )
    network.mediation_teams.set([buurtwerk_b])
    return network


def test_a_closed_case_goes_after_its_networks_shorter_period(gent, case_a, case_b):
    _closed(case_a, 60)
    _closed(case_b, 60)
    assert purge_expired()["cases"] == 1
    assert set(ClientCase.objects.values_list("code", flat=True)) == {case_a.code}


def test_within_its_networks_period_a_closed_case_stays(gent, case_b):
    _closed(case_b, 20)
    assert purge_expired()["cases"] == 0


def test_an_unmet_need_goes_after_its_networks_period(gent, ocmw_a, buurtwerk_b):
    for organisation in (ocmw_a, buurtwerk_b):
        need = UnmetNeed.objects.create(organisation=organisation, domain="sport")
        UnmetNeed.objects.filter(pk=need.pk).update(recorded_at=_ago(100))
    assert purge_expired()["unmet_needs"] == 1
    assert list(UnmetNeed.objects.values_list("organisation", flat=True)) == [ocmw_a.pk]


def test_a_team_in_two_networks_keeps_data_as_briefly_as_the_strictest(gent, buurtwerk_b, case_b):
    stricter = Network.objects.create(name="Regio", slug="regio", kind=NetworkKind.SUPRALOCAL)
    stricter.retention_days = {"closed_case": 10}
    stricter.save()
    stricter.mediation_teams.set([buurtwerk_b])
    _closed(case_b, 20)
    assert purge_expired()["cases"] == 1


@pytest.mark.parametrize(
    ("periods", "message"),
    [
        ({"closed_case": 400}, "closed_case: give whole days, from 1 to the installation's 365."),
        ({"closed_case": "30"}, "closed_case: give whole days, from 1 to the installation's 365."),
        ({"audit_entry": 30}, "Unknown kind of data: audit_entry."),
        ({"everything": 30}, "Unknown kind of data: everything."),
    ],
)
def test_a_network_keeps_data_no_longer_than_the_installation_and_never_shortens_the_audit_log(periods, message):
    network = Network(name="Gent", slug="gent", kind=NetworkKind.CITY, retention_days=periods)
    with translation.override("en"), pytest.raises(ValidationError) as refused:
        network.clean()
    assert refused.value.message_dict["retention_days"] == [message]
