"""Shared fixtures: the built-in rubric, the bundled sample, builders of small real files, and the
downloads the dashboard's pages offer."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from streamlit.runtime.media_file_manager import MediaFileManager

from maturity import Rubric, load_rubric

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def rubric() -> Rubric:
    return load_rubric("cdmm")


@pytest.fixture(scope="session")
def sample_xlsx() -> Path:
    return ROOT / "data" / "sample_gap_analysis.xlsx"


@pytest.fixture(scope="session")
def sample_csv() -> Path:
    return ROOT / "data" / "sample_gap_analysis.csv"


@pytest.fixture
def make_xlsx(tmp_path: Path) -> Callable[..., Path]:
    """Write a real .xlsx with openpyxl: ``{sheet: rows}``; ``merges`` maps sheet → ["A2:A4", ...]."""

    def build(
        sheets: dict[str, list[list]],
        name: str = "book.xlsx",
        merges: dict[str, list[str]] | None = None,
        hidden: tuple[str, ...] = (),
    ) -> Path:
        workbook = Workbook()
        workbook.remove(workbook.active)
        for title, rows in sheets.items():
            sheet = workbook.create_sheet(title)
            for row in rows:
                sheet.append(row)
            for cells in (merges or {}).get(title, []):
                sheet.merge_cells(cells)
            if title in hidden:
                sheet.sheet_state = "hidden"
        path = tmp_path / name
        workbook.save(path)
        return path

    return build


@pytest.fixture
def make_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write a CSV: ``rows`` with ``delimiter``, in ``encoding``."""

    def build(rows: list[list], name: str = "book.csv", delimiter: str = ",", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        with path.open("w", newline="", encoding=encoding) as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
        return path

    return build


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, Callable[[], bytes]]]:
    """(file name, data callable) of every download button the pages draw, as they register them."""
    offered: list[tuple[str, Callable[[], bytes]]] = []
    register = MediaFileManager.add_deferred

    def record(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        offered.append((file_name, data_callable))
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MediaFileManager, "add_deferred", record)
    return offered


@pytest.fixture(scope="session")
def browser():
    """One chromium per test process, for every test that drives a browser. Playwright's sync API runs
    an event loop for as long as it is open, so a second ``sync_playwright()`` in the same process (a
    test starting its own while this fixture's is open) fails: every browser test takes this one."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, _require_chromium

    _require_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
