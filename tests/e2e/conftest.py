"""End-to-end fixtures: the dashboard served by ``streamlit run`` and Debian's chromium driven by Playwright.

Each pytest-xdist worker that runs a browser test starts its own server on its own free port. Without
/usr/bin/chromium the browser tests are skipped, except under CI (``CI=true``) where they fail instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.processes import free_port, running

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
SERVER_LOGS: dict[str, Path] = {}  # the log of each running server, by its URL


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (make browser) to run the browser tests"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@contextlib.contextmanager
def serve(port: int | None = None, timeout: float = 60, script: str | os.PathLike = "app.py",
          env: dict[str, str] | None = None, options: tuple[str, ...] = ()) -> Iterator[str]:
    """Run ``streamlit run app.py`` (or another ``script``, as bench/bench_browser.py does) on a free local
    port until the block ends, with ``env`` added to the environment and ``options`` to the command line
    (a sign-in deployment's secrets file, say); yields its base URL."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1", "--server.fileWatcherType", "none",
               "--browser.gatherUsageStats", "false", *options]
    with running(command, f"{url}/_stcore/health", "streamlit", timeout, cwd=ROOT, env=env) as log:
        SERVER_LOGS[url] = log
        try:
            yield url
        finally:
            SERVER_LOGS.pop(url, None)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    """A failed browser test shows the end of its server's log (a traceback, a warning) next to its own."""
    report = yield
    arguments = getattr(item, "funcargs", {})
    url = arguments.get("server")
    if url is None and hasattr(arguments.get("signin_server"), "url"):
        url = arguments["signin_server"].url
    if report.failed and isinstance(url, str) and url in SERVER_LOGS:
        lines = SERVER_LOGS[url].read_text(encoding="utf-8", errors="replace").splitlines()
        report.sections.append(("streamlit server log (last 80 lines)", "\n".join(lines[-80:])))
    return report


@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    _require_chromium()
    with serve() as url:
        yield url


@pytest.fixture(scope="session")
def oidc_issuer() -> Iterator[str]:
    """A real OpenID Connect provider for the session (tests/e2e/oidc.py): its issuer URL."""
    _require_chromium()
    from tests.e2e.oidc import provider

    with provider() as issuer:
        yield issuer


@pytest.fixture(scope="session")
def signin_server(oidc_issuer, tmp_path_factory):
    """The dashboard as a shared deployment with sign-in (tests/e2e/oidc.py's Deployment), serving."""
    from tests.e2e.oidc import deployment

    configured = deployment(oidc_issuer, tmp_path_factory.mktemp("signin"))
    with serve(configured.port, env=configured.env, options=configured.options):
        yield configured


@pytest.fixture
def page(server, browser):
    """A fresh browser session (its own Streamlit session) on the landing page, 1400×900."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(server)
    page.wait_for_selector(IDLE)
    page.wait_for_selector(".js-plotly-plot")
    yield page
    context.close()
