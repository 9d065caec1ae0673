"""Scale-out as docs/deployment.md describes it: two dashboard processes on one PostgreSQL database. A
snapshot saved through one is listed and opened, with the same figures, through the other, in a real
browser; neither keeps snapshots of its own."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import _require_chromium, serve
from tests.e2e.test_snapshots_browser import figures, fresh_session, open_first_snapshot, save_in_panel

pytestmark = pytest.mark.e2e


def test_two_dashboards_on_one_postgresql_see_each_others_snapshots(pg_url, browser):
    _require_chromium()
    shared = {"GAPMAP_DATABASE_URL": pg_url, "GAPMAP_ALLOW_ANONYMOUS": "1"}  # no sign-in in this test
    with serve(env=shared) as first_url, serve(env=shared) as second_url:
        first, page = fresh_session(browser, first_url)
        sample = figures(page)
        save_in_panel(page, "Northwind Mutual Bank", "Q3 2026")
        first.close()

        second, page = fresh_session(browser, second_url)
        open_first_snapshot(page, "Q3 2026")
        assert figures(page) == sample
        second.close()
