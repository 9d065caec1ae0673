"""Build gapmap's bundled sample: a gap analysis of a fictional bank against the CDMM.

The institution ("Northwind Mutual Bank"), its business units, its people and the consultancy
("Bluefin Delivery Partners") are all invented. The model is the Continuous Delivery Maturity
Model (Rehn, Palmborg, Boström, 2013): levels 1 Base .. 5 Expert over five dimensions.

The workbook is laid out the way a consultant's deliverable usually is, because gapmap's job is
to read such workbooks:

* a "Read me" sheet of prose first and a "Summary" pivot (unit x dimension) last, neither of
  them a gap-analysis table;
* one sheet per business unit, named after the unit (there is no unit column);
* on each unit sheet a title block in rows 1-3, a blank row, the header in row 5, the
  "Practice Area" cells merged down each dimension group, blank rows between groups on some
  sheets, and an "Average" row at the bottom;
* levels written in mixed styles ("Intermediate", 3, "L2", "Level 4", "3 - Intermediate");
* three deliberate problems: one practice whose Current is above its Target, one Target of
  "TBD" and one empty Current.

The CSV is the same data as one flat table with the levels written as numbers 1-5.

Run ``python data/make_sample.py [OUTPUT_DIR]``; the files go next to this script by default.
The output is deterministic: same input, byte-identical files.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

# --------------------------------------------------------------------------------------------
# The data. Level cells are written exactly as they appear in the workbook; ``level_number``
# turns them into 1-5 for the CSV, the Average rows and the Summary sheet.
# Row shape: (practice, current, target, priority, effort, owner, notes)
# --------------------------------------------------------------------------------------------

INSTITUTION = "Northwind Mutual Bank"
CONSULTANCY = "Bluefin Delivery Partners"
ASSESSED = "2026-09"

CULTURE = "Culture & Organization"
DESIGN = "Design & Architecture"
BUILD = "Build & Deploy"
TEST = "Test & Verification"
REPORTING = "Information & Reporting"
DIMENSIONS = (CULTURE, DESIGN, BUILD, TEST, REPORTING)

SAMPLE: dict[str, dict[str, list[tuple]]] = {
    "Retail Banking": {
        CULTURE: [
            ("Prioritized work", "Intermediate", "Advanced", "Medium", "S", "Head of Retail Engineering", "Single ranked backlog per product line since Q1."),
            ("One backlog per team", "Beginner", "Advanced", "High", "M", "Retail Delivery Lead", "Squads still pull from three intake queues."),
            ("Extended team collaboration", "Beginner", "Advanced", "Medium", "M", "Retail Delivery Lead", None),
            ("Team responsible all the way to prod", "Beginner", "Expert", "High", "L", "Head of Retail Engineering", "Release board still signs off every change."),
        ],
        DESIGN: [
            ("Organize system into modules", "Intermediate", "Advanced", "Medium", "L", "Retail Solution Architect", "Online banking monolith split into 7 modules."),
            ("Configuration as code", "Beginner", "Advanced", "High", "M", "Retail Solution Architect", "Config kept in a shared drive spreadsheet."),
            ("Feature hiding", 2, 4, "Medium", "S", "Digital Channels Tech Lead", None),
        ],
        BUILD: [
            ("Scripted builds", "Intermediate", "Expert", "Low", "S", "Digital Channels Tech Lead", None),
            ("Auto triggered build (commit hooks)", "Intermediate", "Advanced", "Medium", "S", "Digital Channels Tech Lead", "Mobile app builds on commit; web still nightly."),
            ("Build once deploy anywhere", "L2", "L4", "High", "M", "Retail Delivery Lead", "Binaries rebuilt per environment."),
            ("Zero downtime deploys", "Beginner", "Advanced", "High", "L", "Retail Platform Manager", "Releases need a Sunday 02:00 window."),
        ],
        TEST: [
            ("Automatic unit tests", "Intermediate", "Advanced", "Medium", "M", "Retail QA Lead", None),
            ("Automatic integration tests", "Beginner", "Advanced", "High", "M", "Retail QA Lead", "Core-banking stubs are out of date."),
            ("Some automatic acceptance tests", "Beginner", "Advanced", "Medium", "L", "Retail QA Lead", None),
            ("Automatic security tests", None, "Advanced", "High", "M", "Retail AppSec Champion", "Not assessed: AppSec lead unavailable during fieldwork."),
        ],
        REPORTING: [
            ("Measure the process", "Beginner", "Advanced", "Medium", "S", "Retail Delivery Lead", "Lead time tracked by hand for the app only."),
            ("Static code analysis", "Intermediate", "Expert", "Low", "S", "Digital Channels Tech Lead", None),
            ("Report trend analysis", "Beginner", "Advanced", "Low", "M", "Retail Delivery Lead", None),
        ],
    },
    "Payments": {
        CULTURE: [
            ("Stable teams", "Intermediate", "Advanced", "Medium", "S", "Head of Payments Engineering", "Teams stable since the 2025 re-org."),
            ("Remove boundary dev & ops", "Intermediate", "Advanced", "High", "M", "Payments SRE Lead", None),
            ("Dedicated tools team", "L3", "L4", "Medium", "M", "Head of Payments Engineering", "Two-person tooling guild, part time."),
        ],
        DESIGN: [
            ("API management", "Intermediate", "Advanced", "High", "M", "Payments Architect", "Gateway in place; contracts not versioned."),
            ("No (or minimal) branching", "Intermediate", "Advanced", "Medium", "S", "Payments Architect", None),
            ("Configuration as code", "L3", "L4", "Medium", "S", "Payments SRE Lead", None),
            ("Full component based architecture", "Beginner", "Advanced", "High", "L", "Payments Architect", "Card switch still released as one unit."),
        ],
        BUILD: [
            ("Scripted builds", "Advanced", "Expert", "Low", "S", "Payments Build Engineer", None),
            ("Auto triggered build (commit hooks)", "Advanced", "Expert", "Low", "S", "Payments Build Engineer", "Every commit builds in under 8 minutes."),
            ("Build once deploy anywhere", "Level 4", "Expert", "Medium", "S", "Payments Build Engineer", None),
            ("Zero downtime deploys", "Intermediate", "Expert", "High", "M", "Payments SRE Lead", "Blue/green for the API tier, not yet for batch."),
            ("Zero touch continuous deployment", "Intermediate", "Advanced", "Medium", "L", "Head of Payments Engineering", "Change approval is the bottleneck, not tooling."),
        ],
        TEST: [
            ("Automatic unit tests", "Advanced", "Advanced", "Low", "S", "Payments QA Lead", None),
            ("Automatic integration tests", "Intermediate", "Advanced", "Medium", "M", "Payments QA Lead", None),
            ("Automatic performance tests", "Beginner", "Advanced", "High", "M", "Payments SRE Lead", "Peak-day load test is run manually twice a year."),
            ("Automatic security tests", "Intermediate", "Advanced", "High", "M", "Payments Security Engineer", None),
        ],
        REPORTING: [
            ("Traceability built into pipeline", "Intermediate", "Advanced", "Medium", "M", "Payments Delivery Manager", None),
            ("Report history is available", "Intermediate", "Intermediate", "Low", "S", "Payments Delivery Manager", None),
            ("Graphing as a service", "Beginner", "Advanced", "Medium", "M", "Payments SRE Lead", "Grafana exists but only the SRE team can edit it."),
        ],
    },
    "Lending": {
        CULTURE: [
            ("Prioritized work", "Intermediate", "Intermediate", "Low", "S", "Head of Lending Technology", None),
            ("Adopt basic Agile methods", "Beginner", "Intermediate", "Medium", "M", "Lending Delivery Manager", "Two of five teams run sprints."),
            ("Remove boundary dev & test", "Base", "Intermediate", "High", "M", "Head of Lending Technology", "Testers sit in a separate QA department."),
        ],
        DESIGN: [
            ("Organize system into modules", "Beginner", "Intermediate", "Medium", "L", "Lending Solution Architect", None),
            ("Version control DB changes", 1, 3, "High", "M", "Lending DBA Lead", "Schema changes applied from emailed SQL scripts."),
            ("Library management", "Beginner", "Intermediate", "Low", "S", "Lending Solution Architect", None),
        ],
        BUILD: [
            ("Versioned code base / code in version control", "Intermediate", "Advanced", "Low", "S", "Lending Build Engineer", None),
            ("Scripted builds", 2, 3, "Medium", "S", "Lending Build Engineer", None),
            ("First step towards standardized deploys", 2, 3, "Medium", "M", "Lending Release Manager", None),
            ("Basic pipeline with deploy to prod", "Base", "Intermediate", "High", "L", "Lending Release Manager", "Deploys are a 40-step runbook."),
        ],
        TEST: [
            ("Automatic unit tests", "Base", "Intermediate", "High", "M", "Lending QA Manager", "Coverage under 10% on the loan origination system."),
            ("Separate test environment", "Beginner", "Intermediate", "High", "M", "Lending QA Manager", "One shared UAT environment, often broken."),
            ("Automatic integration tests", 1, 3, "High", "L", "Lending QA Manager", None),
            ("Some automatic acceptance tests", "Base", "Intermediate", "Medium", "L", "Lending QA Manager", None),
            ("Risk based manual testing", "Base", "Beginner", "Low", "S", "Lending QA Manager", "Full manual regression every release."),
        ],
        REPORTING: [
            ("Manual reporting", "Beginner", "Intermediate", "Low", "S", "Lending Delivery Manager", None),
            ("Scheduled quality reports", "Base", "Intermediate", "Medium", "S", "Lending Delivery Manager", None),
            ("Graphing as a service", "Beginner", "TBD", "Medium", "M", "Head of Lending Technology", "Target to be agreed with the CIO office."),
        ],
    },
    "Wealth Management": {
        CULTURE: [
            ("One backlog per team", "Beginner", "Intermediate", "Medium", "S", "Head of Wealth Technology", None),
            ("Share the pain", "Beginner", "Intermediate", "Low", "S", "Wealth Delivery Lead", "Incidents still routed to the vendor first."),
            ("Act on metrics", "Beginner", "Intermediate", "Medium", "M", "Wealth Delivery Lead", None),
        ],
        DESIGN: [
            ("API management", "Intermediate", "Intermediate", "Low", "S", "Wealth Solution Architect", None),
            ("Configuration as code", "2 - Beginner", "3 - Intermediate", "Medium", "M", "Wealth Solution Architect", None),
            ("Making components out of modules", "Beginner", "Intermediate", "Medium", "L", "Wealth Solution Architect", "Portfolio engine is the first candidate."),
        ],
        BUILD: [
            ("Dedicated build server", "Intermediate", "Intermediate", "Low", "S", "Wealth Build Engineer", None),
            ("Builds stored", "Intermediate", "Advanced", "Low", "S", "Wealth Build Engineer", None),
            ("Multiple build machines", "Advanced", "Intermediate", "Low", "S", "Wealth Build Engineer", "Over-invested: build farm sized for a finished programme; scale back."),
            ("Standard process for all environments", "Beginner", "Intermediate", "High", "M", "Wealth Release Manager", "Production deploys follow a different runbook."),
        ],
        TEST: [
            ("Automatic unit tests", "Intermediate", "Advanced", "Medium", "M", "Wealth QA Lead", None),
            ("Automatic component test (isolated)", "Beginner", "Intermediate", "Medium", "M", "Wealth QA Lead", None),
            ("Automatic performance tests", "Beginner", "Intermediate", "Low", "M", "Wealth QA Lead", "Market-open load is the main risk."),
        ],
        REPORTING: [
            ("Measure the process", "Beginner", "Intermediate", "Medium", "S", "Wealth Delivery Lead", None),
            ("Report history is available", "Beginner", "Intermediate", "Low", "S", "Wealth Delivery Lead", None),
            ("Common information model", "Base", "Intermediate", "Medium", "M", "Wealth Solution Architect", "Client, account and mandate defined differently per system."),
        ],
    },
    "Risk & Compliance": {
        CULTURE: [
            ("Defined & documented process", "Intermediate", "Intermediate", "Low", "S", "Head of Risk Technology", "Process is documented and audited yearly."),
            ("Common process for all changes", "Beginner", "Intermediate", "High", "M", "Risk Change Manager", "Emergency fixes bypass the normal path."),
            ("Decentralize decisions", "Base", "Beginner", "Low", "M", "Head of Risk Technology", None),
            ("Share the pain", "Beginner", "Beginner", "Low", "S", "Risk Change Manager", None),
        ],
        DESIGN: [
            ("Consolidated platform & technology", "Beginner", "Intermediate", "Medium", "L", "Risk Systems Architect", "Four reporting stacks in use."),
            ("Version control DB changes", "Beginner", "Intermediate", "Medium", "M", "Risk DBA", None),
            ("Configuration as code", "L2", "L3", "Low", "M", "Risk Systems Architect", None),
        ],
        BUILD: [
            ("Versioned code base / code in version control", "Intermediate", "Intermediate", "Low", "S", "Risk Build Engineer", None),
            ("Documented manual deploy", "Intermediate", "Intermediate", "Low", "S", "Risk Change Manager", "Auditors rely on the deployment runbook."),
            ("Some deployment scripts exist", "Beginner", "Intermediate", "Medium", "M", "Risk Build Engineer", None),
        ],
        TEST: [
            ("Separate test environment", "Intermediate", "Intermediate", "Low", "S", "Risk QA Lead", None),
            ("Automatic unit tests", "Beginner", "Intermediate", "Medium", "M", "Risk QA Lead", None),
            ("Automatic security tests", "Beginner", "Intermediate", "High", "M", "Risk Security Officer", "Pen test once a year only."),
        ],
        REPORTING: [
            ("Baseline process metrics", "Base", "Intermediate", "High", "S", "Risk Reporting Lead", "No baseline for lead time or change failure rate."),
            ("Manual reporting", "Beginner", "Intermediate", "Medium", "S", "Risk Reporting Lead", None),
            ("Scheduled quality reports", "Base", "Intermediate", "Medium", "M", "Risk Reporting Lead", None),
            ("Traceability built into pipeline", "L1", "L4", "High", "L", "Head of Risk Technology", "Regulator asked for change-to-requirement traceability."),
            ("Report history is available", "Beginner", "Advanced", "High", "M", "Risk Reporting Lead", "Evidence packs rebuilt by hand each audit."),
        ],
    },
    "Core Platform": {
        CULTURE: [
            ("Dedicated tools team", "Advanced", "Advanced", "Low", "S", "Head of Platform Engineering", "Platform team serves all units."),
            ("Team responsible all the way to prod", "Intermediate", "Advanced", "Medium", "M", "Head of Platform Engineering", None),
            ("Continuous improvement (Kaizen)", "Intermediate", "Advanced", "Low", "S", "Platform Delivery Lead", None),
        ],
        DESIGN: [
            ("Full component based architecture", "Advanced", "Expert", "Medium", "L", "Principal Platform Architect", None),
            ("Infrastructure as code", 4, 5, "High", "M", "Principal Platform Architect", "Terraform covers all cloud estate; mainframe excluded."),
            ("Configuration as code", "Expert", "Expert", "Low", "S", "Platform SRE Lead", None),
            ("Branch by abstraction", "Advanced", "Advanced", "Low", "S", "Principal Platform Architect", None),
            ("Push business metrics", "Intermediate", "Advanced", "Medium", "M", "Platform SRE Lead", None),
        ],
        BUILD: [
            ("Build bakery", "Intermediate", "Advanced", "Medium", "M", "Platform Build Engineer", "Golden images built weekly, not per commit."),
            ("Automated tag & versioning", "Advanced", "Advanced", "Low", "S", "Platform Build Engineer", None),
            ("Full automatic DB deploys", 3, 4, "High", "L", "Platform DBA Lead", None),
            ("Zero downtime deploys", "Intermediate", "Advanced", "Medium", "M", "Platform SRE Lead", None),
        ],
        TEST: [
            ("Automatic component test (isolated)", "Advanced", "Advanced", "Low", "S", "Platform QA Lead", None),
            ("Full automatic acceptance tests", "Intermediate", "Advanced", "Medium", "L", "Platform QA Lead", None),
            ("Automatic performance tests", "Intermediate", "Advanced", "Medium", "M", "Platform SRE Lead", None),
        ],
        REPORTING: [
            ("Graphing as a service", "Intermediate", "Advanced", "Medium", "S", "Platform SRE Lead", None),
            ("Dynamic test coverage analysis", "Beginner", "Intermediate", "Low", "M", "Platform QA Lead", None),
            ("Dynamic graphing and dashboards", "Intermediate", "Expert", "Medium", "M", "Platform Delivery Lead", "Dashboards exist per team; no cross-unit view."),
        ],
    },
}

# Sheets that get a blank row between dimension groups (the others are packed).
BLANK_ROW_BETWEEN_GROUPS = {"Retail Banking", "Lending", "Risk & Compliance", "Core Platform"}

LEVEL_NAMES = {1: "Base", 2: "Beginner", 3: "Intermediate", 4: "Advanced", 5: "Expert"}

HEADERS = ("Practice Area", "Practice", "Current Level", "Target Level", "Priority", "Effort", "Owner", "Notes")
COLUMN_WIDTHS = (24, 44, 15, 15, 10, 8, 32, 60)
HEADER_ROW = 5

CSV_HEADERS = ("Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort", "Owner", "Notes")

# Fixed so that two runs give byte-identical files.
FIXED_TIMESTAMP = datetime(2026, 9, 30, 9, 0, 0)

_HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_AREA_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="808080")


def level_number(value: object) -> int | str | None:
    """Turn a level cell as written in the workbook into 1-5.

    Accepts 3, "Intermediate", "L3", "Level 3" and "3 - Intermediate". "TBD" is returned
    unchanged and an empty cell gives None, because the sample keeps both as they are.
    """
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if text == "TBD":
        return text
    for number, name in LEVEL_NAMES.items():
        if text.lower() == name.lower():
            return number
    match = re.fullmatch(r"(?:L|Level\s*)?([1-5])(?:\s*-\s*\w+)?", text, flags=re.IGNORECASE)
    if match is None:
        raise ValueError(f"unrecognised level {value!r}")
    return int(match.group(1))


def _mean(values: list[object]) -> float | None:
    """Return the mean of the numeric levels in ``values`` to one decimal, or None if none are."""
    numbers = [v for v in (level_number(x) for x in values) if isinstance(v, int)]
    return round(sum(numbers) / len(numbers), 1) if numbers else None


def _write_read_me(ws) -> None:
    """Fill the "Read me" sheet with prose only (no table), as a cover note would be."""
    lines = [
        (f"{INSTITUTION}: Continuous Delivery maturity assessment", Font(bold=True, size=14)),
        (None, None),
        ((f"This workbook is a FICTIONAL sample. {INSTITUTION}, its business units, people and "
          f"{CONSULTANCY} are invented for demonstration."), Font(italic=True)),
        (None, None),
        (("Each business unit has its own sheet. Practices are grouped by practice area, the five "
          "dimensions of the Continuous Delivery Maturity Model."), None),
        (("For each practice we recorded the level observed today and the level the unit should "
          "reach within 18 months, with a priority, a rough effort (S/M/L) and an owner."), None),
        (("Levels follow the CDMM scale: 1 Base, 2 Beginner, 3 Intermediate, 4 Advanced, 5 Expert. "
          "Interviewers wrote them in different ways; all mean the same scale."), None),
        ("The Summary sheet gives the mean observed level per unit and practice area.", None),
        (None, None),
        (("Open points: one practice in Retail Banking was not assessed, one target in Lending is "
          "still to be agreed, and one Wealth Management practice is rated above its target."), None),
        (None, None),
        (f"Prepared by {CONSULTANCY}, {ASSESSED}. Draft for discussion.", Font(color="595959")),
    ]
    for row, (text, font) in enumerate(lines, start=1):
        if text is None:
            continue
        cell = ws.cell(row=row, column=1, value=text)
        if font is not None:
            cell.font = font
    ws.column_dimensions["A"].width = 120


def _write_unit_sheet(ws, unit: str, groups: dict[str, list[tuple]]) -> None:
    """Write one business unit: title block, header at row 5, merged area groups, Average row."""
    ws["A1"] = f"{INSTITUTION} — Continuous Delivery maturity assessment"
    ws["A1"].font = Font(bold=True, size=14)
    ws["A2"] = f"Business unit: {unit}"
    ws["A2"].font = Font(bold=True)
    ws["A3"] = f"Assessed: {ASSESSED} by {CONSULTANCY} (fictional consultancy)"
    ws["A3"].font = Font(italic=True, color="595959")

    for col, (title, width) in enumerate(zip(HEADERS, COLUMN_WIDTHS, strict=True), start=1):
        cell = ws.cell(row=HEADER_ROW, column=col, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(bottom=_THIN)
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = ws.cell(row=HEADER_ROW + 1, column=1)

    row = HEADER_ROW + 1
    currents: list[object] = []
    targets: list[object] = []
    blank_between = unit in BLANK_ROW_BETWEEN_GROUPS
    for index, (area, practices) in enumerate(groups.items()):
        if index and blank_between:
            row += 1
        first = row
        for practice, current, target, priority, effort, owner, notes in practices:
            values = (area if row == first else None, practice, current, target, priority, effort, owner, notes)
            for col, value in enumerate(values, start=1):
                cell = ws.cell(row=row, column=col, value=value)
                cell.alignment = Alignment(vertical="top", wrap_text=col in (2, 8),
                                           horizontal="center" if col in (3, 4, 5, 6) else None)
            currents.append(current)
            targets.append(target)
            row += 1
        area_cell = ws.cell(row=first, column=1)
        area_cell.font = Font(bold=True)
        area_cell.fill = _AREA_FILL
        area_cell.alignment = Alignment(vertical="center", wrap_text=True)
        if row - 1 > first:
            ws.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)

    if blank_between:
        row += 1
    ws.cell(row=row, column=2, value="Average")
    ws.cell(row=row, column=3, value=_mean(currents))
    ws.cell(row=row, column=4, value=_mean(targets))
    for col in range(1, len(HEADERS) + 1):
        cell = ws.cell(row=row, column=col)
        cell.font = Font(bold=True, italic=True)
        cell.border = Border(top=_THIN)
        if col in (3, 4):
            cell.number_format = "0.0"
            cell.alignment = Alignment(horizontal="center")


def _write_summary(ws) -> None:
    """Write the "Summary" pivot: mean observed level per unit and dimension (not a gap table)."""
    ws["A1"] = "Mean observed level (1-5) by business unit and practice area"
    ws["A1"].font = Font(bold=True, size=14)
    header = ("Business unit", *DIMENSIONS, "All areas")
    for col, title in enumerate(header, start=1):
        cell = ws.cell(row=3, column=col, value=title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = 22 if col == 1 else 16
    for row, (unit, groups) in enumerate(SAMPLE.items(), start=4):
        ws.cell(row=row, column=1, value=unit).font = Font(bold=True)
        every: list[object] = []
        for col, dimension in enumerate(DIMENSIONS, start=2):
            observed = [practice[1] for practice in groups.get(dimension, [])]
            every.extend(observed)
            cell = ws.cell(row=row, column=col, value=_mean(observed))
            cell.number_format = "0.0"
            cell.alignment = Alignment(horizontal="center")
        cell = ws.cell(row=row, column=len(header), value=_mean(every))
        cell.number_format = "0.0"
        cell.alignment = Alignment(horizontal="center")
        cell.font = Font(bold=True)
    note_row = 4 + len(SAMPLE) + 1
    ws.cell(row=note_row, column=1,
            value="Means over the practices assessed in each area; practices not assessed are left out.").font = Font(italic=True, color="595959")
    ws.freeze_panes = "B4"


def _stable_xlsx(raw: bytes) -> bytes:
    """Rewrite an xlsx zip with fixed entry timestamps and a fixed modified date.

    openpyxl stamps both the zip entries and docProps/core.xml with the time of saving, which
    is the only thing that differs between two runs.
    """
    stamp = FIXED_TIMESTAMP.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                              rb"\g<1>" + stamp + rb"\g<2>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIMESTAMP.timetuple()[:6])
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = info.external_attr
            dst.writestr(entry, data)
    return out.getvalue()


def build_workbook(path: Path) -> Path:
    """Write the sample workbook ("Read me", one sheet per unit, "Summary") to ``path``."""
    wb = Workbook()
    _write_read_me(wb.active)
    wb.active.title = "Read me"
    for unit, groups in SAMPLE.items():
        _write_unit_sheet(wb.create_sheet(unit), unit, groups)
    _write_summary(wb.create_sheet("Summary"))

    wb.properties.title = f"{INSTITUTION} CD maturity assessment (fictional sample)"
    wb.properties.creator = CONSULTANCY
    wb.properties.lastModifiedBy = CONSULTANCY
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP

    buffer = io.BytesIO()
    wb.save(buffer)
    path = Path(path)
    path.write_bytes(_stable_xlsx(buffer.getvalue()))
    return path


def build_csv(path: Path) -> Path:
    """Write the same data as one flat UTF-8 table, levels as numbers 1-5, to ``path``."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CSV_HEADERS)
        for unit, groups in SAMPLE.items():
            for dimension, practices in groups.items():
                for practice, current, target, priority, effort, owner, notes in practices:
                    writer.writerow((unit, dimension, practice, level_number(current), level_number(target),
                                     priority, effort, owner, notes))
    return path


def main(argv: list[str] | None = None) -> int:
    """Build both files in the directory given as the only argument (default: next to this script)."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("usage: make_sample.py [OUTPUT_DIR]", file=sys.stderr)
        return 2
    out_dir = Path(args[0]) if args else Path(__file__).resolve().parent
    out_dir.mkdir(parents=True, exist_ok=True)
    for written in (build_workbook(out_dir / "sample_gap_analysis.xlsx"),
                    build_csv(out_dir / "sample_gap_analysis.csv")):
        print(f"wrote {written}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
