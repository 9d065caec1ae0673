from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest
import yaml

from maturity import (
    RubricError,
    assess,
    available_rubrics,
    build_roadmap,
    charts,
    load_rubric,
    retarget,
    rubric_from_yaml,
    template_bytes,
    to_csv_bytes,
    to_excel_bytes,
)
from maturity.rubric import match_key

DATA = Path(__file__).resolve().parent.parent / "data"
CELL_COUNTS = {  # practices per level per dimension, as the model's matrix has them
    1: {"culture": 3, "design": 1, "build": 6, "test": 2, "reporting": 2},
    2: {"culture": 5, "design": 4, "build": 4, "test": 1, "reporting": 3},
    3: {"culture": 6, "design": 5, "build": 7, "test": 2, "reporting": 3},
    4: {"culture": 4, "design": 2, "build": 3, "test": 4, "reporting": 3},
    5: {"culture": 2, "design": 1, "build": 2, "test": 1, "reporting": 2},
}


def test_cdmm_has_the_whole_matrix(rubric):
    assert rubric.dimension_ids == ("culture", "design", "build", "test", "reporting")
    assert [(lv.level, lv.name) for lv in rubric.levels] == [
        (1, "Base"),
        (2, "Beginner"),
        (3, "Intermediate"),
        (4, "Advanced"),
        (5, "Expert"),
    ]
    assert rubric.practice_count == 78
    for level, counts in CELL_COUNTS.items():
        assert {d: len(rubric.practices_at(d, level)) for d in rubric.dimension_ids} == counts
    assert rubric.source.startswith("https://www.infoq.com/")
    assert all(p.description for d in rubric.dimensions for p in d.practices)


@pytest.mark.parametrize(
    ("written", "dimension"),
    [
        ("Culture and Organisation", "culture"),
        ("Organization & Culture", "culture"),
        ("Build & Deployment", "build"),
        ("Testing & Verification", "test"),
        ("Reporting & Information", "reporting"),
        ("  design & ARCHITECTURE ", "design"),
        ("build", "build"),
    ],
)
def test_dimension_synonyms_are_data(rubric, written, dimension):
    assert rubric.dimension_lookup[match_key(written)] == dimension


def test_no_synonym_points_two_ways(rubric):
    seen = {}
    for dim in rubric.dimensions:
        for name in (dim.id, dim.name, *dim.synonyms):
            assert seen.setdefault(match_key(name), dim.id) == dim.id
    labels = {}
    for dim in rubric.dimensions:
        for practice in dim.practices:
            for name in (practice.label, *practice.synonyms):
                assert labels.setdefault(match_key(name), practice.id) == practice.id


def test_second_rubric_is_only_a_yaml_file():
    tiny = load_rubric(DATA / "tiny_rubric.yaml")
    assert (tiny.id, tiny.lowest, tiny.highest) == ("tiny", 0, 2)
    assert [p.label for p in tiny.practices_at("ops", 1)] == ["Runbooks"]
    assert tiny.level_lookup[match_key("auto")] == 2
    assert "cdmm" in available_rubrics() and "tiny" not in available_rubrics()


def _every_view(assessment, roadmap):
    """Every chart, table and export a user can get of an assessment and its roadmap."""
    normalized, rubric = assessment.normalized, assessment.rubric
    first = rubric.dimension_ids[0]
    unit = assessment.units[0]
    figures = [charts.radar(normalized, rubric), charts.radar(normalized, rubric, unit),
               charts.unit_radar(normalized, rubric, assessment.units), charts.gap_heatmap(normalized, rubric),
               charts.gap_ranking(normalized, rubric), charts.practice_bars(normalized, rubric, first),
               charts.roadmap_timeline(roadmap, rubric)]
    tables = [charts.headline(normalized, rubric), charts.largest_gaps(normalized, rubric),
              charts.practice_levels(normalized, rubric, first),
              charts.practice_rows(normalized, rubric, first), charts.dimension_averages(normalized, rubric, True)]
    exports = [to_csv_bytes(normalized), to_csv_bytes(roadmap), to_csv_bytes(assessment.problems),
               to_excel_bytes({"Normalized": normalized, "Roadmap": roadmap}), template_bytes(rubric)]
    return figures, tables, exports


def test_a_rubric_file_goes_through_every_step(make_xlsx):
    """A model that is not built in, from assess to roadmap, retarget, every chart and every export: it is
    never looked up by its id again (which failed with "unknown rubric 'tiny'")."""
    path = make_xlsx({"Ops team": [["Area", "Practice", "Current", "Target"],
                                   ["Operations", "Runbooks", "Ad hoc", "Automated"],
                                   ["Security", "Dependency scanning", 0, 1]]})
    assessment = assess(path, rubric=DATA / "tiny_rubric.yaml")
    assert assessment.rubric.id == "tiny" and assessment.problems.empty
    roadmap = build_roadmap(assessment)
    assert roadmap[["dimension", "to_label", "actions"]].values.tolist() == [
        ["ops", "Repeatable", "Runbooks"], ["security", "Repeatable", "Dependency scanning"],
        ["ops", "Automated", "Self-healing services"]]
    moved = retarget(assessment, pd.Series({1: 2}))
    assert moved.rubric is assessment.rubric
    assert moved.normalized["gap"].tolist() == [2, 2]
    figures, tables, exports = _every_view(moved, build_roadmap(moved))
    assert all(isinstance(figure, go.Figure) for figure in figures)
    radar = figures[0]
    assert list(radar.data[0].theta[:2]) == ["Operations", "Security"]
    assert radar.layout.polar.radialaxis.ticktext == ("0", "1", "2")
    assert radar.layout.annotations[0].text == "Levels: 0 Ad hoc · 1 Repeatable · 2 Automated"
    assert tables[0]["practices"] == 2
    assert all(isinstance(data, bytes) and data for data in exports)
    template = assess(exports[-1], "tiny_template.xlsx", rubric=DATA / "tiny_rubric.yaml")
    assert template.rubric.id == "tiny" and len(template.problems) == 18  # 6 blank rows: unit, current, target


def _upload(text: str) -> str:
    try:
        rubric_from_yaml(text, "mine.yaml")
    except RubricError as error:
        return str(error)
    return ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: &x [1]\nb: *x\n", "uses YAML aliases"),
        ("id: own\nname: x\n", "id 'own' is reserved"),
        ("- just a list\n", "must hold a mapping"),
        ("id: x\nname: X\nlevels: []\ndimensions: []\n", "mine.yaml: levels"),
        ("[" * 100_000 + "]" * 100_000, "mine.yaml is not valid YAML at line 1: exceeded maximum nesting depth"),
        ("\xff\xfe not text", "mine.yaml"),
    ],
)
def test_an_uploaded_rubric_is_validated_like_a_file(text, message):
    assert message in _upload(text)


def test_an_uploaded_rubric_of_a_built_in_model_reads_the_same():
    text = (Path(load_rubric.__code__.co_filename).with_name("rubrics") / "samm.yaml").read_text()
    assert rubric_from_yaml(text, "samm.yaml") == load_rubric("samm")


def _broken(tmp_path, mutate) -> Path:
    document = yaml.safe_load((DATA / "tiny_rubric.yaml").read_text())
    mutate(document)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(document))
    return path


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["levels"].pop(1), "level 1 is missing"),
        (lambda d: d["dimensions"][1].update(id="ops"), "duplicate dimension id 'ops'"),
        (lambda d: d["dimensions"][0]["practices"][1].update(id="ops.0.pager", level=0), "duplicate practice id"),
        (
            lambda d: d["dimensions"][0]["practices"][0].update(colour="red"),
            "dimensions[ops].practices[ops.0.pager].colour: unknown key",
        ),
        (lambda d: d.update(owner="me"), "owner: unknown key"),
        (lambda d: d["dimensions"][0]["practices"][2].update(level=7), "must start with 'ops.7.'"),
        (lambda d: d.pop("levels"), "levels: Field required"),
    ],
)
def test_invalid_rubric_names_file_and_place(tmp_path, mutate, message):
    with pytest.raises(RubricError) as caught:
        load_rubric(_broken(tmp_path, mutate))
    assert "broken.yaml" in str(caught.value)
    assert message in str(caught.value)


def test_unknown_rubric_lists_the_built_in_ones():
    with pytest.raises(RubricError, match="unknown rubric 'nope'; built-in rubrics: cdmm"):
        load_rubric("nope")


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("id: x\nlevels: [\n  - level: 1\n")
    with pytest.raises(RubricError, match=r"bad.yaml is not valid YAML at line \d+"):
        load_rubric(path)
