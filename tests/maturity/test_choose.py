"""Choosing the model from the file, and reading a file in its own model."""

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maturity import (
    RawSheet,
    RawWorkbook,
    RubricError,
    assess,
    assess_workbook,
    available_rubrics,
    build_roadmap,
    load_rubric,
    read_workbook,
)
from maturity.roadmap import NO_PRACTICES
from maturity.rubric import match_key

SAMM = Path(__file__).resolve().parents[3] / "shared" / "samm"


def _workbook(rows, name="S", kind="xlsx"):
    return RawWorkbook(f"f.{kind}", kind, (RawSheet(name, pd.DataFrame(rows, dtype=object)),))


def _areas_file(areas, current=1, target=2, header=("Area", "Current", "Target")):
    return _workbook([list(header), *([area, current, target] for area in areas)])


@pytest.mark.parametrize(
    ("areas", "chosen"),
    [
        (["Culture & Organization", "Design & Architecture", "Build & Deploy", "Test & Verification",
          "Information & Reporting"], "cdmm"),
        (["Build & Deploy", "Test & Verification", "Culture and Organisation"], "cdmm"),
        (["Strategy & Metrics", "Policy & Compliance", "Education & Guidance", "Threat Assessment",
          "Security Requirements", "Secure Architecture", "Secure Build", "Secure Deployment", "Defect Management",
          "Architecture Assessment", "Requirements-driven Testing", "Security Testing", "Incident Management",
          "Environment Management", "Operational Management"], "samm"),
        (["Strategy & Metrics", "Policy & Compliance", "Education & Guidance", "Threat Assessment",
          "Security Requirements", "Secure Architecture", "Design Review", "Implementation Review",
          "Security Testing", "Issue Management", "Environment Hardening", "Operational Enablement"], "samm15"),
        # the names SAMM's own toolboxes write, quirks included
        (["Strategy & metrics", "Design Analysis", "Code Review", "Vulnerability Management", "Policy & Compliance",
          "Education & Guidance", "Threat Assessment", "Security Requirements", "Secure Architecture",
          "Security Testing", "Environment Hardening", "Operational Enablement"], "samm15"),
        (["Build", "Deployment", "Patch Management", "Education and Guidance", "Process", "Application Hardening",
          "Infrastructure Hardening", "Logging", "Monitoring", "Test KPI", "Consolidation"], "dsomm"),
        (["People", "Model Creation", "Model Release", "Application Integration"], "mlops_microsoft"),
        # CDMM's one-word synonym "Organization" inside a longer name does not make it CDMM
        (["Organizational Context", "Risk Management Strategy", "Asset Management", "Continuous Monitoring"], "own"),
        (["Build & Deploy", "Payments Platform", "Mobile Banking"], "own"),  # one of three is no majority
    ],
)
def test_auto_chooses_the_model_whose_names_cover_the_file(areas, chosen):
    assessment = assess_workbook(_areas_file(areas))
    assert assessment.rubric.id == chosen
    assert assessment.choice.requested == "auto"
    assert any(note.startswith("model: ") for note in assessment.notes)
    assert len(assessment.normalized) == len(areas)


def test_the_choice_says_why_with_figures():
    assessment = assess_workbook(_areas_file(["Build & Deploy", "Test & Verification", "Payments Platform"]))
    assert assessment.rubric.id == "cdmm"
    assert "names 2 of the file's 3 areas (67%)" in assessment.choice.reason
    best = assessment.choice.coverage[0]
    assert (best.rubric_id, best.covered, best.distinct) == ("cdmm", 2, 3)
    assert {c.rubric_id for c in assessment.choice.coverage} == set(available_rubrics())


def test_own_model_note_names_the_closest_model():
    assessment = assess_workbook(_areas_file(["Build & Deploy", "Payments Platform", "Mobile Banking"]))
    assert assessment.rubric.id == "own"
    assert "closest built-in model, Continuous Delivery Maturity Model 2013, names 1 of the file's 3 areas" in (
        assessment.choice.reason)


@pytest.mark.parametrize("forced", ["own", "cdmm", "samm"])
def test_a_model_can_be_forced(forced):
    assessment = assess_workbook(_areas_file(["Build & Deploy", "Test & Verification"], 1, 2), forced)
    assert assessment.rubric.id == forced
    assert assessment.choice.requested == forced


def test_a_model_file_can_be_forced_by_path(tmp_path):
    tiny = Path(__file__).resolve().parents[1] / "data" / "tiny_rubric.yaml"
    assessment = assess_workbook(_areas_file(["Operations", "Security"], 0, 2), str(tiny))
    assert assessment.rubric.id == "tiny"
    assert assessment.problems.empty


# ---- the file's own model ------------------------------------------------------------------------

NIST_CSF = [
    ("Govern", "Organizational Context", "GV.OC-01"),
    ("Govern", "Organizational Context", "GV.OC-02"),
    ("Govern", "Risk Management Strategy", "GV.RM-01"),
    ("Govern", "Risk Management Strategy", "GV.RM-02"),
    ("Identify", "Asset Management", "ID.AM-01"),
    ("Identify", "Asset Management", "ID.AM-02"),
    ("Identify", "Risk Assessment", "ID.RA-01"),
    ("Identify", "Risk Assessment", "ID.RA-05"),
    ("Protect", "Identity Management, Authentication, and Access Control", "PR.AA-01"),
    ("Protect", "Awareness and Training", "PR.AT-01"),
    ("Protect", "Data Security", "PR.DS-01"),
    ("Protect", "Platform Security", "PR.PS-01"),
    ("Detect", "Continuous Monitoring", "DE.CM-01"),
    ("Detect", "Continuous Monitoring", "DE.CM-09"),
    ("Detect", "Adverse Event Analysis", "DE.AE-02"),
    ("Respond", "Incident Management", "RS.MA-01"),
    ("Respond", "Incident Analysis", "RS.AN-03"),
    ("Respond", "Incident Mitigation", "RS.MI-01"),
    ("Recover", "Incident Recovery Plan Execution", "RC.RP-01"),
    ("Recover", "Incident Recovery Communication", "RC.CO-03"),
]


@pytest.mark.parametrize(
    ("header", "levels", "expected_levels"),
    [
        (("Current Tier (1-4)", "Target Tier (1-4)"), (1, 3), [(1, "Level 1"), (2, "Level 2"), (3, "Level 3"),
                                                                (4, "Level 4")]),
        (("Current Tier", "Target Tier"), ("Partial", "Repeatable"),
         [(1, "Partial"), (2, "Risk Informed"), (3, "Repeatable"), (4, "Adaptive")]),
    ],
)
def test_nist_csf_reads_as_its_own_model_with_every_row(make_xlsx, header, levels, expected_levels):
    rows = [["NIST CSF 2.0 profile: Northwind Mutual"], [],
            ["Function", "Category", "Subcategory", *header, "Owner"]]
    rows += [[function, category, sub, *levels, "CISO office"] for function, category, sub in NIST_CSF]
    assessment = assess(make_xlsx({"Profile": rows}))
    rubric = assessment.rubric
    assert rubric.id == "own"
    assert len(assessment.normalized) == 20 and assessment.problems.empty
    assert assessment.units == ["Profile"]  # one unit: the sheet's name, not a word of the level headers
    assert [(lv.level, lv.name) for lv in rubric.levels] == expected_levels
    assert [g.name for g in rubric.groups] == ["Govern", "Identify", "Protect", "Detect", "Respond", "Recover"]
    assert len(rubric.dimensions) == 15
    monitoring = rubric.dimension(rubric.dimension_lookup["continuous monitoring"])
    assert (monitoring.name, rubric.group(monitoring.group).name) == ("Continuous Monitoring", "Detect")
    assert set(assessment.normalized["dimension_name"]) == {category for _, category, _ in NIST_CSF}
    assert assessment.normalized["practice"].tolist() == [sub for _, _, sub in NIST_CSF]
    assert not assessment.normalized["warning"].notna().any()
    roadmap = build_roadmap(assessment)
    assert len(roadmap) == 20 * 2  # two levels to climb everywhere
    assert set(roadmap["actions"]) == {NO_PRACTICES}


@pytest.mark.parametrize(
    ("cells", "header", "expected"),
    [
        ([0, 1, 2, 3], "Current", ([0, 1, 2, 3], False)),
        ([1, 2.5, 4], "Current", ([1, 2, 3, 4], True)),
        ([1, 2], "Current (0-5)", ([0, 1, 2, 3, 4, 5], False)),
        (["L1", "L3", "Level 2"], "Current", ([1, 2, 3], False)),
        (["Initial", "Defined", "Optimizing"], "Current", ([1, 2, 3, 4, 5], False)),
        (["1 - Ad hoc", "2 - Repeatable", "3 - Defined"], "Current", ([1, 2, 3], False)),
    ],
)
def test_own_levels_come_from_the_file(cells, header, expected):
    rows = [["Area", header, "Target"], *([f"Area {i}", cell, cell] for i, cell in enumerate(cells))]
    assessment = assess_workbook(_workbook(rows), "own")
    levels, fractional = expected
    assert [lv.level for lv in assessment.rubric.levels] == levels
    assert assessment.rubric.fractional is fractional
    assert assessment.problems.empty, assessment.problems


def test_own_model_of_a_file_without_areas_is_refused_with_the_fix():
    rows = [["Practice", "Current", "Target"], [None, 1, 2]]
    with pytest.raises(RubricError, match=r"names no areas.*choose a built-in model"):
        assess_workbook(_workbook(rows), "own")


# ---- a file written in a model's own names reads against it with no problem ------------------------

@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), model=st.sampled_from(available_rubrics()))
def test_a_file_in_a_models_own_names_reads_against_it_with_no_problem(data, model):
    rubric = load_rubric(model)
    areas = data.draw(st.lists(st.sampled_from(rubric.dimensions), min_size=max(1, len(rubric.dimensions) // 2),
                               unique_by=lambda d: d.id))
    level_names = st.sampled_from([lv.name for lv in rubric.levels])
    rows = [["Unit", "Dimension", "Current", "Target"]]
    for area in areas:
        rows.append(["Team", data.draw(st.sampled_from([area.name, *area.synonyms])),
                     data.draw(level_names), data.draw(level_names)])
    assessment = assess_workbook(_workbook(rows))
    assert assessment.rubric.id == model
    assert assessment.problems.empty, assessment.problems.to_dict("records")
    assert len(assessment.normalized) == len(areas)
    assert set(assessment.normalized["dimension"]) == {a.id for a in areas}


# ---- the real SAMM toolboxes ---------------------------------------------------------------------

@pytest.mark.parametrize(
    ("workbook", "rows", "model"),
    [("SAMM_Assessment_Toolbox_v1.5-Example.xlsx", range(12, 24), "samm15"),
     ("SAMM_Assessment_Toolbox_v2.0.xlsx", range(12, 27), "samm")],
)
def test_the_samm_toolboxes_practice_names_are_the_models(workbook, rows, model):
    """Column A of each toolbox's Roadmap Chart lists its practices (reference §3.3), quirks included:
    every one is an area of its model by name or synonym, and auto picks that model on them."""
    path = SAMM / workbook
    if not path.is_file():
        pytest.skip(f"{path} is not here (the shared SAMM workbooks sit beside the project)")
    chart = next(s for s in read_workbook(path).sheets if s.name == "Roadmap Chart")
    names = [chart.cells.iat[row - 1, 0] for row in rows]
    rubric = load_rubric(model)
    read = [rubric.dimension_lookup.get(match_key(n)) for n in names]
    assert None not in read, dict(zip(names, read, strict=True))
    assert len(set(read)) == len(rubric.dimensions)  # each practice once, in the model's order
    assert read == list(rubric.dimension_ids)
    assert assess_workbook(_areas_file(names, 1, 2)).rubric.id == model
