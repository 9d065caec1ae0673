"""How a file was read, as plain data: what ``python -m maturity inspect`` prints and "How this file
was read" shows: the model and why, per sheet its header row and each column's role and scale, the
areas read as close spellings, skipped sheets, notes and counts."""

from __future__ import annotations

from .normalize import Assessment

__all__ = ["describe", "describe_text"]


def describe(assessment: Assessment) -> dict:
    """``assessment``'s reading as one JSON-ready document. Its top level has ``rubric`` (the model's
    id, or ``own``), ``model``, ``sheets``, ``skipped``, ``area_matches``, ``notes``,
    ``normalized_rows`` and ``problem_rows``."""
    rubric, choice, layout = assessment.rubric, assessment.choice, assessment.layout
    sheets = []
    for sheet in layout.sheets:
        columns = []
        for column in sheet.columns:
            entry = {"column": column.letter, "header": column.header, "role": column.role}
            if column.group:
                entry["for"] = column.group
            if column.role in sheet.scales:
                scale = sheet.scales[column.role]
                entry["scale"] = {"low": scale.low, "high": scale.high, "source": scale.source}
            columns.append(entry)
        sheets.append({
            "sheet": sheet.sheet,
            "shape": "wide" if sheet.wide_groups else "long",
            "header_rows": [sheet.header_row],
            "columns": columns,
            "not_read": sheet.problems(),
        })
    for pair in layout.pairs:
        sheets.append({
            "sheet": pair.name,
            "shape": "split",
            "current_sheet": pair.current,
            "target_sheet": pair.target,
            "areas": "across" if pair.areas_across else "down",
            "evidence": pair.evidence,
        })
    for stacked in layout.stacked:
        sheets.append({
            "sheet": stacked.sheet,
            "shape": "stacked",
            "blocks": [{"title": title, "header_row": header, "first_row": first, "last_row": last, "holds": role}
                       for (title, header, first, last), role in zip(stacked.blocks, stacked.roles, strict=True)],
            "evidence": stacked.evidence,
        })
    return {
        "file": assessment.filename,
        "rubric": rubric.id,
        "model": {
            "id": rubric.id,
            "name": rubric.name,
            "version": rubric.version,
            "levels": [{"level": lv.level, "name": lv.name} for lv in rubric.levels],
            "fractional": rubric.fractional,
            "areas": len(rubric.dimensions),
            "requested": choice.requested if choice else "given",
            "reason": choice.reason if choice else "",
            "coverage": [{"rubric": c.rubric_id, "covered": c.covered, "distinct": c.distinct,
                          "share": round(c.share, 4)} for c in (choice.coverage if choice else ())],
        },
        "unit_source": layout.unit_source if layout.unit_source != "single unit" else f"one unit: {layout.single_unit}",
        "sheets": sheets,
        "skipped": [{"sheet": s.sheet, "reason": s.reason} for s in layout.skipped],
        "area_matches": [{"value": m.value, "area": m.dimension_id, "read_as": m.how,
                          "area_name": rubric.dimension(m.dimension_id).name if m.dimension_id else None,
                          "problem": m.problem} for m in assessment.area_matches if m.how != "exact"],
        "notes": list(assessment.notes),
        "normalized_rows": len(assessment.normalized),
        "problem_rows": assessment.rows_with_problems,
        "problems": len(assessment.problems),
    }


def describe_text(report: dict) -> str:
    """:func:`describe`'s document as text for a terminal."""
    model = report["model"]
    lines = [f"{report['file']}: read against {model['name']}{' ' + model['version'] if model['version'] else ''} "
             f"(levels {model['levels'][0]['level']}–{model['levels'][-1]['level']}"
             f"{', fractional' if model['fractional'] else ''}, {model['areas']} areas)"]
    if model["reason"]:
        lines.append(f"  why: {model['reason']}")
    for entry in model["coverage"][:4]:
        lines.append(f"  {entry['rubric']}: {entry['covered']} of {entry['distinct']} areas ({entry['share']:.0%})")
    lines.append(f"units from: {report['unit_source']}")
    for sheet in report["sheets"]:
        if sheet["shape"] == "split":
            lines.append(f"sheets {sheet['current_sheet']!r} (current) and {sheet['target_sheet']!r} (target): "
                         f"units × areas matrices, {sheet['evidence']}")
            continue
        if sheet["shape"] == "stacked":
            lines.append(f"sheet {sheet['sheet']!r}: stacked blocks, {sheet['evidence']}")
            lines.extend(f"  rows {b['first_row']}–{b['last_row']} {b['title']!r} (header row {b['header_row']}): "
                         f"{b['holds']}" for b in sheet["blocks"])
            continue
        lines.append(f"sheet {sheet['sheet']!r}: {sheet['shape']} table, header row {sheet['header_rows'][0]}")
        for column in sheet["columns"]:
            scale = column.get("scale")
            shown = f", levels {scale['low']}–{scale['high']} ({scale['source']})" if scale else ""
            group = f" for {column['for']!r}" if column.get("for") else ""
            lines.append(f"  {column['column']:>3} {column['header']!r}: {column['role'] or '(ignored)'}{group}{shown}")
        if sheet["not_read"]:
            lines.append(f"  not read: {'; '.join(sheet['not_read'])}")
    for skipped in report["skipped"]:
        lines.append(f"skipped sheet {skipped['sheet']!r}: {skipped['reason']}")
    for match in report["area_matches"]:
        if match["area"]:
            lines.append(f"area {match['value']!r} read as {match['area_name']} ({match['read_as']})")
        else:
            lines.append(f"area {match['value']!r} not read: {match['problem']}")
    lines.extend(f"note: {' '.join(note.split())}" for note in report["notes"])
    lines.append(f"{report['normalized_rows']} rows normalized, {report['problem_rows']} rows with problems")
    return "\n".join(lines) + "\n"
