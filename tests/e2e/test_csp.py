"""The security headers docs/deployment.md tells the proxy to add, applied in chromium as the proxy would:
the dashboard still loads, uploads, switches pages and downloads, and the browser reports no violation."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import streamlit
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE, ROOT
from tests.e2e.test_dashboard import download, go_to, settle, traces

pytestmark = pytest.mark.e2e

DEPLOYMENT = ROOT / "docs" / "deployment.md"
# Each violation, reported or enforced, lands here with the directive and what was blocked.
REPORT_VIOLATIONS = """document.addEventListener('securitypolicyviolation', event => {
    (window.violations = window.violations || []).push(
        {directive: event.violatedDirective, blocked: event.blockedURI, sample: event.sample});
});"""


def documented_headers() -> dict[str, str]:
    """The ``add_header NAME "VALUE" always;`` lines of docs/deployment.md."""
    headers = dict(re.findall(r'^\s*add_header ([\w-]+) "([^"]*)" always;$', DEPLOYMENT.read_text(), re.MULTILINE))
    assert {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
            "Permissions-Policy", "Strict-Transport-Security"} <= set(headers)
    return headers


def test_the_documented_policy_allows_streamlits_inline_script():
    """Streamlit's index.html has one inline script; its hash must be in script-src (and is, for this version)."""
    index = (Path(streamlit.__file__).parent / "static" / "index.html").read_text()
    policy = documented_headers()["Content-Security-Policy"]
    for script in re.findall(r"<script>(.*?)</script>", index, re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy, (
            f"Streamlit {streamlit.__version__}'s inline script changed: put 'sha256-{digest}' in docs/deployment.md")


@dataclass
class Proxied:
    page: object
    console: list[str] = field(default_factory=list)


@pytest.fixture
def behind_proxy(server, browser) -> Proxied:
    """A session whose pages arrive with the documented headers, as from the proxy."""
    yield from _proxied(server, browser)


def _proxied(server: str, browser):
    """A browser context whose documents from ``server`` arrive with the documented headers (an identity
    provider's pages, from another origin, keep their own, as behind a real proxy)."""
    headers = documented_headers()
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    # A response Playwright fulfils has no address of its own, so Chromium's local-network check would
    # stop its WebSocket to 127.0.0.1; a proxy's real response has none of that.
    context.grant_permissions(["local-network-access"], origin=server)
    context.add_init_script(REPORT_VIOLATIONS)

    def add_headers(route) -> None:
        if route.request.resource_type != "document" or not route.request.url.startswith(server):
            route.continue_()
            return
        response = route.fetch(max_redirects=0)  # a redirect (to sign in, say) goes to the browser, as sent
        passed = {name: value for name, value in response.headers.items()
                  if name.lower() not in ("content-encoding", "content-length")}  # the body comes decoded
        route.fulfill(response=response, headers={**passed, **headers})

    context.route("**/*", add_headers)
    proxied = Proxied(context.new_page())
    proxied.page.set_default_timeout(30_000)
    proxied.page.on("console", lambda message: proxied.console.append(message.text))
    yield proxied
    context.close()


def test_the_dashboard_works_under_the_documented_headers(server, behind_proxy, make_csv):
    page = behind_proxy.page
    response = page.goto(server)
    assert response.headers["content-security-policy"] == documented_headers()["Content-Security-Policy"]
    page.wait_for_selector(IDLE)
    page.wait_for_selector(".js-plotly-plot")
    assert [t["name"] for t in traces(page)] == ["Current", "Target"]  # styled, scripted, charted

    upload = make_csv([["Unit", "Dimension", "Practice", "Current", "Target"],
                       ["Echo Unit", "Build & Deploy", "Scripted builds", 2, 4],
                       ["Echo Unit", "Test & Verification", "Automatic unit tests", 1, 3]], name="echo.csv")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
    settle(page)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Your file: echo.csv")).to_be_visible()
    for title in ("Compare units", "Practice areas", "Roadmap", "Rubric", "Overview"):
        go_to(page, title)
        assert page.locator('[data-testid="stException"]').count() == 0
    assert {row["unit"] for row in download(page, "Download normalized CSV")} == {"Echo Unit"}

    violations = page.evaluate("window.violations || []")
    assert violations == []
    complaint = re.compile(r"Content Security Policy|Refused to|Permissions-Policy")
    assert [text for text in behind_proxy.console if complaint.search(text)] == []


def test_sign_in_works_under_the_documented_headers(signin_server, browser):
    """Signed in through a real provider (tests/e2e/oidc.py), the dashboard keeps every header and breaks
    no directive: the sign-in page, the way back from the provider, the pages and the snapshots."""
    from tests.e2e.oidc import ALICE
    from tests.e2e.test_signin import open_panel

    proxied = next(_proxied(signin_server.url, browser))
    page = proxied.page
    response = page.goto(signin_server.url)
    assert response.headers["content-security-policy"] == documented_headers()["Content-Security-Policy"]
    page.wait_for_selector(IDLE)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.get_by_role("button", name=ALICE, exact=True).click()
    page.wait_for_url(re.compile(re.escape(signin_server.url) + r"/?(\?.*)?$"))
    page.wait_for_selector(IDLE)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(ALICE)).to_be_visible()
    page.wait_for_selector(".js-plotly-plot")
    open_panel(page)
    page.get_by_role("button", name="Open this snapshot").click()
    expect(page.get_by_text(re.compile(r"Opened snapshot \d+: Q1 acme"))).to_be_visible()
    for title in ("History", "Compare snapshots", "Overview"):
        go_to(page, title)
        assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate("window.violations || []") == []
    complaint = re.compile(r"Content Security Policy|Refused to|Permissions-Policy")
    assert [text for text in proxied.console if complaint.search(text)] == []
    page.context.close()
