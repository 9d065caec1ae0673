"""maturity.reader: untrusted bytes in, raw sheets or a user-facing error out.

Every fixture is built in code, in memory or under tmp_path: real workbooks with openpyxl, and
hand-written XML zipped with zipfile for the traps openpyxl would never write. Traps that would
abort the interpreter if the guard regressed (python-calamine dies with SIGABRT on a huge grid)
run in a child process, restarted if one dies, so a regression fails those tests and nothing else.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import json
import struct
import subprocess
import sys
import threading
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter

from maturity import reader
from maturity.errors import (
    CorruptFileError,
    EncryptedWorkbookError,
    GapmapError,
    LimitExceededError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from maturity.reader import Limits, RawWorkbook, read_workbook, sheetscan
from tests.data.hostile.make_corpus import (  # the builders the hostile corpus is made of
    A1,
    A_SHEET,
    EXTERNAL_ENTITY,
    FAR,
    LAUGHS,
    MAIN_NS,
    REL_NS,
    encrypted_xlsx,
    needs_zip_version,
    ods_bytes,
    ods_cell,
    ods_content_repeats,
    openpyxl_bytes,
    patch_declared_size,
    prefixed,
    repeated_row_sheet,
    set_encrypted_flag,
    shared_strings_xml,
    sheet_xml,
    small_real_xlsx,
    with_comment,
    xlsx_bytes,
    zip_of,
)

ROOT = Path(__file__).resolve().parents[2]


def read(data: bytes, filename: str = "book.xlsx", limits: Limits | None = None) -> RawWorkbook:
    return read_workbook(data, filename, limits or Limits())


def values(workbook: RawWorkbook, sheet: int = 0) -> list[list[object]]:
    return workbook.sheets[sheet].cells.values.tolist()


# --------------------------------------------------------------------------------------------------
# Workbooks users actually upload


def test_title_block_keeps_true_excel_row_numbers(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        {
            "Assessment": [
                ["DevOps gap analysis"],
                [],
                ["Team: payments"],
                [],
                [None, "Practice", "Current"],
                [None, "CI", 2],
            ]
        }
    )
    cells = read_workbook(path).sheets[0].cells
    assert cells.iat[4, 1] == "Practice"  # Excel row 5, column B
    assert cells.index[4] + 1 == 5
    assert list(cells.columns) == list(range(cells.shape[1]))
    assert cells.iat[0, 0] == "DevOps gap analysis"
    assert cells.iat[1, 0] is None and cells.iat[4, 0] is None  # blanks are None, leading column kept
    assert cells.dtypes.eq(object).all()


def test_path_source_names_the_file_and_bytes_default_to_upload(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx({"Sheet": [["x"]]}, name="payments.xlsx")
    assert read_workbook(path).filename == "payments.xlsx"
    assert read_workbook(str(path), filename="renamed.xlsx").filename == "renamed.xlsx"
    assert read_workbook(path.read_bytes()).filename == "upload"


def test_merged_cells_keep_their_value_in_the_top_left_cell(make_xlsx: Callable[..., Path]) -> None:
    path = make_xlsx(
        {"Matrix": [["Dimension", "Practice"], ["Culture", "Blameless reviews"], [None, "Shared goals"]]},
        merges={"Matrix": ["A2:A3"]},
    )
    workbook = read_workbook(path)
    assert values(workbook) == [["Dimension", "Practice"], ["Culture", "Blameless reviews"], [None, "Shared goals"]]
    assert any("merged" in note for note in workbook.notes)


def test_hidden_and_very_hidden_sheets_are_flagged() -> None:
    def build(workbook: openpyxl.Workbook) -> None:
        workbook.active.title = "Visible"
        workbook.active["A1"] = "shown"
        for title, state in (("Old", "hidden"), ("Lookup", "veryHidden")):
            sheet = workbook.create_sheet(title)
            sheet.sheet_state = state
            sheet["A1"] = title

    workbook = read(openpyxl_bytes(build))
    assert [(sheet.name, sheet.hidden) for sheet in workbook.sheets] == [
        ("Visible", False),
        ("Old", True),
        ("Lookup", True),
    ]
    assert "sheet 'Old' is hidden in the workbook" in workbook.notes


def test_cell_values_keep_their_types() -> None:
    def build(workbook: openpyxl.Workbook) -> None:
        workbook.active.append(["text", 2, 2.5, True, dt.datetime(2024, 3, 1, 9, 30), dt.date(2024, 3, 2), "", "end"])

    row = values(read(openpyxl_bytes(build)))[0]
    assert row == ["text", 2.0, 2.5, True, dt.datetime(2024, 3, 1, 9, 30), dt.date(2024, 3, 2), None, "end"]
    assert type(row[5]) is dt.date  # calamine tells dates from datetimes by their number format


@pytest.mark.parametrize("collector_on", [True, False], ids=["collector on", "collector off"])
def test_reading_leaves_the_cycle_collector_as_it_found_it(collector_on: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    # The reader pauses Python's cycle collector while it builds a sheet's cells: the program that
    # reads (the dashboard, a script turning it off itself) finds it as it was, after a read that
    # failed half way too.
    was_on = gc.isenabled()
    data = openpyxl_bytes(lambda workbook: workbook.active.append(["text", 1]))
    try:
        (gc.enable if collector_on else gc.disable)()
        assert values(read(data)) == [["text", 1.0]]
        assert gc.isenabled() is collector_on

        def fail(rows: list, errors: dict) -> None:
            assert not gc.isenabled()  # paused while the cells are built
            raise MemoryError("no room for the grid")

        monkeypatch.setattr(reader.cells, "_grid", fail)
        with pytest.raises(MemoryError):
            read(data)
        assert gc.isenabled() is collector_on
    finally:
        (gc.enable if was_on else gc.disable)()


@pytest.mark.parametrize(("data", "filename"), [
    pytest.param(openpyxl_bytes(lambda workbook: workbook.active.append(["Unit", 3])), "book.xlsx", id="xlsx"),
    pytest.param(b"Unit,3\r\n", "book.csv", id="csv"),
])
def test_meanwhile_runs_once_on_the_callers_thread_and_the_file_reads_the_same(data: bytes, filename: str) -> None:
    # The command line imports the engine in ``meanwhile`` while calamine parses on another thread.
    calls = []
    workbook = read_workbook(data, filename, meanwhile=lambda: calls.append(threading.current_thread()))
    assert calls == [threading.current_thread()]
    level = 3.0 if filename.endswith(".xlsx") else "3"  # a number in a workbook, text in a CSV
    assert values(workbook) == values(read_workbook(data, filename)) == [["Unit", level]]


def test_what_meanwhile_raises_comes_out_after_the_reading_stopped() -> None:
    data = openpyxl_bytes(lambda workbook: workbook.active.append(["Unit", 3]))

    def fail() -> None:
        raise ImportError("no engine")

    with pytest.raises(ImportError, match="no engine"):
        read_workbook(data, "book.xlsx", meanwhile=fail)
    assert [t.name for t in threading.enumerate() if t.name.startswith("gapmap-read")] == []


def test_a_file_calamine_refuses_with_meanwhile_is_refused_as_without() -> None:
    # A shared string that is not there: the guards pass it, calamine (on the second thread) does not.
    damaged = xlsx_bytes(sheet_xml('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'))
    with pytest.raises(CorruptFileError) as without:
        read_workbook(damaged, "book.xlsx")
    with pytest.raises(CorruptFileError) as given:
        read_workbook(damaged, "book.xlsx", meanwhile=lambda: None)
    assert str(given.value) == str(without.value)


@pytest.mark.parametrize(
    "cell_markup",
    [
        pytest.param('<c r="{ref}" t="e">', id="fast scan"),
        pytest.param('<c t="e" r="{ref}">', id="exact scan (attribute order the fast scan cannot prove)"),
        pytest.param('<x:c r="{ref}" t="e">', id="namespace prefix"),
    ],
)
def test_error_cells_come_back_as_their_text(cell_markup: str) -> None:
    def error(ref: str, formula: str, cached: str) -> str:
        return cell_markup.format(ref=ref) + f"<f>{formula}</f><v>{cached}</v></c>"

    body = (
        '<row r="1"><c r="A1" t="inlineStr"><is><t>Score</t></is></c>'
        + error("B1", "Sheet9!A1", "#REF!")
        + error("C1", "1/0", "#DIV/0!")
        + error("D1", "NA()", "#N/A")
        + '<c r="E1"><v>3</v></c></row>'
    )
    if "x:c" in cell_markup:
        body = body.replace("<c ", "<x:c ").replace("</c>", "</x:c>").replace("<v>", "<x:v>").replace("</v>", "</x:v>")
        body = (
            body.replace("<row", "<x:row")
            .replace("</row>", "</x:row>")
            .replace("<f>", "<x:f>")
            .replace("</f>", "</x:f>")
        )
        body = body.replace("<is><t>", "<x:is><x:t>").replace("</t></is>", "</x:t></x:is>")
        xml = prefixed(body)
    else:
        xml = sheet_xml(body)
    assert values(read(xlsx_bytes(xml))) == [["Score", "#REF!", "#DIV/0!", "#N/A", 3.0]]


def test_an_empty_workbook_reads_as_one_empty_sheet() -> None:
    workbook = read(openpyxl_bytes(lambda workbook: None))
    assert len(workbook.sheets) == 1
    assert workbook.sheets[0].cells.empty
    assert workbook.kind == "xlsx"


def test_ods_reads_as_libreoffice_writes_it() -> None:
    # LibreOffice pads every row to 1,024 cells and the sheet to 1,048,576 rows with repeated empty
    # cells: calamine drops the padding, and the guard must not count it.
    padding = '<table:table-cell table:number-columns-repeated="1022"/>'
    table = (
        '<table:table table:name="Assessment" table:style-name="shown">'
        f"<table:table-row>{ods_cell('Practice')}{ods_cell('Current')}{padding}</table:table-row>"
        f'<table:table-row table:number-rows-repeated="2"><table:table-cell table:number-columns-repeated="1024"/>'
        "</table:table-row>"
        f"<table:table-row>{ods_cell('CI')}{ods_cell(3)}{padding}</table:table-row>"
        '<table:table-row table:number-rows-repeated="1048572">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row></table:table>'
        f'<table:table table:name="Notes" table:style-name="hidden"><table:table-row>{ods_cell("x")}'
        "</table:table-row></table:table>"
    )
    workbook = read(ods_bytes(table), "assessment.ods")
    assert workbook.kind == "ods"
    assert values(workbook) == [["Practice", "Current"], [None, None], [None, None], ["CI", 3.0]]
    assert [(sheet.name, sheet.hidden) for sheet in workbook.sheets] == [("Assessment", False), ("Notes", True)]


@pytest.mark.parametrize(
    ("body", "extra", "expected"),
    [
        pytest.param(
            '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576" s="1"/></row>',
            {},
            [[1.0]],
            id="formatted empty cell far away (bloated used range)",
        ),
        pytest.param(
            '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="B1"><x:v>2</x:v></x:c></x:row>',
            {},
            [[1.0, 2.0]],
            id="namespace prefix on every element (OpenXML SDK)",
        ),
        pytest.param(
            "<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>",
            {},
            [[1.0, 2.0], [3.0, None]],
            id="cells without references",
        ),
        pytest.param(
            '<row r="2">' + "".join(f'<c r="{get_column_letter(i)}2"><v>{i}</v></c>' for i in range(1, 41)) + "</row>",
            {"before": '<dimension ref="A1:AN2"/>'},
            [[None] * 40, [float(i) for i in range(1, 41)]],
            id="40 columns",
        ),
    ],
)
def test_unusual_but_sound_sheets_read(body: str, extra: dict[str, str], expected: list) -> None:
    xml = sheet_xml(body, **extra)
    if "<x:" in body:
        xml = xml.replace(
            f'<worksheet xmlns="{MAIN_NS}"><sheetData>', f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
        )
        xml = xml.replace("</sheetData></worksheet>", "</x:sheetData></x:worksheet>")
    assert values(read(xlsx_bytes(xml))) == expected


def test_a_normal_workbook_never_needs_the_exact_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> None:
        raise AssertionError("the fast scan should have proved this sheet safe")

    monkeypatch.setattr(sheetscan._ExactSheetScan, "__init__", refuse)
    workbook = read(small_real_xlsx())
    assert values(workbook)[2:] == [
        ["Practice", "Current", "Target"],
        ["CI", 2.0, 4.0],
        ["Trunk-based development", 1.5, True],
    ]


def write_only_workbook(rows: int, columns: int, stray: tuple[int, int] | None = None) -> bytes:
    """A sheet as openpyxl's write-only mode writes it, without a <dimension>; ``stray`` (row, column),
    1-based, adds one more filled cell."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Assessment")
    for row in range(1, rows + 1):
        cells: list[object] = [f"r{row}c{column}" for column in range(1, columns + 1)]
        if stray and stray[0] == row:
            cells += [None] * (stray[1] - columns - 1) + ["stray"]
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# 9 columns × 5,000 rows fill the cell limit: a 26-column rectangle would stop at 1,730 rows.
TALL = Limits(max_rows=5_000, max_cells=45_000)


def test_a_tall_sheet_without_a_dimension_is_proved_safe_by_the_fast_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """openpyxl's write-only mode writes no <dimension>: the fast scan learns the sheet's width and height
    from its first part, or a million-row export would take the exact pass (~35 s)."""
    data = write_only_workbook(4_800, 8)
    assert b"<dimension" not in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")

    def refuse(*_args: object) -> None:
        raise AssertionError("the fast scan should have proved this sheet safe")

    monkeypatch.setattr(sheetscan._ExactSheetScan, "__init__", refuse)
    cells = read(data, limits=TALL).sheets[0].cells
    assert cells.shape == (4_800, 8)
    assert cells.iloc[-1, -1] == "r4800c8"


@pytest.mark.parametrize(("stray", "fits"), [((4_700, 9), True), ((4_700, 10), False), ((2, 30), False)])
def test_a_tall_sheet_is_still_measured_against_the_limits(stray: tuple[int, int], fits: bool) -> None:
    data = write_only_workbook(4_800, 8, stray)
    if fits:
        assert read(data, limits=TALL).sheets[0].cells.iloc[stray[0] - 1, stray[1] - 1] == "stray"
    else:
        with pytest.raises(LimitExceededError, match="spans at least"):
            read(data, limits=TALL)


def test_a_long_shared_string_used_once_is_fine() -> None:
    note = "x" * 100_000
    body = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
    workbook = read(xlsx_bytes(sheet_xml(body), shared=shared_strings_xml([note, "short"])))
    assert values(workbook) == [[note, "short"]]


# --------------------------------------------------------------------------------------------------
# CSV


@pytest.mark.parametrize(
    ("data", "filename", "expected", "note"),
    [
        pytest.param(b"Practice,Current\nCI,2\n", "a.csv", [["Practice", "Current"], ["CI", "2"]], None, id="comma"),
        pytest.param(
            b"Practice;Current\nCI;2,5\n", "a.csv", [["Practice", "Current"], ["CI", "2,5"]], "';'", id="semicolon"
        ),
        pytest.param(b"Practice\tCurrent\nCI\t2\n", "a.tsv", [["Practice", "Current"], ["CI", "2"]], "tab", id="tab"),
        pytest.param(
            "\ufeffQualité,Niveau\nTests,3\n".encode(),
            "a.csv",
            [["Qualité", "Niveau"], ["Tests", "3"]],
            None,
            id="utf-8 BOM",
        ),
        pytest.param(
            "Qualité;Niveau\nDéploiement;2\n".encode("cp1252"),
            "a.csv",
            [["Qualité", "Niveau"], ["Déploiement", "2"]],
            "cp1252",
            id="cp1252 accents",
        ),
        pytest.param(
            "Qualité,Niveau\nTests,3\n".encode("utf-16"),
            "a.csv",
            [["Qualité", "Niveau"], ["Tests", "3"]],
            None,
            id="utf-16 with BOM",
        ),
        pytest.param(
            "Practice\tCurrent\nCI\t2\n".encode("utf-16-le"),
            "a.txt",
            [["Practice", "Current"], ["CI", "2"]],
            "UTF-16",
            id="utf-16 without BOM",
        ),
        pytest.param(
            b"Practice,Cur\x00rent\nCI,2\n", "a.csv", [["Practice", "Current"], ["CI", "2"]], "NUL", id="NUL bytes"
        ),
        pytest.param(
            b"a,b\n1,2,3,4\n\n5\n",
            "a.csv",
            [["a", "b", None, None], ["1", "2", "3", "4"], [None] * 4, ["5", None, None, None]],
            None,
            id="ragged rows and a blank line keep line numbers",
        ),
        pytest.param(
            b'Practice,Note\n"CI, nightly","two\nlines"\n',
            "a.csv",
            [["Practice", "Note"], ["CI, nightly", "two\nlines"]],
            None,
            id="quoted separator and newline",
        ),
        pytest.param(
            b'unit,dimension,practice,current,target,gap,sheet,row,notes\r\n;,culture,"0\n;",1,1,0,Assessment,2,\r\n',
            "a.csv",
            [["unit", "dimension", "practice", "current", "target", "gap", "sheet", "row", "notes"],
             [";", "culture", "0\n;", "1", "1", "0", "Assessment", "2", None]],
            None,
            id="semicolons in the data, commas between fields",
        ),
        pytest.param(
            b"Practice,Current\nCI,2\n",
            "export.xlsx",
            [["Practice", "Current"], ["CI", "2"]],
            "read as CSV",
            id=".xlsx that is really CSV",
        ),
        pytest.param(
            b"Practice,Current\nCI,2\n", "upload", [["Practice", "Current"], ["CI", "2"]], None, id="no extension"
        ),
    ],
)
def test_csv_variants(data: bytes, filename: str, expected: list, note: str | None) -> None:
    workbook = read(data, filename)
    assert workbook.kind == "csv"
    assert values(workbook) == expected
    if note is None:
        assert not [n for n in workbook.notes if "separator" not in n]
    else:
        assert any(note in n for n in workbook.notes), workbook.notes


HEADER = b"Unit,Dimension,Practice,Current,Target\n"


@pytest.mark.parametrize(
    ("data", "line", "extra", "said"),
    [
        pytest.param(HEADER + b"Ops,Culture,CI,2,3,late note\nDev,Culture,CI,1,2\n", 2, ["late note"],
                     ["1 line has", "header (line 1, 5 fields)", "line 2 has 6"], id="one extra field"),
        pytest.param(HEADER + b"Dev,Culture,CI,1,2\nOps,Culture,CI,2,3,x,y,z\n", 3, ["x", "y", "z"],
                     ["1 line has", "line 3 has 8"], id="several extra fields"),
        pytest.param(HEADER + b'Ops,Culture,CI,2,3,"a, b"\n', 2, ["a, b"], ["line 2 has 6"], id="a quoted comma"),
        pytest.param(b"Assessment 2024\n\n" + HEADER + b"Ops,Culture,CI,2,3,,kept\n", 4, [None, "kept"],
                     ["header (line 3, 5 fields)", "line 4 has 7"], id="below a title block"),
        pytest.param(HEADER + b"".join(b"Ops,Culture,CI %d,2,3,more\n" % i for i in range(8)), 9, ["more"],
                     ["8 lines have", "line 2 has 6, line 3 has 6, line 4 has 6, line 5 has 6, line 6 has 6 and 3 "
                      "more;"],
                     id="many lines: the first five named"),
    ],
)
def test_csv_fields_past_the_header_are_kept_and_noted(data: bytes, line: int, extra: list, said: list[str]) -> None:
    workbook = read(data, "team.csv")
    cells = workbook.sheets[0].cells
    assert cells.iloc[line - 1, 5:5 + len(extra)].tolist() == extra  # in the raw grid, as unnamed columns
    note = next(n for n in workbook.notes if "more fields than the header" in n)
    assert note.startswith("team.csv: ")
    assert all(part in note for part in said), note


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(HEADER + b"Ops,Culture,CI,2,3\n", id="every line as wide as the header"),
        pytest.param(HEADER.replace(b"\n", b",,\n") + b"Ops,Culture,CI,2,3,, \n", id="empty trailing fields"),
        pytest.param(HEADER + b"Ops,Culture,CI,2\n", id="a short line"),
    ],
)
def test_csv_without_text_past_the_header_has_no_such_note(data: bytes) -> None:
    assert not [n for n in read(data, "team.csv").notes if "more fields" in n]


def test_csv_sheet_is_named_after_the_file() -> None:
    workbook = read(b"a,b\n", "payments team.csv")
    assert [sheet.name for sheet in workbook.sheets] == ["payments team"]
    assert workbook.sheets[0].cells.index[0] + 1 == 1


def test_csv_with_one_huge_cell_reads() -> None:
    huge = "y" * 10_000_000
    workbook = read(f'Practice,Note\nCI,"{huge}"\n'.encode(), "a.csv")
    assert workbook.sheets[0].cells.iat[1, 1] == huge


def test_csv_of_100k_lines_reads_every_line() -> None:
    # Its speed is measured in bench/, not here.
    data = b"".join(b"Practice %d,Dimension %d,%d,%d,note\n" % (i, i % 7, i % 5, 4) for i in range(100_000))
    workbook = read(data, "big.csv")
    assert workbook.sheets[0].cells.shape == (100_000, 5)
    assert workbook.sheets[0].cells.iloc[-1].tolist() == ["Practice 99999", "Dimension 4", "4", "4", "note"]


@pytest.mark.parametrize(
    ("data", "limits"),
    [
        pytest.param(b"a\n" * 101, Limits(max_rows=100), id="rows"),
        pytest.param(b",".join([b"x"] * 101) + b"\n", Limits(max_columns=100), id="columns"),
        pytest.param((b"x," * 50 + b"x\n") * 50, Limits(max_cells=2_000), id="cells"),
    ],
)
def test_csv_past_a_limit_is_refused(data: bytes, limits: Limits) -> None:
    with pytest.raises(LimitExceededError, match=r"big\.csv"):
        read(data, "big.csv", limits)


# --------------------------------------------------------------------------------------------------
# Files that are refused, with a message saying why


REFUSED = [
    ("empty file", lambda: b"", "book.xlsx", UnreadableFileError, "is empty"),
    (
        "PNG renamed .xlsx",
        lambda: b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
        "book.xlsx",
        UnsupportedFormatError,
        "PNG image",
    ),
    ("JPEG", lambda: b"\xff\xd8\xff\xe0" + b"\x00" * 64, "book.xlsx", UnsupportedFormatError, "JPEG image"),
    ("PDF", lambda: b"%PDF-1.7\n" + b"\x00" * 64, "book.xlsx", UnsupportedFormatError, "PDF document"),
    (
        "legacy .xls",
        lambda: reader._OLE_MAGIC + b"\x00" * 504 + "Workbook".encode("utf-16-le"),
        "old.xls",
        UnsupportedFormatError,
        ".xls",
    ),
    ("encrypted workbook", encrypted_xlsx, "payments.xlsx", EncryptedWorkbookError, "password-protected"),
    (
        "truncated xlsx",
        lambda: small_real_xlsx()[: len(small_real_xlsx()) // 2],
        "book.xlsx",
        CorruptFileError,
        "damaged",
    ),
    ("zip of something else", lambda: zip_of({"readme.txt": "hi"}), "book.xlsx", UnsupportedFormatError, "zip archive"),
    ("Word document", lambda: zip_of({"word/document.xml": "<w/>"}), "book.xlsx", UnsupportedFormatError, "Word"),
    ("xlsb", lambda: zip_of({"xl/workbook.bin": b"\x00"}), "book.xlsb", UnsupportedFormatError, ".xlsb"),
    (
        "xlsx and ods parts in one zip",
        lambda: zip_of({"xl/workbook.xml": "<w/>", "content.xml": "<c/>"}),
        "book.xlsx",
        CorruptFileError,
        "mixes",
    ),
    ("random binary", lambda: bytes(range(256)) * 16, "book.csv", UnsupportedFormatError, "neither a spreadsheet"),
    ("JSON", lambda: b'{"practice": "CI"}', "book.json", UnsupportedFormatError, ".json"),
    (
        "HTML named .xls",
        lambda: b"<html><table><tr><td>CI</td></tr></table></html>",
        "export.xls",
        UnsupportedFormatError,
        "HTML",
    ),
    (
        "billion laughs in a sheet",
        lambda: xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=LAUGHS)
        ),
        "book.xlsx",
        CorruptFileError,
        "DOCTYPE",
    ),
    (
        "billion laughs in shared strings",
        lambda: xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
            shared=shared_strings_xml(["&lol9;"], prolog=LAUGHS),
        ),
        "book.xlsx",
        CorruptFileError,
        "DOCTYPE",
    ),
    (
        "billion laughs in the workbook part",
        lambda: xlsx_bytes(A_SHEET, workbook_prolog=LAUGHS),
        "book.xlsx",
        CorruptFileError,
        "DOCTYPE",
    ),
    (
        "DOCTYPE in styles",
        lambda: xlsx_bytes(A_SHEET, extra={"xl/styles.xml": f'<?xml version="1.0"?>{LAUGHS}<s/>'}),
        "book.xlsx",
        CorruptFileError,
        "DOCTYPE",
    ),
    (
        "billion laughs in .ods",
        lambda: ods_bytes(
            '<table:table table:name="T"><table:table-row>'
            '<table:table-cell office:value-type="string"><text:p>&lol9;</text:p></table:table-cell></table:table-row>'
            "</table:table>",
            prolog=LAUGHS,
        ),
        "book.ods",
        CorruptFileError,
        "DOCTYPE",
    ),
    (
        "two parts with one name",
        lambda: zip_of(
            {"xl/workbook.xml": "<w/>", "xl/worksheets/sheet1.xml#1": A_SHEET, "xl/worksheets/sheet1.xml#2": A_SHEET}
        ),
        "book.xlsx",
        CorruptFileError,
        "share a name",
    ),
    ("1,000 sheets", lambda: xlsx_bytes(*[A_SHEET] * 1_000), "book.xlsx", LimitExceededError, "1,000 sheets"),
    (
        "10,001 zip members",
        lambda: zip_of({f"f{i}": b"" for i in range(10_001)}, zipfile.ZIP_STORED),
        "book.xlsx",
        LimitExceededError,
        "10,001 files",
    ),
    (
        "zip-encrypted part",
        lambda: set_encrypted_flag(xlsx_bytes(A_SHEET), "[Content_Types].xml"),
        "book.xlsx",
        EncryptedWorkbookError,
        "password",
    ),
    (
        "bzip2-compressed part",
        lambda: xlsx_bytes(A_SHEET, compression=zipfile.ZIP_BZIP2),
        "book.xlsx",
        CorruptFileError,
        "compression method",
    ),
    (
        "invalid cell reference",
        lambda: xlsx_bytes(sheet_xml('<row r="1"><c r="$A$1"><v>1</v></c></row>')),
        "book.xlsx",
        CorruptFileError,
        "not valid",
    ),
    (
        "shared strings in an unknown encoding",
        lambda: xlsx_bytes(
            A_SHEET, shared=shared_strings_xml(["x"]).replace('version="1.0"', 'version="1.0" encoding="XFD"')
        ),
        "book.xlsx",
        CorruptFileError,
        "not valid XML",
    ),
    (
        "zip asking for a newer zip version",
        lambda: needs_zip_version(xlsx_bytes(A_SHEET), "xl/workbook.xml", 129),
        "book.xlsx",
        CorruptFileError,
        "zip container",
    ),
    (
        "a second end record hidden in the zip comment",
        lambda: with_comment(xlsx_bytes(A_SHEET), b"PK\x05\x06" + b"\x00" * 16 + struct.pack("<H", 0)),
        "book.xlsx",
        CorruptFileError,
        "ambiguous",
    ),
    (
        "bytes prepended to the archive",
        lambda: b"PK\x03\x04" + b"\x00" * 26 + xlsx_bytes(A_SHEET),
        "book.xlsx",
        CorruptFileError,
        "not where it says",
    ),
    (
        "password-protected .ods",
        lambda: ods_bytes("", manifest_extra="<manifest:encryption-data/>"),
        "book.ods",
        EncryptedWorkbookError,
        "password",
    ),
    (
        ".ods whose repeats explode",
        lambda: ods_content_repeats(100_000, 1_000),
        "book.ods",
        LimitExceededError,
        "100,000 rows × 1,000 columns",
    ),
    (
        ".ods repeating a long text",
        lambda: ods_content_repeats(1_000, 100, '<text:p>x<text:s text:c="100000"/></text:p>'),
        "book.ods",
        LimitExceededError,
        "repeats long texts",
    ),
    ("zip bomb by ratio", lambda: repeated_row_sheet(20 * 1024**2), "book.xlsx", LimitExceededError, "zip bomb"),
]


@pytest.mark.parametrize(
    ("build", "filename", "error", "message"),
    [pytest.param(build, filename, error, message, id=case) for case, build, filename, error, message in REFUSED],
)
def test_refused_files_say_why(
    build: Callable[[], bytes], filename: str, error: type[GapmapError], message: str
) -> None:
    with pytest.raises(error, match=message) as raised:
        read(build(), filename)
    assert filename in str(raised.value)
    assert "\n" not in str(raised.value)


def test_external_entity_is_refused_and_never_read() -> None:
    passwd = Path("/etc/passwd").read_text(encoding="utf-8", errors="replace").splitlines()[0]
    body = '<row r="1"><c r="A1" t="inlineStr"><is><t>&xxe;</t></is></c></row>'
    for data in (
        xlsx_bytes(sheet_xml(body, prolog=EXTERNAL_ENTITY)),
        xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
            shared=shared_strings_xml(["&xxe;"], prolog=EXTERNAL_ENTITY),
        ),
    ):
        with pytest.raises(CorruptFileError, match="DOCTYPE") as raised:
            read(data)
        assert passwd not in str(raised.value)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.xlsx"
    with path.open("wb") as handle:
        handle.truncate(60 * 1024**2)  # sparse: 60 MiB on paper, nothing on disk
    with pytest.raises(LimitExceededError, match=r"huge\.xlsx is 60\.0 MiB"):
        read_workbook(path)
    with pytest.raises(LimitExceededError, match="over gapmap's limit"):
        read(b"a,b\n" * 100, "a.csv", Limits(max_file_bytes=100))


def test_a_missing_path_is_unreadable(tmp_path: Path) -> None:
    with pytest.raises(UnreadableFileError, match=r"nothere\.xlsx cannot be opened"):
        read_workbook(tmp_path / "nothere.xlsx")


def test_lying_zip_headers_do_not_hide_what_inflates() -> None:
    # The sheet declares 10 kB but its deflate stream holds 64 MiB. Python's zipfile would stop at
    # 10 kB; calamine's zip reader would not, so neither may the guard.
    honest = repeated_row_sheet(64 * 1024**2)
    lying = patch_declared_size(honest, "xl/worksheets/sheet1.xml", 10_000)
    start = time.perf_counter()
    with pytest.raises(LimitExceededError, match=r"zip bomb|expands to more than"):
        read(lying, "book.xlsx", Limits(max_inflated_bytes=32 * 1024**2))
    assert time.perf_counter() - start < 5


@pytest.mark.slow
def test_a_one_gib_zip_bomb_is_refused_at_once() -> None:
    bomb = repeated_row_sheet(1024**3)  # ~3 MB on disk, built in a few seconds
    assert len(bomb) < 5 * 1024**2
    start = time.perf_counter()
    with pytest.raises(LimitExceededError, match="would expand to 1,0"):
        read(bomb, "bomb.xlsx")
    assert time.perf_counter() - start < 1
    lying = patch_declared_size(bomb, "xl/worksheets/sheet1.xml", 10_000)
    with pytest.raises(LimitExceededError):
        read(lying, "bomb.xlsx")


# --------------------------------------------------------------------------------------------------
# Traps that abort the interpreter if they ever reach python-calamine: run in a child process

HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "A1 and XFD1048576": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="1048576"><c r="{FAR}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "far cell in row 1": (
        lambda: xlsx_bytes(sheet_xml(f'<row r="1"><c r="A1"><v>1</v></c><c r="{FAR}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "lower-case reference": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="3"><c r="{FAR.lower()}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "single quotes": (
        lambda: xlsx_bytes(sheet_xml(A1 + f"<row r='3'><c r='{FAR}'><v>1</v></c></row>")),
        "LimitExceededError",
    ),
    "spaces around =": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="3"><c r = "{FAR}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "newline before r": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="3"><c\nr="{FAR}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "r attribute written twice": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="3"><c r="A3" r="{FAR}"><v>1</v></c></row>')),
        "CorruptFileError",
    ),
    "no space before r": (
        lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="3"><c s="1"r="{FAR}"><v>1</v></c></row>')),
        "CorruptFileError",
    ),
    "namespace prefixes": (
        lambda: xlsx_bytes(
            prefixed(f'<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c><x:c r="{FAR}"><x:v>1</x:v></x:c></x:row>')
        ),
        "LimitExceededError",
    ),
    "cell without reference after XFC": (
        lambda: xlsx_bytes(sheet_xml('<row r="1048576"><c r="XFC1048576"><v>1</v></c><c><v>2</v></c></row>')),
        "LimitExceededError",
    ),
    "16,384 cells without references": (
        lambda: xlsx_bytes(sheet_xml('<row r="1048576">' + "<c/>" * 16_384 + "<c><v>1</v></c></row>")),
        "LimitExceededError",
    ),
    "row number in the billions": (
        lambda: xlsx_bytes(sheet_xml('<row r="99999999999"><c r="A99999999999"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "column letters past XFD": (
        lambda: xlsx_bytes(sheet_xml(A1 + '<row r="3"><c r="ZZZZZZZZZZ3"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "far cell in a second sheet": (
        lambda: xlsx_bytes(A_SHEET, sheet_xml(f'<row r="2"><c r="{FAR}"><v>1</v></c></row>')),
        "LimitExceededError",
    ),
    "sheet at an unusual path": (
        lambda: xlsx_bytes(
            A_SHEET,
            extra={
                "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns='
                '"http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="/xl/odd/x.bin"/></Relationships>',
                "xl/odd/x.bin": sheet_xml(A1 + f'<row r="3"><c r="{FAR}"><v>1</v></c></row>'),
            },
        ),
        "LimitExceededError",
    ),
    "a sheet pointed at the shared-strings part": (
        lambda: xlsx_bytes(
            A_SHEET,
            shared=f'<?xml version="1.0"?><sst xmlns="{MAIN_NS}"><si><t>x</t></si><sheetData><row r="1"><c r="A1">'
            f'<v>1</v></c><c r="{FAR}"><v>1</v></c></row></sheetData></sst>',
            extra={
                "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns='
                '"http://schemas.openxmlformats.org/package/2006/relationships">'
                f'<Relationship Id="rId1" Type="{REL_NS}/worksheet" Target="sharedStrings.xml"/></Relationships>',
            },
        ),
        "LimitExceededError",
    ),
    "mergeCell spanning the whole sheet": (
        lambda: xlsx_bytes(sheet_xml(A1, after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')),
        "ok 1x1",
    ),
    "dimension claiming the whole sheet": (
        lambda: xlsx_bytes(sheet_xml(A1, before='<dimension ref="A1:XFD1048576"/>')),
        "ok 1x1",
    ),
    "shared strings lying about their count": (
        lambda: xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
            shared=shared_strings_xml(["x"], unique_count=4_000_000_000),
        ),
        "CorruptFileError",
    ),
    "long shared string in every cell": (
        lambda: xlsx_bytes(
            sheet_xml("".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, 10_001))),
            shared=shared_strings_xml(["y" * 100_000]),
        ),
        "LimitExceededError",
    ),
    "ods rows repeated past the limit": (lambda: ods_content_repeats(2_000_000, 1), "LimitExceededError"),
}

CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, (4 * 1024**3, 4 * 1024**3))  # a regression fails, never swaps
from maturity.reader import read_workbook
for line in sys.stdin:
    case, path = json.loads(line)
    print(json.dumps({"start": case}), flush=True)
    try:
        book = read_workbook(path)
        outcome = "ok " + "x".join(map(str, book.sheets[0].cells.shape))
    except Exception as exc:
        outcome = type(exc).__name__
    print(json.dumps({"case": case, "outcome": outcome}), flush=True)
"""


@pytest.fixture(scope="module")
def hostile_outcomes(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Each case's outcome in a child process; a child that dies is restarted for the cases left."""
    folder = tmp_path_factory.mktemp("hostile")
    pending: dict[str, str] = {}
    for i, (case, (build, _expected)) in enumerate(HOSTILE.items()):
        path = folder / f"case{i}.{'ods' if 'ods' in case else 'xlsx'}"
        path.write_bytes(build())
        pending[case] = str(path)
    outcomes: dict[str, str] = {}
    while pending:
        child = subprocess.run(
            [sys.executable, "-c", CHILD],
            input="".join(json.dumps([case, path]) + "\n" for case, path in pending.items()),
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=180,
        )
        started = None
        for line in child.stdout.splitlines():
            event = json.loads(line)
            started = event.get("start", started)
            if "case" in event:
                outcomes[event["case"]] = event["outcome"]
                pending.pop(event["case"])
        if child.returncode != 0:
            outcomes[started] = f"the child process died ({child.returncode}): {child.stderr.strip()[-200:]}"
            pending.pop(started)
    return outcomes


@pytest.mark.parametrize(("case", "expected"), [(case, expected) for case, (_build, expected) in HOSTILE.items()])
def test_hostile_grids_never_reach_calamine(hostile_outcomes: dict[str, str], case: str, expected: str) -> None:
    assert hostile_outcomes[case] == expected


# --------------------------------------------------------------------------------------------------
# Any bytes: a RawWorkbook or a GapmapError, never anything else

FILENAMES = st.sampled_from(["book.xlsx", "book.csv", "book.ods", "upload", "notes.txt", "book.xls"])


def read_or_refuse(data: bytes, filename: str) -> None:
    try:
        workbook = read_workbook(data, filename)
    except GapmapError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        assert isinstance(workbook, RawWorkbook)
        for sheet in workbook.sheets:
            assert list(sheet.cells.index) == list(range(len(sheet.cells)))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), filename=FILENAMES)
def test_arbitrary_bytes(data: bytes, filename: str) -> None:
    read_or_refuse(data, filename)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=4096), filename=FILENAMES)
def test_arbitrary_bytes_behind_a_zip_signature(data: bytes, filename: str) -> None:
    read_or_refuse(b"PK\x03\x04" + data, filename)


STORED_XLSX = xlsx_bytes(
    sheet_xml(
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="e"><v>#N/A</v></c></row>'
        '<row r="2"><c r="A2"><v>2</v></c><c r="B2" t="inlineStr"><is><t>CI</t></is></c></row>',
        before='<dimension ref="A1:B2"/>',
        after='<mergeCells count="1"><mergeCell ref="A1:B1"/></mergeCells>',
    ),
    shared=shared_strings_xml(["Practice"]),
    compression=zipfile.ZIP_STORED,  # mutations then land in the XML itself, not in a deflate stream
)
STORED_ODS = ods_bytes(
    '<table:table table:name="T"><table:table-row table:number-rows-repeated="2">'
    f'{ods_cell("a")}<table:table-cell table:number-columns-repeated="3"/>{ods_cell(2)}</table:table-row></table:table>'
)
SAMPLES = [STORED_XLSX, small_real_xlsx(), STORED_ODS]


@st.composite
def mutated_workbooks(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(SAMPLES)))
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["replace", "insert", "delete"]))
        if action == "replace":
            data[at] = draw(st.integers(0, 255))
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from([b"9", b"Z", b"<", b">", b'"', b"'", b" ", b"&", b"/", b"XFD", b"99999"])
            )
        else:
            del data[at : at + draw(st.integers(1, 16))]
    if draw(st.booleans()):
        data = data[: draw(st.integers(1, len(data)))]
    return bytes(data)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=mutated_workbooks())
def test_mutated_workbooks(data: bytes) -> None:
    read_or_refuse(data, "book.xlsx")
