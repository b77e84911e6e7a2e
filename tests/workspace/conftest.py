"""Workspace fixtures: two mediators of two organisations, a case each, and offers placed around Kiel."""

from datetime import datetime, time

from django.contrib.auth.models import AbstractBaseUser

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from catalogue.models import Neighbourhood, OfferPage, OfferTimeSlot
from catalogue.services import OfferInput, offer_create
from organisations.models import Organisation
from organisations.roles import Role
from organisations.services import membership_grant
from portal.workspace.models import AuditEntry, ClientCase
from portal.workspace.services import case_create
from search.indexer import index_offers
from tests.factories import OrganisationFactory, UserFactory, offer_values

# About 111 km per degree of latitude: these offsets put an offer that far north of Kiel's centre.
KM_NORTH = 1 / 111.2


@pytest.fixture
def ocmw_a(db) -> Organisation:
    return OrganisationFactory(name="OCMW A")


@pytest.fixture
def buurtwerk_b(db) -> Organisation:
    return OrganisationFactory(name="Buurtwerk B")


def _person(organisation: Organisation, role: str, username: str) -> AbstractBaseUser:
    user = UserFactory(username=username)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def mediator_a(ocmw_a) -> AbstractBaseUser:
    return _person(ocmw_a, Role.MEDIATOR, "mediator-a")


@pytest.fixture
def mediator_b(buurtwerk_b) -> AbstractBaseUser:
    return _person(buurtwerk_b, Role.MEDIATOR, "mediator-b")


@pytest.fixture
def kiel() -> Neighbourhood:
    return Neighbourhood.objects.get(code="ANT10")


@pytest.fixture
def case_a(mediator_a, ocmw_a, kiel) -> ClientCase:
    return case_create(
        by=mediator_a,
        organisation=ocmw_a,
        values={"code": "KX-4821", "ages": [34], "home_neighbourhood": kiel, "travel_km": 3.0},
    )


@pytest.fixture
def make_offer(partner_a, kiel):
    """Create, publish and index an offer ``km`` north of Kiel's centre, with optional weekly slots."""

    def make(title: str, *, km: float = 0.0, slots=((2, time(14), time(16)),), themes=(), **values) -> OfferPage:
        data = OfferInput(
            values=offer_values(
                title=title,
                latitude=kiel.centroid_latitude + km * KM_NORTH,
                longitude=kiel.centroid_longitude,
                **values,
            ),
            themes=list(themes),
            time_slots=[OfferTimeSlot(weekday=day, start_time=start, end_time=end) for day, start, end in slots],
        )
        offer = offer_create(parent=partner_a.page, data=data, publish=True)
        index_offers([offer.pk])
        return offer

    return make


@pytest.fixture
def login():
    """Sign someone in with a confirmed second factor, as every page with case data requires."""

    def sign_in(client, user) -> None:
        client.force_login(user)
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    return sign_in


@pytest.fixture
def caw(db) -> Organisation:
    return OrganisationFactory(name="CAW Antwerpen", kind="social_organisation")


@pytest.fixture
def referrer(caw) -> AbstractBaseUser:
    """A social worker of a CAW with the referrer role: refers clients, sees only their status."""
    user = _person(caw, Role.REFERRER, "referrer-caw")
    user.first_name, user.last_name = "Sara", "Maes"
    user.save()
    return user


@pytest.fixture
def demo_trajectories(db, mediator_a, ocmw_a, referrer, caw) -> Organisation:
    """The demo's year and a half of work, made for OCMW A (turned into an OCMW) by its mediator and coordinator."""
    from portal.workspace.trajectory_demo import ensure_demo_trajectories

    Organisation.objects.filter(pk=ocmw_a.pk).update(kind="ocmw")
    ocmw_a.refresh_from_db()
    coordinator = _person(ocmw_a, Role.COORDINATOR, "lead-a")
    ensure_demo_trajectories(
        mediator=mediator_a, coordinator=coordinator, referrer=referrer, team=ocmw_a, referrer_organisation=caw
    )
    return ocmw_a


def audit_entry_at(at: datetime, *, case_code: str, action: str = "read", organisation_id: int | None = None) -> int:
    """An audit entry written at a moment in the past: the log refuses to be aged afterwards, so it is
    inserted with its time (``at`` is set on creation only). Returns its id."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO workspace_auditentry (at, username, organisation_id, organisation_name, case_code, action, "
            "detail) VALUES (%s, 'old', %s, '', %s, %s, '')",
            [connection.ops.adapt_datetimefield_value(at), organisation_id, case_code, action],
        )
    return AuditEntry.objects.filter(case_code=case_code).latest("at").pk
