import json
import math

import pandas as pd
import plotly.graph_objects as go
import pytest

from maturity import assess, build_roadmap, charts
from maturity.schedule import with_dates


@pytest.fixture(scope="module")
def sample(sample_xlsx):
    return assess(sample_xlsx)


def rows(*records, extra: dict | None = None) -> pd.DataFrame:
    """Normalized rows from (unit, dimension, practice, current, target) tuples."""
    frame = pd.DataFrame(records, columns=["unit", "dimension", "practice", "current_level", "target_level"])
    frame["current_level"] = frame["current_level"].astype("Int64")
    frame["target_level"] = frame["target_level"].astype("Int64")
    frame["gap"] = frame["target_level"] - frame["current_level"]
    frame["applicable"] = True
    frame["practice_id"] = None
    for column, values in (extra or {}).items():
        frame[column] = values
    return frame


@pytest.mark.parametrize(("text", "drawn"), [
    ("Retail Banking", "Retail Banking"),
    ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
    ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ("R&D", "R&amp;D"),
    ('say "hi"', 'say "hi"'),
])
def test_label_escapes_what_plotly_would_draw_as_markup(text, drawn):
    assert charts.label(text) == drawn


@pytest.mark.parametrize(("value", "words"), [
    (3, "Intermediate"), (3.0, "Intermediate"), (2.5, "Beginner → Intermediate"), (4.97, "Expert"),
    (1, "Base"), (float("nan"), "no data"), (None, "no data"), (0.2, "Base"), (7, "Expert"),
])
def test_level_words_name_levels_and_averages(rubric, value, words):
    assert charts.level_words(value, rubric) == words


def test_short_names_keep_the_part_before_the_ampersand_when_unique(rubric):
    assert charts.short_names(rubric) == {"culture": "Culture", "design": "Design", "build": "Build",
                                          "test": "Test", "reporting": "Information"}


def test_dimension_averages_cover_every_dimension_in_rubric_order(rubric):
    data = rows(("Ops", "build", "Scripted builds", 2, 4), ("Ops", "build", "Build stored", 3, 3),
                ("Ops", "culture", "Stable teams", 4, 3))
    means = charts.dimension_averages(data, rubric)
    assert means["dimension"].tolist() == list(rubric.dimension_ids)
    build = means.set_index("dimension").loc["build"]
    assert (build["current"], build["target"], build["gap"], build["practices"]) == (2.5, 3.5, 1.0, 2)
    # Above target counts as no gap, not as a negative one.
    assert means.set_index("dimension").loc["culture", "gap"] == 0
    assert math.isnan(means.set_index("dimension").loc["test", "current"])


def test_rows_that_do_not_apply_are_left_out_of_averages(rubric):
    data = rows(("Ops", "build", "Scripted builds", 2, 4), ("Ops", "build", "Build stored", 1, 5),
                extra={"applicable": [True, False]})
    build = charts.dimension_averages(data, rubric).set_index("dimension").loc["build"]
    assert (build["current"], build["practices"]) == (2.0, 1)


def test_radar_has_one_axis_per_dimension_and_two_named_traces(sample, rubric):
    figure = charts.radar(sample.normalized, rubric)
    assert isinstance(figure, go.Figure)
    assert [t.name for t in figure.data] == ["Current", "Target"]
    assert [t.line.color for t in figure.data] == [charts.CURRENT_COLOR, charts.TARGET_COLOR]
    theta = list(figure.data[0].theta)
    assert len(set(theta)) == 5 and theta[0] == theta[-1]  # closed outline
    assert theta[0] == "Culture &amp;<br>Organization"
    # Level numbers on the axis; their names in the key under the chart, where no data line crosses them.
    assert list(figure.layout.polar.radialaxis.ticktext) == ["1", "2", "3", "4", "5"]
    assert figure.layout.annotations[0].text == "Levels: 1 Base · 2 Beginner · 3 Intermediate · 4 Advanced · 5 Expert"
    assert figure.data[0].mode == "lines+markers"  # the whole organisation: values on hover only


def test_a_units_radar_writes_each_value_beside_its_point(rubric):
    data = rows(("A", "build", "Scripted builds", 1, 2), ("A", "test", "Automatic unit tests", 2, 5),
                ("B", "build", "Scripted builds", 5, 5))
    figure = charts.radar(data, rubric, unit="A")
    current, target = figure.data
    build = list(current.theta).index("Build &amp;<br>Deploy")
    assert current.mode == target.mode == "lines+markers+text"
    assert (current.text[build], target.text[build]) == ("1.0", "2.0")
    assert current.text[-1] == "" and len(current.text) == len(current.r)  # the closing point: once


def test_radar_for_one_unit_uses_only_its_rows(rubric):
    data = rows(("A", "build", "Scripted builds", 1, 2), ("B", "build", "Scripted builds", 5, 5))
    figure = charts.radar(data, rubric, unit="A")
    build = list(figure.data[0].theta).index("Build &amp;<br>Deploy")
    assert figure.data[0].r[build] == 1 and figure.data[1].r[build] == 2


def test_radar_hover_names_the_level(sample, rubric):
    figure = charts.radar(sample.normalized, rubric)
    assert all(isinstance(words, str) and words for words in figure.data[0].customdata)
    assert "%{fullData.name}" in figure.data[0].hovertemplate


def test_unit_radar_draws_one_trace_per_unit_named_safely(rubric):
    data = rows(("<b>A</b>", "build", "Scripted builds", 1, 2), ("B", "test", "Automatic unit tests", 3, 4))
    figure = charts.unit_radar(data, rubric, ["<b>A</b>", "B"], "target")
    assert [t.name for t in figure.data] == ["&lt;b&gt;A&lt;/b&gt;", "B"]
    assert charts.CURRENT_COLOR != figure.data[0].line.color != charts.TARGET_COLOR
    with pytest.raises(ValueError, match="measure"):
        charts.unit_radar(data, rubric, ["B"], "gap")


def test_gap_heatmap_is_units_by_dimensions(sample, rubric):
    figure = charts.gap_heatmap(sample.normalized, rubric)
    heatmap = figure.data[0]
    assert list(heatmap.y) == [charts.label(u) for u in sample.units]
    assert list(heatmap.x) == ["Culture", "Design", "Build", "Test", "Information"]
    assert len(heatmap.z) == len(sample.units) and len(heatmap.z[0]) == 5
    assert heatmap.zmin == 0
    scale = [color for _, color in heatmap.colorscale]
    assert scale[0] != scale[-1]  # sequential: pale to dark


def test_gap_ranking_puts_the_largest_gap_first(rubric):
    data = rows(("Small", "build", "Scripted builds", 3, 4), ("Large", "build", "Scripted builds", 1, 5),
                ("Large", "test", "Automatic unit tests", 2, 2))
    figure = charts.gap_ranking(data, rubric)
    assert list(figure.data[0].y) == ["Large", "Small"]
    assert list(figure.data[0].x) == [2.0, 1.0]
    assert list(charts.gap_ranking(data, rubric, dimension="test").data[0].y) == ["Large"]


def test_practice_levels_follow_the_rubric_order(rubric):
    data = rows(("A", "build", "Zero downtime deploys", 2, 4), ("A", "build", "Scripted builds", 1, 3),
                ("B", "build", "Scripted builds", 3, 3), ("A", "build", None, 2, 3))
    data["practice_id"] = ["build.4.zero_downtime_deploys", "build.1.scripted_builds", "build.1.scripted_builds",
                           None]
    levels = charts.practice_levels(data, rubric, "build")
    assert levels["practice"].tolist() == ["Scripted builds", "Zero downtime deploys", "(whole dimension)"]
    assert levels.set_index("practice").loc["Scripted builds", "current"] == 2.0
    assert charts.practice_levels(data, rubric, "build", unit="B")["practice"].tolist() == ["Scripted builds"]


def test_practice_bars_are_current_and_target_with_level_names(rubric):
    data = rows(("A", "build", "<script>x</script>", 2, 4))
    figure = charts.practice_bars(data, rubric, "build")
    assert [(t.name, t.marker.color) for t in figure.data] == [("Current", charts.CURRENT_COLOR),
                                                             ("Target", charts.TARGET_COLOR)]
    assert list(figure.data[0].y) == ["&lt;script&gt;x&lt;/script&gt;"]
    assert list(figure.layout.xaxis.ticktext)[-1] == "Expert"


def test_roadmap_timeline_has_a_block_per_unit_and_phase(sample, rubric):
    roadmap = build_roadmap(sample)
    figure = charts.roadmap_timeline(roadmap, rubric)
    blocks = sum(len(t.y) for t in figure.data)
    assert blocks == roadmap[["unit", "phase"]].drop_duplicates().shape[0]
    assert {t.name for t in figure.data} <= {f"to {lv.name}" for lv in rubric.levels}
    assert list(figure.layout.xaxis.ticktext) == [f"Phase {p}" for p in range(1, roadmap["phase"].max() + 1)]
    steps = sum(int(text.split()[0]) for t in figure.data for text in t.text)
    assert steps == len(roadmap)


def test_roadmap_timeline_of_nothing_is_an_empty_figure(rubric):
    assert charts.roadmap_timeline(pd.DataFrame(columns=["unit", "phase", "rank", "to_level", "dimension"]),
                                   rubric).data == ()


def test_no_user_text_reaches_a_figure_unescaped(rubric, make_csv):
    hostile = "<img src=x onerror=alert(1)>"
    assessment = assess(make_csv([["Unit", "Dimension", "Practice", "Current", "Target"],
                                  [hostile, "Build & Deploy", hostile, 1, 3],
                                  ["B", "Test & Verification", "**bold**", 2, 4]]))
    data, roadmap = assessment.normalized, build_roadmap(assessment)
    figures = [charts.radar(data, rubric, hostile, title=hostile), charts.unit_radar(data, rubric, [hostile, "B"]),
               charts.gap_heatmap(data, rubric), charts.gap_ranking(data, rubric),
               charts.practice_bars(data, rubric, "build"), charts.roadmap_timeline(roadmap, rubric)]
    for figure in figures:
        drawn = json.dumps(figure.to_plotly_json(), default=str)
        assert "<img" not in drawn, drawn[:300]


def test_charts_of_hundreds_of_units_stay_a_sensible_size(rubric):
    data = rows(*[(f"Unit {n:03d}", "build", "Scripted builds", 1, 3) for n in range(300)])
    heatmap = charts.gap_heatmap(data, rubric)
    assert heatmap.layout.height <= 60 + 14 * 300
    assert heatmap.data[0].texttemplate == ""  # no numbers crammed into 14-pixel rows
    assert charts.gap_heatmap(data.head(6), rubric).data[0].texttemplate == "%{z:.1f}"
    assert charts.gap_ranking(data, rubric).layout.height <= 60 + 14 * 300


def test_every_chart_draws_an_empty_assessment(rubric, make_csv):
    empty = assess(make_csv([["Unit", "Dimension", "Practice", "Current", "Target"],
                             ["Ops", "Build & Deploy", "Scripted builds", "TBD", "4"]])).normalized
    assert empty.empty
    for figure in (charts.radar(empty, rubric), charts.unit_radar(empty, rubric, []), charts.gap_heatmap(empty, rubric),
                   charts.gap_ranking(empty, rubric), charts.practice_bars(empty, rubric, "build")):
        assert isinstance(figure, go.Figure)


def test_every_chart_passes_plotly_validation(sample, rubric):
    """Charts skip plotly's validation when drawn (it costs more than the data work): validate them here."""
    data, roadmap = sample.normalized, build_roadmap(sample)
    figures = [charts.radar(data, rubric), charts.radar(data, rubric, sample.units[0], title="One unit"),
               charts.unit_radar(data, rubric, sample.units, "target"), charts.gap_heatmap(data, rubric, top=3),
               charts.gap_ranking(data, rubric, "build", top=2), charts.practice_bars(data, rubric, "test"),
               charts.practice_bars(data, rubric, "test", sample.units[1]), charts.roadmap_timeline(roadmap, rubric),
               charts.roadmap_timeline(roadmap, rubric, top=2), charts.roadmap_timeline(roadmap.head(0), rubric),
               charts.gap_heatmap(data, rubric, top=2, highlight=sample.units[-1]),
               charts.roadmap_timeline(with_dates(roadmap, "2027-01-01"), rubric)]
    for figure in figures:
        validated = go.Figure(figure.to_dict())  # raises ValueError on a property plotly does not know
        drawn, checked = json.loads(figure.to_json()), json.loads(validated.to_json())
        if drawn["layout"].get("title") == {}:  # what validation leaves of title=None; it drops it on a rebuild
            del drawn["layout"]["title"]
        assert checked == drawn


@pytest.mark.parametrize("top", [None, 1, 2, 3, 10])
def test_charts_of_many_units_show_the_largest_gaps_first(rubric, top):
    data = rows(("Small", "build", "Scripted builds", 3, 4), ("Large", "build", "Scripted builds", 1, 5),
                ("Medium", "build", "Scripted builds", 2, 4), ("Medium", "test", "Automatic unit tests", 2, 4))
    in_file_order, largest_first = ["Small", "Large", "Medium"], ["Large", "Medium", "Small"]
    expected = in_file_order if top is None or top >= 3 else largest_first[:top]
    assert list(charts.gap_heatmap(data, rubric, top=top).data[0].y) == expected
    assert list(charts.gap_ranking(data, rubric, top=top).data[0].y) == largest_first[:top]
    steps = ["Small", "Large", "Large", "Medium", "Large", "Medium", "Large", "Medium"]  # 1, 4 and 3 steps
    roadmap = pd.DataFrame({"unit": steps, "phase": 1, "rank": range(1, 9), "to_level": 2, "dimension": "build"})
    lanes = list(charts.roadmap_timeline(roadmap, rubric, top=top).layout.yaxis.categoryarray)
    assert lanes == (in_file_order if top is None or top >= 3 else largest_first[:top])  # most steps first


def test_headline_figures_average_the_rows_that_apply(rubric):
    data = rows(("A", "build", "p1", 1, 3), ("A", "test", "p2", 4, 2), ("B", "build", "p3", 2, 5),
                ("B", "test", "p4", 1, 4), extra={"applicable": [True, True, True, False]})
    assert charts.headline(data, rubric) == {"units": 2, "practices": 3, "current": pytest.approx(7 / 3),
                                             "target": pytest.approx(10 / 3), "gap": pytest.approx(5 / 3),
                                             "steps": 5}  # 2 + 0 (above target) + 3; B's p4 does not apply
    assert charts.headline(data, rubric, "A") == {"units": 1, "practices": 2, "current": 2.5, "target": 2.5,
                                                  "gap": 1.0, "steps": 2}


def test_headline_of_a_unit_without_rows_is_empty_not_an_error(rubric):
    figures = charts.headline(rows(("A", "build", "p1", 1, 3)), rubric, "nobody")
    assert (figures["units"], figures["practices"], figures["steps"]) == (0, 0, 0)
    assert math.isnan(figures["current"]) and math.isnan(figures["gap"])


def test_largest_gaps_come_first_by_unit_and_dimension(rubric):
    data = rows(("A", "build", "small", 2, 3), ("A", "test", "none", 4, 2), ("A", "build", "large", 1, 4),
                ("B", "build", "largest", 1, 5), ("A", "build", "tie", 2, 3), extra={"dimension_name": "x"})
    assert charts.largest_gaps(data, rubric)["practice"].tolist() == ["largest", "large", "small", "tie", "none"]
    only_a = charts.largest_gaps(data, rubric, "A", "build", count=2)
    assert only_a["practice"].tolist() == ["large", "small"]
    assert only_a.iloc[0][["current", "target", "gap"]].tolist() == ["Base", "Advanced", 3]
    assert charts.largest_gaps(data, rubric)["gap"].min() == 0  # above target is no gap, not a negative one


def test_practice_rows_are_one_dimension_that_applies_with_level_names(rubric):
    data = rows(("A", "build", "p1", 1, 3), ("A", "test", "p2", 2, 2), ("B", "build", "p3", 2, 5),
                ("B", "build", "p4", 1, 4), extra={"applicable": [True, True, True, False]})
    shown = charts.practice_rows(data, rubric, "build")
    assert shown.index.tolist() == [0, 2]  # the normalized rows' own index, which target edits point at
    assert shown[["practice", "current", "target"]].values.tolist() == [["p1", "Base", "Intermediate"],
                                                                       ["p3", "Beginner", "Expert"]]
    assert charts.practice_rows(data, rubric, "build", "B")["practice"].tolist() == ["p3"]


def test_the_heatmap_outlines_the_unit_shown_and_keeps_it_among_the_largest(rubric):
    data = rows(*[(unit, "build", "Scripted builds", 1, 1 + gap) for unit, gap in
                  (("Calm", 0), ("Far", 4), ("Farther", 4), ("Near", 1))])
    figure = charts.gap_heatmap(data, rubric, top=2, highlight="Calm")
    assert list(figure.data[0].y) == ["Far", "Farther", "Calm"]  # the two largest, and the one shown
    [outline] = figure.layout.shapes
    assert (outline.y0, outline.y1) == (1.5, 2.5)
    assert not charts.gap_heatmap(data, rubric, top=2).layout.shapes


def test_the_timeline_dates_its_phases_when_the_roadmap_has_dates(sample, rubric):
    roadmap = build_roadmap(sample)
    assert charts.roadmap_timeline(roadmap, rubric).layout.xaxis.ticktext[0] == "Phase 1"
    dated = charts.roadmap_timeline(with_dates(roadmap, "2027-01-01"), rubric)
    assert list(dated.layout.xaxis.ticktext)[:2] == ["Phase 1<br>Jan – Mar 2027", "Phase 2<br>Apr – Jun 2027"]
    colors = [trace.marker.color for trace in dated.data]
    assert len(set(colors)) == len(colors) >= 3
