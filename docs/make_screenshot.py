"""Capture the README screenshot and one of every page, on the bundled sample at 1400×900 in Debian's chromium.

    .venv/bin/python docs/make_screenshot.py            # docs/screenshot.png and docs/screenshots/*.png

Starts its own ``streamlit run app.py`` on a free local port, with a database of its own holding two
snapshots of the sample bank (an earlier quarter, one level lower on every other practice, and the
sample itself) so the History and Compare snapshots pages have something to show; stops it afterwards.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from openpyxl import load_workbook
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshot.png"
SAMPLE = ROOT / "data" / "sample_gap_analysis.xlsx"
# The pages in the sidebar's order: (link text, file name under docs/screenshots/).
PAGES = [("Overview", "overview"), ("Compare units", "compare_units"), ("Practice areas", "practice_areas"),
         ("Roadmap", "roadmap"), ("Rubric", "rubric"), ("History", "history"),
         ("Compare snapshots", "compare_snapshots"), ("Delivery performance", "delivery_performance")]
ORGANISATION = "Northwind Mutual Bank"
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
LEVELS = ["Base", "Beginner", "Intermediate", "Advanced", "Expert"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"streamlit exited with status {process.returncode}")
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"streamlit did not answer on {url} within {timeout:.0f}s")


def _earlier_quarter(path: Path) -> Path:
    """The sample as it might have stood a quarter before: every other practice one level lower."""
    book = load_workbook(SAMPLE)
    for sheet in book.worksheets[1:]:
        for position, row in enumerate(sheet.iter_rows(min_row=6)):
            cell = row[2]
            if position % 2 == 0 and cell.value in LEVELS[1:]:
                cell.value = LEVELS[LEVELS.index(cell.value) - 1]
    book.save(path)
    return path


def _seed(home: Path) -> None:
    """Two snapshots of the sample bank in ``home``'s database: Q2 (the earlier quarter) and Q3 (the sample)."""
    environment = {**os.environ, "GAPMAP_HOME": str(home)}
    environment.pop("GAPMAP_DATABASE_URL", None)
    for source, as_of, label in ((_earlier_quarter(home / "q2.xlsx"), "2026-06-30", "Q2 2026"),
                                 (SAMPLE, "2026-09-30", "Q3 2026")):
        subprocess.run([sys.executable, "-m", "maturity", "save", str(source), "--org", ORGANISATION,
                        "--as-of", as_of, "--label", label], cwd=ROOT, env=environment, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _shoot(page, path: Path) -> None:
    page.wait_for_selector(IDLE, timeout=60_000)
    page.wait_for_timeout(1_500)  # let fonts and the charts' transitions finish
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))


def main(out: Path = OUT) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    home = Path(tempfile.mkdtemp(prefix="gapmap-screens-"))
    _seed(home)
    environment = {**os.environ, "GAPMAP_HOME": str(home)}
    environment.pop("GAPMAP_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    written = []
    try:
        _wait_healthy(url, process)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector(IDLE, timeout=60_000)
            page.wait_for_function("document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2")
            _shoot(page, out)
            written.append(out)
            for title, name in PAGES:
                page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
                page.wait_for_timeout(500)  # the rerun the click starts
                _shoot(page, out.parent / "screenshots" / f"{name}.png")
                written.append(out.parent / "screenshots" / f"{name}.png")
            browser.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    for path in written:
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else OUT)
