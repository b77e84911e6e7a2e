"""The production scenario: gunicorn, the task worker and people using the site over HTTP, as in docker-compose.

Run by .ci/production_check after migrate, collectstatic, check --deploy and load_demo, with the production
environment set. It starts gunicorn (portal.settings.production, 3 workers) and ``manage.py db_worker``,
then, as people would: every main public page and search, an offer published through the API with a key,
a spreadsheet import through the admin upload, the open-data feeds read to the end, a mediator signing in
with the second factor and opening a case and referring them. It checks that every write is in the
database and the search index once the worker's queue is empty, that the worker's reconciliation puts back
a document removed behind the portal's back, and that no log holds a traceback. Then it starts both again
with ELASTICSEARCH_URL at a local server that accepts connections and never answers, and checks that
publishing still answers fast and search still answers. Any 500 fails.
"""

import csv
import io
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
PORT = int(os.environ.get("PRODUCTION_CHECK_PORT", "8100"))
WORK = Path(os.environ.get("PRODUCTION_CHECK_WORK", "/tmp/production-check"))
BASE = f"http://127.0.0.1:{PORT}"
# The proxy in front of gunicorn terminates TLS and says so (SECURE_PROXY_SSL_HEADER).
PUBLIC = f"https://127.0.0.1:{PORT}"
# Rows in the admin spreadsheet upload. The worker previews and applies them in the background; the pages
# only show the job's progress, so no request waits for the work.
IMPORT_ROWS = int(os.environ.get("PRODUCTION_CHECK_IMPORT_ROWS", "1000"))
# How long the worker may take for one preview or apply of them on a busy CI machine.
IMPORT_JOB_TIMEOUT = int(os.environ.get("PRODUCTION_CHECK_IMPORT_TIMEOUT", "900"))
# Whatever Elasticsearch does, a publish answers well before gunicorn gives up (30 s), and with the cluster
# hanging at most twice as slow as without one, plus this margin (the machine may be busy).
PUBLISH_LIMIT_S = 25.0
HANGING_MARGIN_S = 3.0
PARTNER = ("partner-cultuur", "demo-partner-2026")
MEDIATOR = ("mediator", "demo-mediator-2026")
SHARED_DATA_CANDIDATES = [
    Path(os.environ.get("SHARED_DATA", "/nonexistent")),
    REPO.parent / "shared" / "data",
    Path("/work/shared/data"),
    REPO / "catalogue" / "data",
]
# Offers this run writes carry it, so a second run on the same database writes new ones.
RUN = f"{time.time():.0f}"
failures: list[str] = []
timings: dict[str, list[float]] = {}


def fail(message: str) -> None:
    print(f"  FAIL: {message}", flush=True)
    failures.append(message)


def step(title: str) -> None:
    print(f"- {title}", flush=True)


def browser() -> requests.Session:
    session = requests.Session()
    session.headers.update({"X-Forwarded-Proto": "https", "Accept-Language": "nl-BE"})
    return session


def local(url: str) -> str:
    """An address the site wrote for the public (https://…), reached on the plain hop behind the proxy."""
    return url.replace(PUBLIC, BASE) if url.startswith(PUBLIC) else url


def fetch(session: requests.Session, method: str, path: str, expect: tuple[int, ...] = (200,), **kwargs):
    url = local(path) if path.startswith("http") else BASE + path
    headers = kwargs.pop("headers", {})
    # The session and CSRF cookies are Secure, and the hop from the "proxy" (us) to gunicorn is plain HTTP,
    # where requests would not send them: they go in by hand, as the browser sends them to the proxy.
    if session.cookies:
        headers["Cookie"] = "; ".join(f"{cookie.name}={cookie.value}" for cookie in session.cookies)
    if method != "GET":
        headers.setdefault("Origin", PUBLIC)
        headers.setdefault("Referer", PUBLIC + "/")
    began = time.perf_counter()
    response = session.request(method, url, headers=headers, allow_redirects=False, timeout=60, **kwargs)
    elapsed = time.perf_counter() - began
    if response.status_code >= 500 or response.status_code not in expect:
        fail(f"{method} {path}: {response.status_code} (expected {expect}) {response.text[:300]!r}")
    return response, elapsed


def csrf_token(session: requests.Session, html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    return match.group(1) if match else session.cookies.get("csrftoken", "")


def sign_in(session: requests.Session, username: str, password: str) -> None:
    page, _ = fetch(session, "GET", "/admin/login/")
    data = {"csrfmiddlewaretoken": csrf_token(session, page.text), "username": username, "password": password}
    response, _ = fetch(session, "POST", "/admin/login/", expect=(302,), data=data)
    if response.status_code != 302:
        fail(f"{username} could not sign in")


# The processes


class Stack:
    """gunicorn and the db_worker, with their output in files that are searched for tracebacks."""

    def __init__(self, label: str, environment: dict[str, str]):
        self.label, self.environment = label, environment
        self.processes: list[tuple[str, subprocess.Popen, Path]] = []

    def start(self) -> None:
        python = str(REPO / ".venv" / "bin" / "python")
        commands = {
            "gunicorn": [
                str(REPO / ".venv" / "bin" / "gunicorn"),
                "portal.wsgi:application",
                f"--bind=127.0.0.1:{PORT}",
                "--workers=3",
                "--timeout=30",
                "--access-logfile=-",
            ],
            "worker": [python, "manage.py", "db_worker", "--interval=0.5", "--no-startup-delay", "-v", "1"],
        }
        for name, command in commands.items():
            log = WORK / f"{self.label}-{name}.log"
            handle = log.open("w")
            process = subprocess.Popen(  # noqa: S603 - our own commands
                command, cwd=REPO, env=self.environment, stdout=handle, stderr=subprocess.STDOUT
            )
            self.processes.append((name, process, log))
        # Each worker's first page loads the search columns; under load that takes a while.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                if requests.get(BASE + "/", headers={"X-Forwarded-Proto": "https"}, timeout=30).status_code < 500:
                    return
            except requests.RequestException:
                time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 180 s; see {WORK}")

    def stop(self) -> None:
        for _name, process, _log in self.processes:
            process.terminate()
        for _name, process, _log in self.processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()

    def check_logs(self) -> None:
        for name, _process, log in self.processes:
            text = log.read_text(errors="replace")
            if "Traceback" in text:
                start = text.index("Traceback")
                fail(f"{self.label} {name} log holds a traceback ({log}):\n{text[start : start + 2000]}")
            for line in text.splitlines():
                if re.search(r'" 5\d\d ', line):
                    fail(f"{self.label} {name} answered a 5xx: {line}")


def wait_for_the_queue(timeout: float = 300) -> None:
    """Until the worker has run every task that is due (later retries and the next reconciliation wait).

    A task left RUNNING by a worker that was killed in an earlier run never finishes: only the ones started
    in the last minutes count.
    """
    from datetime import timedelta

    from django.utils import timezone

    from django_tasks_db.models import DBTaskResult

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        running = DBTaskResult.objects.filter(status="RUNNING", started_at__gte=timezone.now() - timedelta(minutes=5))
        if not DBTaskResult.objects.ready().exists() and not running.exists():
            return
        time.sleep(0.5)
    fail(f"the worker left tasks due after {timeout:.0f} s")


class HangingServer:
    """Accepts TCP connections and never answers: a cluster that hangs."""

    def __init__(self):
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(128)
        self.port = self.socket.getsockname()[1]
        self.held: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _address = self.socket.accept()
            except OSError:
                return
            self.held.append(connection)

    def close(self) -> None:
        for connection in self.held:
            connection.close()
        self.socket.close()


# Setup through the ORM: what a coordinator does in the admin


def setup() -> tuple[str, str, int]:
    """An API key for the partner's organisation, a second factor for the mediator; (key, TOTP key, case pk)."""
    from django.contrib.auth import get_user_model

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from organisations.models import Membership
    from organisations.services import api_key_issue
    from portal.workspace.models import ClientCase

    users = get_user_model().objects
    partner = users.get(username=PARTNER[0])
    organisation = Membership.objects.filter(user=partner).select_related("organisation").first().organisation
    _api_key, plaintext = api_key_issue(organisation=organisation, name="Production scenario", by=partner)
    mediator = users.get(username=MEDIATOR[0])
    TOTPDevice.objects.filter(user=mediator).delete()
    device = TOTPDevice.objects.create(user=mediator, name="Production scenario", confirmed=True)
    case = ClientCase.objects.order_by("pk").first()
    return plaintext, device.key, case.pk


def totp_now(hex_key: str) -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(hex_key), step=30, digits=6).token():06d}"


# The steps


MAIN_PAGES = [
    "/",
    "/aanbod/",
    "/aanbod/?q=zwemmen",
    "/aanbod/?q=voetbal&max_cost=5",
    "/zoeken/?q=visienota",
    "/visienota/",
    "/en/visienota/",
    "/fr/visienota/",
    "/expertise/",
    "/nieuws/",
    "/partners/",
    "/toegankelijkheid/",
    "/contact/",
    "/aanmelden/",
    "/api/v1/search/offers?q=zwemmen",
    "/api/v1/offers/",
    "/api/v1/schema/",
    "/api/v1/docs/",
    "/admin/login/",
]


def public_pages(session: requests.Session) -> None:
    step("public pages and search")
    for path in MAIN_PAGES:
        fetch(session, "GET", path)
    hits = fetch(session, "GET", "/api/v1/search/offers?q=sport")[0].json()
    for hit in hits.get("results", hits.get("hits", []))[:3]:
        if hit.get("url"):
            fetch(session, "GET", hit["url"])
    organisation = fetch(session, "GET", "/partners/")[0].text
    for path in re.findall(r'href="(/partners/[^"/]+/)"', organisation)[:2]:
        fetch(session, "GET", path)


# The demo's networks: each on its own host (the default site also answers 127.0.0.1), with its home page's title.
NETWORK_HOSTS = {
    "antwerpen.localhost": ("Antwerpen", "Vrije tijd voor iedereen in Antwerpen"),
    "gent.localhost": ("Gent", "Vrije tijd voor iedereen in Gent"),
    "wervik.localhost": ("Wervik", "Vrije tijd voor iedereen in Wervik en Geluwe"),
    "meetjesland.localhost": ("Meetjesland", "Vrije tijd voor iedereen in het Meetjesland"),
}

# A partner of Gent and Meetjesland, with an offer in Eeklo that it also offers to Gent.
SHARED_PARTNER = "CAW Oost-Vlaanderen (demo)"


def network_sites(session: requests.Session) -> None:
    """Every network answers on its host with its own home page, and its search keeps to its own offers."""
    step("each network's own site: its home page, vision note and catalogue")
    totals, shared = {}, {}
    for host, (name, title) in NETWORK_HOSTS.items():
        headers = {"Host": f"{host}:{PORT}"}
        home = fetch(session, "GET", "/", headers=dict(headers))[0].text
        if title not in home:
            fail(f"{host}: the home page does not say {title!r}")
        vision = re.search(r'href="(?:https?://[^/"]+)?(/[^"]*visie[^"]*/)"', home)
        if vision is None:
            fail(f"{host}: the home page links no vision note")
        else:
            fetch(session, "GET", vision.group(1), headers=dict(headers))
        search = fetch(session, "GET", "/aanbod/", headers={**headers, "Accept-Language": "en"})[0].text
        if f"Searching the offers of: {name}." not in search:
            fail(f"{host}: the search page does not search {name}'s offers")
        found = fetch(session, "GET", "/api/v1/search/offers?page_size=100", headers=dict(headers))[0].json()
        totals[name] = found["total"]
        shared[name] = {hit["id"] for hit in found["hits"] if hit["organisation"] == SHARED_PARTNER}
    if not shared["Gent"] & shared["Meetjesland"]:
        fail(f"{SHARED_PARTNER}'s regional offer should be in both Gent's and Meetjesland's search: {shared}")
    everything = fetch(session, "GET", "/api/v1/search/offers?network=all")[0].json()["total"]
    print(f"  offers per network: {totals}; every network: {everything}", flush=True)
    if not all(totals.values()) or max(totals.values()) >= everything:
        fail(f"each network should find some offers and fewer than every network's {everything}: {totals}")


def offer_body(title: str, external_id: str) -> dict:
    return {
        "external_id": external_id,
        "title": title,
        "domain": "sport",
        "plain_summary": "Je speelt samen in een kleine groep; niemand hoeft het al te kunnen.",
        "list_price": "3.00",
        "street_address": "Kielpark 1",
        "postal_code": "2020",
        "latitude": 51.1925,
        "longitude": 4.3953,
        "referral_contact_name": "Els",
        "referral_contact_email": "els@example.test",
        "time_slots": [{"weekday": 2, "start_time": "14:00", "end_time": "16:00"}],
    }


def publish(key: str, title: str, external_id: str) -> tuple[int, float]:
    session = requests.Session()
    session.headers.update({"Authorization": f"Api-Key {key}", "X-Forwarded-Proto": "https", "Accept-Language": "en"})
    response, elapsed = fetch(session, "POST", "/api/v1/offers/", expect=(201,), json=offer_body(title, external_id))
    return (response.json().get("id") if response.status_code == 201 else None), elapsed


def publish_several(key: str, label: str, count: int) -> list[int]:
    step(f"{count} offers published through the API with a key, three at a time ({label})")
    with ThreadPoolExecutor(max_workers=3) as pool:
        results = list(
            pool.map(
                lambda n: publish(key, f"Balspel in het Kielpark {label} {n}", f"scenario-{RUN}-{label}-{n}"),
                range(count),
            )
        )
    latencies = [elapsed for _pk, elapsed in results]
    timings[label] = latencies
    print(
        f"  publish latency ({label}): p50 {statistics.median(latencies) * 1000:.0f} ms, "
        f"max {max(latencies) * 1000:.0f} ms"
    )
    if max(latencies) > PUBLISH_LIMIT_S:
        fail(f"a publish took {max(latencies):.1f} s with {label} (limit {PUBLISH_LIMIT_S} s)")
    if len(timings) > 1:
        baseline = statistics.median(next(iter(timings.values())))
        if statistics.median(latencies) > 2 * baseline + HANGING_MARGIN_S:
            fail(f"publishing with {label} takes {statistics.median(latencies):.1f} s, against {baseline:.1f} s")
    return [pk for pk, _elapsed in results if pk]


def spreadsheet_rows(count: int) -> list[dict]:
    """Offers at real places: a point inside each of the network's neighbourhoods, from the shared open data."""
    from shapely.geometry import shape

    source = next(path for path in SHARED_DATA_CANDIDATES if (path / "antwerpen-wijken.geojson").exists())
    features = json.loads((source / "antwerpen-wijken.geojson").read_text())["features"]
    places = [
        (feature["properties"]["wijknaam"].strip(), shape(feature["geometry"]).representative_point())
        for feature in features
        if feature["properties"].get("wijkcode") and feature["properties"]["wijknaam"].strip() != "Schelde"
    ]
    rng = random.Random(2026)
    rows = []
    for number in range(1, count + 1):
        name, point = places[number % len(places)]
        rows.append(
            {
                "extern_id": f"SCENARIO-{RUN}-{number:05d}",
                "titel": f"Buurtatelier {name} {number}",
                "domein": rng.choice(["sport", "cultuur", "jeugd"]),
                "samenvatting": f"Samen iets maken in {name}; je hoeft niets mee te brengen.",
                "prijs": f"{rng.choice([0, 2, 5, 8])},00",
                "prijs_per": "beurt",
                "straat": "Buurtplein 1",
                "postcode": "2000",
                "breedtegraad": f"{point.y:.6f}".replace(".", ","),
                "lengtegraad": f"{point.x:.6f}".replace(".", ","),
                "momenten": rng.choice(["wo 14:00-16:00", "za 10:00-12:00", "ma 18:00-20:00"]),
                "contact_naam": "Els",
                "contact_email": "els@example.test",
            }
        )
    return rows


def spreadsheet_import(session: requests.Session) -> set[str]:
    step(f"a spreadsheet of {IMPORT_ROWS} rows uploaded, previewed and applied in the admin")
    from catalogue.importing.rows import COLUMN_NAMES

    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMN_NAMES)
    rows = spreadsheet_rows(IMPORT_ROWS)
    for row in rows:
        writer.writerow(row.get(name, "") for name in COLUMN_NAMES)
    content = buffer.getvalue().encode("utf-8-sig")
    form, _ = fetch(session, "GET", "/admin/catalogue/import/")
    # Asked as a choice, or named and carried in a hidden field when the uploader imports for one organisation.
    organisation = re.search(r'<option value="(\d+)"[^>]*>', form.text) or re.search(
        r'<input type="hidden" name="organisation" value="(\d+)"', form.text
    )
    if organisation is None:
        fail("the import form offers no organisation")
        return set()
    began = time.perf_counter()
    upload, _ = fetch(
        session,
        "POST",
        "/admin/catalogue/import/",
        expect=(302,),
        data={"csrfmiddlewaretoken": csrf_token(session, form.text), "organisation": organisation.group(1)},
        files={"file": ("aanbod.csv", content, "text/csv")},
    )
    preview = import_job_finished(session, local(upload.headers["Location"]), "preview")
    if preview is None:
        return set()
    job = re.search(r'action="(/admin/catalogue/import/jobs/\d+/apply/)"', preview.text)
    if job is None:
        fail("the finished preview offers no way to apply it")
        return set()
    applied, _ = fetch(
        session, "POST", job.group(1), expect=(302,), data={"csrfmiddlewaretoken": csrf_token(session, preview.text)}
    )
    if import_job_finished(session, local(applied.headers["Location"]), "apply") is None:
        return set()
    print(f"  import of {IMPORT_ROWS} rows: {time.perf_counter() - began:.1f} s from upload to report")
    return {row["extern_id"] for row in rows}


def import_job_finished(session: requests.Session, path: str, what: str) -> requests.Response | None:
    """Follow the job's page as the uploader's browser does (it reloads itself) until the worker is done."""
    from catalogue.models import ImportJob, ImportStatus

    job_id = int(re.search(r"/jobs/(\d+)/", path).group(1))
    deadline = time.monotonic() + IMPORT_JOB_TIMEOUT
    while time.monotonic() < deadline:
        # The status is read before the page, so the page returned was drawn after the job had finished.
        job = ImportJob.objects.get(pk=job_id)
        page, _ = fetch(session, "GET", path)
        if job.status == ImportStatus.DONE:
            print(f"  {what}: {job.total} rows in {(job.finished_at - job.created_at).total_seconds():.1f} s")
            return page
        if job.status == ImportStatus.FAILED:
            fail(f"the import {what} failed: {job.error or job.problems}")
            return None
        time.sleep(2)
    fail(f"the import {what} did not finish within {IMPORT_JOB_TIMEOUT} s ({job.done} of {job.total})")
    return None


def open_data(session: requests.Session) -> None:
    step("open-data feeds read to the end")
    from catalogue.feeds import open_data_offers
    from catalogue.models import OfferPage
    from catalogue.openactive import offer_opportunity
    from search.indexer import published_offers

    # An import's offers enter the change feed (RPDE) through the worker, once per batch after it commits:
    # the feed is read once the worker has caught up, as a consumer polling it would find it.
    wait_for_the_queue()
    live = published_offers().count()
    # 127.0.0.1 is Antwerp's site, whose feeds hold Antwerp's offers; the whole installation's are asked for.
    response = session.get(
        BASE + "/open-data/offers.csv?network=all", headers={"X-Forwarded-Proto": "https"}, timeout=120
    )
    if response.status_code != 200:
        fail(f"offers.csv: {response.status_code}")
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    if not text.endswith("\r\n") or len(lines) - 1 != live:
        fail(f"offers.csv holds {len(lines) - 1} rows for {live} published offers (complete: {text.endswith(chr(10))})")
    events, url = 0, BASE + "/open-data/offers.jsonld?network=all"
    while url:
        page, _ = fetch(session, "GET", url)
        events += len(page.json().get("dataFeedElement", []))
        url = local(page.links["next"]["url"]) if "next" in page.links else ""
    if events != live:
        fail(f"offers.jsonld lists {events} offers for {live} published offers")
    items, url = set(), BASE + "/open-data/rpde/offers?network=all"
    for _ in range(1000):
        page = fetch(session, "GET", url)[0].json()
        items |= {item["id"] for item in page["items"] if item.get("state") == "updated"}
        if not page["items"]:
            break
        url = local(page["next"])
    # The change feed is OpenActive's: it carries the offers that are activity opportunities.
    opportunities = sum(1 for offer in open_data_offers() if offer_opportunity(offer) is not None)
    if len(items) < opportunities:
        fail(f"the RPDE feed lists {len(items)} live offers for {opportunities} live activity opportunities")
    print(
        f"  {live} published offers: CSV and JSON-LD complete, RPDE has all {opportunities} activity opportunities "
        f"({OfferPage.objects.count()} offers in all)"
    )


def mediator_opens_a_case(session: requests.Session, totp_key: str, case_pk: int) -> None:
    step("a mediator signs in with the second factor, opens a case and refers the client")
    sign_in(session, *MEDIATOR)
    redirected, _ = fetch(session, "GET", f"/bemiddeling/dossiers/{case_pk}/", expect=(302,))
    target = local(redirected.headers.get("Location", ""))
    page, _ = fetch(session, "GET", target)
    data = {"csrfmiddlewaretoken": csrf_token(session, page.text), "token": totp_now(totp_key)}
    data["next"] = f"/bemiddeling/dossiers/{case_pk}/"
    verified, _ = fetch(session, "POST", target, expect=(302,), data=data)
    case, _ = fetch(session, "GET", local(verified.headers.get("Location", f"/bemiddeling/dossiers/{case_pk}/")))
    if "no-store" not in case.headers.get("Cache-Control", ""):
        fail("the case page may be cached")
    fetch(session, "GET", "/bemiddeling/zoeken/?q=zwemmen")
    fetch(session, "GET", "/bemiddeling/agenda/")
    offer = re.search(rf'href="(/bemiddeling/dossiers/{case_pk}/doorverwijzen/\d+/)"', case.text)
    if offer is None:
        print("  (no offer on the case's shortlist to refer to)")
        return
    form, _ = fetch(session, "GET", offer.group(1))
    referral = {
        "csrfmiddlewaretoken": csrf_token(session, form.text),
        "consent": "on",
        "contact_arrangement": "client_comes",
        "first_visit_wishes": "Liefst op woensdag",
    }
    fetch(session, "POST", offer.group(1), expect=(302,), data=referral)


def check_writes(published: list[int], imported: set[str], *, phase: str) -> None:
    step(f"every write is in the database and the search index ({phase})")
    wait_for_the_queue()
    from catalogue.models import OfferPage
    from search.indexer import published_offers
    from search.models import OfferDocument

    live = set(published_offers().values_list("pk", flat=True))
    indexed = set(OfferDocument.objects.values_list("offer_id", flat=True))
    if missing := set(published) - live:
        fail(f"published through the API but not live: {sorted(missing)}")
    found = set(OfferPage.objects.filter(external_id__in=imported).live().values_list("external_id", flat=True))
    if imported and found != imported:
        fail(f"{len(imported - found)} imported rows are not live offers")
    if live != indexed:
        fail(f"search index differs from the live offers: {len(live - indexed)} missing, {len(indexed - live)} extra")
    print(f"  {len(live)} live offers, {len(indexed)} in the search index")


def reconciliation_puts_back_a_removed_document(published: list[int]) -> None:
    step("a document removed behind the portal's back is put back by the worker's reconciliation")
    from search.models import OfferDocument

    target = published[0]
    OfferDocument.objects.filter(offer_id=target).delete()
    interval = int(os.environ.get("SEARCH_RECONCILE_INTERVAL", "600"))
    deadline = time.monotonic() + interval * 3 + 120
    while time.monotonic() < deadline:
        if OfferDocument.objects.filter(offer_id=target).exists():
            print(f"  back after {interval * 3 + 120 - (deadline - time.monotonic()):.0f} s")
            return
        time.sleep(1)
    fail(f"offer {target} is still missing from the index after {interval * 3 + 120} s")


def search_answers(session: requests.Session, title: str) -> None:
    response, elapsed = fetch(session, "GET", "/aanbod/", params={"q": title})
    api, _ = fetch(session, "GET", "/api/v1/search/offers", params={"q": "Kielpark"})
    print(f"  public search answered in {elapsed * 1000:.0f} ms; API engine: {api.json().get('engine')}")


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    environment = dict(os.environ)
    import django

    django.setup()
    key, totp_key, case_pk = setup()
    started = time.monotonic()

    stack = Stack("plain", environment)
    try:
        stack.start()
        public_pages(browser())
        network_sites(browser())
        published = publish_several(key, "no Elasticsearch", 6)
        partner = browser()
        sign_in(partner, *PARTNER)
        imported = spreadsheet_import(partner)
        open_data(browser())
        mediator_opens_a_case(browser(), totp_key, case_pk)
        check_writes(published, imported, phase="no Elasticsearch")
        if published:
            reconciliation_puts_back_a_removed_document(published)
        check_writes(published, imported, phase="after the reconciliation")
    finally:
        stack.stop()
    stack.check_logs()

    hanging = HangingServer()
    step(f"again with ELASTICSEARCH_URL at 127.0.0.1:{hanging.port}, which accepts and never answers")
    stack = Stack("hanging", {**environment, "ELASTICSEARCH_URL": f"http://127.0.0.1:{hanging.port}"})
    try:
        stack.start()
        published_hanging = publish_several(key, "Elasticsearch hanging", 6)
        search_answers(browser(), "Balspel")
        for path in ["/", "/aanbod/?q=zwemmen", "/api/v1/search/offers?q=sport"]:
            fetch(browser(), "GET", path)
        check_writes(published_hanging, set(), phase="Elasticsearch hanging")
    finally:
        stack.stop()
        hanging.close()
    stack.check_logs()

    print(f"scenario: {time.monotonic() - started:.0f} s; logs in {WORK}")
    if failures:
        print(f"{len(failures)} failed: " + "; ".join(line.splitlines()[0] for line in failures))
        raise SystemExit(1)
    print("production scenario: every step passed")


if __name__ == "__main__":
    main()
