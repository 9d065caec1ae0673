"""In a real browser: the Overview's steering pack downloads (the deck opens in python-pptx with its
pictures; the HTML report names the scope and loads nothing from the network), and a printed page
shows the charts without the sidebar and the uploader."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from playwright.sync_api import expect
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from tests.e2e.test_dashboard import settle

pytestmark = pytest.mark.e2e


def _download(page, label: str, timeout: float = 120_000) -> bytes:
    with page.expect_download(timeout=timeout) as caught:
        page.get_by_role("button", name=label).click()
    return Path(caught.value.path()).read_bytes()


def test_the_steering_pack_downloads_as_a_deck_and_as_one_html_file(page):
    html = _download(page, "Steering pack (HTML)").decode()
    assert "All 6 units" in html  # no unit filter: the whole organisation
    assert "<script src=" not in html and "<link " not in html  # plotly inlined: nothing from the network
    deck = Presentation(BytesIO(_download(page, "Steering pack (PowerPoint)")))
    pictures = [shape for slide in deck.slides for shape in slide.shapes
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE]
    assert len(deck.slides) >= 6 and len(pictures) >= 3  # radar, heatmap, ranking drawn by the server's chromium


def test_a_printed_page_has_the_charts_without_the_sidebar_and_the_uploader(page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    uploader = page.locator('[data-testid="stFileUploader"]')
    expect(sidebar).to_be_visible()
    expect(uploader).to_be_visible()
    page.emulate_media(media="print")
    settle(page)
    expect(sidebar).to_be_hidden()
    expect(uploader).to_be_hidden()
    expect(page.locator(".js-plotly-plot").first).to_be_visible()
    page.emulate_media(media="screen")
    expect(sidebar).to_be_visible()
