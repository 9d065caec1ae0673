"""Sign-in in chromium, against a real OpenID Connect provider (tests/e2e/oidc.py): two people in two
workspaces each see only their own workspace's snapshots, on every page and by every deep link; a viewer
cannot save; someone in no workspace is told to ask an administrator; signing out ends access."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import IDLE
from tests.e2e.oidc import ALICE, BOB, EVE
from tests.e2e.test_dashboard import go_to, settle
from tests.e2e.test_sessions import done_when
from tests.e2e.test_snapshots_browser import PANEL

pytestmark = pytest.mark.e2e


def sign_in(browser, deployment, email: str):
    """A new browser context signed in as ``email`` through the provider's own page; its page."""
    context = browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(deployment.url)
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("Sign in with your organisation's account")).to_be_visible()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0  # nothing of the dashboard before
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"))
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(re.compile(re.escape(deployment.url) + r"/?(\?.*)?$"))
    page.wait_for_selector(IDLE)
    return context, page


def open_panel(page) -> None:
    page.get_by_text(PANEL).click()
    done_when(page, page.get_by_text("Open a saved snapshot"))


def text_of(page) -> str:
    return page.locator('[data-testid="stApp"]').inner_text()


@pytest.mark.parametrize(("email", "mine", "theirs"), [(ALICE, "Acme Bank", "Globex Corp"),
                                                       (BOB, "Globex Corp", "Acme Bank")])
def test_each_person_sees_only_their_workspaces_snapshots(signin_server, browser, email, mine, theirs):
    context, page = sign_in(browser, signin_server, email)
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_text(email)).to_be_visible()
    page.wait_for_selector(".js-plotly-plot")
    open_panel(page)
    page.get_by_role("button", name="Open this snapshot").click()
    done_when(page, page.get_by_text(re.compile(r"Opened snapshot \d+: Q1")))
    expect(sidebar.get_by_text(re.compile(f"Snapshot \\d+: {mine}"))).to_be_visible()
    assert theirs not in text_of(page)
    # The snapshot pickers list this workspace's organisation only.
    page.get_by_role("combobox", name="Organisation").click()
    expect(page.get_by_text("1 option available")).to_be_attached()  # the picker's menu: this one organisation
    assert theirs not in text_of(page)
    page.keyboard.press("Escape")
    for title in ("History", "Compare snapshots"):
        go_to(page, title)
        assert mine in text_of(page) and theirs not in text_of(page)
    # Deep links, typed into the address bar (a new session of the same signed-in browser), show no more.
    for path in ("history", "snapshots", ""):
        page.goto(f"{signin_server.url}/{path}")
        page.wait_for_selector(IDLE)
        settle(page)
        expect(sidebar.get_by_text(email)).to_be_visible()
        assert theirs not in text_of(page)
    context.close()


def test_a_viewer_cannot_save(signin_server, browser):
    context, page = sign_in(browser, signin_server, BOB)
    page.wait_for_selector(".js-plotly-plot")
    open_panel(page)
    form = page.locator('[data-testid="stForm"]')
    form.get_by_role("textbox", name="Organisation").fill("Globex Corp")
    form.get_by_role("textbox", name="Label").fill("Q2 by a viewer")
    form.get_by_role("button", name="Save as snapshot").click()
    done_when(page, page.get_by_text(re.compile("Not saved: not allowed: bob@globex.example is viewer in workspace")))
    go_to(page, "History")
    assert "Q2 by a viewer" not in text_of(page)
    context.close()


def test_someone_in_no_workspace_is_told_to_ask_an_administrator(signin_server, browser):
    context, page = sign_in(browser, signin_server, EVE)
    expect(page.get_by_text("you are not a member of any workspace. Ask your administrator")).to_be_visible()
    assert page.locator('[data-testid="stSidebarNav"]').count() == 0
    assert page.locator(".js-plotly-plot").count() == 0
    for path in ("history", "snapshots", "roadmap"):
        page.goto(f"{signin_server.url}/{path}")
        page.wait_for_selector(IDLE)
        expect(page.get_by_text("Ask your administrator")).to_be_visible()
        assert "Acme Bank" not in text_of(page) and "Globex Corp" not in text_of(page)
    context.close()


def test_signing_out_ends_access(signin_server, browser):
    context, page = sign_in(browser, signin_server, ALICE)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text(ALICE)).to_be_visible()
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    # The provider is asked to end its own session too; it asks to confirm, then sends the browser back.
    page.wait_for_url(re.compile(r".*/oauth2/end_session.*"))
    page.get_by_role("button", name="End session").click()
    page.wait_for_url(re.compile(re.escape(signin_server.url) + ".*"))
    page.wait_for_selector(IDLE)
    expect(page.get_by_text("Sign in with your organisation's account")).to_be_visible()
    for path in ("history", "snapshots", ""):
        page.goto(f"{signin_server.url}/{path}")
        page.wait_for_selector(IDLE)
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
        assert "Acme Bank" not in text_of(page)
    context.close()
