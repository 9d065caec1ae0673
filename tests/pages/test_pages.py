"""The dashboard in-process (streamlit.testing.v1.AppTest): every page runs, and what the user sees after an
upload, a correction, a changed target or a file that cannot be used.

Streamlit 1.67's AppTest drives ``st.file_uploader`` itself (``set_value((name, bytes, mime))``), so uploads
go through the real widget. AppTest cannot edit a data editor, so ``edit``
sends the edit as the browser does: the editor's JSON state among the run's widget states.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("pages/overview.py", "pages/compare.py", "pages/practices.py", "pages/roadmap.py", "pages/rubric.py",
         "pages/history.py", "pages/snapshots_compare.py")


def figures(at: AppTest) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "application/octet-stream"))
    return at.run()


def edit(at: AppTest, position: int, column: str, value: object, editor: int = 0) -> AppTest:
    """Edit one cell of a data editor as the browser reports it: the editor's JSON state in the next run's
    widget states, so the editor's ``on_change`` fires as it does in the browser."""
    state = WidgetState(id=at.data_editor[editor].proto.id)
    state.string_value = json.dumps({"edited_rows": {str(position): {column: value}}, "added_rows": [],
                                     "deleted_rows": []})
    widgets = at._tree.get_widget_states()  # what AppTest.run() sends, plus the edit
    widgets.widgets.append(state)
    return at._run(widgets)


def assert_ok(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def unescape(text: str) -> str:
    return text.replace("\\", "")


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_the_sample(app: AppTest, page: str):
    app.switch_page(page).run()
    assert_ok(app)
    assert not app.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_an_upload(app: AppTest, team_csv: bytes, page: str):
    upload(app, "teams.csv", team_csv)
    app.switch_page(page).run()
    assert_ok(app)
    assert not app.error


SAMM_SCORES = [["Business Function", "Practice Area", "Current", "Target"],
               ["Governance", "Strategy & Metrics", "1.625", "2.375"],
               ["Governance", "Policy & Compliance", "0.5", "2"],
               ["Implementation", "Secure Build", "1", "2.25"], ["Verification", "Security Testing", "2.75", "2.5"]]
NIST_TIERS = [["Function", "Category", "Current Tier (1-4)", "Target Tier (1-4)"],
              ["Detect", "Continuous Monitoring", "1", "3"], ["Govern", "Organizational Context", "2", "3"],
              ["Protect", "Data Security", "2", "4"]]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("rows", "model"), [(SAMM_SCORES, "OWASP SAMM 2.0"), (NIST_TIERS, "The file's own model")])
def test_every_page_runs_on_a_fractional_model_and_on_the_files_own(app: AppTest, csv_bytes, page, rows, model):
    upload(app, "scores.csv", csv_bytes(rows))
    app.switch_page(page).run()
    assert_ok(app)
    assert not app.error
    assert any(f"In use: {model}" in unescape(c.value) for c in app.sidebar.caption)


def test_fractional_scores_show_the_level_reached(app: AppTest, csv_bytes):
    upload(app, "samm.csv", csv_bytes(SAMM_SCORES))
    gaps = next(d.value for d in app.dataframe if "gap" in d.value.columns)
    first = gaps.iloc[0]
    assert (first["dimension_name"], first["gap"]) == ("Policy and Compliance", 1.5)
    assert first["current"] == "No practice, 0.5 into Initial implementation"


def test_landing_page_shows_the_sample_radar(app: AppTest):
    assert_ok(app)
    radar = figures(app)[0]
    assert [trace["name"] for trace in radar["data"]] == ["Current", "Target"]
    assert {trace["type"] for trace in radar["data"]} == {"scatterpolar"}
    axes = list(dict.fromkeys(radar["data"][0]["theta"]))
    assert len(axes) == 5 and axes[0].startswith("Culture")
    assert "Northwind Mutual Bank (fictional)" in app.sidebar.caption[0].value
    assert app.metric[0].value == "6"


def test_upload_of_another_layout_is_understood_and_charted(app: AppTest, team_csv: bytes):
    upload(app, "team assessment.csv", team_csv)
    assert_ok(app)
    assert not app.error
    assert "Your file: team assessment.csv" in [t.value for t in app.sidebar.text]
    assert app.metric[0].value == "2"  # two teams
    roles = app.data_editor[0].value
    assert roles["Header"].tolist() == ["Team", "Category", "Capability", "As-Is", "To-Be"]
    assert roles["Role"].tolist() == ["unit", "dimension", "practice", "current", "target"]
    assert app.number_input[0].value == 1  # the header row it used
    radar = figures(app)[0]
    assert [trace["name"] for trace in radar["data"]] == ["Current", "Target"]


def test_problems_table_lists_bad_rows_with_a_download(app: AppTest, csv_bytes):
    data = csv_bytes([["Unit", "Dimension", "Practice", "Current", "Target"],
                      ["Ops", "Build & Deploy", "Scripted builds", "2", "4"],
                      ["Ops", "Build & Deploy", "Build once deploy anywhere", "TBD", "4"],
                      ["Ops", "Test & Verification", "Automatic unit tests", "2", "3"],
                      ["Ops", "Culture & Organization", "Stable teams", "2", "3"],
                      ["Ops", "Made-up area", "Something", "2", "3"]])
    upload(app, "ops.csv", data)
    assert_ok(app)
    problems = next(d.value for d in app.dataframe if "Problem" in d.value.columns)
    assert problems["Row"].tolist() == [3, 6]
    assert list(problems.columns[:2]) == ["Sheet", "Row"]
    assert "TBD" in problems["Problem"].iloc[0]
    assert "Download problems CSV" in [b.label for b in app.get("download_button")]


def test_a_file_that_cannot_be_used_gets_a_one_line_error_and_the_sample_stays(app: AppTest):
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    upload(app, "budget.xlsx", png)
    assert_ok(app)
    assert len(app.error) == 1
    message = unescape(app.error[0].value)
    assert "budget.xlsx cannot be used" in message and "\n" not in message
    assert app.metric[0].value == "6"  # still the sample
    assert "Northwind Mutual Bank (fictional)" in app.sidebar.caption[0].value


def test_a_file_without_a_gap_analysis_table_says_what_was_looked_for(app: AppTest, csv_bytes):
    upload(app, "notes.csv", csv_bytes([["Name", "Age"], ["Ann", "3"]]))
    assert_ok(app)
    assert "found no gap-analysis table" in unescape(app.error[0].value)


def test_correcting_a_column_role_renormalizes(app: AppTest, csv_bytes):
    # "Org" is not a header gapmap knows, so the file reads as one unit until the user says otherwise.
    data = csv_bytes([["Org", "Dimension", "Practice", "Current", "Target"],
                      ["North", "Build & Deploy", "Scripted builds", "2", "4"],
                      ["South", "Build & Deploy", "Scripted builds", "3", "4"],
                      ["East", "Test & Verification", "Automatic unit tests", "1", "3"]])
    upload(app, "regions.csv", data)
    assert app.metric[0].value == "1"
    edit(app, 0, "Role", "unit")
    assert_ok(app)
    assert app.metric[0].value == "3"
    assert app.data_editor[0].value["Role"].iloc[0] == "unit"
    assert "Undo my corrections" in [b.label for b in app.button]


def test_correcting_the_level_scale_and_the_header_row(app: AppTest, csv_bytes):
    data = csv_bytes([["Team maturity review"], [],
                      ["Unit", "Dimension", "Practice", "Current", "Target"],
                      ["Ops", "Build & Deploy", "Scripted builds", "1", "3"],
                      ["Ops", "Test & Verification", "Automatic unit tests", "2", "4"]])
    upload(app, "review.csv", data)
    assert app.number_input[0].value == 3
    assert app.metric[1].value == "1.5"
    scale = next(s for s in app.selectbox if s.key and s.key.startswith("scale_current"))
    scale.set_value((0, 4)).run()
    assert_ok(app)
    assert app.metric[1].value == "2.5"  # 1 and 2 counted from 0 are Beginner and Intermediate
    app.number_input[0].set_value(1).run()
    assert_ok(app)
    assert app.warning, "a header row without level columns is flagged, not crashed on"
    assert "No practice could be read" in app.info[0].value


def test_changing_a_target_moves_the_radar_and_the_roadmap(app: AppTest):
    radar_before = figures(app)[0]["data"][1]["r"]
    app.switch_page("pages/roadmap.py").run()
    steps_before = int(app.metric[0].value)
    app.switch_page("pages/practices.py").run()
    assert app.data_editor[0].value["target"].iloc[0] != "Expert"
    edit(app, 0, "target", "Expert")
    assert_ok(app)
    assert app.data_editor[0].value["target"].iloc[0] == "Expert"
    assert "1 target changed by hand" in [c.value for c in app.sidebar.caption]
    app.switch_page("pages/roadmap.py").run()
    assert int(app.metric[0].value) > steps_before
    app.switch_page("pages/overview.py").run()
    assert figures(app)[0]["data"][1]["r"][0] > radar_before[0]  # Culture & Organization target went up
    next(b for b in app.sidebar.button if b.label == "Reset targets").click().run()
    assert figures(app)[0]["data"][1]["r"] == radar_before


def test_filters_persist_across_pages(app: AppTest):
    app.sidebar.selectbox(key="unit_filter").set_value("Payments").run()
    app.sidebar.selectbox(key="dimension_filter").set_value("build").run()
    assert "Payments" in [c.value for c in app.caption]  # the radar's subject
    app.switch_page("pages/roadmap.py").run()
    assert_ok(app)
    assert app.sidebar.selectbox(key="unit_filter").value == "Payments"
    shown = app.dataframe[0].value
    assert set(shown["unit"]) == {"Payments"} and set(shown["dimension_name"]) == {"Build & Deploy"}
    app.switch_page("pages/practices.py").run()
    assert set(app.data_editor[0].value["unit"]) == {"Payments"}


def test_practice_page_dimension_picker_sets_the_shared_filter(app: AppTest):
    app.switch_page("pages/practices.py").run()
    picker = app.get("button_group")[0]
    picker.set_value("test").run()
    assert_ok(app)
    assert app.sidebar.selectbox(key="dimension_filter").value == "test"


def test_roadmap_phase_filter_and_downloads(app: AppTest):
    app.switch_page("pages/roadmap.py").run()
    total = len(app.dataframe[0].value)
    app.multiselect(key="roadmap_phases").set_value([1]).run()
    assert_ok(app)
    shown = app.dataframe[0].value
    assert 0 < len(shown) < total and set(shown["phase"]) == {1}
    assert f"{len(shown)} of {total} steps" in app.caption[1].value
    labels = [b.label for b in app.get("download_button")]
    assert "Download roadmap CSV" in labels and "Download roadmap Excel" in labels


def test_nothing_to_plan_is_a_message(app: AppTest, csv_bytes):
    upload(app, "done.csv", csv_bytes([["Unit", "Dimension", "Practice", "Current", "Target"],
                                       ["Ops", "Build & Deploy", "Scripted builds", "3", "3"]]))
    app.switch_page("pages/roadmap.py").run()
    assert_ok(app)
    assert not app.error
    assert "Nothing to plan" in app.info[0].value
    app.switch_page("pages/compare.py").run()
    assert "single unit" in app.info[0].value


@pytest.mark.parametrize("page", PAGES)
def test_a_file_where_every_row_has_a_problem_is_an_empty_state_on_every_page(app: AppTest, csv_bytes, page: str):
    upload(app, "tbd.csv", csv_bytes([["Unit", "Dimension", "Practice", "Current", "Target"],
                                      ["Ops", "Build & Deploy", "Scripted builds", "TBD", "4"]]))
    app.switch_page(page).run()
    assert_ok(app)
    assert not app.error
    if page != "pages/rubric.py":
        assert app.info, "an empty state says so"


def test_back_to_the_sample(app: AppTest, team_csv: bytes):
    upload(app, "teams.csv", team_csv)
    next(b for b in app.sidebar.button if b.label == "Back to the sample").click().run()
    assert_ok(app)
    assert app.metric[0].value == "6"


def test_hostile_text_is_never_markup(app: AppTest, hostile_csv: bytes):
    upload(app, "<b>evil</b>.csv", hostile_csv)
    assert_ok(app)
    assert app.metric[0].value == "2"
    for page in PAGES:
        app.switch_page(page).run()
        assert_ok(app)
        for element in (*app.markdown, *app.caption, *app.error, *app.info, *app.warning):
            body = element.value
            assert "<img" not in body.replace("\\<img", ""), body
            assert "**bold**" not in body and ":red[" not in body and "<b>" not in body.replace("\\<b\\>", ""), body
        for figure in figures(app):
            drawn = json.dumps(figure)
            assert "<img" not in drawn and "<b>bold" not in drawn and "<b>evil" not in drawn
    app.switch_page("pages/overview.py").run()
    heatmap = figures(app)[1]
    assert "&lt;img src=x onerror=alert(1)&gt;" in heatmap["data"][0]["y"]
    assert "Your file: <b>evil</b>.csv" in [t.value for t in app.sidebar.text]


@pytest.mark.parametrize("text", ["**bold**", "[link](javascript:alert(1))", "<img src=x onerror=alert(1)>",
                                  ":red[team]", "$x^2$", "# heading", "1. item", "a_b_c", "`code`", "~~gone~~"])
def test_escape_markdown_leaves_no_markup(text: str):
    from pages._ui.components import escape_markdown

    escaped = escape_markdown(text)
    assert escaped.replace("\\", "") == text  # nothing lost, only escaped
    unescaped_specials = [c for i, c in enumerate(escaped) if c in "*_[]()<>`~$:#.!" and escaped[i - 1 : i] != "\\"]
    assert unescaped_specials == []


def test_practice_and_roadmap_downloads_hold_exactly_the_rows_shown(app: AppTest, downloads):
    app.sidebar.selectbox(key="unit_filter").set_value("Payments").run()
    app.switch_page("pages/practices.py").run()
    editor = app.data_editor[0].value
    app.switch_page("pages/roadmap.py").run()
    app.multiselect(key="roadmap_phases").set_value([1]).run()
    assert_ok(app)
    offered = {name.rsplit("_", 1)[-1]: data for name, data in downloads}  # the last offer of each kind
    normalized, practices, roadmap = (
        list(csv.DictReader(io.StringIO(offered[kind]().decode("utf-8-sig")))) for kind in
        ("normalized.csv", "practices.csv", "roadmap.csv"))
    assert list(practices[0]) == list(normalized[0])  # the normalized table's own columns, nothing added
    assert [(row["unit"], row["practice"]) for row in practices] == list(zip(editor["unit"], editor["practice"],
                                                                             strict=True))
    assert {row["dimension"] for row in practices} == {"culture"}
    assert len(roadmap) == len(app.dataframe[0].value) and {row["phase"] for row in roadmap} == {"1"}
    assert {row["unit"] for row in roadmap} == {"Payments"}


# ---- the maturity model --------------------------------------------------------------------------

def test_the_model_in_use_is_shown_beside_the_data_and_can_be_switched(app: AppTest):
    assert any("Model: Continuous Delivery Maturity Model 2013" in unescape(m.value) for m in app.markdown)
    picker = app.selectbox(key="model_picker")
    assert picker.value == "auto"
    assert set(picker.options) >= {"Automatic: chosen from the file", "OWASP SAMM 2.0", "The file's own model"}
    picker.set_value("own").run()
    assert_ok(app)
    assert any("Model: The file's own model" in unescape(m.value) for m in app.markdown)
    assert app.metric[0].value == "6"  # the sample's units, read in its own model
    app.switch_page("pages/rubric.py").run()
    assert_ok(app)
    assert "defines no practices" in app.info[0].value
    app.selectbox(key="model_picker").set_value("samm").run()
    assert_ok(app)
    assert unescape(app.title[0].value) == "Rubric: OWASP SAMM 2.0"


def test_a_model_the_file_cannot_be_read_in_is_refused_and_the_model_stays(app: AppTest, csv_bytes):
    upload(app, "no areas.csv", csv_bytes([["Dimension", "Current", "Target"], ["", "1", "3"]]))
    app.selectbox(key="model_picker").set_value("own").run()
    assert_ok(app)
    assert "names no areas" in app.sidebar.error[0].value
    assert app.selectbox(key="model_picker").value == "auto"


def test_an_uploaded_rubric_file_is_validated_and_used(app: AppTest, csv_bytes):
    upload(app, "ops.csv", csv_bytes([["Area", "Current", "Target"], ["Operations", "Ad hoc", "Automated"],
                                     ["Security", "Repeatable", "Automated"]]))
    uploader = app.file_uploader(key="model_uploader")
    uploader.set_value(("broken.yaml", b"id: x\nname: X\nlevels: []\ndimensions: []\n", "text/yaml")).run()
    assert_ok(app)
    assert "broken.yaml: levels" in unescape(app.sidebar.error[0].value)
    tiny = (ROOT / "tests" / "data" / "tiny_rubric.yaml").read_bytes()
    app.file_uploader(key="model_uploader").set_value(("tiny.yaml", tiny, "text/yaml")).run()
    assert_ok(app)
    assert not app.sidebar.error
    assert app.session_state["model_picker"] == "file"
    assert any("Model: Tiny Ops Model" in unescape(m.value) for m in app.markdown)
    app.switch_page("pages/roadmap.py").run()
    assert_ok(app)
    steps = next(d.value for d in app.dataframe if "actions" in d.value.columns)
    assert sorted(steps["actions"]) == ["Policy as code", "Runbooks", "Self-healing services"]


def test_a_close_spelling_is_listed_warned_and_confirmed(app: AppTest, csv_bytes):
    upload(app, "spelled.csv", csv_bytes([["Unit", "Dimension", "Current", "Target"],
                                         ["Ops", "Build and Deploying", "1", "3"],
                                         ["Ops", "Test & Verification", "2", "3"],
                                         ["Ops", "Culture & Organization", "2", "3"]]))
    assert_ok(app)
    areas = next(e for e in app.data_editor if "In the file" in e.value.columns)
    assert areas.value[["In the file", "Read as", "Confirmed"]].values.tolist() == [
        ["Build and Deploying", "Build & Deploy", False]]
    assert any("'Build and Deploying' read as Build & Deploy" in unescape(c.value) for c in app.caption)
    position = [e.proto.id for e in app.data_editor].index(areas.proto.id)
    edit(app, 0, "Confirmed", True, editor=position)
    assert_ok(app)
    areas = next(e for e in app.data_editor if "In the file" in e.value.columns)
    assert areas.value["How"].tolist() == ["set by you"]
    assert not any("read as Build & Deploy (a close" in unescape(c.value) for c in app.caption)


def test_a_file_without_targets_asks_what_to_aim_for_and_reads_it(app: AppTest, csv_bytes):
    upload(app, "first look.csv", csv_bytes([["Team", "Practice Area", "Current"], ["Ops", "Build & Deploy", "2"],
                                              ["Ops", "Test & Verification", "4"]]))
    assert_ok(app)
    assert "--default-target next" in unescape(app.error[0].value)
    app.selectbox(key="pending_targets").set_value("next").run()
    assert_ok(app)
    assert not app.error
    assert "Your file: first look.csv" in [t.value for t in app.sidebar.text]
    assert app.selectbox(key="default_target").value == "next"
    gaps = next(d.value for d in app.dataframe if "gap" in d.value.columns)
    assert gaps["target"].tolist() == ["Intermediate", "Expert"]  # one level above 2 and 4
    app.selectbox(key="default_target").set_value("5").run()
    assert_ok(app)
    gaps = next(d.value for d in app.dataframe if "gap" in d.value.columns)
    assert gaps["target"].tolist() == ["Expert", "Expert"]


def test_a_file_without_a_table_is_rescued_in_the_page_and_undone(app: AppTest, csv_bytes):
    vague = csv_bytes([["Platform maturity, spring 2026"], [], ["Team", "Area", "Before", "Later"],
                       ["Payments", "Build & Deploy", "2", "4"], ["Lending", "Test & Verification", "1", "3"]])
    upload(app, "team plan.csv", vague)
    assert_ok(app)
    assert "team plan.csv cannot be used" in unescape(app.error[0].value)
    assert any("Still showing the sample" in unescape(c.value) for c in app.caption)
    assert next(n.value for n in app.number_input if n.label == "Header row") == 3  # the likeliest header row
    editor = next(e for e in app.data_editor if "First values" in e.value.columns and "Before" in
                  e.value["Header"].tolist())
    assert editor.value["Role"].tolist() == ["unit", "dimension", "", ""]
    # The two level columns given their roles, as the browser sends an edit of the grid.
    change = WidgetState(id=editor.proto.id)
    change.string_value = json.dumps({"edited_rows": {"2": {"Role": "current"}, "3": {"Role": "target"}},
                                      "added_rows": [], "deleted_rows": []})
    widgets = app._tree.get_widget_states()
    widgets.widgets.append(change)
    app._run(widgets)
    next(b for b in app.button if b.label == "Read this sheet").click().run()
    assert_ok(app)
    assert not app.error
    assert "Your file: team plan.csv" in [t.value for t in app.sidebar.text]
    assert app.metric[0].value == "2"  # Payments and Lending
    next(b for b in app.button if b.label == "Undo my corrections").click().run()
    assert_ok(app)
    assert "team plan.csv cannot be used" in unescape(app.error[0].value)


def test_rows_read_with_a_warning_are_listed(app: AppTest):
    upload(app, "sample.xlsx", (ROOT / "data" / "sample_gap_analysis.xlsx").read_bytes())
    warned = next(d.value for d in app.dataframe if "warning" in d.value.columns)
    assert warned[["source_sheet", "source_row", "warning"]].values.tolist() == [
        ["Wealth Management", 14, "current is above target"]]


def test_the_upload_limit_is_said_on_the_page(app: AppTest):
    assert any("Up to 20 MB" in c.value for c in app.caption)
