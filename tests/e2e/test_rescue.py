"""In a real browser: an upload in which no table is found is refused, then read by saying where its
table is in the rescue panel (a role picked per column in the grid), and the sample gives way to it."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.test_dashboard import settle
from tests.e2e.test_sessions import _shows

pytestmark = pytest.mark.e2e


def pick_role(page, grid, row: int, role: str) -> None:
    """Give the ``row``-th column of the rescue grid ``role``, as a user does with the keyboard: select the
    row's first cell, move to its Role cell, open the drop-down, type the role and press Enter."""
    selected = grid.locator('[aria-selected="true"]')
    for _ in range(5):
        grid.scroll_into_view_if_needed()
        grid.click(position={"x": 20, "y": 35 + 17})  # the first row's first cell, under the 35 px header
        if _shows(selected, "glide-cell-0-0"):
            break
    for key, cell in [*(("ArrowDown", f"glide-cell-0-{r}") for r in range(1, row + 1)),
                      ("ArrowRight", f"glide-cell-1-{row}"), ("ArrowRight", f"glide-cell-2-{row}")]:
        for _ in range(5):
            page.keyboard.press(key)
            if _shows(selected, cell):
                break
    expect(selected).to_have_id(f"glide-cell-2-{row}")
    page.keyboard.press("Enter")
    expect(page.get_by_role("option", name=role, exact=True)).to_be_visible()
    page.keyboard.type(role)
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.get_by_role("listbox")).to_have_count(0)
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
