"""SAMM's toolbox workbooks: the Roadmap Chart read as it is laid out (reference §3.3), from our own
workbooks written with openpyxl to that layout, and from the two real toolboxes when they are here."""

from pathlib import Path

import pytest
from openpyxl import Workbook

from maturity import assess, build_roadmap

SAMM = Path(__file__).resolve().parents[3] / "shared" / "samm"
V15 = ["Strategy & metrics", "Policy & Compliance", "Education & Guidance", "Threat Assessment",
       "Security Requirements", "Secure Architecture", "Design Analysis", "Implementation Review",
       "Security Testing", "Issue Management", "Environment Hardening", "Operational Enablement"]
V20 = ["Strategy & metrics", "Policy & Compliance", "Education & Guidance", "Threat Assessment",
       "Security Requirements", "Secure Architecture", "Secure Build", "Secure Deployment", "Defect Management",
       "Architecture Assessment", "Requirements Testing", "Security Testing", "Incident Management",
       "Environment Management", "Operational Management"]


def roadmap_chart(path: Path, practices: list[str], organisation: str, scores) -> Path:
    """A SAMM Roadmap Chart as the toolboxes lay it out: notes and a title, the organisation in B4, a
    two-row header on rows 10–11 (As-Is over Start, To-Be over Phase 4), practices from row 12, chart
    captions in column L beside them, a velocity row and the list of valid levels below."""
    book = Workbook()
    book.active.title = "Attribution and License"
    book.active["B3"] = "1.5"
    sheet = book.create_sheet("Roadmap Chart")
    sheet["A1"] = "Notes:\nData in this worksheet is automatically imported from the Interview."
    sheet["A3"] = "Software Assurance Maturity Model (SAMM) Roadmap"
    for row, (label, value) in enumerate([("Organization:", organisation), ("Project:", "Brick Builder"),
                                          ("Version", "v1.0"), ("Date", "2017-02-28"), ("Author", "Steve")], start=4):
        sheet.cell(row, 1, label)
        sheet.cell(row, 2, value)
    for column, text in {1: "Source Data", 2: "As-Is", 9: "To-Be", 12: "Security Practice"}.items():
        sheet.cell(10, column, text)
    for column, text in enumerate(["Security Practices/Phase", "Start", "Phase 1", "After 1", "Phase 2", "After 2",
                                   "Phase 3", "May", "Phase 4", "After 4", "Current GAP"], start=1):
        sheet.cell(11, column, text)
    for offset, (practice, (start, end)) in enumerate(zip(practices, scores, strict=True)):
        row = 12 + offset
        sheet.cell(row, 1, practice)
        for column, value in zip(range(2, 11), [start, start, start, start, start, start, start, end, end],
                                 strict=True):
            sheet.cell(row, column, value)
        sheet.cell(row, 11, end - start)
    sheet.cell(17, 12, practices[0])  # a chart caption beside the table
    last = 12 + len(practices)
    sheet.cell(last + 1, 2, "SAMM velocity:")
    sheet.cell(last + 1, 3, 1.5)
    sheet.cell(last + 4, 1, "Valid Maturity Levels")
    for offset, level in enumerate([0, 0.5, 1, 1.5, 2, 2.5, 3]):
        sheet.cell(last + 4 + offset, 2, level)
    book.save(path)
    return path


@pytest.mark.parametrize(("practices", "model"), [(V15, "samm15"), (V20, "samm")])
def test_a_roadmap_chart_reads_without_a_correction(tmp_path, practices, model):
    scores = [(1 + i / 8, 2 + i / 16) for i in range(len(practices))]
    path = roadmap_chart(tmp_path / "toolbox.xlsx", practices, "Acme Brick Co", scores)
    assessment = assess(path)
    assert assessment.rubric.id == model
    assert assessment.problems.empty, assessment.problems.to_dict("records")
    rows = assessment.normalized
    assert len(rows) == len(practices)
    assert rows["unit"].unique().tolist() == ["Acme Brick Co"]
    assert rows[["current_level", "target_level"]].values.tolist() == [list(pair) for pair in scores]
    assert rows["source_row"].tolist() == list(range(12, 12 + len(practices)))
    sheet = assessment.layout.sheet("Roadmap Chart")
    assert sheet.header_row == 11
    roles = {c.letter: c.role for c in sheet.columns if c.role}
    assert roles == {"A": "dimension", "B": "current", "I": "target"}  # not Phase 1–3, not the captions in L
    assert any("the table ends at row " in note and "SAMM velocity:" in note for note in assessment.notes)
    assert "organisation: 'Acme Brick Co', from cell B4 of sheet 'Roadmap Chart' (the unit of every row)" in (
        assessment.notes)
    assert len(build_roadmap(assessment))  # the scores climb: steps are planned


def _real(name: str) -> Path:
    path = SAMM / name
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared SAMM workbooks sit beside the project)")
    return path


def test_the_filled_samm_15_toolbox_reads_as_the_example_scores_it():
    assessment = assess(_real("SAMM_Assessment_Toolbox_v1.5-Example.xlsx"))
    assert assessment.rubric.id == "samm15" and assessment.problems.empty
    rows = assessment.normalized.set_index("dimension")
    assert len(rows) == 12 and set(rows["unit"]) == {"Acme Brick Co"}
    # Reference §2.2: the toolbox scores Strategy & Metrics 0.4667 + 0.6667 + 0.35 = 1.4833.
    assert rows.loc["sm", "current_level"] == pytest.approx(1.4833, abs=1e-4)
    assert (rows["target_level"] >= rows["current_level"]).all()


def test_the_blank_samm_20_toolbox_reads_fifteen_practices_at_zero():
    assessment = assess(_real("SAMM_Assessment_Toolbox_v2.0.xlsx"))
    assert assessment.rubric.id == "samm" and assessment.problems.empty
    rows = assessment.normalized
    assert rows["dimension"].tolist() == list(assessment.rubric.dimension_ids)
    assert (rows["current_level"] == 0).all() and (rows["gap"] == 0).all()
