"""The Delivery performance page in a real browser: reached from the sidebar, a metrics table uploaded,
its tiers shown in the table, the year switched, and the claimed-vs-observed scatter drawn."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
RUNNING = '[data-testid="stApp"][data-test-script-state="running"]'


def settle(page) -> None:
    """Wait until the app has reacted to the last action: its rerun started (unless already over) and ended."""
    with contextlib.suppress(PlaywrightError):
        page.wait_for_selector(RUNNING, timeout=1_000)
    page.wait_for_selector(IDLE)


def open_delivery(page) -> None:
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Delivery performance").click()
    expect(page.get_by_role("heading", name="Delivery performance", level=1)).to_be_visible()
    settle(page)


def tier_table(page):
    """The tiers table (the page's first) as the grid renders it for assistive technology."""
    return page.locator('[data-testid="stDataFrame"]').first.locator("table")


def tier_rows(page) -> dict[str, list[str]]:
    """The tiers table's rows: unit → the row's cells. Call it once the table shows what is awaited: a
    rerun replaces a stale table only when it reaches it."""
    grid = tier_table(page)
    rows = page.evaluate(
        """(table) => Array.from(table.querySelectorAll('tbody tr')).map(
               r => Array.from(r.querySelectorAll('td')).map(c => c.textContent))""",
        grid.element_handle())
    return {row[0]: row for row in rows}


@pytest.fixture
def metrics_csv(tmp_path: Path) -> Path:
    path = tmp_path / "team metrics.csv"
    path.write_text("Team,Deployment frequency,Lead time (days),Change failure rate,MTTR\n"
                    "Payments,every 2 months,90,40%,2 weeks\n"
                    "Lending,on demand,0.5,5%,30 min\n"
                    "Mobile Banking,2 per month,14,10%,5h\n", encoding="utf-8")
    return path


def test_upload_a_metrics_table_and_see_the_tiers(page, metrics_csv):
    open_delivery(page)
    expect(page.get_by_text("Sample metrics (fictional)")).to_be_visible()
    uploader = page.locator('[data-testid="stFileUploader"]').filter(has_text="Delivery metrics")
    uploader.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(metrics_csv))
    settle(page)
    expect(page.get_by_text("team metrics.csv: 3 rows of delivery metrics for 3 units")).to_be_visible()
    expect(tier_table(page)).to_contain_text("Mobile Banking")
    expect(tier_table(page)).not_to_contain_text("Core Platform")  # the sample's table is gone
    rows = tier_rows(page)
    assert set(rows) == {"Payments", "Lending", "Mobile Banking"}
    assert rows["Payments"][1] == "low" and rows["Lending"][1] == "elite" and rows["Mobile Banking"][1] == "medium"
    assert rows["Mobile Banking"][2] == "0"  # inside Medium's 2024 ranges on every metric
    expect(page.get_by_text("In the metrics only: Mobile Banking.")).to_be_visible()
    scatter = page.locator(".js-plotly-plot").filter(has_text="Self-assessed level")
    expect(scatter).to_be_visible()
    expect(scatter.locator("text", has_text="Payments").first).to_be_visible()

    page.get_by_role("radio", name="2023").click()
    settle(page)
    expect(page.get_by_text("Clusters of the Accelerate State of DevOps Report 2023")).to_be_visible()
    expect(tier_table(page).locator("tr", has_text="Mobile Banking")).to_contain_text("0.103")
    rows = tier_rows(page)
    # 2023's High has the 10% fail rate, so Medium is still nearest but no longer holds every metric.
    assert rows["Mobile Banking"][1:3] == ["medium", "0.103"]
    assert page.locator('[data-testid="stException"]').count() == 0
