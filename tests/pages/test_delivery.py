"""The Delivery performance page in-process (AppTest): tiers per unit for the sample and for an upload,
the year chosen, units in one table only listed, claimed vs observed, and files that cannot be used."""

from __future__ import annotations

import csv
import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from pages._ui import session

PAGE = "pages/delivery.py"


def delivery(app: AppTest) -> AppTest:
    app.switch_page(PAGE).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def upload_metrics(app: AppTest, name: str, data: bytes) -> AppTest:
    app.file_uploader(key=session.DELIVERY_UPLOADER).set_value((name, data, "text/csv"))
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def table_with(app: AppTest, column: str):
    """The first table on the page with ``column`` (a table is no widget: it has no key to find it by)."""
    return next(d.value for d in app.dataframe if column in d.value.columns)


def tiers(app: AppTest):
    return table_with(app, "runner_up_distance")


METRICS = [["Team", "Deployment frequency", "Lead time (days)", "Change failure rate", "MTTR"],
           ["Payments", "on demand", "0.5", "5%", "30 min"],
           ["Lending", "every 2 months", "90", "40%", "2 weeks"],
           ["Mobile Banking", "2 per month", "14", "10%", "5h"]]


def test_the_sample_shows_the_sample_metrics_tiers(app: AppTest):
    delivery(app)
    assert app.title[0].value == "Delivery performance"
    table = tiers(app)
    assert set(table["unit"]) == {"Retail Banking", "Payments", "Lending", "Wealth Management", "Risk & Compliance",
                                  "Core Platform", "Mobile Banking"}
    assert dict(zip(table["unit"], table["tier"], strict=True))["Core Platform"] == "elite"
    assert set(table["year"]) == {2024}
    assert [w.value for w in app.warning] == [
        "In the metrics only: Mobile Banking. Units are joined by name (case and punctuation aside)."]
    charts = {json.loads(c.proto.spec)["layout"]["yaxis"]["title"]["text"] for c in app.get("plotly_chart")}
    assert "Measured delivery (0 worst … 1 best edge of the year's ranges)" in charts
    assert any("own past" in c.value or "not a target" in c.value for c in app.caption)


def test_an_upload_is_placed_and_kept_across_pages(app: AppTest, csv_bytes):
    upload_metrics(delivery(app), "metrics.csv", csv_bytes(METRICS))
    table = tiers(app)
    assert table[["unit", "tier"]].values.tolist() == [["Payments", "elite"], ["Lending", "low"],
                                                       ["Mobile Banking", "medium"]]
    assert "period" not in table.columns  # no period column in the file
    assert table.loc[2, "change_fail_rate_tier"] == "medium"  # 10% in 2024: Medium's, below High's 20%
    warning = app.warning[0].value
    assert "In the metrics only: Mobile Banking" in warning
    assert "In the assessment only: Retail Banking, Wealth Management, Risk & Compliance, Core Platform" in \
        warning.replace("\\", "")
    app.switch_page("pages/overview.py").run()
    delivery(app)
    assert tiers(app)["unit"].tolist() == ["Payments", "Lending", "Mobile Banking"]


def test_the_report_year_changes_the_clusters_and_is_shown(app: AppTest, csv_bytes):
    upload_metrics(delivery(app), "metrics.csv", csv_bytes(METRICS))
    app.segmented_control(key="delivery_year").set_value(2023).run()
    table = tiers(app)
    assert set(table["year"]) == {2023}
    assert table.loc[2, "change_fail_rate_tier"] == "high"  # 10% is High's in 2023
    assert table.loc[2, "deployment_frequency_tier"] == "medium/low"


def test_a_file_that_cannot_be_used_says_why_and_keeps_the_metrics_shown(app: AppTest, csv_bytes):
    upload_metrics(delivery(app), "metrics.csv", csv_bytes(METRICS))
    upload_metrics(app, "levels.csv", csv_bytes([["Unit", "Dimension", "Current", "Target"],
                                                 ["Ops", "Build & Deploy", "2", "3"]]))
    assert "levels\\.csv could not be used" in app.error[0].value
    assert "found no delivery metrics table" in app.error[0].value
    assert tiers(app)["unit"].tolist() == ["Payments", "Lending", "Mobile Banking"]


def test_problems_are_listed_with_their_cells(app: AppTest, csv_bytes):
    upload_metrics(delivery(app), "metrics.csv", csv_bytes([["Team", "Lead time"], ["Payments", "3 dys"],
                                                            ["Lending", "2-3 days"], ["Core Platform", "4h"]]))
    problems = table_with(app, "problem")
    assert problems[["cell", "value"]].values.tolist() == [["B2", "3 dys"], ["B3", "2-3 days"]]
    assert tiers(app).set_index("unit").loc["Payments", "unread"] == "change_lead_time"


def test_claimed_vs_observed_flags_high_claims_with_low_measurements_and_the_reverse(app: AppTest, csv_bytes):
    # The sample's Payments claims Build & Deploy 3.6 of 5 and Lending 2.0: measured the other way round.
    upload_metrics(delivery(app), "metrics.csv", csv_bytes([
        ["Team", "Deployment frequency", "Lead time (days)", "Change failure rate", "MTTR"],
        ["Payments", "every 2 months", "90", "40%", "2 weeks"],
        ["Lending", "on demand", "0.5", "5%", "30 min"]]))
    claims = table_with(app, "verdict")
    verdicts = {(row.unit, row.dimension_name): row.verdict for row in claims.itertuples()}
    assert verdicts == {("Payments", "Build & Deploy"): "claims more than it measures",
                        ("Payments", "Test & Verification"): "claims more than it measures",
                        ("Lending", "Build & Deploy"): "measures more than it claims",
                        ("Lending", "Test & Verification"): "measures more than it claims"}
    scatter = next(json.loads(c.proto.spec) for c in app.get("plotly_chart")
                   if "Self-assessed" in json.dumps(json.loads(c.proto.spec)["layout"]["xaxis"]))
    points = {trace["name"]: trace["text"] for trace in scatter["data"] if trace.get("mode") == "markers+text"}
    assert points == {"claims more than it measures · Build &amp; Deploy": ["Payments"],
                      "claims more than it measures · Test &amp; Verification": ["Payments"],
                      "measures more than it claims · Build &amp; Deploy": ["Lending"],
                      "measures more than it claims · Test &amp; Verification": ["Lending"]}


def test_the_roadmap_with_delivery_shows_its_own_score_part(app: AppTest, downloads):
    delivery(app)
    steps = table_with(app, "score_delivery")
    assert "score_delivery" in steps.columns
    assert (steps["priority_score"].round(2) == (steps["score_gap"] + steps["score_priority"] + steps["score_effort"]
                                                 + steps["score_delivery"]).round(2)).all()
    offered = {name: data for name, data in downloads}
    tiers_csv = next(data for name, data in offered.items() if "delivery-tiers-2024" in name)()
    rows = list(csv.DictReader(io.StringIO(tiers_csv.decode("utf-8-sig"))))
    assert list(rows[0]) == ["unit", "deployment_frequency_per_day", "change_lead_time_hours", "change_fail_rate",
                             "recovery_time_hours", "deployment_rework_rate", "deployment_frequency_tier",
                             "change_lead_time_tier", "change_fail_rate_tier", "recovery_time_tier", "tier", "year"]


@pytest.mark.parametrize("rows", [
    [["Business Function", "Practice Area", "Current", "Target"], ["Governance", "Strategy & Metrics", "1.5", "2"]],
])
def test_a_model_that_maps_no_area_to_metrics_says_so(app: AppTest, csv_bytes, rows):
    app.file_uploader[0].set_value(("scores.csv", csv_bytes(rows), "text/csv"))
    app.run()
    upload_metrics(delivery(app), "metrics.csv", csv_bytes(METRICS))
    assert any("maps none of its areas to delivery metrics" in i.value for i in app.info)
    assert len(tiers(app)) == 3


def test_without_metrics_on_an_uploaded_assessment_the_page_asks_for_them(app: AppTest, team_csv):
    app.file_uploader[0].set_value(("teams.csv", team_csv, "text/csv"))
    app.run()
    delivery(app)
    assert any("Upload a delivery metrics table" in i.value for i in app.info)
    assert not app.dataframe
