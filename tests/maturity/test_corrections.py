import pandas as pd
import pytest

from maturity import (
    CorrectionError,
    Corrections,
    LevelScale,
    NoDataError,
    RawSheet,
    RawWorkbook,
    apply_corrections,
    assess_workbook,
    detect_layout,
    load_rubric,
    normalize,
    read_workbook,
)
from maturity.corrections import check_scales, read_sheet

TITLE = ["Platform maturity, spring 2026", None, None, None]
# Headers that say nothing gapmap knows for the target: 'Later' is no level word.
VAGUE = ["Team", "Area", "Now", "Later"]
ROWS = [["Payments", "Build & Deploy", 2, 4], [None, "Test & Verification", 1, 3], ["Lending", "Build & Deploy", 3, 3]]
CLEAR = ["Dimension", "Current", "Target", "Notes"]


def _sheet(name, rows, hidden=False):
    return RawSheet(name, pd.DataFrame(rows, dtype=object), hidden=hidden)


def _book(*sheets, kind="xlsx"):
    return RawWorkbook("plan.xlsx", kind, sheets)


def _vague():
    return _book(_sheet("Team plan", [TITLE, [None] * 4, VAGUE, *ROWS]), _sheet("Notes", [["Filled in by the team"]]))


def _roles(layout, sheet):
    return [c.role for c in layout.sheet(sheet).columns]


@pytest.mark.parametrize(
    ("sheets", "header_row", "roles", "scales", "expected"),
    [
        (None, None, None, None, Corrections()),
        ([], None, [], [], Corrections()),
        (["Team plan", "Team plan", "Notes"], None, None, None, Corrections(sheets=("Team plan", "Notes"))),
        (None, "3", None, None, Corrections(header_row=3)),
        (None, 3, None, None, Corrections(header_row=3)),
        (None, None, ["C=current", " B = Dimension ", "A=UNIT"], None,
         Corrections(roles=(("C", "current"), ("B", "dimension"), ("A", "unit")))),
        (None, None, ["Notes=none", "E=ignore", "F=group"], None,
         Corrections(roles=(("Notes", ""), ("E", ""), ("F", "group")))),
        (None, None, ["Score (=avg)=current"], None, Corrections(roles=(("Score (=avg)", "current"),))),
        (None, None, None, ["D=0-4", "Now=1–5", "Current (1-5)=0..4"],
         Corrections(scales=(("D", 0, 4), ("Now", 1, 5), ("Current (1-5)", 0, 4)))),
    ],
)
def test_parse_flag_strings(sheets, header_row, roles, scales, expected):
    corrections = Corrections.parse(sheets, header_row, roles, scales)
    assert corrections == expected
    assert corrections.is_empty == (expected == Corrections())
    assert hash(corrections) == hash(expected)  # a value the dashboard can cache on


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        ({"sheets": [" "]}, "--sheet takes a sheet's name"),
        ({"header_row": "0"}, "--header-row takes the number of the row holding the column titles"),
        ({"header_row": "x"}, "not 'x'"),
        ({"header_row": ""}, "not ''"),
        ({"header_row": "2.5"}, "not '2.5'"),
        ({"roles": ["C"]}, "--role takes COLUMN=ROLE, e.g. --role C=current"),
        ({"roles": ["=current"]}, "not '=current'"),
        ({"roles": ["C="]}, "not 'C='"),
        ({"roles": ["C=colour"]}, "--role C=colour: 'colour' is not a role; the roles are unit, group, dimension, "
                                  "practice, current, target, priority, effort, owner, notes, evidence, applicable, "
                                  "or none or ignore"),
        ({"roles": ["C=gap"]}, "'gap' is not a role"),  # gapmap's own columns are not roles to ask for
        ({"roles": ["C=source_row"]}, "'source_row' is not a role"),
        ({"scales": ["D"]}, "--scale takes COLUMN=LOW-HIGH, e.g. --scale D=0-4, not 'D'"),
        ({"scales": ["D=4"]}, "not 'D=4'"),
        ({"scales": ["=0-4"]}, "not '=0-4'"),
        ({"scales": ["D=4-0"]}, "--scale D=4-0: a level scale runs from 0 or 1 up to at most 10"),
        ({"scales": ["D=2-6"]}, "runs from 0 or 1"),
        ({"scales": ["D=0-2025"]}, "up to at most 10"),
    ],
)
def test_malformed_flags_are_refused_saying_what_they_take(flags, message):
    with pytest.raises(CorrectionError) as raised:
        Corrections.parse(**flags)
    assert message in str(raised.value)


def test_no_corrections_is_exactly_detection(rubric, sample_xlsx):
    workbook = read_workbook(sample_xlsx)
    assert apply_corrections(workbook, rubric, Corrections()) == detect_layout(workbook, rubric)


def test_roles_correct_a_detected_layout(rubric):
    workbook = _book(_sheet("Payments", [["Team", *CLEAR], ["Payments", "Build & Deploy", 2, 3, "scripted"]]))
    assert detect_layout(workbook, rubric).unit_source == "column"
    corrected = apply_corrections(workbook, rubric, Corrections.parse(roles=["team=none", "E=evidence"]))
    assert _roles(corrected, "Payments") == [None, "dimension", "current", "target", "evidence"]
    assert (corrected.unit_source, corrected.single_unit) == ("single unit", "Payments")  # the unit follows


def test_the_flags_find_a_table_detection_refused(rubric):
    workbook = _vague()
    with pytest.raises(NoDataError):
        detect_layout(workbook, rubric)
    flags = Corrections.parse(header_row="3", roles=["C=current", "D=target", "B=dimension", "A=unit"])
    layout = apply_corrections(workbook, rubric, flags)
    assert [s.sheet for s in layout.sheets] == ["Team plan"]
    assert layout.sheet("Team plan").header_row == 3
    assert _roles(layout, "Team plan") == ["unit", "dimension", "current", "target"]
    assert [(s.sheet, s.reason) for s in layout.skipped] == [("Notes", "has no row 3 (1 row)")]
    assert layout.unit_source == "column"
    assessment = normalize(workbook, layout, rubric)
    assert assessment.normalized[["unit", "dimension", "current_level", "target_level"]].values.tolist() == [
        ["Payments", "build", 2, 4], ["Payments", "test", 1, 3], ["Lending", "build", 3, 3]]
    assert assessment.problems.empty


def test_a_role_alone_reads_the_header_row_the_refusal_names(rubric):
    layout = apply_corrections(_vague(), rubric, Corrections.parse(roles=["later=target"]))
    sheet = layout.sheet("Team plan")
    assert sheet.header_row == 3  # the likeliest header row, as the refusal message says
    assert [(s.sheet, s.reason) for s in layout.skipped] == [
        ("Notes", "header row 1: no current level column; no target level column; no dimension or practice column")]
    assert _roles(layout, "Team plan") == ["unit", "dimension", "current", "target"]
    assert sheet.scales["target"] == LevelScale(1, 5, "rubric")  # a column given a level role gets a scale


def test_scales_are_the_users(rubric):
    workbook = _book(_sheet("S", [CLEAR, ["Build & Deploy", 1, 4, None]]))
    layout = apply_corrections(workbook, rubric, Corrections.parse(scales=["current=0-4", "C=0-4"]))
    assert layout.sheet("S").scales == {"current": LevelScale(0, 4, "user"), "target": LevelScale(0, 4, "user")}
    assert normalize(workbook, layout, rubric).normalized[["current_level", "target_level"]].values.tolist() == [
        [2, 5]]


def test_a_sheet_named_is_read_and_only_it(rubric):
    clear = _sheet("Payments", [CLEAR, ["Build & Deploy", 1, 2, None]])
    archived = _sheet("Old 2023", [CLEAR, ["Build & Deploy", 1, 1, None]], hidden=True)
    notes = _sheet("Notes", [["Read me"]])
    workbook = _book(clear, archived, notes)
    layout = apply_corrections(workbook, rubric, Corrections.parse(sheets=["old 2023", "Notes"]))
    assert [s.sheet for s in layout.sheets] == ["Old 2023", "Notes"]  # a hidden sheet named is read
    assert layout.sheet("Old 2023").header_row == 1
    assert [(s.sheet, s.reason) for s in layout.skipped] == [("Payments", "not one of the sheets named to read")]
    assessment = normalize(workbook, layout, rubric)
    assert len(assessment.normalized) == 1
    assert assessment.problems["problem"].tolist() == [
        "sheet not read: no current level column; no target level column; no dimension or practice column; "
        "set the column roles"]  # a sheet named without a table is normalize's to report
    assert layout.unit_source == "sheet name"


def test_every_sheet_on_a_header_row_skips_the_ones_without_a_table(rubric):
    table = _sheet("Payments", [TITLE, CLEAR, ["Build & Deploy", 1, 2, None]])
    hidden = _sheet("Lists", [TITLE, CLEAR], hidden=True)
    short = _sheet("Read me", [["Pick a level"]])
    layout = apply_corrections(_book(short, table, hidden), rubric, Corrections.parse(header_row="2"))
    assert [s.sheet for s in layout.sheets] == ["Payments"]
    assert [(s.sheet, s.reason) for s in layout.skipped] == [
        ("Read me", "has no row 2 (1 row)"), ("Lists", "hidden in the workbook; unhide it to have it read")]


def test_when_no_sheet_has_a_table_every_sheet_read_stays_to_be_reported(rubric):
    layout = apply_corrections(_vague(), rubric, Corrections.parse(header_row="3"))
    assert [s.sheet for s in layout.sheets] == ["Team plan"]  # 'Notes' has no row 3
    assert layout.sheet("Team plan").problems() == ["no target level column"]


def test_a_header_text_wins_over_a_column_letter(rubric):
    workbook = _book(_sheet("S", [["Dimension", "Current", "Target", "BU"], ["Build & Deploy", 1, 2, "Payments"]]))
    layout = apply_corrections(workbook, rubric, Corrections.parse(roles=["bu=unit"]))
    assert _roles(layout, "S") == ["dimension", "current", "target", "unit"]


@pytest.mark.parametrize(
    ("book", "flags", "message"),
    [
        ("vague", {"sheets": ["Roadmap"]}, "--sheet Roadmap: plan.xlsx has no sheet 'Roadmap'; its sheets are "
                                           "'Team plan', 'Notes'"),
        ("vague", {"sheets": ["Team plan"], "roles": ["Z=target"]},
         "--role Z=target: sheet 'Team plan' has no column 'Z' (a header text or a column letter); its header row 3 "
         "has A 'Team', B 'Area', C 'Now', D 'Later'"),
        ("vague", {"roles": ["Soon=target"]},
         "--role Soon=target: no sheet read has a column 'Soon' (a header text or a column letter): sheet 'Team plan' "
         "(header row 3) has A 'Team', B 'Area', C 'Now', D 'Later'; sheet 'Notes' (header row 1) has "
         "A 'Filled in by the team'"),
        ("vague", {"sheets": ["Team plan"], "scales": ["B=0-4"]},
         "--scale B=0-4: column B ('Area') of sheet 'Team plan' is the dimension column, not a current or target "
         "column; give it a level role with --role B=current or --role B=target"),
        ("vague", {"sheets": ["Team plan"], "scales": ["Later=0-4"]}, "is a column with no role, not a current"),
        ("vague", {"sheets": ["Notes"], "header_row": "3"},
         "sheet 'Notes' of plan.xlsx cannot be read: has no row 3 (1 row)"),
        ("vague", {"header_row": "9"},
         "plan.xlsx: no sheet to read ('Team plan': has no row 9 (6 rows); 'Notes': has no row 9 (1 row)); name one "
         "with --sheet"),
        ("twice", {"roles": ["current=current"]},
         "'current' heads columns B, C of sheet 'S': name the one you mean by its letter"),
    ],
)
def test_a_flag_naming_what_is_not_there_lists_what_is(rubric, book, flags, message):
    workbook = _vague() if book == "vague" else _book(_sheet("S", [["Dimension", "Current", "Current", "Target"]]))
    with pytest.raises(CorrectionError) as raised:
        apply_corrections(workbook, rubric, Corrections.parse(**flags))
    assert message in str(raised.value)


def test_the_refusal_says_per_sheet_what_was_found_and_how_to_say_where_the_table_is(rubric):
    chart = _sheet("Roadmap Chart", [[None] * 7] * 8 + [["Start", "Q1", "Q2", "Q3", "Q4", "Q5", "Owner"]])
    hidden = _sheet("Old", [CLEAR], hidden=True)
    workbook = _book(_vague().sheets[0], chart, hidden, _sheet("Numbers", [[1, 2], [3, 4]]))
    with pytest.raises(NoDataError) as raised:
        detect_layout(workbook, rubric)
    assert str(raised.value) == (
        "plan.xlsx: found no gap-analysis table. "
        "Sheet 'Team plan': header row 3 has 'Team', 'Area', 'Now', 'Later'; no target level column. "
        "Sheet 'Roadmap Chart': header row 9 has 'Start', 'Q1', 'Q2', 'Q3', 'Q4', …; no current level column; "
        "no target level column; no dimension or practice column. "
        "Sheet 'Old': hidden in the workbook; unhide it to have it read. "
        "Sheet 'Numbers': no text in its first 30 rows. "
        "A header row needs a current and a target level column and a dimension or practice column, e.g. "
        "'Dimension', 'Practice', 'Current', 'Target' (the template has one): use --sheet, --header-row and "
        "--role COLUMN=ROLE to say where the table is (--pair CURRENT=TARGET for a sheet of current levels and one "
        "of target levels), or correct it in How this file was read"
    )


@pytest.mark.parametrize(
    ("scale", "model", "message"),
    [
        ("D=0-4", "cdmm", None),
        ("D=1-5", "cdmm", None),
        ("D=0-3", "samm", None),
        ("D=0-3", "cdmm", "--scale D=0-3: that scale has 4 levels but Continuous Delivery Maturity Model has 5 (1–5): "
                          "give a scale of 5 levels, or read the file against another model with --rubric"),
        ("D=1-5", "mlops_google", "that scale has 5 levels but"),
    ],
)
def test_a_scale_the_model_cannot_read_is_refused_not_dropped(scale, model, message):
    corrections = Corrections.parse(scales=[scale])
    if message is None:
        check_scales(corrections, load_rubric(model))
        return
    with pytest.raises(CorrectionError) as raised:
        check_scales(corrections, load_rubric(model))
    assert message in str(raised.value)


# --------------------------------------------------------------------------------------------------
# --pair: two sheets read as current and target when their names say nothing and their labels differ

AREAS = ["Build & Deploy", "Test & Verification", "Information & Reporting"]


def _matrix(corner, across, rows):
    return [["Northwind Mutual", None, None, None], [None] * 4, [corner, *across],
            *([label, *values] for label, values in rows.items())]


def _unpaired():
    """'Spring scores' and 'Ambition': nothing in the names, and Ambition has a unit more."""
    now = _matrix("", AREAS, {"Payments": [2, 1, 3], "Lending": [3, 2, 2]})
    aim = _matrix("", AREAS, {"Payments": [4, 3, 4], "Lending": [4, 4, 3], "Wealth": [3, 3, 3]})
    return _book(_sheet("Spring scores", now), _sheet("Ambition", aim))


def test_detection_does_not_pair_sheets_whose_names_and_labels_differ(rubric):
    with pytest.raises(NoDataError):
        detect_layout(_unpaired(), rubric)


@pytest.mark.parametrize(("flag", "across", "evidence"), [
    ("Spring scores=Ambition", True, "areas across: 3 column labels are areas of a known model"),
    ("spring scores = ambition:across", True, "areas across: as you said"),
])
def test_a_pair_reads_two_sheets_as_current_and_target(rubric, flag, across, evidence):
    corrections = Corrections.parse(pairs=[flag])
    layout = apply_corrections(_unpaired(), rubric, corrections)
    [pair] = layout.pairs
    assert (pair.current, pair.target, pair.areas_across) == ("Spring scores", "Ambition", across)
    assert evidence in pair.evidence and not layout.sheets and not layout.skipped
    result = normalize(_unpaired(), layout, rubric)
    assert len(result.normalized) == 6 and (result.normalized["gap"] > 0).all()
    assert result.normalized["current_cell"].iloc[0] == "Spring scores!B4"
    [problem] = result.problems["problem"].tolist()
    assert "unit 'Wealth' is on sheet 'Ambition' but not on sheet 'Spring scores'" in problem


def test_a_pair_said_the_other_way_round_reads_units_as_areas_and_says_why_each_fails(rubric):
    layout = apply_corrections(_unpaired(), rubric, Corrections.parse(pairs=["Spring scores=Ambition:down"]))
    result = normalize(_unpaired(), layout, rubric)
    assert result.normalized.empty  # 'Payments' is no area: every cell is a problem, none read as something else
    assert result.problems["problem"].str.contains("Payments|Lending|Wealth").all()


def test_a_pair_takes_its_sheets_from_what_detection_read(rubric):
    book = _book(_sheet("Team plan", [CLEAR, ["Build & Deploy", 1, 2, None]]), *_unpaired().sheets)
    layout = apply_corrections(book, rubric, Corrections.parse(pairs=["Spring scores=Ambition"]))
    assert [s.sheet for s in layout.sheets] == ["Team plan"] and len(layout.pairs) == 1


@pytest.mark.parametrize(("flag", "message"), [
    ("Spring scores", "--pair takes CURRENT=TARGET"),
    ("Spring scores=Spring scores", "--pair takes CURRENT=TARGET"),
    ("Spring scores=Targets", "--pair Targets: plan.xlsx has no sheet 'Targets'; its sheets are 'Spring scores', "
                              "'Ambition'"),
])
def test_a_pair_flag_that_cannot_be_read_is_refused(rubric, flag, message):
    with pytest.raises(CorrectionError, match=message.replace("(", r"\(")):
        apply_corrections(_unpaired(), rubric, Corrections.parse(pairs=[flag]))


def test_a_pair_of_sheets_without_a_matrix_says_so(rubric):
    book = _book(_sheet("Now", [["Just a note"]]), _unpaired().sheets[1])
    with pytest.raises(CorrectionError, match="--pair Now=Ambition: sheet 'Now' has no matrix of levels"):
        apply_corrections(book, rubric, Corrections.parse(pairs=["Now=Ambition"]))


# --------------------------------------------------------------------------------------------------
# read_sheet: a sheet detection skipped in a file it read, read from a header row the user gives

def test_a_skipped_sheet_is_read_from_the_row_given_and_its_roles_then_corrected(rubric):
    book = _book(_sheet("Plan", [CLEAR, ["Build & Deploy", 1, 2, None]]),
                 _sheet("Team plan", [TITLE, [None] * 4, VAGUE, *ROWS]))
    detected = detect_layout(book, rubric)
    assert [s.sheet for s in detected.skipped] == ["Team plan"]
    layout = read_sheet(book, detected, "Team plan", 3, rubric)
    assert [s.sheet for s in layout.sheets] == ["Plan", "Team plan"] and not layout.skipped
    assert _roles(layout, "Team plan") == ["unit", "dimension", "current", None]  # 'Later' says nothing
    assert layout.unit_source == "column"
    result = assess_workbook(book, rubric, layout.with_role("Team plan", 3, "target"))
    assert result.normalized["unit"].tolist() == ["Organisation", "Payments", "Payments", "Lending"]
    assert result.normalized["target_level"].tolist() == [2, 4, 3, 3]


def test_reading_a_sheet_without_a_row_says_so(rubric):
    book = _book(_sheet("Plan", [CLEAR, ["Build & Deploy", 1, 2, None]]), _sheet("Notes", [["Filled in"]]))
    with pytest.raises(CorrectionError, match=r"sheet 'Notes' has no row 4 \(1 row\)"):
        read_sheet(book, detect_layout(book, rubric), "Notes", 4, rubric)
    with pytest.raises(CorrectionError, match="has no sheet 'Nope'"):
        read_sheet(book, detect_layout(book, rubric), "Nope", None, rubric)
