"""Shared fixtures: the real neighbourhoods and site pages once per session, partners and people per test."""

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.cache import cache
from django.db import connections
from django.utils import translation

import pytest

from catalogue.services import neighbourhoods_load
from organisations.models import Organisation
from organisations.roles import Role
from organisations.services import membership_grant
from portal.demo import ensure_reference_data, ensure_site
from portal.workspace import audit_guard
from search import local_cache
from tests.address_register import serve
from tests.factories import OrganisationFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The network's real places and the site skeleton, loaded once into the test database."""
    with django_db_blocker.unblock():
        geojson = settings.NETWORK_NEIGHBOURHOODS_GEOJSON
        neighbourhoods_load(
            geojson_path=geojson, scores_path=geojson.parent / "antwerpen-wijken-sociaaleconomische-score-2025.csv"
        )
        ensure_site()
        ensure_reference_data()
        # Committing tests (serialized_rollback) get this state back after the flush that ends the one before.
        for alias in connections:
            connections[alias]._test_serialized_contents = connections[alias].creation.serialize_db_to_string()


@pytest.fixture(autouse=True)
def _audit_log_flushable(request):
    """A test that commits ends with a flush, which on SQLite is a DELETE the audit log's triggers refuse:
    empty the log with its triggers lifted, then put them back, before that flush runs."""
    marker = request.node.get_closest_marker("django_db")
    commits = "live_server" in request.fixturenames or bool(marker and marker.kwargs.get("transaction"))
    if not commits:
        yield
        return
    request.getfixturevalue("transactional_db")  # set up first, so that it is torn down (flushed) after this
    yield
    from django.db import connection

    if connection.vendor == "sqlite":
        audit_guard.remove(connection)
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM workspace_auditentry")
            cursor.execute("DELETE FROM workspace_auditpurge")
        audit_guard.install(connection)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language, as if it ran alone: a request activates its own language and
    leaves it active in the thread, for whichever test a worker runs next."""
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (search labels, circuit breaker state), the process's too."""
    cache.clear()
    local_cache.clear()


@pytest.fixture
def partner_a(db) -> Organisation:
    return OrganisationFactory(name="Zwemclub A")


@pytest.fixture
def partner_b(db) -> Organisation:
    return OrganisationFactory(name="Theater B")


def _member(organisation: Organisation, role: str, username: str) -> AbstractBaseUser:
    user = UserFactory(username=username)
    membership_grant(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def editor_a(partner_a) -> AbstractBaseUser:
    return _member(partner_a, Role.PARTNER_EDITOR, "editor-a")


@pytest.fixture
def editor_b(partner_b) -> AbstractBaseUser:
    return _member(partner_b, Role.PARTNER_EDITOR, "editor-b")


@pytest.fixture
def mediator(db) -> AbstractBaseUser:
    return _member(OrganisationFactory(name="OCMW"), Role.MEDIATOR, "mediator")


@pytest.fixture
def coordinator(db) -> AbstractBaseUser:
    return _member(OrganisationFactory(name="Netwerk"), Role.COORDINATOR, "coordinator")


@pytest.fixture(scope="session")
def address_register_server():
    """The local stand-in for Flanders' address register (tests/address_register.py), one per test run."""
    yield from serve()


@pytest.fixture
def address_register(address_register_server, settings):
    """The portal geocodes through the local register; its delay, status and recorded requests start clean."""
    address_register_server.delay = 0.0
    address_register_server.status_override = None
    address_register_server.requests.clear()
    address_register_server.api_keys.clear()
    settings.GEOCODER_URL = address_register_server.url
    settings.GEOCODER_TIMEOUT = 1.0
    return address_register_server
