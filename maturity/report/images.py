"""Chart pictures for the deck: plotly's static export (kaleido), drawn by an installed Chromium or Chrome.

kaleido 1.x drives a browser it finds on ``PATH`` (Debian's ``/usr/bin/chromium``, which the browser tests
use too) or at ``BROWSER_PATH``. Every picture of a pack is drawn in one browser session, a few tabs at a
time. When no browser can draw them the deck is still written: :func:`render` says why in one line,
which the deck shows where its pictures would be.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
from collections.abc import Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

__all__ = ["PICTURE_SIZE", "Pictures", "render"]

# Pixels (drawn at twice that) for a 16:9 slide's picture box of 11.6 × 5.6 inches: the charts' 13 px text
# comes out near 10 pt on the slide.
PICTURE_SIZE = (1200, 580)
_SCALE = 2
_TABS = 3
_TIMEOUT = 60  # seconds for one picture
NO_BROWSER = ("no Chromium or Chrome browser was found to draw them with (plotly's static export needs one): "
              "install Debian's chromium (make browser) or set BROWSER_PATH to a Chrome, then make the deck again; "
              "the HTML report (--out report.html) has every chart")


@dataclass(frozen=True)
class Pictures:
    """PNG bytes per figure, in order; or none and ``reason``, one line saying why they are missing."""

    pngs: tuple[bytes, ...] = ()
    reason: str | None = None


def _why(error: BaseException) -> str:
    """One line for a user: why the pictures could not be drawn."""
    if type(error).__name__ == "ChromeNotFoundError":
        return f"The charts are not pictured: {NO_BROWSER}."
    first = next((line for line in str(error).splitlines() if line.strip()), "")  # not a traceback's lines
    detail = " ".join(first.split())[:160] or type(error).__name__
    return (f"The charts are not pictured: the browser that draws them failed ({detail}); the HTML report "
            "(--out report.html) has every chart.")


async def _draw(figures: Sequence[go.Figure]) -> list[bytes]:
    import kaleido  # imported here: only a deck needs it, and it starts nothing on import

    width, height = PICTURE_SIZE
    options = dict(format="png", width=width, height=height, scale=_SCALE)
    # mathjax=False: kaleido would otherwise load MathJax from the network for every picture.
    async with kaleido.Kaleido(n=min(_TABS, max(1, len(figures))), timeout=_TIMEOUT, mathjax=False) as browser:
        return list(await asyncio.gather(*(browser.calc_fig(figure, opts=options) for figure in figures)))


def _pngs(figures: Sequence[go.Figure]) -> list[bytes]:
    """The figures drawn; raises whatever kaleido or the browser raise."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(_draw(figures))
    # Called from a running event loop (a notebook): draw in a thread with its own loop.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _draw(figures)).result()


def render(figures: Sequence[go.Figure]) -> Pictures:
    """Every figure as a PNG of :data:`PICTURE_SIZE`; when they cannot be drawn (no browser, kaleido
    missing, the browser failing), no pictures and the reason in one line. Never raises for that."""
    if not figures:
        return Pictures()
    try:
        return Pictures(tuple(_pngs(figures)))
    except ImportError:
        return Pictures(reason="The charts are not pictured: kaleido is not installed (pip install -r "
                               "requirements.txt); the HTML report (--out report.html) has every chart.")
    except Exception as error:  # any failure of the browser: the deck goes on without pictures, saying why
        return Pictures(reason=_why(error))
