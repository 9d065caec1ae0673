"""The steering pack's content (maturity.report.build_pack): where the organisation and the as-of date
come from, the scope, the charts' titles, a 500-unit organisation, and what moved since a snapshot."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

from maturity import GapmapError, assess, read_workbook
from maturity.asof import AsOf
from maturity.errors import ReportError
from maturity.report import PHASE_ROWS, TOP_UNITS, build_pack

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "bench"))

from organisation import organisation  # noqa: E402  (bench/ is not a package)

HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Owner"]
TODAY = date(2027, 1, 15)


def _rows(units=("Payments", "Lending")):
    return [[unit, "Build & Deploy", "Automated tag & versioning", 1, 3, f"{unit} lead"] for unit in units] + [
        [unit, "Test & Verification", "Automatic unit tests", 2, 4, None] for unit in units]


@pytest.fixture
def titled(make_xlsx):
    """A workbook whose title block names the organisation and the date."""
    path = make_xlsx({"Assessment": [["Organization:", "Acme Brick Co"], ["Assessed: 2026-03-31"], [], HEADER,
                                     *_rows()]}, name="acme_cd.xlsx")
    return assess(path), read_workbook(path)


@pytest.fixture
def untitled(make_xlsx):
    path = make_xlsx({"Assessment": [HEADER, *_rows()]}, name="plain_book.xlsx")
    return assess(path), read_workbook(path)


def test_the_organisation_given_beats_the_workbook_which_beats_the_file_name(titled, untitled):
    assessment, workbook = titled
    given = build_pack(assessment, org="  Acme   Group ", workbook=workbook, today=TODAY)
    assert (given.organisation.value, given.organisation.source) == ("Acme Group", "as given")
    read = build_pack(assessment, workbook=workbook, today=TODAY)
    assert (read.organisation.value, read.organisation.source) == ("Acme Brick Co",
                                                                  "read from cell B1 of sheet 'Assessment'")
    named = build_pack(untitled[0], workbook=untitled[1], today=TODAY)
    assert named.organisation.value == "plain_book"
    assert named.organisation.source.startswith("the file's name")


def test_the_as_of_date_given_beats_the_workbook_which_beats_today(titled, untitled):
    assessment, workbook = titled
    given = build_pack(assessment, as_of="2026-06", workbook=workbook, today=TODAY)
    assert (given.as_of.value, given.as_of.source, given.as_of_date) == ("2026-06", "as given",
                                                                        AsOf(date(2026, 6, 1), "month"))
    assert build_pack(assessment, as_of=date(2026, 5, 4), today=TODAY).as_of.value == "2026-05-04"
    read = build_pack(assessment, workbook=workbook, today=TODAY)
    assert (read.as_of.value, read.as_of.source) == ("2026-03-31", "read from cell A2 of sheet 'Assessment'")
    assert build_pack(assessment, today=TODAY).as_of.value == "2027-01-15"  # the workbook not given: today
    stated = build_pack(untitled[0], workbook=untitled[1], today=TODAY).as_of
    assert (stated.value, stated.source) == ("2027-01-15", "today: the workbook states no date")


def test_an_as_of_that_is_no_date_is_refused_in_one_line(titled):
    with pytest.raises(ReportError, match=r"as-of date 'next week' is not a date: write it as YYYY-MM-DD") as error:
        build_pack(titled[0], as_of="next week")
    assert isinstance(error.value, GapmapError) and "\n" not in str(error.value)


def test_the_scope_is_the_units_given_in_the_files_order(titled):
    assessment = titled[0]
    pack = build_pack(assessment, units=["lending"], today=TODAY)  # read as the unit 'Lending'
    assert (pack.units, pack.scope, pack.total_units) == (("Lending",), "1 of 2 units: Lending", 2)
    assert set(pack.phase.frame["Unit"]) == {"Lending"}
    assert list(pack.unit_figures.frame["Unit"]) == ["Lending"]
    assert build_pack(assessment, units=["Lending", "Payments"], today=TODAY).scope == "All 2 units"
    assert build_pack(assessment, today=TODAY).units == ("Payments", "Lending")


def test_a_unit_not_in_the_assessment_is_refused_naming_the_units(titled):
    with pytest.raises(ReportError, match=r"unit 'Retail' is not in the assessment; its units: 'Payments', "
                                          r"'Lending'"):
        build_pack(titled[0], units=["Retail"])


def test_every_chart_has_its_title_the_scope_and_the_date_in_it(sample_xlsx):
    pack = build_pack(assess(sample_xlsx), units=["Payments", "Lending"], as_of="2026-09-30", org="Northwind")
    assert [c.title for c in pack.charts] == ["Current and target level by area", "Gap by unit and area",
                                             "Units ranked by gap"]
    for chart in pack.charts:
        title = chart.figure.layout.title
        assert chart.title in title.text
        assert title.subtitle.text == "Northwind · 2 of 6 units: Payments, Lending · as of 2026-09-30"
        chart.figure.to_dict()  # plotly's validation accepts what the pack changed


def test_the_sample_pack(sample_xlsx):
    pack = build_pack(assess(sample_xlsx), workbook=read_workbook(sample_xlsx), today=TODAY)
    assert (pack.organisation.value, pack.as_of.value, pack.scope) == ("sample_gap_analysis", "2026-09", "All 6 units")
    assert pack.model == "Continuous Delivery Maturity Model 2013"
    headline = dict(pack.headline)
    assert headline["Units"] == "6" and headline["Practices assessed"] == "105"
    assert headline["Roadmap steps"] == "121 in 3 phases; 28 in phase 1"
    phase = pack.phase.frame
    assert len(phase) == 28 and list(phase["Rank"]) == [str(r) for r in range(1, 29)]
    assert phase.loc[0, "Owner"] == "Risk Reporting Lead" and "Owners named" in pack.phase.note
    areas = pack.areas.frame.set_index("Area")
    assert areas.loc["Test & Verification", "Next level"] == "3 · Intermediate"
    assert "Automatic component test (isolated)" in areas.loc["Test & Verification", "Practices of that level"]
    reading = dict(pack.reading)
    assert (reading["Rows read"], reading["Rows with problems (not used)"]) == ("113", "8")
    problems = pack.problems.frame.set_index("Problem")
    assert problems.loc["summary row (Average) skipped", "Rows"] == "6"
    assert pack.moved is None


def test_a_large_organisation_is_ranked_top_n_and_its_heatmap_paged():
    pack = build_pack(organisation(500), today=TODAY)
    heatmaps = [c for c in pack.charts if c.title.startswith("Gap by unit and area")]
    assert len(heatmaps) == 500 // TOP_UNITS
    assert heatmaps[1].title == f"Gap by unit and area (2 of {500 // TOP_UNITS})"
    rows = [list(c.figure.data[0].y) for c in heatmaps]
    assert all(len(page) == TOP_UNITS for page in rows)
    assert sorted(u for page in rows for u in page) == [f"Unit {n:03d}" for n in range(500)]  # each once
    ranked = pack.charts[-1]
    assert ranked.title == f"The {TOP_UNITS} units with the largest gap"
    assert len(ranked.figure.data[0].y) == TOP_UNITS and "of 500 units" in ranked.note
    assert len(pack.phase.frame) == PHASE_ROWS and "are listed" in pack.phase.note
    assert len(pack.unit_figures.frame) == 500


@pytest.fixture
def store(tmp_path):
    from maturity.store import open_store

    return open_store(f"sqlite:///{tmp_path / 'gapmap.db'}")


def test_what_moved_since_the_latest_snapshot_before_the_as_of_date(store, make_xlsx):
    from maturity.store import Access, save_snapshot

    me = Access.operator_named()
    before = assess(make_xlsx({"Assessment": [HEADER, *_rows()]}, name="q1.xlsx"))
    save_snapshot(store, before, "Acme", "2026-03-31", "Q1 2026", access=me, workspace="default")
    rows = _rows()
    rows[0][3] = 2  # Payments climbed a level in Build & Deploy
    now = assess(make_xlsx({"Assessment": [HEADER, *rows]}, name="q2.xlsx"))
    save_snapshot(store, now, "Acme", "2026-06-30", "Q2 2026", access=me, workspace="default")  # not "previous"

    pack = build_pack(now, org="Acme", as_of="2026-06", store=store, access=me)
    assert pack.moved.title == "What moved since Q1 2026 (2026-03-31)"
    moved = pack.moved.frame
    assert moved.to_dict("records") == [{"Unit": "Payments", "Area": "Build & Deploy", "Current before": "1.0",
                                         "Current now": "2.0", "Change": "+1.0", "Status": "improved"}]
    assert "1 improved, 3 unchanged" in pack.moved.note
    assert build_pack(now, org="Acme", as_of="2026-03-31", store=store, access=me).moved is None  # nothing earlier
    assert build_pack(now, org="Other", as_of="2026-06", store=store, access=me).moved is None
    # Another workspace's member sees nothing earlier: no slide.
    outsider = Access.of("eve@globex.example", {"globex": "viewer"})
    assert build_pack(now, org="Acme", as_of="2026-06", store=store, access=outsider).moved is None
    assert build_pack(now, org="Acme", as_of="2026-06").moved is None  # no store: no slide
