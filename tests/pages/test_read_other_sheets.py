""""How this file was read" on a file it read: a sheet it passed over can be read from a header row the
user gives, two of them read together as a current and a target sheet, and a pair's areas turned the
other way; a correction that cannot be made says why on the page."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import assert_ok, edit, upload

AREAS = ["Build & Deploy", "Test & Verification", "Information & Reporting"]


def _matrix(rows):
    return [["Northwind Mutual"], [], ["", *AREAS], *([label, *values] for label, values in rows.items())]


SHEETS = {
    "Plan": [["Unit", "Dimension", "Current", "Target"], ["Retail", "Build & Deploy", 1, 3]],
    "Team plan": [["Spring 2026"], [], ["Team", "Area", "Now", "Later"], ["Payments", "Build & Deploy", 2, 4],
                  ["Payments", "Test & Verification", 1, 3]],
    "Spring scores": _matrix({"Lending": [2, 1, 3], "Wealth": [3, 2, 2]}),
    # A unit more than 'Spring scores' has: their labels differ, so detection does not pair them.
    "Ambition": _matrix({"Lending": [4, 3, 4], "Wealth": [4, 4, 3], "Treasury": [3, 3, 3]}),
    "Read me": [["Filled in by each team lead"]],
}


@pytest.fixture
def book(make_xlsx) -> bytes:
    return make_xlsx(SHEETS, name="plan.xlsx").read_bytes()


def _summary(at: AppTest) -> str:
    return next(t.value for t in at.text if "rows normalized" in t.value)


def _read_sheet(at: AppTest, sheet: str, header: int) -> AppTest:
    at.selectbox(key=next(k for k in _keys(at) if k.endswith("_sheet") and k.startswith("other_"))).select(sheet)
    at.run()
    number = next(n for n in at.number_input if n.label == "Its header row")
    number.set_value(header)
    at.run()
    next(b for b in at.button if b.label == "Read this sheet" and b.key and b.key.startswith("other_")).click()
    return at.run()


def _keys(at: AppTest) -> list[str]:
    return [w.key for w in at.selectbox if w.key]


def _read_together(at: AppTest, current: str, target: str) -> AppTest:
    at.selectbox(key=next(k for k in _keys(at) if k.endswith("_current"))).select(current)
    at.run()
    at.selectbox(key=next(k for k in _keys(at) if k.endswith("_target"))).select(target)
    at.run()
    next(b for b in at.button if b.label == "Read them together").click()
    return at.run()


def test_a_passed_over_sheet_is_read_from_the_header_row_given_then_its_roles_set(app: AppTest, book: bytes):
    upload(app, "plan.xlsx", book)
    assert_ok(app)
    assert _summary(app).startswith("plan.xlsx: 1 rows normalized")
    _read_sheet(app, "Team plan", 3)
    assert_ok(app)
    tabs = [t.label for t in app.tabs]
    assert "Team plan" in tabs
    # The sheet is read; 'Later' says nothing, so it waits for its target column.
    assert any("This sheet is not read yet: no target level column" in w.value for w in app.warning)
    editor = next(i for i, d in enumerate(app.data_editor)
                  if "Header" in d.value and d.value["Header"].tolist() == ["Team", "Area", "Now", "Later"])
    edit(app, 3, "Role", "target", editor=editor)
    assert_ok(app)
    assert _summary(app).startswith("plan.xlsx: 3 rows normalized")


def test_two_passed_over_sheets_are_read_together_and_their_areas_turned(app: AppTest, book: bytes):
    upload(app, "plan.xlsx", book)
    at = _read_together(app, "Spring scores", "Ambition")
    assert_ok(at)
    assert _summary(at).startswith("plan.xlsx: 7 rows normalized")  # Plan's row and 2 units × 3 areas
    assert any("'Spring scores' (current levels) and 'Ambition' (target levels)" in t.value for t in at.text)
    assert not any("read together" in c.value for c in at.caption)  # the pair's evidence is said once, above
    assert app.metric[0].value == "3"  # Retail, Lending, Wealth
    next(b for b in at.button if b.label == "Read the areas down instead").click()
    at.run()
    assert_ok(at)
    # Turned the wrong way, the units' names are the areas: no built-in model names them, so the file is
    # read in its own model, and the panel says so and why (no silent filing under the CD model).
    assert any("areas down: as you said" in t.value for t in at.text)
    assert any("read in the file\\'s own model because" in m.value for m in at.markdown)
    assert app.metric[0].value == "4"  # Retail, and the three areas read as units
    next(b for b in at.button if b.label == "Undo my corrections").click()
    at.run()
    assert _summary(at).startswith("plan.xlsx: 1 rows normalized")
    assert not any("read together" in t.value for t in at.text)


def test_a_pair_that_is_no_matrix_is_refused_on_the_page(app: AppTest, book: bytes):
    upload(app, "plan.xlsx", book)
    at = _read_together(app, "Read me", "Ambition")
    assert [e.value for e in at.error] == ["--pair Read me=Ambition: sheet 'Read me' has no matrix of levels under a "
                                           "row of labels in its first 30 rows; a current sheet and a target sheet "
                                           "each hold a units × areas matrix under a row of labels"]
    assert _summary(at).startswith("plan.xlsx: 1 rows normalized")
