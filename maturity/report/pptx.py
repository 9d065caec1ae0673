"""The steering pack as a PowerPoint deck (python-pptx), 16:9.

Slides: the title (organisation, scope, as-of date, model, source files, each with where it came from),
headline figures, one slide per chart (its picture, drawn by :mod:`.images`), the roadmap's first
phase, per area the next level's practices, what moved since the previous snapshot (when there is
one), and a closing slide on the rows read and the problem rows. Long tables continue on further
slides ("2 of 3"). Every slide's title is its title placeholder, so an outline view lists them, and its
footer says organisation · scope · as-of date. When the pictures cannot be drawn, each chart slide
says why in one line where its picture would be.
"""

from __future__ import annotations

import io
import re

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR
from pptx.util import Emu, Inches, Pt

from .images import PICTURE_SIZE, Pictures, render
from .pack import Pack, Table

__all__ = ["TABLE_ROWS", "deck_bytes"]

TABLE_ROWS = 12  # table rows per slide, under the header
_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)
_MARGIN = Inches(0.5)
_INK, _MUTED, _NAVY, _PALE = RGBColor(0x1F, 0x29, 0x37), RGBColor(0x4B, 0x55, 0x63), RGBColor(0x1F, 0x3A, 0x5F), \
    RGBColor(0xEE, 0xF2, 0xF7)
_TITLE_ONLY = 5  # the default template's "Title Only" layout
# XML 1.0 forbids these characters: a cell holding one would make the deck unreadable.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def _clean(text: object) -> str:
    """``text`` as a slide can hold it: characters XML cannot carry replaced, never interpreted."""
    return _NOT_XML.sub("\ufffd", str(text))


class _Deck:
    def __init__(self, pack: Pack) -> None:
        self.pack = pack
        self.deck = Presentation()
        self.deck.slide_width, self.deck.slide_height = _WIDTH, _HEIGHT
        properties = self.deck.core_properties
        properties.title = _clean(f"{pack.organisation.value}: maturity steering pack")[:250]
        properties.subject = _clean(pack.subtitle)[:250]
        properties.author = f"gapmap {pack.version}"

    def slide(self, title: str):
        """A new slide with ``title`` in its title placeholder, placed for 16:9, and the footer line."""
        slide = self.deck.slides.add_slide(self.deck.slide_layouts[_TITLE_ONLY])
        heading = slide.shapes.title
        heading.left, heading.top, heading.width, heading.height = _MARGIN, Inches(0.3), _WIDTH - 2 * _MARGIN, \
            Inches(0.8)
        heading.text = _clean(title)
        paragraph = heading.text_frame.paragraphs[0]
        paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(28), True, _NAVY
        heading.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
        number = len(self.deck.slides)
        self.text(slide, f"{self.pack.subtitle}   ·   {number}", Inches(7.05), Inches(0.35), size=10, color=_MUTED)
        return slide

    def text(self, slide, text: str | list[str], top, height, left=_MARGIN, width=None, size=14, color=_INK,
             bold=False):
        """A text box: one paragraph per line of ``text``."""
        box = slide.shapes.add_textbox(left, top, width or _WIDTH - 2 * _MARGIN, height)
        frame = box.text_frame
        frame.word_wrap = True
        for position, line in enumerate([text] if isinstance(text, str) else text):
            paragraph = frame.paragraphs[0] if position == 0 else frame.add_paragraph()
            paragraph.text = _clean(line)
            paragraph.font.size, paragraph.font.color.rgb, paragraph.font.bold = Pt(size), color, bold
        return box

    def table(self, slide, frame: pd.DataFrame, top, widths: list[float] | None = None, size=11) -> None:
        """``frame`` as a table: a navy header row, then one row per record, text as typed."""
        rows, columns = len(frame) + 1, max(1, len(frame.columns))
        shape = slide.shapes.add_table(rows, columns, _MARGIN, top, _WIDTH - 2 * _MARGIN,
                                       Inches(0.4) * rows)
        grid = shape.table
        share = widths or [1.0] * columns
        total = sum(share)
        for position, column in enumerate(grid.columns):
            column.width = Emu(int((_WIDTH - 2 * _MARGIN) * share[position] / total))
        for position, header in enumerate(frame.columns):
            self._cell(grid.cell(0, position), header, size, bold=True, color=RGBColor(0xFF, 0xFF, 0xFF),
                       fill=_NAVY)
        for row, record in enumerate(frame.itertuples(index=False, name=None), 1):
            for position, value in enumerate(record):
                self._cell(grid.cell(row, position), value, size, fill=_PALE if row % 2 == 0 else None)

    @staticmethod
    def _cell(cell, value: object, size: int, bold=False, color=_INK, fill=None) -> None:
        cell.text = _clean(value)
        cell.margin_top = cell.margin_bottom = Inches(0.03)
        for paragraph in cell.text_frame.paragraphs:
            paragraph.font.size, paragraph.font.bold, paragraph.font.color.rgb = Pt(size), bold, color
        cell.text_frame.word_wrap = True
        if fill is not None:
            cell.fill.solid()
            cell.fill.fore_color.rgb = fill
        else:
            cell.fill.background()

    def paged_table(self, table: Table, widths: list[float] | None = None, size=11) -> None:
        """``table`` on as many slides as it needs, :data:`TABLE_ROWS` rows each, the note on the first."""
        pages = [table.frame.iloc[i:i + TABLE_ROWS] for i in range(0, len(table.frame), TABLE_ROWS)] or [table.frame]
        for number, page in enumerate(pages, 1):
            title = table.title if len(pages) == 1 else f"{table.title} ({number} of {len(pages)})"
            slide = self.slide(title)
            top = Inches(1.2)
            if table.note and number == 1:
                self.text(slide, table.note, Inches(1.1), Inches(0.6), size=12, color=_MUTED)
                top = Inches(1.75)
            if len(page):
                self.table(slide, page, top, widths, size)
            else:
                self.text(slide, "Nothing to list.", top, Inches(0.6), size=16)


def _title_slide(deck: _Deck, pictures: Pictures) -> None:
    pack = deck.pack
    slide = deck.slide(f"{pack.organisation.value}: maturity steering pack")
    lines = [
        f"Scope: {pack.scope}",
        f"As of: {pack.as_of.value} ({pack.as_of.source})",
        f"Organisation: {pack.organisation.value} ({pack.organisation.source})",
        f"Model: {pack.model}",
        f"Source file{'s' * (len(pack.sources) != 1)}: {', '.join(pack.sources)}",
        f"Made by gapmap {pack.version} on {pack.made_on.isoformat()}",
    ]
    deck.text(slide, lines, Inches(1.5), Inches(3.6), size=20)
    if pictures.reason:
        deck.text(slide, f"No chart pictures in this deck. {pictures.reason}", Inches(5.4), Inches(1.4),
                  size=14, color=RGBColor(0x9A, 0x34, 0x12), bold=True)


def _headline_slide(deck: _Deck) -> None:
    slide = deck.slide("Headline figures")
    frame = pd.DataFrame(list(deck.pack.headline), columns=["Figure", "Value"])
    deck.table(slide, frame, Inches(1.3), [1.0, 2.0], size=16)


def _chart_slides(deck: _Deck, pictures: Pictures) -> None:
    width, height = PICTURE_SIZE
    box_width = Inches(11.6)
    box_height = Emu(int(box_width * height / width))
    left = Emu(int((_WIDTH - box_width) / 2))
    for position, chart in enumerate(deck.pack.charts):
        slide = deck.slide(chart.title)
        if pictures.pngs:
            slide.shapes.add_picture(io.BytesIO(pictures.pngs[position]), left, Inches(1.15), width=box_width,
                                     height=box_height)
        else:
            box = deck.text(slide, ["No picture of this chart.", pictures.reason or ""], Inches(2.6),
                            Inches(2.0), left=Inches(1.5), width=_WIDTH - Inches(3), size=18)
            box.line.color.rgb = _MUTED
        if chart.note:
            deck.text(slide, chart.note, Inches(6.62), Inches(0.45), size=12, color=_MUTED)


def _closing_slide(deck: _Deck) -> None:
    pack = deck.pack
    slide = deck.slide("Rows read and problem rows")
    reading = pd.DataFrame(list(pack.reading), columns=["Rows", "Count"])
    deck.table(slide, reading, Inches(1.2), [2.0, 1.0], size=14)
    deck.text(slide, pack.problems.note, Inches(3.4), Inches(0.5), size=12, color=_MUTED)
    listed = pack.problems.frame.head(TABLE_ROWS - 4)
    if len(listed):
        deck.table(slide, listed, Inches(3.95), [5.0, 0.7, 2.2], size=11)


def deck_bytes(pack: Pack, pictures: Pictures | None = None) -> bytes:
    """``pack`` as a .pptx; ``pictures`` are the charts drawn (None: drawn now with :func:`.images.render`).
    Without pictures the deck is still written, each chart slide saying why."""
    if pictures is None:
        pictures = render([chart.figure for chart in pack.charts])
    deck = _Deck(pack)
    _title_slide(deck, pictures)
    _headline_slide(deck)
    _chart_slides(deck, pictures)
    deck.paged_table(pack.phase, [0.6, 1.6, 1.7, 2.6, 2.1, 2.0, 0.7])
    deck.paged_table(pack.areas, [1.9, 1.0, 1.5, 1.1, 5.5])
    if pack.moved is not None:
        deck.paged_table(pack.moved, [2.0, 2.2, 1.2, 1.2, 1.0, 1.2])
    _closing_slide(deck)
    out = io.BytesIO()
    deck.deck.save(out)
    return out.getvalue()
