"""Fuzzing the HTML side (the API has its own, from its schema): generated values for every GET parameter of
the search pages and every field of the public forms, asserting that no answer is a server error.

Hypothesis draws the values: any text (NUL, quotes, full-text operators, other scripts), numbers past
64 bits, and the valid words of each parameter, so a request often passes validation and reaches the
engine. Few examples per page keep the default run bounded; ``--hypothesis-seed`` reproduces a run.
Run on SQLite and on PostgreSQL (``DATABASE_URL``): they fail on different values.
"""

from django.core.cache import cache
from django.test import Client

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal.demo_pages import ensure_network_pages
from portal.models import HomePage
from search.params import OfferSearchParams
from tests.factories import OfferFactory

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

FUZZ = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
VALID_WORDS = [
    "",
    "ANT10",
    "ANT",
    "true",
    "false",
    "1",
    "0",
    "-1",
    "51.21,4.40",
    "zwemmen",
    "sport",
    "nl",
    "wheelchair_accessible",
    "distance",
    "2026-01-31",
    "12,50",
]
VALUES = st.one_of(
    st.text(max_size=40),
    st.sampled_from(VALID_WORDS),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(['"', "\x00", "'", "NEAR(", "*", "a OR b", "%", "\\", "<script>", "../"]),
)


def params(names: list[str]) -> st.SearchStrategy[dict[str, list[str]]]:
    """A query string: known names (often) and others, each once or repeated."""
    keys = st.one_of(st.sampled_from(names), st.text(min_size=1, max_size=10))
    return st.dictionaries(keys, st.lists(VALUES, min_size=1, max_size=3), max_size=6)


SEARCH_NAMES = sorted(OfferSearchParams().fields)


def assert_no_server_error(response) -> None:
    assert response.status_code < 500, response.content[:500]


@pytest.fixture
def catalogue(partner_a, partner_b):
    """A few published offers, so that a valid search finds something and renders hits and facets."""
    OfferFactory(organisation=partner_a, title="Zwemmen in de Kiel")
    OfferFactory(organisation=partner_b, title="Theater voor iedereen")
    cache.clear()


@pytest.fixture
def network():
    return ensure_network_pages(HomePage.objects.get())


@FUZZ
@given(query=params(SEARCH_NAMES))
def test_the_public_catalogue_search_never_fails(client, catalogue, query):
    """Fuzz: /aanbod/ with generated search parameters answers a page or a 400, never a 5xx."""
    assert_no_server_error(client.get("/aanbod/", query))


@FUZZ
@given(query=params(SEARCH_NAMES))
def test_the_mediator_search_never_fails(settings, mediator, catalogue, query):
    """Fuzz: /bemiddeling/zoeken/ for a signed-in mediator, with generated search parameters."""
    settings.WORKSPACE_REQUIRE_SECOND_FACTOR = False
    client = Client()
    client.force_login(mediator)
    assert_no_server_error(client.get("/bemiddeling/zoeken/", query))


@FUZZ
@given(query=params(["q", "pagina"]))
def test_the_site_search_never_fails(client, catalogue, network, query):
    """Fuzz: /zoeken/ (pages through Wagtail's search, offers through the catalogue) with generated words."""
    assert_no_server_error(client.get("/zoeken/", query))


REFERRER_FIELDS = [
    "team",
    "referrer_organisation_name",
    "referrer_kind",
    "referrer_name",
    "referrer_email",
    "referrer_phone",
    "question",
    "motivation",
    "thresholds",
    "household_ages",
    "neighbourhood",
    "first_contact_way",
    "client_agreed",
    "website",
]
RESIDENT_FIELDS = [name for name in REFERRER_FIELDS if not name.startswith("referrer_")] + ["resident_contact"]


@pytest.mark.parametrize(
    ("path", "fields"), [("/aanmelden/doorverwijzen/", REFERRER_FIELDS), ("/aanmelden/zelf/", RESIDENT_FIELDS)]
)
def test_the_public_intake_forms_never_fail(client, mediator, path, fields):
    """Fuzz: the public intake forms with generated values in every field answer the form or a redirect."""

    @FUZZ
    @given(form=params(fields))
    def post(form):
        cache.clear()  # the public form's throttle would otherwise answer 429 after a few posts
        assert_no_server_error(client.post(path, form))

    post()


@FUZZ
@given(token=st.text(min_size=1, max_size=70).filter(lambda token: "/" not in token), form=params(["text"]))
def test_the_intake_status_link_never_fails(client, token, form):
    """Fuzz: a made-up status link, read and posted to, is a 404, never a server error."""
    assert_no_server_error(client.get(f"/aanmelden/status/{token}/"))
    assert_no_server_error(client.post(f"/aanmelden/status/{token}/", form))


def test_the_contact_form_never_fails(client, network):
    """Fuzz: the contact page's form with generated values in its fields (and others)."""
    page = network["contact"].specific

    @FUZZ
    @given(form=params([field.clean_name for field in page.form_fields.all()]))
    def post(form):
        cache.clear()
        assert_no_server_error(client.post(page.url, form))

    post()
