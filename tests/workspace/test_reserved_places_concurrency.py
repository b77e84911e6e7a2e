"""Eight mediators ask for the last kept place at once, for real: threads with their own PostgreSQL connections."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection

import pytest

from catalogue.models import OfferPage
from catalogue.services import neighbourhoods_load
from organisations.roles import Role
from organisations.services import membership_grant
from portal.demo import ensure_reference_data, ensure_site
from portal.workspace.models import PlaceStatus, Referral
from portal.workspace.referrals import referral_create
from portal.workspace.services import case_create
from tests.catalogue.test_concurrent_writes import CALLERS, all_at_once
from tests.factories import OfferFactory, OrganisationFactory, UserFactory

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL: SQLite serialises all writers"),
]


@pytest.fixture
def last_place(django_db_setup):
    geojson = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
    neighbourhoods_load(
        geojson_path=geojson, scores_path=geojson.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"
    )
    ensure_site()
    ensure_reference_data()
    team = OrganisationFactory(name="OCMW Gelijktijdig")
    mediator = UserFactory(username="mediator-gelijktijdig")
    membership_grant(user=mediator, organisation=team, role=Role.MEDIATOR)
    cases = [
        case_create(by=mediator, organisation=team, values={"code": f"GL-{number:04d}", "ages": [30]})
        for number in range(CALLERS)
    ]
    offer = OfferFactory(
        organisation=OrganisationFactory(name="Zwemclub Gelijktijdig"),
        capacity=10,
        reserved_places=1,
        reserved_price=Decimal("0"),
    )
    return mediator, cases, offer


def test_eight_requests_for_the_last_kept_place_hold_it_once(last_place):
    """Concurrency: one request holds the last kept place; the seven others are refused, none overbooks."""
    mediator, cases, offer = last_place
    waiting = list(cases)

    def ask():
        return referral_create(
            by=mediator,
            case=waiting.pop(),
            offer=offer,
            consent=True,
            contact_arrangement="client_comes",
            reserve_place=True,
        )

    answers = all_at_once(ask)
    assert sum(isinstance(answer, Referral) for answer in answers) == 1, answers
    assert all(isinstance(answer, Referral | ValidationError) for answer in answers), answers
    assert Referral.objects.filter(place_status=PlaceStatus.REQUESTED).count() == 1
    assert OfferPage.objects.get(pk=offer.pk).reserved_places_held == 1
