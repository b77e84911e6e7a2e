"""Fixtures for the browser suite: a demo portal in its own runserver process and Debian's chromium.

The server runs the dev settings with DJANGO_DEBUG=false, so that the site's own 404 page is served
(not Django's debug page); ``runserver --insecure`` then still serves the static files. It uses a
fresh SQLite file in a temporary directory whatever DATABASE_URL the test run has, so these tests
never touch the database of the rest of the suite.
"""

import os
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
SETUP_TIMEOUT = 300
SERVER_START_TIMEOUT = 60


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(tmp_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_dir / 'browser.sqlite3'}",
        DJANGO_MEDIA_ROOT=str(tmp_dir),
        DJANGO_DEBUG="false",
        # The workspace's TOTP step cannot be passed by axe; its own pages are checked, signed in.
        WORKSPACE_REQUIRE_SECOND_FACTOR="false",
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    """Run one manage.py command to completion; fail the run with its output when it fails."""
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
def portal_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Migrate a fresh SQLite database, load the demo network and serve it; yield the base URL."""
    tmp_dir = tmp_path_factory.mktemp("browser")
    env = _server_env(tmp_dir)
    _manage(env, "migrate", "--noinput")
    _manage(env, "load_demo")

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
