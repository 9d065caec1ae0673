"""Files the steering pack's tests share: a workbook whose text is hostile, and a picture renderer stand-in."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from maturity.report.images import PICTURE_SIZE, Pictures

# Unit and practice names a file may hold: markup, script, entities, plotly's placeholders
# and a formula.
HOSTILE_UNITS = ("<script>alert(1)</script>", '<img src=x onerror="alert(2)">', "Ops &amp; <b>Run</b>",
                 "%{r} %{fullData.name}", "@SUM(1+1)*cmd|' /C calc'!A0")
HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Owner"]


def hostile_workbook(make_xlsx) -> Path:
    rows = [[unit, area, practice, 1, 3, f"</td><script>alert({n})</script>"]
            for n, unit in enumerate(HOSTILE_UNITS)
            for area, practice in (("Build & Deploy", "<i>Automated</i> tag & versioning"),
                                   ("Test & Verification", "Automatic unit tests"))]
    return make_xlsx({"Assessment": [["Organization:", "<script>org()</script>"], [], HEADER, *rows]},
                     name="hostile.xlsx")


def fake_pictures(count: int) -> Pictures:
    """``count`` blank PNGs of the picture size: a deck's layout without starting a browser."""
    out = io.BytesIO()
    Image.new("RGB", PICTURE_SIZE, "white").save(out, format="PNG")
    return Pictures(tuple([out.getvalue()] * count))
