"""Text from a file is inert everywhere it goes: charts, CSV and Excel exports, download names, the pages.

The workbook is the corpus's ``hostile_text`` case: every unit, practice, note and owner is one of
``HOSTILE_TEXT`` (HTML, markdown, streamlit directives, LaTeX, spreadsheet formulas, tab- and
CR-led text, a right-to-left override, placeholders, a 5,000-character string), on a sheet whose
name is markup too, uploaded under a file name that is markup.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
import python_calamine
from streamlit.testing.v1 import AppTest

from maturity import Assessment, assess, build_roadmap, charts, load_rubric, safe_filename, to_csv_bytes, to_excel_bytes
from maturity.export import FORMULA_START
from tests.data.hostile.make_corpus import CASES, HOSTILE_SHEET, HOSTILE_TEXT, csv_text

RUBRIC = load_rubric("cdmm")
UPLOAD_NAME = "<img src=x onerror=alert(1)> **evil** $x$.xlsx"
CHART_MARKUP = re.compile(r"<br>|</?b>|<extra></extra>")  # what the charts write themselves
MARKDOWN_SPECIALS = set("\\`*_{}[]()#+-.!|<>~$:=^\"'&")
PLAIN_NAME = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]{0,79}\.(csv|xlsx|pptx|html)")


@pytest.fixture(scope="module")
def assessment(corpus: Callable[[str], Path]) -> Assessment:
    return assess(corpus("hostile_text").read_bytes(), UPLOAD_NAME)


def shown(text: str) -> str:
    """How the engine keeps a cell's text: stripped of surrounding spaces, tabs and line breaks."""
    return text.strip()


def test_every_hostile_text_is_read_as_typed(assessment: Assessment) -> None:
    assert len(assessment.normalized) == CASES["hostile_text"].outcome.rows
    for column in ("unit", "practice", "notes", "owner"):
        assert set(assessment.normalized[column]) == {shown(t) for t in HOSTILE_TEXT}
    assert set(assessment.normalized["source_sheet"]) == {HOSTILE_SHEET}


# --------------------------------------------------------------------------------------------------
# Charts


def figures(assessment: Assessment) -> Iterator[tuple[str, dict]]:
    normalized, rubric = assessment.normalized, assessment.rubric
    units = assessment.units
    yield "radar", charts.radar(normalized, rubric).to_plotly_json()
    yield "radar of a unit", charts.radar(normalized, rubric, units[0], title=units[0]).to_plotly_json()
    yield "unit radar", charts.unit_radar(normalized, rubric, units).to_plotly_json()
    yield "heatmap", charts.gap_heatmap(normalized, rubric).to_plotly_json()
    yield "ranking", charts.gap_ranking(normalized, rubric).to_plotly_json()
    for dimension in rubric.dimension_ids:
        yield f"practices of {dimension}", charts.practice_bars(normalized, rubric, dimension).to_plotly_json()
    yield "timeline", charts.roadmap_timeline(build_roadmap(assessment), rubric).to_plotly_json()


@pytest.fixture(scope="module")
def own_model() -> Assessment:
    """A file read in its own model whose areas and level names are all hostile text: they reach the
    charts as axis labels, tick labels and legend names, not only as data."""
    names = [shown(text) for text in HOSTILE_TEXT]
    rows = [["Unit", "Area", "Current", "Target"]]
    rows += [[names[i], names[i], f"{1 + i % 3} - {names[i % 3]}", f"{4 + i % 2} - {names[3 + i % 2]}"]
             for i in range(len(names))]
    return assess(csv_text(rows).encode("utf-8"), "own.csv", rubric="own")


def strings(node: object, key: str = "") -> Iterator[tuple[str, str]]:
    """Every (key, string) in a figure's JSON: names, texts, hovers, customdata, categories, tick labels."""
    if isinstance(node, str):
        yield key, node
    elif isinstance(node, dict):
        for child_key, child in node.items():
            yield from strings(child, child_key)
    elif isinstance(node, list | tuple):
        for child in node:
            yield from strings(child, key)
    elif hasattr(node, "tolist"):  # numpy arrays of labels
        yield from strings(node.tolist(), key)


def test_a_hostile_own_model_is_read_with_its_names_as_typed(own_model: Assessment) -> None:
    rubric = own_model.rubric
    assert own_model.problems.empty, own_model.problems.to_dict("records")
    assert {d.name for d in rubric.dimensions} == {shown(t) for t in HOSTILE_TEXT}
    assert [lv.name for lv in rubric.levels] == [shown(t) for t in HOSTILE_TEXT[:5]]


@pytest.mark.parametrize("which", ["cdmm", "own model"])
def test_chart_text_is_escaped_where_plotly_would_draw_markup(assessment: Assessment, own_model: Assessment,
                                                              which: str) -> None:
    assessment = assessment if which == "cdmm" else own_model
    drawn_anywhere = ""
    for name, figure in figures(assessment):
        drawn = json.dumps(figure, default=str)
        drawn_anywhere += drawn
        for key, text in strings(figure):
            if key.endswith("template"):  # the chart's own hover and text templates: never user text
                assert not any(shown(t) in text or html.escape(shown(t)) in text for t in HOSTILE_TEXT[:10]), text
                continue
            assert "<" not in CHART_MARKUP.sub("", text), f"{name}: {key} = {text[:120]!r}"
    for text in HOSTILE_TEXT:
        if "<" in text:
            assert json.dumps(html.escape(shown(text), quote=False))[1:-1] in drawn_anywhere, text[:40]


# --------------------------------------------------------------------------------------------------
# Exports and download names


def exported_frames(assessment: Assessment) -> dict[str, pd.DataFrame]:
    """The tables gapmap exports, full of hostile text: normalized rows, the roadmap, and problems (a
    file whose every row is wrong, so that the hostile values land in the problems table)."""
    wrong = csv_text([["Unit", "Dimension", "Practice", "Current", "Target"],
                      *[[text, "Made-up area", text, "TBD", text] for text in HOSTILE_TEXT]])
    return {
        "normalized": assessment.normalized,
        "roadmap": build_roadmap(assessment),
        "problems": assess(wrong.encode("utf-8"), "problems.csv").problems,
    }


@pytest.mark.parametrize("table", ["normalized", "roadmap", "problems"])
def test_csv_export_guards_formulas_and_keeps_every_other_character(assessment: Assessment, table: str) -> None:
    frame = exported_frames(assessment)[table]
    rows = list(csv.reader(io.StringIO(to_csv_bytes(frame).decode("utf-8-sig"), newline="")))
    assert rows[0] == [str(c) for c in frame.columns]
    assert len(rows) == len(frame) + 1
    for record, line in zip(frame.itertuples(index=False), rows[1:], strict=True):
        for value, field in zip(record, line, strict=True):
            if isinstance(value, str):
                assert field == ("'" + value if value.startswith(FORMULA_START) else value)
            elif field.startswith(FORMULA_START):
                float(field)  # only a number (a negative one) may start like a formula


def calamine_values(data: bytes) -> list[list[object]]:
    """The first sheet's values as Excel shows them (calamine reads OOXML's _xHHHH_ escapes as Excel does)."""
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize("table", ["normalized", "roadmap", "problems"])
def test_excel_export_stores_text_as_text(assessment: Assessment, table: str) -> None:
    frame = exported_frames(assessment)[table]
    data = to_excel_bytes({HOSTILE_SHEET: frame})
    sheet = openpyxl.load_workbook(io.BytesIO(data), rich_text=False).active
    cells, values = list(sheet.iter_rows(min_row=2)), calamine_values(data)[1:]
    assert len(cells) == len(values) == len(frame)
    for record, row, shown in zip(frame.itertuples(index=False), cells, values, strict=True):
        for value, cell, text in zip(record, row, shown, strict=True):
            if isinstance(value, str):
                assert cell.data_type == "s" and text == value, (cell.coordinate, value[:60])


def test_excel_export_keeps_control_characters_and_escape_lookalikes() -> None:
    notes = ["line 1\r\nline 2", "old Mac\rline", "bell\x07 and NUL\x00", "literally _x000D_ here", "_x005F_",
             "tab\tand\nline feed"]
    data = to_excel_bytes({"Notes": pd.DataFrame({"notes": notes})})
    assert [row[0] for row in calamine_values(data)[1:]] == notes


@pytest.mark.parametrize("stem", [*HOSTILE_TEXT, UPLOAD_NAME, "../../etc/passwd", "CON", ".hidden", "a" * 500, ""])
def test_download_names_are_plain(stem: str) -> None:
    name = safe_filename(f"{stem}_roadmap", ".csv")
    assert PLAIN_NAME.fullmatch(name), name
    assert ".." not in name


# --------------------------------------------------------------------------------------------------
# The pages

PAGES = ("pages/overview.py", "pages/compare.py", "pages/practices.py", "pages/roadmap.py", "pages/rubric.py")


def markdown_bodies(at: AppTest) -> list[str]:
    """The source of every element Streamlit renders as markdown (labels of expanders and tabs too)."""
    elements = (*at.markdown, *at.caption, *at.title, *at.header, *at.subheader, *at.error, *at.warning,
                *at.info, *at.success)
    return [e.value for e in elements] + [e.label for e in (*at.expander, *at.tabs)]


def assert_inert(at: AppTest, page: str) -> None:
    assert not at.exception, [e.value for e in at.exception]
    for body in markdown_bodies(at):
        for text in (*HOSTILE_TEXT, HOSTILE_SHEET, UPLOAD_NAME):
            text = shown(text)
            if MARKDOWN_SPECIALS & set(text):
                assert text not in body, f"{page}: {text!r} is markup in {body[:200]!r}"
    for chart in at.get("plotly_chart"):
        spec = chart.proto.spec
        assert "<script" not in spec and "<img" not in spec and "<b>long" not in spec, page


def test_pages_show_hostile_text_literally_and_offer_plain_safe_downloads(
    corpus: Callable[[str], Path], landing: Callable[..., AppTest], upload: Callable[..., AppTest],
    downloads: list[tuple[str, Callable[[], bytes]]],
) -> None:
    from pages._ui.components import escape_markdown

    at = upload(landing(), UPLOAD_NAME, corpus("hostile_text").read_bytes())
    assert not at.error, [e.value for e in at.error]
    assert f"Your file: {UPLOAD_NAME}" in [t.value for t in at.sidebar.text]  # st.text: shown as typed
    bodies = []
    for unit in (None, shown(HOSTILE_TEXT[0]), shown(HOSTILE_TEXT[2])):
        if unit is not None:
            at.sidebar.selectbox(key="unit_filter").set_value(unit).run()
        for page in PAGES:
            at.switch_page(page).run()
            assert_inert(at, page)
            bodies += markdown_bodies(at)
    # Shown, escaped, not dropped: the file name, the sheet name and a unit chosen in the filter.
    for text in (UPLOAD_NAME, HOSTILE_SHEET, HOSTILE_TEXT[0], HOSTILE_TEXT[2]):
        assert any(escape_markdown(text) in body for body in bodies), text
    assert downloads, "the pages offer downloads"
    packs = {}  # the steering pack: offered on every Overview run, built (seconds) once per format
    for file_name, data in downloads:
        assert PLAIN_NAME.fullmatch(file_name), file_name
        if file_name.endswith((".pptx", ".html")):
            packs[file_name.rsplit(".", 1)[1]] = data
            continue
        content = data()
        if file_name.endswith(".csv"):
            for line in csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")):
                for field in line:
                    if field.startswith(FORMULA_START):
                        float(field)
        else:
            book = openpyxl.load_workbook(io.BytesIO(content))
            assert all(c.data_type != "f" for s in book for row in s.iter_rows() for c in row)
    assert set(packs) == {"pptx", "html"}
    page = packs["html"]().decode()
    outside_scripts = re.sub(r"<script\b[^>]*>.*?</script>", "", page, flags=re.DOTALL)
    for text in HOSTILE_TEXT:  # the pack names the unit shown: as text, never as markup
        if "<" in text:
            assert text not in outside_scripts, text
    assert page.count("</script") == page.count("<script")  # no text of the file closes a script
    from pptx import Presentation

    deck = Presentation(io.BytesIO(packs["pptx"]()))
    words = " ".join(shape.text_frame.text for slide in deck.slides for shape in slide.shapes if shape.has_text_frame)
    assert shown(HOSTILE_TEXT[2]) in words  # the unit shown, as typed
