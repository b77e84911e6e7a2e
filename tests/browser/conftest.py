"""Fixtures for the browser suite: demo portals in their own runserver processes and Debian's chromium.

The servers run the dev settings with DJANGO_DEBUG=false, so that the site's own 404 page is served
(not Django's debug page); ``runserver --insecure`` then still serves the static files. The demo is
migrated and loaded once into a SQLite file in a temporary directory, whatever DATABASE_URL the test
run has, so these tests never touch the database of the rest of the suite; each server gets its own
copy. Both geocode through the local address register (tests/address_register.py), give offers the
public address PUBLIC_BASE_URL and load no map tiles from outside.

- ``portal_url``: the second factor switched off (axe cannot pass it), for the page checks and flows.
- ``secured_portal_url``: the second factor on, with two extra mediators who have not set it up yet.
- ``networks_portal_url``: the second factor off, the demo's networks and Mortsel on their own hosts (MAKE_NETWORKS).
"""

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

from tests.address_register import serve

REPO_ROOT = Path(__file__).resolve().parents[2]
MANAGE_PY = REPO_ROOT / "manage.py"
CHROMIUM = Path("/usr/bin/chromium")
AXE_JS = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SETUP_TIMEOUT = 900  # load_demo takes several minutes on a busy two-core machine
SERVER_START_TIMEOUT = 60
# The public host the servers give offers (QR codes, JSON-LD): not the address the browser uses.
PUBLIC_BASE_URL = "https://vrijetijdsnet.example"
# Mediators of the demo's OCMW made for the second-factor flow, one per width (each sets up its own app).
NEW_MEDIATORS = {375: "bemiddelaar-gsm", 1280: "bemiddelaar-pc"}
NEW_MEDIATOR_PASSWORD = "nieuw-in-het-team-2026"  # noqa: S105 - a test user's password
DEMO_FACTS = """
import json
from catalogue.models import OfferPage
from portal.models import VisionNotePage
from portal.workspace.models import ClientCase
from organisations.models import Organisation
case = ClientCase.objects.order_by("pk").first()
organisation_offers = {}
for offer in OfferPage.objects.order_by("pk").select_related("organisation"):
    organisation_offers.setdefault(offer.organisation.name, offer.pk)
print(json.dumps({
    "case": case.pk,
    "shortlist": {str(item.offer_id): item.offer.get_url_parts()[2] for item in case.shortlist.select_related("offer")},
    "organisation_pages": {organisation.name: organisation.page.pk for organisation in Organisation.objects.all()},
    "organisation_offers": organisation_offers,
    "vision_note": VisionNotePage.objects.filter(locale__language_code="nl-be").values_list("pk", flat=True).first(),
}))
"""
MAKE_MEDIATORS = """
from django.contrib.auth import get_user_model
from organisations.models import Organisation
from organisations.roles import Role
from organisations.services import membership_grant
from portal.demo import DEMO_USERS
organisation = Organisation.objects.get(name=next(u.organisation for u in DEMO_USERS if u.role == Role.MEDIATOR))
for username in {usernames!r}:
    user = get_user_model().objects.create_user(username=username, password={password!r})
    membership_grant(user=user, organisation=organisation, role=Role.MEDIATOR)
"""


# Three networks on the demo: Antwerp on the demo's default site (so 127.0.0.1 answers as Antwerp), Mortsel
# (which borders it) and Gent (which does not) each on a host of their own under .localhost, with a partner and
# offers at real points of its municipality. The demo coordinator coordinates Antwerp and Mortsel; a platform
# user sees the figures across networks. The index is rebuilt, as the new offers and networks need.
MAKE_NETWORKS = """
import random
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.utils import timezone
from catalogue.demo import offer_draft, random_point_in
from catalogue.models import Area, AreaLevel, Neighbourhood
from catalogue.services import OfferInput, offer_create
from organisations.models import Network, NetworkKind, OrganisationKind
from organisations.services import organisation_create
from portal.services import network_site_create
from search.indexer import reindex_all
networks = {networks!r}
User = get_user_model()
coordinator = User.objects.get(username={coordinator!r})
rng = random.Random(17)
any_neighbourhood = Neighbourhood.objects.select_related("district").order_by("code").first()
for slug, (name, code, postal_code, offers, coordinated) in networks.items():
    network = Network.objects.create(name=name, slug=slug, kind=NetworkKind.LOCAL)
    area = Area.objects.get(level=AreaLevel.MUNICIPALITY, code=code)
    network.municipalities.set([area])
    home = network_site_create(
        network=network, hostname=f"{{slug}}.localhost",
        home={{"title": f"Vrije tijd in {{name}}", "intro": f"Het netwerk van {{name}}.", "track_guidance": "Mee gaan.",
              "track_thresholds": "Drempels weg.", "track_cooperation": "Samen werken."}},
    )
    partner = organisation_create(
        index=home.get_children().get(slug="partners").specific, name=f"Sportclub {{name}} (test)",
        kind=OrganisationKind.LEISURE_PROVIDER, email=f"info@{{slug}}.example", city=name,
    )
    network.partners.set([partner])
    if coordinated:
        network.coordinators.set([coordinator])
    for number in range(offers):
        draft = offer_draft(
            number=900 + number, domain="sport", neighbourhood=any_neighbourhood, rng=rng, today=timezone.localdate()
        )
        latitude, longitude = random_point_in(area, rng)
        values = {{**draft.values, "title": f"Sport in {{name}} {{number + 1}}", "city": name,
                  "postal_code": postal_code, "latitude": latitude, "longitude": longitude,
                  "external_id": f"{{slug}}-{{number}}"}}
        offer_create(parent=partner.page, data=OfferInput(values=values))
platform = User.objects.create_user(username={platform!r}, password={password!r})
platform.user_permissions.add(Permission.objects.get(codename="view_platform_figures"))
for report in reindex_all():
    print(report.engine, report.documents)
"""
# The networks added to the demo's four (Antwerpen, Gent, Wervik, Meetjesland): Mortsel borders Antwerp.
# slug -> (name, NIS code, postal code, offers, coordinated by the demo's Antwerp coordinator)
NETWORKS = {"mortsel": ("Mortsel", "11029", "2640", 3, True)}
NETWORK_COORDINATOR = "coordinator"
PLATFORM_USER = "platform"
PLATFORM_PASSWORD = "cijfers-over-netwerken-2026"  # noqa: S105 - a test user's password


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp_dir: Path, *, geocoder_url: str, second_factor: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_dir / 'browser.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_dir),
        DJANGO_DEBUG="false",
        # The workspace's TOTP step cannot be passed by axe; its own pages are checked, signed in.
        WORKSPACE_REQUIRE_SECOND_FACTOR="true" if second_factor else "false",
        PUBLIC_BASE_URL=PUBLIC_BASE_URL,
        GEOCODER_URL=geocoder_url,
        MAP_TILE_URL="",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> str:
    """Run one manage.py command to completion and return its output; fail the run when it fails."""
    result = subprocess.run(  # noqa: S603 - fixed argv: this interpreter, our manage.py
        [sys.executable, str(MANAGE_PY), *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=SETUP_TIMEOUT,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {' '.join(args)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result.stdout


def _wait_until_answering(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    """Poll ``url`` until the server answers with any HTTP status; fail if it exits or times out."""
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own http://127.0.0.1 server
                return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.25)
    pytest.fail(f"runserver did not answer on {url} within {SERVER_START_TIMEOUT} s:\n{log.read_text()}")


@pytest.fixture(scope="session")
def register_url() -> Iterator[str]:
    """The local address register the servers geocode through, for the whole browser run."""
    for server in serve():
        yield server.url


@pytest.fixture(scope="session")
def demo_database(tmp_path_factory: pytest.TempPathFactory, register_url: str) -> tuple[Path, dict]:
    """Migrate a fresh SQLite database and load the demo network once; the file and facts about it."""
    tmp_dir = tmp_path_factory.mktemp("demo")
    env = _server_env(tmp_dir, geocoder_url=register_url)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")
    facts = json.loads(_manage(env, "shell", "-c", DEMO_FACTS).strip().splitlines()[-1])
    return tmp_dir / "browser.sqlite3", facts


def _serve(tmp_dir: Path, env: dict[str, str]) -> Iterator[str]:
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    log = tmp_dir / "runserver.log"
    with log.open("wb") as log_file:
        process = subprocess.Popen(  # noqa: S603 - fixed argv: this interpreter, our manage.py
            [sys.executable, str(MANAGE_PY), "runserver", f"127.0.0.1:{port}", "--noreload", "--insecure"],
            cwd=REPO_ROOT,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_answering(f"{base_url}/", process, log)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _copy_of(demo: Path, tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    tmp_dir = tmp_path_factory.mktemp(name)
    shutil.copyfile(demo, tmp_dir / "browser.sqlite3")
    return tmp_dir


@pytest.fixture(scope="session")
def portal_url(tmp_path_factory: pytest.TempPathFactory, demo_database, register_url: str) -> Iterator[str]:
    """The demo network served with the second factor off; yield the base URL."""
    tmp_dir = _copy_of(demo_database[0], tmp_path_factory, "browser")
    yield from _serve(tmp_dir, _server_env(tmp_dir, geocoder_url=register_url))


@pytest.fixture(scope="session")
def demo_facts(demo_database) -> dict:
    """The demo case's id, its shortlist (offer id -> the offer's path), each organisation's page id and first
    offer's id, and the Dutch vision note's id."""
    return demo_database[1]


@pytest.fixture(scope="session")
def secured_portal_url(tmp_path_factory: pytest.TempPathFactory, demo_database, register_url: str) -> Iterator[str]:
    """The demo network with the second factor on, and the mediators of NEW_MEDIATORS without an app yet."""
    tmp_dir = _copy_of(demo_database[0], tmp_path_factory, "secured")
    env = _server_env(tmp_dir, geocoder_url=register_url, second_factor=True)
    script = MAKE_MEDIATORS.format(usernames=sorted(NEW_MEDIATORS.values()), password=NEW_MEDIATOR_PASSWORD)
    _manage(env, "shell", "-c", script)
    yield from _serve(tmp_dir, env)


@pytest.fixture(scope="session")
def networks_portal_url(tmp_path_factory: pytest.TempPathFactory, demo_database, register_url: str) -> Iterator[str]:
    """The demo with the networks of MAKE_NETWORKS, second factor off; yield the base URL (Antwerp's site).

    Each network's own site answers on ``<slug>.localhost`` at the same port (Chromium resolves .localhost
    to the loopback address by itself).
    """
    tmp_dir = _copy_of(demo_database[0], tmp_path_factory, "networks")
    env = _server_env(tmp_dir, geocoder_url=register_url)
    env["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost,.localhost"
    script = MAKE_NETWORKS.format(
        networks=NETWORKS, coordinator=NETWORK_COORDINATOR, platform=PLATFORM_USER, password=PLATFORM_PASSWORD
    )
    _manage(env, "shell", "-c", script)
    yield from _serve(tmp_dir, env)


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """The axe-core bundle that ``npm ci`` installs; its absence fails the tests instead of skipping them."""
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is missing at {AXE_JS}; run `make browser-deps` (npm ci).")
    return AXE_JS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Debian chromium driven by Playwright's sync API.

    Module-scoped on purpose: while Playwright's sync API is running, its event loop makes Django
    refuse ORM calls in this thread (SynchronousOnlyOperation), so it must stop before other test
    modules that use the database run.
    """
    if not CHROMIUM.is_file():
        pytest.fail(f"chromium is missing at {CHROMIUM}; run `make browser-deps` (apt-get install chromium).")
    playwright: Playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()
