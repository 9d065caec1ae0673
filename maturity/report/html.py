"""The steering pack as one self-contained HTML file: open it anywhere, offline, or print it.

plotly's JavaScript is inlined (``plotly.offline.get_plotlyjs``) and every figure's JSON sits in the
page, so nothing is loaded from the network: no CDN, no fonts, no MathJax. The page prints on A4 and
Letter alike: the ``@page`` margins leave 182 mm on either (A4 is the narrower), charts are laid out
scaled to that width for printing and start on a page of their own, and table rows never split across pages.

Text from the file is HTML-escaped once, here, for the page; in the figures the charts escape it for
plotly, and the figures' JSON has ``<``, ``>`` and ``&`` written as ``\\u003c``-style escapes, so no
value can close the script element that holds it. A unit called ``<script>`` shows as typed.
"""

from __future__ import annotations

import html
import json
import re

import pandas as pd
import plotly.offline
from plotly.utils import PlotlyJSONEncoder

from .pack import Pack, Table

__all__ = ["PRINT_WIDTH_PX", "html_bytes"]

PRINT_WIDTH_PX = 680  # 180 mm at 96 px per inch: within A4's and Letter's printable width at 14 mm margins
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_SCRIPT_SAFE = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026", 0x2028: "\\u2028", 0x2029: "\\u2029"}

_STYLE = """
:root { --ink: #1f2937; --muted: #4b5563; --navy: #1f3a5f; --pale: #eef2f7; --warn: #9a3412; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.45 "Source Sans", "Segoe UI", Helvetica, Arial, sans-serif; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { color: var(--navy); font-size: 30px; margin: 8px 0 12px; }
h2 { color: var(--navy); font-size: 21px; margin: 36px 0 6px; }
.note { color: var(--muted); margin: 2px 0 10px; }
dl.stated { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; }
dl.stated dt { font-weight: 600; }
dl.stated dd { margin: 0; }
.source { color: var(--muted); }
table { border-collapse: collapse; width: 100%; font-size: 14px; table-layout: auto; }
th { background: var(--navy); color: #fff; text-align: left; font-weight: 600; }
th, td { padding: 5px 8px; vertical-align: top; overflow-wrap: anywhere; }
tbody tr:nth-child(even) td { background: var(--pale); }
td.number, th.number { text-align: right; white-space: nowrap; }
table.figures { width: auto; min-width: 50%; }
table.figures th { background: none; color: var(--ink); padding-right: 24px; }
section.chart { margin-top: 28px; }
.plot { width: 100%; height: 660px; }
footer { color: var(--muted); font-size: 13px; margin-top: 40px; }
@page { margin: 14mm; }
@media print {
  body { font-size: 10pt; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 14pt; margin-top: 14pt; break-after: avoid; }
  section.chart { break-before: page; break-inside: avoid; margin-top: 0; }
  .plot { zoom: var(--print-zoom, 1); }
  .modebar-container { display: none !important; }
  table { font-size: 8.5pt; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  th { background: #fff; color: var(--ink); border-bottom: 1.5pt solid var(--navy); }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"""

# Draws every figure. For printing, each is scaled (CSS zoom) to the printable width: the factor follows
# the width the page lays the charts out at, so no print event is needed (Chrome's print to PDF sends none).
_SCRIPT = """
(function () {
  var figures = JSON.parse(document.getElementById("pack-figures").textContent);
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["sendDataToCloud"]};
  var plots = [];
  figures.forEach(function (figure, position) {
    var element = document.getElementById("chart-" + position);
    if (element) { Plotly.newPlot(element, figure.data, figure.layout, config); plots.push(element); }
  });
  function fit() {
    var widest = Math.max.apply(null, plots.map(function (plot) { return plot.offsetWidth; }).concat([1]));
    document.documentElement.style.setProperty("--print-zoom", Math.min(1, PRINT_WIDTH / widest).toFixed(4));
  }
  fit();
  window.addEventListener("resize", fit);
})();
""".replace("PRINT_WIDTH", str(PRINT_WIDTH_PX))


def _escape(value: object) -> str:
    """``value`` as HTML text: escaped (quotes too, so it is safe in attributes), control characters dropped."""
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def _json(value: object) -> str:
    """``value`` as JSON that is safe inside a ``<script>`` element."""
    return json.dumps(value, cls=PlotlyJSONEncoder, ensure_ascii=False, separators=(",", ":")).translate(
        _SCRIPT_SAFE)


def _table(frame: pd.DataFrame, numbers: tuple[str, ...] = ()) -> str:
    head = "".join(f'<th scope="col"{" class=number" if c in numbers else ""}>{_escape(c)}</th>' for c in frame.columns)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=number" if c in numbers else ""}>{_escape(v)}</td>'
                         for c, v in zip(frame.columns, record, strict=True)) + "</tr>"
        for record in frame.itertuples(index=False, name=None))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _section(table: Table, numbers: tuple[str, ...] = (), anchor: str = "") -> str:
    note = f'<p class="note">{_escape(table.note)}</p>' if table.note else ""
    listed = _table(table.frame, numbers) if len(table.frame) else '<p>Nothing to list.</p>'
    return f'<section{f" id={anchor}" if anchor else ""}><h2>{_escape(table.title)}</h2>{note}{listed}</section>'


def _pairs(pairs, numbers=False) -> str:
    rows = "".join(f"<tr><th scope=row>{_escape(k)}</th><td{' class=number' if numbers else ''}>{_escape(v)}</td></tr>"
                   for k, v in pairs)
    return f'<table class="figures"><tbody>{rows}</tbody></table>'


def _title(pack: Pack) -> str:
    stated = [
        ("Scope", _escape(pack.scope)),
        ("As of", f"{_escape(pack.as_of.value)} <span class=source>({_escape(pack.as_of.source)})</span>"),
        ("Organisation", f"{_escape(pack.organisation.value)} "
                         f"<span class=source>({_escape(pack.organisation.source)})</span>"),
        ("Model", _escape(pack.model)),
        (f"Source file{'s' * (len(pack.sources) != 1)}", _escape(", ".join(pack.sources))),
    ]
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in stated)
    return (f"<header><h1>{_escape(pack.organisation.value)}: maturity steering pack</h1>"
            f'<dl class="stated">{items}</dl></header>')


def html_bytes(pack: Pack) -> bytes:
    """``pack`` as one self-contained, printable HTML page (UTF-8)."""
    # A chart's title is drawn in its figure (so a picture saved from it says what it shows): no heading.
    charts = "".join(
        f'<section class="chart"><div class="plot" id="chart-{position}" role="img" '
        f'aria-label="{_escape(chart.title)}"></div>'
        + (f'<p class="note">{_escape(chart.note)}</p>' if chart.note else "") + "</section>"
        for position, chart in enumerate(pack.charts))
    figures = [chart.figure.to_plotly_json() for chart in pack.charts]
    for figure in figures:
        figure["layout"].pop("width", None)  # the page's width on screen, the printable width on paper
    sections = [
        _title(pack),
        f"<section><h2>Headline figures</h2>{_pairs(pack.headline)}</section>",
        charts,
        _section(pack.phase, ("Rank",)),
        _section(pack.areas, ("Now (average)",)),
        _section(pack.moved, ("Current before", "Current now", "Change")) if pack.moved is not None else "",
        _section(pack.unit_figures, ("Practices", "Current", "Target", "Gap", "Roadmap steps"), "units"),
        f"<section><h2>Rows read and problem rows</h2>{_pairs(pack.reading, numbers=True)}"
        f'<p class="note">{_escape(pack.problems.note)}</p>'
        + (_table(pack.problems.frame, ("Rows",)) if len(pack.problems.frame) else "") + "</section>",
        f"<footer>{_escape(pack.subtitle)} · made by gapmap {_escape(pack.version)} on "
        f"{_escape(pack.made_on.isoformat())}</footer>",
    ]
    plotly_js = plotly.offline.get_plotlyjs().replace("</script", "<\\/script")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_escape(pack.organisation.value)}: maturity steering pack, as of {_escape(pack.as_of_date.text)}"
        f"</title><style>{_STYLE}</style><script>{plotly_js}</script></head>"
        f"<body><main>{''.join(sections)}</main>"
        f'<script type="application/json" id="pack-figures">{_json(figures)}</script>'
        f"<script>{_SCRIPT}</script></body></html>\n"
    )
    return page.encode("utf-8")
