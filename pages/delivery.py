"""Delivery performance: a delivery metrics table (DORA's metrics per unit) beside the assessment: each
unit's tiers in a report year's clusters, its metrics over time, and what it claims against what it
measures."""

from __future__ import annotations

import pandas as pd
import streamlit as st

import maturity
from maturity import GapmapError, charts_dora
from maturity.dora import LATEST_YEAR, available_years, cluster_year, latest, place, read_metrics
from maturity.dora.claims import CLAIMS_MORE, MEASURES_MORE, claimed_vs_observed, join_units
from maturity.dora.cli import CSV_COLUMNS
from maturity.dora.read import METRIC_COLUMNS, MetricsTable
from maturity.roadmap import DELIVERY_WEIGHT
from pages._ui import analysis, components, navigation, session
from pages._ui.cache import SAMPLE_PATH
from pages._ui.components import escape_markdown
from pages._ui.key import Source
from pages._ui.loading import UPLOAD_TYPES

navigation.require_shell()

SAMPLE_METRICS = SAMPLE_PATH.with_name("sample_delivery_metrics.csv")  # the sample bank's units, fictional
METRIC_NAMES = {"deployment_frequency": "Deployment frequency", "change_lead_time": "Change lead time",
                "change_fail_rate": "Change fail rate", "recovery_time": "Recovery time",
                "deployment_rework_rate": "Rework rate"}


@st.cache_resource(max_entries=32, ttl=3600, show_spinner=False)
def _metrics(digest: str, name: str, _data: bytes) -> MetricsTable:
    """The metrics file ``name`` read once per digest, shared by every session (nothing changes it)."""
    return read_metrics(_data, name)


@st.cache_resource(show_spinner=False)
def _sample() -> Source:
    return Source.of(SAMPLE_METRICS.name, SAMPLE_METRICS.read_bytes(), is_sample=True)


def _on_upload() -> None:
    """The uploader's callback: read the new file; one that cannot be used leaves the metrics shown as they were."""
    uploaded = session.widget_value(session.DELIVERY_UPLOADER)
    if uploaded is None:
        return
    source = Source.of(uploaded.name, uploaded.getvalue())
    try:
        _metrics(source.digest, source.name, source.data)
    except GapmapError as error:
        session.set_delivery_error((source.name, str(error)))
        return
    session.set_delivery_source(source)
    session.set_delivery_error(None)


st.title("Delivery performance")
st.caption("DORA's delivery metrics beside the self-assessment. DORA's performance clusters describe one year's "
           "survey respondents and move every year: they are a reference point, not a target. Compare a team with "
           "its own past, not with the other teams.")

assessment = analysis.assessment()
rubric = assessment.rubric
pick, when = st.columns([3, 2], vertical_alignment="bottom")
pick.file_uploader("Delivery metrics (one row per unit; optionally a period column)", type=UPLOAD_TYPES,
                   key=session.DELIVERY_UPLOADER, on_change=_on_upload,
                   help="Columns for any of deployment frequency, lead time, change fail rate, recovery time "
                        "(MTTR) and rework rate, beside a Team, Service or Application column. Values as people "
                        "write them: 'daily', '3/week', '4 hours', '3 days', '4%'.")
year = when.segmented_control("DORA report", available_years(), default=LATEST_YEAR, required=True,
                              key="delivery_year", persist_state="session",
                              help="The report whose clusters to place the units in; every result names it.")

if failed := session.delivery_error():
    st.error(f"{escape_markdown(failed[0])} could not be used: {escape_markdown(failed[1])}", icon=":material/error:")

source = session.delivery_source()
if source is None and analysis.source().is_sample:
    source = _sample()
if source is None:
    st.info("Upload a delivery metrics table to see where each unit's delivery stands, and how it compares with "
            "what the unit says of itself. Units are joined with the assessment's by name.",
            icon=":material/info:")
    st.stop()

metrics = _metrics(source.digest, source.name, source.data)
clusters = cluster_year(year)
st.caption(f"{'Sample metrics (fictional)' if source.is_sample else 'Metrics'}: {escape_markdown(metrics.summary())}. "
           f"Clusters of the {escape_markdown(clusters.report)}.")
readings = latest(metrics.table)
placed = place(readings, year)
join = join_units(assessment.units, list(placed["unit"]))
if join.only_metrics or join.only_assessment:
    lines = []
    if join.only_metrics:
        lines.append(f"In the metrics only: {escape_markdown(', '.join(join.only_metrics))}.")
    if join.only_assessment:
        lines.append(f"In the assessment only: {escape_markdown(', '.join(join.only_assessment))}.")
    st.warning(" ".join(lines) + " Units are joined by name (case and punctuation aside).", icon=":material/link_off:")

# ---- tiers ------------------------------------------------------------------------------------------
st.subheader("Tiers per unit")
st.caption("Per metric, the cluster whose range holds the value (deployment frequency and lead time by band; "
           "change fail rate and recovery time by the nearest cluster, since DORA's clusters do not improve on "
           "every metric at once). Overall, the nearest cluster over the metrics given: the distance and the "
           "runner-up show how clear-cut it is. Two clusters with the same range are both named.")
shown_columns = ["unit", "period", "tier", "distance", "runner_up", "runner_up_distance",
                 *[c for m, c in METRIC_COLUMNS.items() if m in metrics.metrics],
                 *[f"{m}_tier" for m in clusters.metrics if m in metrics.metrics], "unread", "year"]
if not metrics.has_periods:
    shown_columns.remove("period")
config = {"unit": "Unit", "period": "Latest period", "tier": "Tier", "runner_up": "Runner-up",
          "distance": st.column_config.NumberColumn("Distance", format="%.3f",
                                                    help="0 inside the cluster's ranges on every metric given"),
          "runner_up_distance": st.column_config.NumberColumn("Runner-up distance", format="%.3f"),
          "deployment_frequency_per_day": st.column_config.NumberColumn("Deploys per day", format="%.3g"),
          "change_lead_time_hours": st.column_config.NumberColumn("Lead time (h)", format="%.3g"),
          "change_fail_rate": st.column_config.NumberColumn("Change fail rate", format="percent"),
          "recovery_time_hours": st.column_config.NumberColumn("Recovery (h)", format="%.3g"),
          "deployment_rework_rate": st.column_config.NumberColumn("Rework rate", format="percent"),
          "unread": st.column_config.TextColumn("Not read", help="metrics whose cell is a problem (below)"),
          "year": st.column_config.NumberColumn("Report", format="%d")}
config.update({f"{m}_tier": f"{METRIC_NAMES[m]} tier" for m in clusters.metrics})
st.dataframe(placed[shown_columns], hide_index=True, column_config=config, key="delivery_tiers")

# ---- over time --------------------------------------------------------------------------------------
st.subheader("Each unit against its own past")
readings_per_unit = metrics.table.groupby("unit")["period_start"].nunique() if metrics.has_periods else pd.Series()
if metrics.has_periods and (readings_per_unit > 1).any():
    metric = st.segmented_control("Metric", list(metrics.metrics), default=metrics.metrics[0], required=True,
                                  format_func=METRIC_NAMES.get, key="delivery_history_metric",
                                  persist_state="session")
    st.plotly_chart(charts_dora.metric_history(metrics.table, metric), key="delivery_history",
                    config={"displaylogo": False})
else:
    st.caption("One reading per unit: give the table a period column (As of, Quarter) with a row per unit and "
               "period to follow each unit over time. Saved snapshots keep maturity levels, not delivery metrics.")

# ---- claimed vs observed ------------------------------------------------------------------------------
st.subheader("Claimed vs observed")
claims = claimed_vs_observed(assessment.normalized, rubric, placed)
if not rubric.metrics:
    st.info(f"{escape_markdown(rubric.label)} maps none of its areas to delivery metrics (an optional `metrics` "
            "mapping in the model's YAML), so claims cannot be set beside measurements.", icon=":material/info:")
elif claims.dropna(subset=["verdict"]).empty:
    st.info("No unit has both a level in the mapped areas and a measurement of their metrics.", icon=":material/info:")
else:
    mapped = ", ".join(f"{d.name} ↔ {', '.join(METRIC_NAMES[m].lower() for m in rubric.area_metrics[d.id])}"
                       for d in rubric.dimensions if d.id in rubric.area_metrics)
    st.caption(f"Each point is a unit's area: its self-assessed level against its measured delivery ({mapped}), both "
               "as a share of their scale. Far above the band: the measurements show more than the unit claims; far "
               "below: it claims more than its pipeline shows. A starting point for a conversation, not a verdict.")
    st.plotly_chart(charts_dora.claims_scatter(claims, rubric), key="delivery_claims", config={"displaylogo": False})
    flagged = claims[claims["verdict"].isin([CLAIMS_MORE, MEASURES_MORE])]
    st.dataframe(flagged if len(flagged) else claims, hide_index=True, key="delivery_claims_table", column_config={
        "unit": "Unit", "dimension": None, "dimension_name": "Area",
        "claimed_level": st.column_config.NumberColumn("Self-assessed level", format="%.2f"),
        "claimed_score": st.column_config.NumberColumn("Claimed (0–1)", format="%.2f"),
        "metrics": "Measured by", "observed_score": st.column_config.NumberColumn("Measured (0–1)", format="%.2f"),
        "difference": st.column_config.NumberColumn("Claimed − measured", format="%+.2f"),
        "verdict": "Reading", "tier": "Tier", "year": st.column_config.NumberColumn("Report", format="%d")})

    with st.expander("Let measured delivery raise roadmap priorities", icon=":material/route:"):
        st.caption("The Roadmap page leaves measured delivery out of its scores. Here each step gains up to "
                   f"{DELIVERY_WEIGHT:g} points where its unit's measured delivery in its area is "
                   "weak, shown as its own part of the score.")
        steps = maturity.build_roadmap(assessment, claims)
        st.dataframe(steps[["rank", "phase", "unit", "dimension_name", "to_label", "priority_score", "score_gap",
                            "score_priority", "score_effort", "score_delivery", "actions"]].head(50),
                     hide_index=True, key="delivery_roadmap")
        st.download_button("Download this roadmap CSV", lambda: maturity.to_csv_bytes(steps),
                           file_name=components.download_name(".csv", "roadmap-with-delivery"), mime="text/csv",
                           icon=":material/download:", on_click="ignore")

if len(metrics.problems):
    with st.expander(f"Rows with problems ({len(metrics.problems)})", icon=":material/warning:"):
        st.dataframe(metrics.problems, hide_index=True, key="delivery_problems")

st.download_button("Download tiers CSV", lambda: maturity.to_csv_bytes(placed[list(CSV_COLUMNS)]),
                   file_name=components.download_name(".csv", f"delivery-tiers-{year}"), mime="text/csv",
                   icon=":material/download:", on_click="ignore")
