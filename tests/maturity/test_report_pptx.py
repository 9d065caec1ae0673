"""The steering deck, opened with python-pptx: its slides, titles and pictures; the deck written when no
browser can draw the pictures; hostile text kept as text; a 500-unit organisation."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import plotly.graph_objects as go
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from maturity import assess, read_workbook
from maturity.report import TOP_UNITS, build_pack, pack_bytes
from maturity.report import images as report_images
from maturity.report.images import PICTURE_SIZE, Pictures
from maturity.report.pptx import TABLE_ROWS, _clean, deck_bytes
from tests.maturity.report_files import HOSTILE_UNITS, fake_pictures, hostile_workbook

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SAMPLE_TITLES = [
    "sample_gap_analysis: maturity steering pack", "Headline figures", "Current and target level by area",
    "Gap by unit and area", "Units ranked by gap", "Roadmap: the first phase (1 of 3)",
    "Roadmap: the first phase (2 of 3)", "Roadmap: the first phase (3 of 3)",
    "Per area: the next level and its practices", "Rows read and problem rows",
]
CHART_SLIDES = range(2, 5)


def _require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing: install Debian's chromium (make browser) to draw the deck's pictures"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason)
    pytest.skip(reason)


def _open(data: bytes):
    return Presentation(io.BytesIO(data))


def _texts(slide) -> list[str]:
    """Every text on a slide: its text boxes and table cells."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def _pictures(slide):
    return [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]


@pytest.fixture(scope="module")
def sample_pack():
    sample = ROOT / "data" / "sample_gap_analysis.xlsx"
    return build_pack(assess(sample), workbook=read_workbook(sample))


@pytest.fixture(scope="module")
def sample_deck(sample_pack):
    _require_chromium()
    return _open(pack_bytes(sample_pack, "pptx"))


def test_the_decks_slides_and_titles(sample_deck):
    assert [slide.shapes.title.text for slide in sample_deck.slides] == SAMPLE_TITLES
    title = "\n".join(_texts(sample_deck.slides[0]))
    for line in ("Scope: All 6 units", "As of: 2026-09 (read from cell A3 of sheet 'Retail Banking')",
                 "Organisation: sample_gap_analysis (the file's name: the workbook names no organisation)",
                 "Model: Continuous Delivery Maturity Model 2013", "Source file: sample_gap_analysis.xlsx"):
        assert line in title
    assert "No chart pictures" not in title
    footer = "sample_gap_analysis · All 6 units · as of 2026-09"
    assert all(any(text.startswith(footer) for text in _texts(slide)) for slide in sample_deck.slides)


def test_each_chart_slide_has_its_picture_drawn_by_chromium(sample_deck):
    for number, slide in enumerate(sample_deck.slides):
        pictures = _pictures(slide)
        if number not in CHART_SLIDES:
            assert pictures == [], slide.shapes.title.text
            continue
        assert len(pictures) == 1, slide.shapes.title.text
        image = pictures[0].image
        assert image.content_type == "image/png"
        width, height = image.size
        assert width / height == pytest.approx(PICTURE_SIZE[0] / PICTURE_SIZE[1], rel=0.01)
        assert width >= PICTURE_SIZE[0] and len(image.blob) > 20_000  # drawn, not blank


def test_the_tables_hold_the_packs_figures(sample_deck, sample_pack):
    headline = sample_deck.slides[1].shapes
    cells = [cell.text for shape in headline if shape.has_table for row in shape.table.rows for cell in row.cells]
    assert cells[:4] == ["Figure", "Value", "Units", "6"]
    phase = [_texts(sample_deck.slides[n]) for n in (5, 6, 7)]
    assert "Risk Reporting Lead" in phase[0] and "Owner" in phase[0]
    listed = sum(len(shape.table.rows) - 1 for n in (5, 6, 7) for shape in sample_deck.slides[n].shapes
                 if shape.has_table)
    assert listed == len(sample_pack.phase.frame) == 28
    assert "summary row (Average) skipped" in _texts(sample_deck.slides[-1])


@pytest.mark.parametrize(
    ("failure", "said"),
    [
        ("no browser", "no Chromium or Chrome browser was found"),
        ("crash", "the browser that draws them failed (Browser closed unexpectedly)"),
    ],
)
def test_without_a_browser_the_deck_says_why_it_has_no_pictures(sample_pack, monkeypatch, failure, said):
    from choreographer.errors import BrowserClosedError, ChromeNotFoundError

    def fail(figures):
        if failure == "no browser":
            raise ChromeNotFoundError("Kaleido v1 and later requires Chrome to be installed.\nTraceback …")
        raise BrowserClosedError("Browser closed unexpectedly\n  File 'x.py', line 1")

    monkeypatch.setattr(report_images, "_pngs", fail)
    deck = _open(pack_bytes(sample_pack, "pptx"))
    assert [slide.shapes.title.text for slide in deck.slides] == SAMPLE_TITLES
    assert all(_pictures(slide) == [] for slide in deck.slides)
    messages = {text for n in CHART_SLIDES for text in _texts(deck.slides[n]) if "not pictured" in text}
    assert len(messages) == 1  # one message, the same on every chart slide
    message = messages.pop()
    assert said in message and "Traceback" not in message and "File '" not in message
    assert message.startswith("No picture of this chart.\nThe charts are not pictured:")
    assert any(said in text for text in _texts(deck.slides[0]))  # and on the title slide


def test_render_says_why_in_one_line_and_never_raises(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    pictures = report_images.render([go.Figure(go.Bar(x=[1], y=[1]))])
    assert pictures.pngs == () and "\n" not in pictures.reason
    assert "no Chromium or Chrome browser was found" in pictures.reason
    assert report_images.render([]) == Pictures()


def test_hostile_text_stays_text_in_the_deck(make_xlsx):
    pack = build_pack(assess(hostile_workbook(make_xlsx)))
    deck = _open(deck_bytes(pack, fake_pictures(len(pack.charts))))
    texts = [text for slide in deck.slides for text in _texts(slide)]
    assert deck.slides[0].shapes.title.text == "<script>org()</script>: maturity steering pack"
    for unit in HOSTILE_UNITS:
        assert unit in texts  # as typed, in the phase table
    assert "</td><script>alert(0)</script>" in texts  # an owner
    for chart in pack.charts:  # in the pictures, plotly draws the escaped text as typed
        labels = [str(v) for trace in chart.figure.data for v in (getattr(trace, "y", None) or ())]
        assert "<script>" not in " ".join(labels)


def test_text_xml_cannot_carry_is_replaced():
    assert _clean("Tab\x0bbed\x00 unit") == "Tab\ufffdbed\ufffd unit"
    assert _clean("<b>&amp;</b>") == "<b>&amp;</b>"


def test_a_500_unit_deck_is_readable():
    sys.path.insert(0, str(ROOT / "bench"))
    from organisation import organisation

    pack = build_pack(organisation(500))
    deck = _open(deck_bytes(pack, fake_pictures(len(pack.charts))))
    titles = [slide.shapes.title.text for slide in deck.slides]
    pages = 500 // TOP_UNITS
    assert [t for t in titles if t.startswith("Gap by unit")] == [f"Gap by unit and area ({n} of {pages})"
                                                                 for n in range(1, pages + 1)]
    assert f"The {TOP_UNITS} units with the largest gap" in titles
    ranked = deck.slides[titles.index(f"The {TOP_UNITS} units with the largest gap")]
    assert any(f"The {TOP_UNITS} of 500 units with the largest average gap" in t for t in _texts(ranked))
    for slide in deck.slides:  # no table runs off its slide
        for shape in slide.shapes:
            if shape.has_table:
                assert len(shape.table.rows) <= TABLE_ROWS + 1
                assert shape.left + shape.width <= deck.slide_width
    assert sum(len(_pictures(slide)) for slide in deck.slides) == len(pack.charts) == pages + 2
