"""In a real browser: an upload in which no table is found is refused, then read by saying where its
table is in the rescue panel (a role picked per column in the grid), and the sample gives way to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.grid import pick_option
from tests.e2e.test_dashboard import settle

pytestmark = pytest.mark.e2e


def pick_role(page, grid, row: int, role: str) -> None:
    """Give the ``row``-th column of the rescue grid ``role`` (its Role cell is the grid's third)."""
    pick_option(page, grid, 2, row, role)
    settle(page)


def test_a_refused_upload_is_rescued_in_the_page(page, tmp_path):
    path = tmp_path / "team plan.csv"
    path.write_text("Platform maturity, spring 2026\n\nTeam,Area,Before,Later\nPayments,Build & Deploy,2,4\n"
                    "Lending,Test & Verification,1,3\n", encoding="utf-8")
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    settle(page)
    alert = page.locator('[data-testid="stAlertContentError"]')
    expect(alert).to_contain_text("team plan.csv cannot be used")
    expect(page.get_by_text("Still showing the sample below until this file can be read.")).to_be_visible()
    panel = page.locator('[data-testid="stExpander"]').filter(has_text="Read team plan.csv anyway")
    grid = panel.locator('[data-testid="stDataFrame"]')
    expect(grid.locator("#glide-cell-1-2")).to_have_text("Before")
    pick_role(page, grid, 2, "current")
    pick_role(page, grid, 3, "target")
    expect(grid.locator("#glide-cell-2-3")).to_have_text("target")
    panel.get_by_role("button", name="Read this sheet").click()
    settle(page)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("Your file: team plan.csv")).to_be_visible()
    expect(alert).to_have_count(0)
    page.wait_for_selector(".js-plotly-plot")
    units = page.locator('[data-testid="stMetric"]').first
    expect(units).to_contain_text("2")
