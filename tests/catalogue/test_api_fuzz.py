"""Schemathesis fuzzes the offers API in process from its own OpenAPI schema, with two partners' keys.

Every generated request runs through the real WSGI application (``portal.wsgi``) inside the test's
database transaction. Path ids and external ids are steered to the other partner's offers often, so
the cross-organisation checks meet real targets. Checks: every schemathesis check (server errors,
answers that match the schema, schema-invalid requests refused and schema-valid ones accepted, auth,
methods, headers), and never a write to the other partner's offers.

A schema-valid request may still be refused with a 400 for what OpenAPI 3.0 cannot state (the API's
400 response lists these): an organisation, theme or language that does not exist, a point outside
the network's area, a rule between two fields, NUL characters. ``positive_data_acceptance`` takes a
400 here, and ``call_as`` then requires that it names only those fields.
"""

import json
import re
import zlib
from collections import Counter
from collections.abc import Iterator

from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

from catalogue.models import OfferPage, Source
from organisations.models import Organisation
from organisations.services import api_key_issue
from tests.factories import OfferFactory

# One worker: test_the_fuzzer_ran_cases counts the cases the tests before it ran.
pytestmark = [pytest.mark.django_db, pytest.mark.fuzz, pytest.mark.xdist_group("api-fuzz")]

CASES: Counter = Counter()
STATUSES: Counter = Counter()
MISSING_ID = 987654321
# A fixed seed keeps the default run reproducible; the coverage phase (hundreds of boundary cases per
# operation) is left to a dedicated run, so each operation gets max_examples generated cases.
CONFIG = SchemathesisConfig.from_dict(
    {
        "seed": 4,
        "phases": {"coverage": {"enabled": False}},
        "generation": {"mode": "all", "database": "none"},
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "404", "409", "429"]}
        },
    }
)
# What a schema-valid request may be refused for with a 400, by the field the error names (see above).
RULES_BEYOND_THE_SCHEMA = {
    "organisation",
    "themes",
    "languages",
    "served_networks",
    "latitude",
    "age_min",
    "start_date",
    "end_date",
    "reduced_price",
    "reduced_tariff",
    "reserved_places",
    "reserved_price",
    "registration",
    "companion_free",
    "time_slots",
    "external_id",
    "detail",
}
ID_PATTERN = re.compile(r"[0-9]{1,18}")
SLUG_PATTERN = re.compile(r"[-a-zA-Z0-9_]+")
NOT_AN_ID = "geen-nummer"


@pytest.fixture
def api_schema(db):
    """The schema as the running application serves it.

    Like Django's test client, requests here must not close the test's database connection at
    their end (``close_old_connections`` would, on PostgreSQL), so that handler is off meanwhile.
    """
    from portal.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application, config=CONFIG)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema").include(path_regex=r"^/api/v1/offers/")


class World:
    """Two partners with a key, a published offer and a draft each; the fuzzer aims at both."""

    def __init__(self, partner_a: Organisation, partner_b: Organisation, editor_a, editor_b) -> None:
        self.organisations = {"a": partner_a, "b": partner_b}
        self.keys = {
            "a": api_key_issue(organisation=partner_a, name="Fuzz A", by=editor_a)[1],
            "b": api_key_issue(organisation=partner_b, name="Fuzz B", by=editor_b)[1],
        }
        self.offer_ids = []
        for name, organisation in self.organisations.items():
            published = OfferFactory(organisation=organisation, source=Source.API, external_id=f"gedeeld-{name}")
            draft = OfferFactory(organisation=organisation, publish=False)
            self.offer_ids += [published.pk, draft.pk]
        self.external_ids = ["gedeeld-a", "gedeeld-b"]

    def snapshot(self, name: str) -> list[tuple]:
        """What a write could change on one partner's offers, and how many there are."""
        offers = OfferPage.objects.filter(organisation=self.organisations[name]).order_by("pk")
        return [
            (o.pk, o.title, o.live, o.latest_revision_id, o.revisions.count(), o.external_id, o.list_price)
            for o in offers
        ]

    def steer(self, case) -> None:
        """Point valid path ids at existing offers (or one missing id) and slugs at partners, deterministically.

        Only a value the schema allows is steered: one that breaks the schema (a negative case) stays
        as it was, so the server must refuse it. A path value that cannot be a URL segment would only
        meet Django's router, so an invalid id that is no segment becomes another invalid id that is one,
        and an external id is kept only when it is a segment.
        """
        parameters = case.path_parameters or {}
        if "id" in parameters:
            generated = str(parameters["id"])
            if ID_PATTERN.fullmatch(generated):
                choices = [*self.offer_ids, MISSING_ID]
                parameters["id"] = choices[_pick(generated, len(choices))]
            elif not _is_segment(generated):
                parameters["id"] = NOT_AN_ID
        if "external_id" in parameters:
            generated = parameters["external_id"]
            choices = [*self.external_ids, *([generated] if _is_segment(generated) else [])]
            parameters["external_id"] = choices[_pick(generated, len(choices))]
        query = case.query or {}
        if isinstance(query.get("organisation"), str) and SLUG_PATTERN.fullmatch(query["organisation"]):
            choices = [*(organisation.slug for organisation in self.organisations.values()), query["organisation"]]
            query["organisation"] = choices[_pick(query["organisation"], len(choices))]


def _is_segment(value: object) -> bool:
    return isinstance(value, str) and value.strip() not in {"", ".", ".."} and "/" not in value and "\\" not in value


def _pick(value: object, size: int) -> int:
    return zlib.crc32(repr(value).encode()) % size


@pytest.fixture
def world(partner_a, partner_b, editor_a, editor_b) -> World:
    return World(partner_a, partner_b, editor_a, editor_b)


@pytest.fixture(scope="module", autouse=True)
def _report_cases(request) -> Iterator[None]:
    """After the module, print how many cases ran per key and fail if none did."""
    yield
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():
            reporter.write_line(
                f"schemathesis: {sum(CASES.values())} cases run in process ({dict(CASES)}); "
                f"answers by status: {dict(sorted(STATUSES.items()))}"
            )


FUZZ_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def call_as(case, world: World, *, caller: str, other: str) -> None:
    """Send the case with the caller's key; fail on any check or on any change to the other partner's offers."""
    cache.clear()  # throttle counts would otherwise turn the later cases into 429s
    world.steer(case)
    before = world.snapshot(other)
    response = case.call_and_validate(
        headers={"Authorization": f"Api-Key {world.keys[caller]}", "Accept-Language": "en"}
    )
    CASES[f"key {caller}"] += 1
    STATUSES[response.status_code] += 1
    assert world.snapshot(other) == before, f"key {caller} changed partner {other}'s offers"
    if response.status_code == 400 and case.meta is not None and case.meta.generation.mode.is_positive:
        named = set(json.loads(response.text))
        assert named <= RULES_BEYOND_THE_SCHEMA, f"a schema-valid request was refused on {named}: {response.text}"


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzzed_requests_with_key_a_never_fail_nor_touch_partner_b(case, world):
    """Fuzz: with partner A's key, every check passes and no request writes partner B's offers."""
    call_as(case, world, caller="a", other="b")


@schema.parametrize()
@FUZZ_SETTINGS
def test_fuzzed_requests_with_key_b_never_fail_nor_touch_partner_a(case, world):
    """Fuzz: with partner B's key, every check passes and no request writes partner A's offers."""
    call_as(case, world, caller="b", other="a")


def test_the_fuzzer_ran_cases():
    """The fuzz test above ran generated cases for both keys."""
    assert CASES["key a"] > 0 and CASES["key b"] > 0, CASES
