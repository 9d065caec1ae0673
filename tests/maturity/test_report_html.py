"""The HTML steering pack: one file that loads nothing from the network, names every unit, keeps hostile
text inert, and prints on A4 and Letter (checked in Debian's chromium)."""

from __future__ import annotations

import sys
from html.parser import HTMLParser
from pathlib import Path

import plotly
import pytest

from maturity import assess, read_workbook
from maturity.report import build_pack, pack_bytes
from tests.maturity.report_files import HOSTILE_UNITS, hostile_workbook

ROOT = Path(__file__).resolve().parents[2]
A4_PRINTABLE_PX = (210 - 2 * 14) / 25.4 * 96  # the page's width inside its 14 mm margins, in CSS pixels
LETTER_PRINTABLE_HEIGHT_PX = (279.4 - 2 * 14) / 25.4 * 96


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text (outside scripts and styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self._inside: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._inside.append(tag)

    def handle_endtag(self, tag):
        if self._inside and self._inside[-1] == tag:
            self._inside.pop()

    def handle_data(self, data):
        if not self._inside or self._inside[-1] not in ("script", "style"):
            self.text.append(data)


def _parse(page: bytes) -> _Tags:
    parsed = _Tags()
    parsed.feed(page.decode("utf-8"))
    return parsed


@pytest.fixture(scope="module")
def sample_page() -> bytes:
    sample = ROOT / "data" / "sample_gap_analysis.xlsx"
    return pack_bytes(build_pack(assess(sample), workbook=read_workbook(sample)), "html")


def test_the_page_loads_nothing_from_the_network(sample_page):
    parsed = _parse(sample_page)
    for tag, attributes in parsed.tags:
        for name in ("src", "href", "srcset", "data", "poster", "action"):
            value = (attributes.get(name) or "").strip().lower()
            assert not value.startswith(("http:", "https:", "//")), (tag, name, value)
    assert not [tag for tag, _ in parsed.tags if tag in ("link", "iframe", "img", "object", "embed")]
    scripts = [attributes for tag, attributes in parsed.tags if tag == "script"]
    assert all("src" not in attributes for attributes in scripts)
    assert f"plotly.js v{plotly.offline.get_plotlyjs_version()}".encode() in sample_page  # inlined whole
    assert b"@import" not in sample_page and b"url(http" not in sample_page


def test_the_page_names_every_unit_and_what_it_was_read_from(sample_page):
    text = " ".join(" ".join(_parse(sample_page).text).split())
    for unit in ("Retail Banking", "Payments", "Lending", "Wealth Management", "Risk & Compliance", "Core Platform"):
        assert unit in text
    assert "2026-09 (read from cell A3 of sheet 'Retail Banking')" in text
    assert "sample_gap_analysis.xlsx" in text and "Continuous Delivery Maturity Model 2013" in text


def test_the_page_prints_on_a4_and_letter(sample_page):
    page = sample_page.decode()
    assert "@page { margin: 14mm; }" in page and "@media print" in page
    assert "break-before: page" in page and "tr { break-inside: avoid; }" in page


def test_hostile_text_is_inert(make_xlsx):
    page = pack_bytes(build_pack(assess(hostile_workbook(make_xlsx))), "html")
    parsed = _parse(page)
    assert [tag for tag, _ in parsed.tags].count("script") == 3  # plotly, the figures' JSON, the drawing
    assert not [tag for tag, _ in parsed.tags if tag in ("img", "b", "i")]
    text = " ".join(parsed.text)
    for unit in HOSTILE_UNITS:
        assert unit in text  # shown as typed
    assert "<script>org()</script>: maturity steering pack" in text
    figures = page.split(b'id="pack-figures">', 1)[1].split(b"</script>", 1)[0]
    assert b"<" not in figures and b">" not in figures  # no value can end the element that holds the JSON


def test_a_500_unit_page_names_every_unit():
    sys.path.insert(0, str(ROOT / "bench"))
    from organisation import organisation

    page = pack_bytes(build_pack(organisation(500)), "html")
    text = " ".join(_parse(page).text)
    assert all(f"Unit {n:03d}" in text for n in range(500))
    assert page.count(b'class="plot"') == 500 // 25 + 2


@pytest.mark.e2e
def test_in_chromium_offline_every_chart_draws_and_fits_the_printed_page(browser, sample_page, tmp_path, make_xlsx):
    path = tmp_path / "report.html"
    path.write_bytes(pack_bytes(build_pack(assess(hostile_workbook(make_xlsx))), "html"))
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    requested, dialogs, errors = [], [], []
    page.route("**/*", lambda route: (requested.append(route.request.url),
                                      route.continue_() if route.request.url.startswith("file:") else route.abort()))
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        for source in (path, tmp_path / "sample.html"):
            if source.name == "sample.html":
                source.write_bytes(sample_page)
            page.goto(source.as_uri())
            page.wait_for_function("document.querySelectorAll('.plot .main-svg').length >= 3")
            drawn = page.evaluate("Array.from(document.querySelectorAll('.plot')).map(p => !!p.querySelector('svg'))")
            assert drawn and all(drawn)
            page.emulate_media(media="print")
            sizes = page.evaluate("Array.from(document.querySelectorAll('.plot .main-svg:first-of-type'))"
                                  ".map(s => [s.getBoundingClientRect().width, s.getBoundingClientRect().height])")
            assert all(width <= A4_PRINTABLE_PX and height <= LETTER_PRINTABLE_HEIGHT_PX for width, height in sizes)
            for paper in ("A4", "Letter"):
                assert page.pdf(format=paper).startswith(b"%PDF")
            page.emulate_media(media="screen")
        assert [url for url in requested if not url.startswith("file:")] == []
        assert dialogs == [] and errors == []
    finally:
        context.close()
