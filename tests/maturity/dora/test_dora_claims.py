"""Claimed vs observed (maturity/dora/claims.py): a unit's self-assessed level in the areas its model maps
to delivery metrics, beside where its measured metrics lie; units joined by name, the rest listed."""

from __future__ import annotations

import pandas as pd
import pytest

import maturity
from maturity.dora import place
from maturity.dora.claims import (
    CLAIM_COLUMNS,
    CLAIMS_MORE,
    CONSISTENT,
    MEASURES_MORE,
    claimed_vs_observed,
    join_units,
)


def assessment_of(make_csv, levels: dict[str, tuple[int, int]]):
    """An assessment on CDMM: per unit its Build & Deploy and Test & Verification current levels."""
    rows = [["Unit", "Dimension", "Practice", "Current", "Target"]]
    for unit, (build, test) in levels.items():
        rows += [[unit, "Build & Deploy", "Scripted builds", build, 5],
                 [unit, "Test & Verification", "Automatic unit tests", test, 5],
                 [unit, "Culture & Organization", "Stable teams", 5, 5]]
    return maturity.assess(make_csv(rows, name="assessment.csv"), rubric="cdmm")


def measured(rows: list[dict]) -> pd.DataFrame:
    return place(pd.DataFrame(rows), 2024)


ELITE = {"deployment_frequency_per_day": 3.0, "change_lead_time_hours": 4.0, "change_fail_rate": 0.05,
         "recovery_time_hours": 0.5}
LOW = {"deployment_frequency_per_day": 1 / 90, "change_lead_time_hours": 2000.0, "change_fail_rate": 0.40,
       "recovery_time_hours": 400.0}


def test_high_claims_with_low_measurements_and_the_reverse(make_csv):
    assessment = assessment_of(make_csv, {"Payments": (5, 5), "Risk": (1, 1), "Core": (5, 5)})
    claims = claimed_vs_observed(assessment.normalized, assessment.rubric,
                                 measured([{"unit": "payments", **LOW}, {"unit": "RISK", **ELITE},
                                           {"unit": "Core", **ELITE}]))
    assert list(claims.columns) == list(CLAIM_COLUMNS)
    verdicts = {(row.unit, row.dimension): row.verdict for row in claims.itertuples()}
    assert verdicts == {("Payments", "build"): CLAIMS_MORE, ("Payments", "test"): CLAIMS_MORE,
                        ("Risk", "build"): MEASURES_MORE, ("Risk", "test"): MEASURES_MORE,
                        ("Core", "build"): CONSISTENT, ("Core", "test"): CONSISTENT}
    payments = claims[(claims["unit"] == "Payments") & (claims["dimension"] == "build")].iloc[0]
    assert payments["claimed_level"] == 5 and payments["claimed_score"] == 1.0
    assert payments["metrics"] == "deployment_frequency, change_lead_time, recovery_time"
    assert payments["tier"] == "low" and payments["year"] == 2024


def test_an_area_without_its_metrics_has_no_verdict(make_csv):
    assessment = assessment_of(make_csv, {"Web": (3, 3)})
    claims = claimed_vs_observed(assessment.normalized, assessment.rubric,
                                 measured([{"unit": "Web", "change_lead_time_hours": 30.0}]))
    test = claims[claims["dimension"] == "test"].iloc[0]
    assert test["metrics"] == "" and pd.isna(test["verdict"])
    assert claims[claims["dimension"] == "build"].iloc[0]["metrics"] == "change_lead_time"


def test_a_model_without_a_metrics_mapping_gives_no_rows(make_csv):
    assessment = assessment_of(make_csv, {"Web": (3, 3)})
    plain = assessment.rubric.model_copy(update={"metrics": ()})
    assert claimed_vs_observed(assessment.normalized, plain, measured([{"unit": "Web", **ELITE}])).empty


def test_units_are_joined_by_name_and_the_others_listed():
    join = join_units(["Risk & Compliance", "Payments", "Lending"], ["risk and compliance", "Payment", "Mobile"])
    assert join.matched == {"risk and compliance": "Risk & Compliance"}
    assert join.only_assessment == ("Payments", "Lending")
    assert join.only_metrics == ("Payment", "Mobile")


@pytest.mark.parametrize(("metrics", "said"), [
    ({"build": ["deploy_speed"]}, r"'deploy_speed' \(for build\) is not a delivery metric"),
    ({"pipelines": ["change_fail_rate"]}, "'pipelines' is not a dimension id"),
])
def test_a_rubric_mapping_to_unknown_metrics_or_areas_does_not_load(metrics, said):
    import yaml

    document = yaml.safe_load((maturity.rubric.RUBRIC_DIR / "cdmm.yaml").read_text(encoding="utf-8"))
    document["metrics"] = metrics
    with pytest.raises(maturity.RubricError, match=said):
        maturity.rubric_from_yaml(yaml.safe_dump(document), "mine.yaml")


def test_the_cdmm_mapping_and_a_rubric_without_one():
    cdmm = maturity.load_rubric("cdmm")
    assert cdmm.area_metrics == {"build": ("deployment_frequency", "change_lead_time", "recovery_time"),
                                 "test": ("change_fail_rate",)}
    assert maturity.load_rubric("samm").area_metrics == {}
    assert maturity.Rubric.model_validate_json(cdmm.model_dump_json()) == cdmm  # as a snapshot keeps it
    hash(cdmm)  # still a value a cache can key on
