import csv
import io

import numpy as np
import pandas as pd
import pytest
import python_calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from maturity import formula_safe, safe_filename, template_bytes, to_csv_bytes, to_excel_bytes
from maturity.layout import column_role


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+1", "'+1"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_csv_cells_cannot_run_as_formulas(text, written):
    frame = pd.DataFrame({"practice": [text], "level": [-3]})
    data = to_csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf")  # BOM: Excel reads UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[1] == [written, "-3"]  # numbers stay numbers


@pytest.mark.parametrize(
    "columns",
    [
        # Text that needs quoting, guarding or nothing; missing markers of every kind.
        {"text": ['a,b', 'say "hi"', "two\nlines", "cr\rhere", " lead", "", "=1+1", "-x", None, float("nan"), pd.NA],
         "level": [1, 2, 3, 4, 5, 1, 2, 3, 4, 5, 1]},
        # Equal values that print differently: 0.0 and -0.0; 1, 1.0 and True in one object column.
        {"score": [0.0, -0.0, 1.5, float("nan"), 1e-7, 1e16],
         "mixed": pd.Series([1, 1.0, True, 0, False, "1"], dtype=object)},
        # Nullable, string, unsigned, 32-bit float and boolean columns.
        {"row": pd.array([3, None, 5], dtype="Int64"), "name": pd.array(["x", None, "@y"], dtype="str"),
         "small": pd.array([1, 2, 3], dtype="uint8"), "ratio": pd.array([0.1, 2.5, 3.0], dtype="float32"),
         "flag": pd.array([True, None, False], dtype="boolean"), "done": [True, False, True]},
        # One column, where pandas quotes an empty lone field, and a date column: pandas' own writer.
        {"lonely": ["", None, "x"]},
        {"when": pd.to_datetime(["2024-01-02", None]), "unit": ["Ops", "Dev"]},
        {"unit": pd.Series([], dtype=object), "level": pd.Series([], dtype="Int64")},
        # Half floats (0.1 is 0.1, not its float32 widening 0.099975586), many distinct nullable ints.
        {"half": np.array([0.1, 0.3, np.nan, 0.1], dtype="float16"), "row": pd.array([3, None, 3, 4], dtype="Int64")},
        {"row": pd.array(range(-500, 500), dtype="Int64"), "note": [f"=n{i}" for i in range(1000)]},
        # Long double and categories: pandas' own writer.
        {"wide": np.array([0.1, np.nan], dtype="longdouble"), "unit": ["a", "b"]},
        {"unit": pd.Categorical(["=x", "y", None]), "level": [1, 2, 3]},
    ],
)
def test_csv_bytes_are_exactly_what_pandas_writes(columns):
    frame = pd.DataFrame(columns)
    expected = formula_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    assert to_csv_bytes(frame) == expected


@pytest.mark.parametrize(
    ("columns", "text"),
    [
        ({"unit": ["=1+1", "-x", "@a", "+1"], "level": [1, 2, 3, -4]},
         "unit,level\r\n'=1+1,1\r\n'-x,2\r\n'@a,3\r\n'+1,-4\r\n"),
        ({"note": ["\t", "\r\n", "\rx", "plain"], "n": [1, 2, 3, 4]},
         "note,n\r\n'\t,1\r\n\"'\r\n\",2\r\n\"'\rx\",3\r\nplain,4\r\n"),
        ({"note": ['"quoted"', "comma,inside", "two\nlines", "=a,b"], "n": [1, 2, 3, 4]},
         'note,n\r\n"""quoted""",1\r\n"comma,inside",2\r\n"two\nlines",3\r\n"\'=a,b",4\r\n'),
        ({"note": ["🙂", None, float("nan"), pd.NA], "n": [1, 2, 3, 4]},
         "note,n\r\n🙂,1\r\n,2\r\n,3\r\n,4\r\n"),
        ({"score": [1.5, -0.0, float("nan"), 1e16, 0.1], "unit": ["a", "b", "c", "d", "e"]},
         "score,unit\r\n1.5,a\r\n-0.0,b\r\n,c\r\n1e+16,d\r\n0.1,e\r\n"),
        ({"row": pd.array([1, None, -3], dtype="Int64"), "ratio": pd.array([1.5, None, -2.0], dtype="Float64")},
         "row,ratio\r\n1,1.5\r\n,\r\n-3,-2.0\r\n"),
        ({"done": [True, False], "flag": pd.array([None, True], dtype="boolean")},
         "done,flag\r\nTrue,\r\nFalse,True\r\n"),
        ({"=cmd": ["x"], "a,b": ["y"], "-1": [-1]},
         "'=cmd,\"a,b\",'-1\r\nx,y,-1\r\n"),
        ({"mixed": pd.Series([1, 1.0, True, "=1", None], dtype=object), "n": [1, 2, 3, 4, 5]},
         "mixed,n\r\n1,1\r\n1.0,2\r\nTrue,3\r\n'=1,4\r\n,5\r\n"),
        # A column is first scanned whole: one risky text among plain ones, first or last, is still found;
        # a NUL before '=' inside a text is not the start of one.
        ({"note": ["plain", "text", "=last"], "first": ["-first", "plain", "text"]},
         "note,first\r\nplain,'-first\r\ntext,plain\r\n'=last,text\r\n"),
        ({"note": ["a\x00=b", "x"], "quote": ["x", 'end"']},
         'note,quote\r\na\x00=b,x\r\nx,"end"""\r\n'),
    ],
)
def test_csv_bytes_of_hostile_cells(columns, text):
    assert to_csv_bytes(pd.DataFrame(columns)) == ("\ufeff" + text).encode("utf-8")


CSV_TEXT = st.one_of(
    st.none(),
    st.text(max_size=12),
    st.builds(str.__add__, st.sampled_from(["=", "+", "-", "@", "\t", "\r", '"', ",", "\n", "'"]), st.text(max_size=6)),
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(CSV_TEXT, CSV_TEXT, st.integers(-1000, 1000)), min_size=1, max_size=30))
def test_csv_read_back_gives_each_cell_guarded(body):
    frame = pd.DataFrame(body, columns=["unit", "=notes", "level"])
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == ["unit", "'=notes", "level"]

    def guarded(text):
        return "" if text is None else "'" + text if text.startswith(("=", "+", "-", "@", "\t", "\r")) else text

    assert rows[1:] == [[guarded(unit), guarded(notes), str(level)] for unit, notes, level in body]


def test_formula_safe_guards_column_names_and_keeps_the_input():
    frame = pd.DataFrame({"=cmd": ["@x"]})
    safe = formula_safe(frame)
    assert list(safe.columns) == ["'=cmd"]
    assert frame.iloc[0, 0] == "@x"


def test_accents_survive_the_csv():
    data = to_csv_bytes(pd.DataFrame({"unit": ["Qualité & Sécurité"]}))
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")["unit"].tolist() == ["Qualité & Sécurité"]


def test_excel_export_stores_formula_text_as_text():
    frame = pd.DataFrame({"practice": ["=1+1", "<script>x</script>", None], "level": [1, 2, 3]})
    book = load_workbook(io.BytesIO(to_excel_bytes({"Roadmap": frame})))
    sheet = book["Roadmap"]
    assert [c.value for c in sheet["A"]] == ["practice", "=1+1", "<script>x</script>", None]
    assert sheet["A2"].data_type == "s"
    assert [c.value for c in sheet["B"]][1:] == [1, 2, 3]


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("Payments Q3", "Payments_Q3.csv"),
        ("../../etc/passwd", "etc_passwd.csv"),
        ("<img src=x>", "img_src_x.csv"),
        ("", "gapmap.csv"),
        ("Qualité", "Qualit.csv"),
    ],
)
def test_download_names_are_plain(stem, name):
    assert safe_filename(stem, ".csv") == name


def test_template_has_every_practice_and_level_dropdowns(rubric):
    book = load_workbook(io.BytesIO(template_bytes(rubric)))
    assert book.sheetnames == ["Instructions", "Assessment"]
    sheet = book["Assessment"]
    headers = [c.value for c in sheet[1]]
    assert [column_role(h) for h in headers][:5] == ["unit", "dimension", "practice", "current", "target"]
    assert sheet.max_row - 1 == rubric.practice_count
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert lists[f"D2:E{sheet.max_row + 500}"] == '"Base,Beginner,Intermediate,Advanced,Expert"'


@pytest.mark.parametrize("text", [
    "x" * 40_000,
    ("line\r\n" * 6_000)[:32_000],  # under the limit, but each CR is stored as 7 characters
    "\x01" * 40_000,
    "🙂" * 20_000,  # Excel counts UTF-16 units: an emoji is two
])
def test_excel_cells_longer_than_excel_allows_are_cut_and_say_so(text):
    frame = pd.DataFrame({"notes": [text, "short"]})
    data = to_excel_bytes({"Notes": frame})
    stored = load_workbook(io.BytesIO(data))["Notes"]["A2"].value  # what the file holds, escapes and all
    assert len(stored.encode("utf-16-le")) // 2 <= 32_767
    shown = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert shown[2][0] == "short"
    marker = f" … [cut: {len(text):,} characters; the CSV export has them all]"
    assert shown[1][0].endswith(marker)
    head = shown[1][0][: -len(marker)]
    assert text.startswith(head) and len(head) > 4_000  # a whole prefix of the text, not a broken escape
