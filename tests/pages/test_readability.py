"""What makes the pages readable in a steering meeting: the Roadmap's phases dated from a start day the
user gives, its ranks within what a filter shows (the organisation's rank kept beside them), and the
unit filter reaching the Overview's heatmap."""

from __future__ import annotations

import csv
import datetime as dt
import io

from streamlit.testing.v1 import AppTest

import maturity
from pages._ui.components import escape_markdown
from tests.pages.test_pages import assert_ok, figures


def _table(app: AppTest):
    return next(d.value for d in app.dataframe if "priority_score" in d.value.columns)


def test_a_start_day_dates_every_phase_in_the_table_the_timeline_and_the_download(app: AppTest, downloads):
    app.switch_page("pages/roadmap.py").run()
    assert "phase_start" not in _table(app).columns
    assert app.selectbox(key="roadmap_phase_length").disabled  # nothing to last before a start is given
    app.date_input(key="roadmap_start").set_value(dt.date(2027, 1, 1)).run()
    app.selectbox(key="roadmap_phase_length").set_value("2 quarters").run()
    assert_ok(app)
    table = _table(app)
    first = table[table["phase"] == 2].iloc[0]
    assert (first["phase_start"], first["phase_end"]) == ("2027-07-01", "2027-12-31")
    assert any("Phase 1 starts on 01 January 2027; each phase lasts 2 quarters." in c.value for c in app.caption)
    [timeline] = [f for f in figures(app) if f["layout"].get("xaxis", {}).get("ticktext")]
    assert timeline["layout"]["xaxis"]["ticktext"][:2] == ["Phase 1<br>Jan – Jun 2027", "Phase 2<br>Jul – Dec 2027"]
    offered = {name.rsplit("_", 1)[-1]: data for name, data in downloads}
    rows = list(csv.DictReader(io.StringIO(offered["roadmap.csv"]().decode("utf-8-sig"))))
    assert {(r["phase"], r["phase_start"]) for r in rows} >= {("1", "2027-01-01"), ("2", "2027-07-01")}


def test_a_unit_filter_ranks_within_what_is_shown_and_keeps_the_organisations_rank(app: AppTest):
    app.switch_page("pages/roadmap.py").run()
    whole = _table(app)
    assert "org_rank" not in whole.columns and whole["rank"].tolist()[:3] == [1, 2, 3]
    app.sidebar.selectbox(key="unit_filter").set_value("Payments").run()
    assert_ok(app)
    shown = _table(app)
    assert shown["rank"].tolist() == list(range(1, len(shown) + 1))
    by_org = whole.set_index(["unit", "practice", "phase"])["rank"]
    assert [by_org[(u, p, ph)] for u, p, ph in zip(shown["unit"], shown["practice"], shown["phase"],
                                                   strict=True)] == shown["org_rank"].tolist()
    assert shown["org_rank"].is_monotonic_increasing and shown["org_rank"].iloc[0] > 1
    assert any("Rank is the step's place in what is shown" in c.value for c in app.caption)


def test_the_unit_filter_outlines_its_row_in_the_heatmap(app: AppTest):
    def heatmap():
        return next(f for f in figures(app) if f["data"] and f["data"][0]["type"] == "heatmap")

    assert not heatmap()["layout"].get("shapes")
    app.sidebar.selectbox(key="unit_filter").set_value("Lending").run()
    assert_ok(app)
    figure = heatmap()
    [outline] = figure["layout"]["shapes"]
    row = figure["data"][0]["y"].index("Lending")
    assert (outline["y0"], outline["y1"]) == (row - 0.5, row + 0.5)
    assert any("Lending's row is outlined." in c.value for c in app.caption)


def test_each_level_to_reach_names_the_assessed_practices_that_need_it(app: AppTest, sample_xlsx):
    app.sidebar.selectbox(key="unit_filter").set_value("Payments").run()
    app.switch_page("pages/practices.py").run()
    assert_ok(app)
    shown = next(d.value for d in app.data_editor if "practice" in d.value.columns)
    rows = maturity.assess(sample_xlsx).normalized
    rows = rows[(rows["unit"] == "Payments") & rows["practice"].isin(shown["practice"])]
    expander = next(e for e in app.expander if e.label.startswith("Reach "))
    level = int(expander.label.split()[1])
    needing = rows[(rows["current_level"] < level) & (rows["target_level"] > level - 1)]
    assert len(needing) and expander.label.endswith(
        f"{len(needing)} practice{'s need' if len(needing) != 1 else ' needs'} it")
    yours = next(m.value for m in expander.markdown if m.value.startswith("**Yours that need it:**"))
    assert all(escape_markdown(name) in yours for name in needing["practice"])
    assert "unit" not in yours  # one unit shown: no counts


def test_the_steering_pack_downloads_for_the_unit_shown(app: AppTest, downloads):
    from io import BytesIO

    from pptx import Presentation

    app.sidebar.selectbox(key="unit_filter").set_value("Payments").run()
    assert_ok(app)
    offered = {name.rsplit("_", 1)[-1]: data for name, data in downloads}
    html = offered["pack.html"]().decode()
    assert "1 of 6 units: Payments" in html  # the scope: the unit the sidebar shows
    assert "<script src=" not in html  # plotly inlined: nothing from the network
    deck = Presentation(BytesIO(offered["pack.pptx"]()))
    text = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert "1 of 6 units: Payments" in text and len(deck.slides) >= 6
