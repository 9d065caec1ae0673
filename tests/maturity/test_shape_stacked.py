"""Stacked blocks: SAMM's Scorecard, one table repeated under 'Current Maturity Score', 'Phase 1 … Phase 4
Maturity Score' (reference §3.4), from our own workbooks written to that layout and from the real toolbox."""

from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from maturity import assess, assess_workbook, read_workbook
from maturity.reading import describe
from maturity.rubric import load_rubric
from maturity.shapes.stacked import find_stacked
from tests.maturity.test_samm_toolbox import V15, _real, roadmap_chart

FUNCTIONS_15 = {"Governance": ["Strategy & Metrics", "Policy & Compliance", "Education & Guidance"],
                "Construction": ["Threat Assessment", "Security Requirements", "Secure Architecture"],
                "Verification": ["Design Review", "Implementation Review", "Security Testing"],
                "Operations": ["Issue Management", "Environment Hardening", "Operational Enablement"]}
FUNCTIONS_20 = {"Governance": ["Strategy & Metrics", "Policy & Compliance", "Education & Guidance"],
                "Design": ["Threat Assessment", "Security Requirements", "Secure Architecture"],
                "Implementation": ["Secure Build", "Secure Deployment", "Defect Management"],
                "Verification": ["Architecture Assessment", "Requirements Testing", "Security Testing"],
                "Operations": ["Incident Management", "Environment Management", "Operational Management"]}
TITLES = ["Current Maturity Score", "Phase 1 Maturity Score", "Phase 2 Maturity Score", "Phase 3 Maturity Score",
          "Phase 4 Maturity Score"]
V15_TITLE_ROWS = [11, 28, 45, 61, 79]  # reference §3.4: header rows two below, data from the row after
V20_TITLE_ROWS = [11, 31, 51, 70, 91]


def scores(count: int, blocks: int = 5) -> list[list[float]]:
    """Per block, per practice: a score climbing a quarter level a phase (the last block is the target)."""
    return [[round(0.5 + i / 16 + b / 4, 4) for i in range(count)] for b in range(blocks)]


def add_scorecard(book: Workbook, functions: dict[str, list[str]], organisation: str | None, blocks: list[list],
                  title_rows: list[int], score_header: str = "Current", titles: list[str] = TITLES):
    """A SAMM Scorecard as the toolboxes lay it out: a title block with the organisation in C5, then per
    block a title in A (copied to L and T), "Maturity" over the level columns, a header row, the practices
    with their business function and score, the three level contributions and a side table of functions."""
    sheet = book.create_sheet("Scorecard")
    sheet["A1"] = f"SAMM Assessment Scorecard: Brick Builder For {organisation or ''}"
    sheet["A3"] = "Notes:\nData in this worksheet is automatically imported from the Interview."
    for row, (label, value) in enumerate([("Organization:", organisation), ("Project:", "Brick Builder"),
                                          ("Interview Date:", "2017-02-28"), ("Interviewer:", "Steve"),
                                          ("Persons Interviewed:", "Willy Thomas, Kate Smith")], start=5):
        sheet.cell(row, 1, label)
        sheet.cell(row, 3, value)
    practices = [(function, practice) for function, names in functions.items() for practice in names]
    for title_row, title, block in zip(title_rows, titles, blocks, strict=True):
        for column in (1, 12, 20):
            sheet.cell(title_row, column, title)
        sheet.cell(title_row + 1, 4, "Maturity")
        header = title_row + 2
        for column, text in enumerate(["Business Functions", "Security Practices", score_header, 1, 2, 3,
                                       "Translated Value"], start=1):
            sheet.cell(header, column, text)
        sheet.cell(header, 9, "Business Functions")
        sheet.cell(header, 10, score_header)
        for offset, ((function, practice), score) in enumerate(zip(practices, block, strict=True)):
            row = header + 1 + offset
            part = score / 3 if isinstance(score, float) else None
            for column, value in enumerate([function, practice, score, part, part, part, 0], start=1):
                sheet.cell(row, column, value)
        for offset, function in enumerate(functions):  # the side table: each function's average
            sheet.cell(header + 1 + offset, 9, function)
            sheet.cell(header + 1 + offset, 10, 1.0)
    return sheet


def scorecard(path: Path, functions, organisation, blocks, title_rows, score_header="Current", titles=TITLES) -> Path:
    book = Workbook()
    book.active.title = "Attribution and License"
    book.active["B3"] = "1.5"
    add_scorecard(book, functions, organisation, blocks, title_rows, score_header, titles)
    book.save(path)
    return path


@pytest.mark.parametrize(
    ("functions", "title_rows", "score_header", "organisation", "model", "unit"),
    [
        (FUNCTIONS_15, V15_TITLE_ROWS, "Current", "Acme Brick Co", "samm15", "Acme Brick Co"),
        (FUNCTIONS_20, V20_TITLE_ROWS, "Score", "Acme Brick Co", "samm", "Acme Brick Co"),  # SAMM 2024 says "Score"
        (FUNCTIONS_20, V20_TITLE_ROWS, "Current", None, "samm", "Scorecard"),  # no organisation: the sheet's name
    ],
)
def test_a_scorecard_reads_its_blocks_as_one_table(tmp_path, functions, title_rows, score_header, organisation,
                                                    model, unit):
    count = sum(map(len, functions.values()))
    blocks = scores(count)
    path = scorecard(tmp_path / "scorecard.xlsx", functions, organisation, blocks, title_rows, score_header)
    assessment = assess(path)
    assert assessment.rubric.id == model
    assert assessment.problems.empty, assessment.problems.to_dict("records")
    rows = assessment.normalized
    assert len(rows) == count
    assert rows["unit"].unique().tolist() == [unit]
    assert rows["dimension"].tolist() == list(assessment.rubric.dimension_ids)
    assert rows["current_level"].tolist() == pytest.approx(blocks[0])
    assert rows["target_level"].tolist() == pytest.approx(blocks[4])
    for phase in (1, 2, 3):  # the blocks between are kept for the roadmap
        assert rows[f"phase_{phase}"].tolist() == pytest.approx(blocks[phase])
    first_data = [row + 3 for row in title_rows]
    assert rows["current_cell"].tolist() == [f"Scorecard!C{first_data[0] + i}" for i in range(count)]
    assert rows["target_cell"].tolist() == [f"Scorecard!C{first_data[4] + i}" for i in range(count)]
    assert (rows["source_sheet"] == "Scorecard").all()
    assert rows["source_row"].tolist() == list(range(first_data[0], first_data[0] + count))
    (stacked,) = assessment.layout.stacked
    assert stacked.blocks == tuple((title, row + 2, row + 3, row + 2 + count)
                                   for title, row in zip(TITLES, title_rows, strict=True))
    assert stacked.roles == ("current", "Phase 1", "Phase 2", "Phase 3", "target")
    assert (stacked.area_column, stacked.group_column, stacked.score_column) == (1, 0, 2)
    assert assessment.layout.sheets == () and "Scorecard" not in [s.sheet for s in assessment.layout.skipped]
    assert ("sheet 'Scorecard': blocks 'Current Maturity Score' (current), 'Phase 1 Maturity Score' (phase 1), "
            "'Phase 2 Maturity Score' (phase 2), 'Phase 3 Maturity Score' (phase 3), 'Phase 4 Maturity Score' "
            "(target) read as one table") in assessment.notes
    (entry,) = describe(assessment)["sheets"]
    assert entry["shape"] == "stacked" and entry["evidence"] == stacked.evidence
    assert [b["holds"] for b in entry["blocks"]] == list(stacked.roles)


@pytest.mark.parametrize(
    ("block", "offset", "cell", "column"),
    [
        (0, 2, "C16", "Current (Current Maturity Score)"),
        (4, 5, "C87", "Current (Phase 4 Maturity Score)"),
    ],
)
def test_a_bad_score_cell_is_a_problem_naming_its_scorecard_cell(tmp_path, block, offset, cell, column):
    blocks = scores(12)
    blocks[block][offset] = "TBD"
    path = scorecard(tmp_path / "scorecard.xlsx", FUNCTIONS_15, "Acme Brick Co", blocks, V15_TITLE_ROWS)
    assessment = assess(path)
    assert assessment.rubric.id == "samm15"
    (problem,) = assessment.problems.to_dict("records")
    assert (problem["source_sheet"], problem["cell"], problem["column"], problem["value"]) == (
        "Scorecard", cell, column, "TBD")
    assert problem["source_row"] == int(cell[1:])
    assert len(assessment.normalized) == 11


@pytest.mark.parametrize(
    ("titles", "roles"),
    [
        (["Current Maturity Score", "Target Maturity Score", "Phase 1 Maturity Score"],
         ("current", "target", "Phase 1")),
        (["As-Is", "Phase I", "Phase II", "To-Be"], ("current", "Phase 1", "Phase 2", "target")),
        (["Current maturity", "Phase 1", "Phase 2"], ("current", "Phase 1", "target")),
    ],
)
def test_a_block_titled_target_is_the_target_else_the_last_block(tmp_path, titles, roles):
    blocks = scores(12, len(titles))
    rows = [11 + 17 * i for i in range(len(titles))]
    path = scorecard(tmp_path / "scorecard.xlsx", FUNCTIONS_15, "Acme Brick Co", blocks, rows, titles=titles)
    assessment = assess(path)
    (stacked,) = assessment.layout.stacked
    assert stacked.roles == roles
    assert assessment.normalized["target_level"].tolist() == pytest.approx(blocks[roles.index("target")])
    phases = [r for r in roles if r.startswith("Phase")]
    assert [c for c in assessment.normalized if c.startswith("phase_")] == [p.lower().replace(" ", "_")
                                                                            for p in phases]


def test_blocks_listing_other_areas_are_not_stacked(tmp_path):
    blocks = scores(12)
    path = scorecard(tmp_path / "scorecard.xlsx", FUNCTIONS_15, "Acme Brick Co", blocks, V15_TITLE_ROWS)
    book = load_workbook(path)
    book["Scorecard"]["B50"] = "Code Review"  # the Phase 2 block lists another practice
    book.save(path)
    assert find_stacked(read_workbook(path), ["Scorecard"], load_rubric("samm15")) == []


def test_a_roadmap_chart_and_a_scorecard_read_each_practice_once(tmp_path):
    blocks = scores(12)
    path = roadmap_chart(tmp_path / "toolbox.xlsx", V15, "Acme Brick Co", list(zip(blocks[0], blocks[4], strict=True)))
    book = load_workbook(path)
    add_scorecard(book, FUNCTIONS_15, "Acme Brick Co", blocks, V15_TITLE_ROWS)
    book.save(path)
    assessment = assess(path)
    assert assessment.rubric.id == "samm15" and assessment.problems.empty
    rows = assessment.normalized
    assert len(rows) == 12 and (rows["source_sheet"] == "Roadmap Chart").all()
    assert rows["dimension"].is_unique
    reason = ("its practices are read from sheet 'Roadmap Chart' (which holds current and target as the Scorecard "
              "does); not read twice")
    assert {s.sheet: s.reason for s in assessment.layout.skipped}["Scorecard"] == reason
    assert f"sheet 'Scorecard' not read: {reason}" in assessment.notes
    assert assessment.layout.stacked == ()


REAL_15 = "SAMM_Assessment_Toolbox_v1.5-Example.xlsx"


def test_the_real_15_toolbox_reads_its_practices_once_from_the_roadmap_chart():
    assessment = assess(_real(REAL_15))
    assert assessment.rubric.id == "samm15" and assessment.problems.empty
    rows = assessment.normalized
    assert len(rows) == 12 and (rows["source_sheet"] == "Roadmap Chart").all()
    skipped = {s.sheet: s.reason for s in assessment.layout.skipped}
    assert skipped["Scorecard"].startswith("its practices are read from sheet 'Roadmap Chart' (which holds current")
    assert any(n.startswith("sheet 'Scorecard' not read: its practices are read from") for n in assessment.notes)


def test_the_real_15_scorecard_alone_scores_as_its_roadmap_chart():
    path = _real(REAL_15)
    workbook = read_workbook(path)
    alone = replace(workbook, sheets=tuple(s for s in workbook.sheets if s.name != "Roadmap Chart"))
    scorecard_read = assess_workbook(alone)
    assert scorecard_read.rubric.id == "samm15" and scorecard_read.problems.empty
    rows = scorecard_read.normalized.set_index("dimension")
    assert len(rows) == 12 and set(rows["unit"]) == {"Acme Brick Co"}
    assert set(rows["source_sheet"]) == {"Scorecard"}
    # Reference §3.4: the Current block and the Phase 4 block equal the Roadmap Chart's Start and Phase 4.
    chart = assess(path).normalized.set_index("dimension").loc[rows.index]
    assert rows["current_level"].tolist() == pytest.approx(chart["current_level"].tolist())
    assert rows["target_level"].tolist() == pytest.approx(chart["target_level"].tolist())
    assert rows.loc["sm", "current_level"] == pytest.approx(1.4833, abs=1e-4)  # reference §2.2
    assert rows.loc["sm", ["phase_1", "phase_2", "phase_3"]].tolist() == pytest.approx([1.5833, 2.0, 2.1667], abs=1e-4)


def test_the_real_20_scorecard_alone_reads_fifteen_practices_at_zero():
    workbook = read_workbook(_real("SAMM_Assessment_Toolbox_v2.0.xlsx"))
    alone = replace(workbook, sheets=tuple(s for s in workbook.sheets if s.name != "Roadmap Chart"))
    assessment = assess_workbook(alone)
    assert assessment.rubric.id == "samm" and assessment.problems.empty
    rows = assessment.normalized
    assert rows["dimension"].tolist() == list(assessment.rubric.dimension_ids)
    assert (rows["current_level"] == 0).all() and (rows["unit"] == "Scorecard").all()
    assert assessment.layout.stacked[0].blocks[-1][1:] == (93, 94, 108)  # reference §3.4's v2 rows
