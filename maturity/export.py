"""Writing what gapmap makes: formula-safe CSV and Excel, and a fill-in template workbook.

Text from an uploaded file may start with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, which
a spreadsheet would run as a formula (OWASP "CSV injection"). CSV cells like that get a leading ``'``;
Excel cells are stored as plain text, never as formulas. CSV is UTF-8 with a BOM so Excel shows
accents correctly.
"""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd

from .columns import column_letter
from .rubric import Rubric

__all__ = ["formula_safe", "safe_filename", "template_bytes", "to_csv_bytes", "to_excel_bytes"]

EXCEL_CELL_LIMIT = 32_767  # characters Excel holds in one cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _header_style(cell) -> None:
    """White bold text on navy, for a header cell. (openpyxl is imported where an Excel file is written:
    the command line writes CSV and need not load it.)"""
    from openpyxl.styles import Font, PatternFill

    cell.fill, cell.font = PatternFill("solid", fgColor="1F3A5F"), Font(bold=True, color="FFFFFF")


def _guard(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def formula_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` where every text cell a spreadsheet would run as a formula starts with ``'``.

    Column names are guarded too. Numbers (including negative ones) are left as numbers.
    """
    safe = frame.copy()
    for column in safe.columns:
        values = safe[column]
        if isinstance(values.dtype, pd.CategoricalDtype):
            values = values.astype(object)  # a guarded text is not one of the column's categories
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            # Guard each distinct text once: a roadmap repeats its units, labels and actions many times.
            risky = {v: _guard(v) for v in pd.unique(values) if isinstance(v, str) and v.startswith(FORMULA_START)}
            if risky:
                safe[column] = values.where(~values.isin(list(risky)), values.map(risky))
    safe.columns = [_guard(str(c)) for c in safe.columns]
    return safe


def to_csv_bytes(frame: pd.DataFrame) -> bytes:
    """``frame`` as formula-safe CSV bytes, UTF-8 with BOM, CRLF line ends, no index column.

    The bytes are exactly ``formula_safe(frame).to_csv(index=False, lineterminator="\r\n")``'s, written
    faster: each column's distinct values are guarded, formatted and quoted once (numbers by numpy),
    then rows are joined.
    """
    if frame.shape[1] < 2 or not all(_fast_dtype(frame[column].dtype) for column in frame.columns):
        # One column (pandas quotes an empty lone field) or a dtype such as dates: pandas' own writer.
        return formula_safe(frame).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
    header = ",".join(_text_fields([str(column) for column in frame.columns]))
    fields = [_csv_column(frame.iloc[:, position]) for position in range(frame.shape[1])]
    rows = "\r\n".join(map(",".join, zip(*fields, strict=True)))
    return ("\ufeff" + header + "\r\n" + rows + ("\r\n" if len(frame) else "")).encode("utf-8")


_NEEDS_QUOTES = re.compile(r'[,"\r\n]')


def _fast_dtype(dtype) -> bool:
    """Dtypes whose CSV text :func:`_csv_column` writes as pandas does (others go through pandas)."""
    if isinstance(dtype, np.dtype):
        return dtype.kind in "Obiu" or (dtype.kind == "f" and dtype.itemsize <= 8)  # not long double
    return pd.api.types.is_string_dtype(dtype) or (
        isinstance(dtype, pd.api.extensions.ExtensionDtype) and dtype.kind in "biu"  # Int64, boolean
    )


def _csv_field(text: str) -> str:
    """One field as Python's csv module writes it with minimal quoting."""
    return '"' + text.replace('"', '""') + '"' if _NEEDS_QUOTES.search(text) else text


# A formula-like start of any of several texts, each led by a NUL: a text's first character follows one.
_GUARDED_START = re.compile("\x00[" + re.escape("".join(FORMULA_START)) + "]")


def _text_fields(texts) -> list[str]:
    """The CSV field of each text in ``texts``: guarded, then quoted as the csv module does."""
    texts = list(texts)
    # Most columns hold no text to guard or quote: two scans of them all, joined, say so at once. A NUL
    # inside a text can only make the guard's scan find one where there is none (then each is looked at).
    joined = "\x00" + "\x00".join(texts)
    if not _NEEDS_QUOTES.search(joined) and not _GUARDED_START.search(joined):
        return texts
    # Two comprehensions rather than a call per text: this runs once per distinct note of a whole file.
    guarded = ["'" + text if text.startswith(FORMULA_START) else text for text in texts]
    search = _NEEDS_QUOTES.search
    return ['"' + text.replace('"', '""') + '"' if search(text) else text for text in guarded]


def _csv_text(value: object) -> str:
    if isinstance(value, str):
        return _csv_field(_guard(value))
    if value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return float.__repr__(value)  # as the csv module writes a float (numpy's subclass too)
    return _csv_field(str(value))


def _csv_column(values: pd.Series) -> np.ndarray:
    """The CSV field of every cell of ``values``: missing cells empty, text guarded and quoted."""
    if values.dtype.kind in "biuf":  # numbers and booleans, numpy's or nullable (Int64, boolean)
        codes, texts = _number_texts(values)
    else:
        codes, distinct = pd.factorize(values, use_na_sentinel=True)
        distinct = np.asarray(distinct, dtype=object)
        texts = np.empty(len(distinct), dtype=object)
        is_text = np.fromiter((isinstance(value, str) for value in distinct), dtype=bool, count=len(distinct))
        texts[is_text] = _text_fields(distinct[is_text])
        if not is_text.all():
            # Distinct means equal, and equal values may print differently (1, 1.0 and True in one
            # object column): the cells holding something other than text are written one by one.
            cells = np.flatnonzero((codes >= 0) & ~is_text[codes])
            return _with_cells(texts, codes, cells, values.to_numpy(dtype=object)[cells])
    return np.append(texts, "")[codes]  # code -1, a missing cell, is the last: empty


def _number_texts(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes and the text of each distinct number, as pandas writes them (code -1: missing)."""
    if not isinstance(values.dtype, np.dtype):  # Int64, boolean: whole numbers, missing ones masked
        codes, distinct = pd.factorize(values.array, use_na_sentinel=True)
        return codes, distinct.to_numpy(dtype=values.dtype.numpy_dtype).astype(str).astype(object)
    numbers = values.to_numpy()
    if numbers.dtype.kind != "f":
        codes, distinct = pd.factorize(numbers)
        return codes, distinct.astype(str).astype(object)
    # 0.0 and -0.0 are equal but print differently, and factorize would widen float16 (0.1 would
    # print as 0.099975586): factorize the floats' bits instead, each NaN a missing cell.
    codes, distinct = pd.factorize(numbers.view(np.dtype(f"u{numbers.itemsize}")))
    codes[np.isnan(numbers)] = -1
    return codes, distinct.view(numbers.dtype).astype(str).astype(object)


def _with_cells(texts: np.ndarray, codes: np.ndarray, cells: np.ndarray, values: np.ndarray) -> np.ndarray:
    """``texts[codes]`` with each cell at ``cells`` written from its own value (``values``) instead."""
    fields = np.append(texts, "")[codes]
    missing = pd.isna(values)
    fields[cells] = ["" if gone else _csv_text(value) for value, gone in zip(values, missing, strict=True)]
    return fields


def _write_sheet(sheet, frame: pd.DataFrame) -> None:
    sheet.append([str(c) for c in frame.columns])
    for cell in sheet[1]:
        _header_style(cell)
        cell.data_type = "s"
    for record in frame.itertuples(index=False, name=None):
        sheet.append([_excel_value(v) for v in record])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # never a formula, whatever the text starts with
    for index, column in enumerate(frame.columns, start=1):
        width = max([len(str(column))] + [len(str(v)) for v in frame[column].head(200).tolist()])
        sheet.column_dimensions[column_letter(index - 1)].width = min(max(10, width + 2), 60)
    sheet.freeze_panes = "A2"


def _excel_value(value: object) -> object:
    if value is None or value is pd.NA or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, str):
        return _excel_text(value)
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


# OOXML's own escapes, as Excel writes them and Excel and calamine read them: control characters XML
# cannot hold (or, for a carriage return, would read back as a line feed) as "_x0001_", "_x000D_";
# and the underscore of text that looks like an escape as "_x005F_", so it stays literal.
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f]|_(?=x[0-9A-Fa-f]{4}_)")


def _ooxml_escape(text: str) -> str:
    return _NEEDS_ESCAPE.sub(lambda match: f"_x{ord(match.group()):04X}_", text)


def _excel_length(text: str) -> int:
    """The length Excel's cell limit counts: UTF-16 code units (an emoji is two)."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


def _excel_text(value: str) -> str:
    """``value`` as a cell's stored text: escaped, and cut with a marker when the stored text would pass
    Excel's limit (Excel calls a file with a longer cell damaged, and openpyxl would cut it silently;
    the CSV export keeps it all)."""
    escaped = _ooxml_escape(value)
    if _excel_length(escaped) <= EXCEL_CELL_LIMIT:
        return escaped
    cut = f" … [cut: {len(value):,} characters; the CSV export has them all]"
    budget = EXCEL_CELL_LIMIT - len(cut)
    # The longest prefix whose escaped text fits: escaping only ever lengthens, so the length grows
    # with the prefix and a binary search finds it.
    low, high = 0, min(len(value), budget)
    while low < high:
        middle = (low + high + 1) // 2
        if _excel_length(_ooxml_escape(value[:middle])) <= budget:
            low = middle
        else:
            high = middle - 1
    return _ooxml_escape(value[:low]) + cut


def to_excel_bytes(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx with one sheet per ``{name: frame}``; text is stored as text, never as a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, frame in sheets.items():
        _write_sheet(workbook.create_sheet(_sheet_title(name)), frame)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", " ", name)[:31] or "Sheet"


def safe_filename(stem: str, suffix: str) -> str:
    """A download file name made from user text: letters, digits, '-', '_' and '.' only."""
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", stem).strip("._") or "gapmap"
    return f"{cleaned[:80]}{suffix}"


def template_bytes(rubric: Rubric) -> bytes:
    """A fill-in .xlsx for ``rubric``: an instructions sheet and the assessment sheet, with drop-downs.

    A whole-level model gets one row per practice with its level names to pick; a fractional model
    (SAMM) is scored per area, so one row per area with a score between its lowest and highest level.
    A model with groups (SAMM's business functions, DSOMM's dimensions) gets a column for them.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook()
    guide = workbook.active
    guide.title = "Instructions"
    level_names = [lv.name for lv in rubric.levels]
    # Excel's list of choices is one formula of at most 255 characters, split at commas: names that do
    # not fit are written as numbers instead (a number in range, whole unless the model is fractional).
    named = not rubric.fractional and len(",".join(level_names)) <= 250 and not any("," in n for n in level_names)
    if not named:
        how = f"   to be) as a number from {rubric.lowest} to {rubric.highest}" + (
            "; fractions are kept (1.5 is halfway from level 1 to level 2)." if rubric.fractional else ".")
    else:
        how = f"   to be) from the drop-down: {', '.join(f'{lv.level} {lv.name}' for lv in rubric.levels)}."
    rows_are = f"one row per {rubric.terms.area.lower()}" if rubric.fractional else "one row per practice"
    lines = [
        f"Gap analysis template: {rubric.label}",
        f"Source: {rubric.source}" if rubric.source else "",
        f"Licence: {rubric.license}" if rubric.license else "",
        "",
        f"1. The Assessment sheet has {rows_are}. Write your business unit in the Unit column (copy rows for each",
        "   unit, or use one sheet per unit and delete the Unit column: the sheet name then becomes the unit).",
        "2. For each row write the Current Level (where you are today) and the Target Level (where you want",
        how,
        "3. Leave a row out, or write 'No' under Applicable, when it does not apply to the unit.",
        "4. Priority (High/Medium/Low), Effort (S/M/L), Owner and Notes are optional; they shape the roadmap.",
        "5. Upload the file to gapmap, or run: python -m maturity roadmap this-file.xlsx --out roadmap.csv",
        "",
        "Levels",
    ]
    for text in lines:
        guide.append([text])
    for level in rubric.levels:
        guide.append([f"{level.level} {level.name}: {level.summary}"])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 110

    sheet = workbook.create_sheet("Assessment")
    grouped = bool(rubric.groups)
    headers = ["Unit", *([rubric.terms.group] if grouped else []), rubric.terms.area,
               *([] if rubric.fractional else ["Practice"]),
               "Current Level", "Target Level", "Priority", "Effort", "Applicable", "Owner", "Notes"]
    sheet.append(headers)
    for dimension in rubric.dimensions:
        group = [rubric.group(dimension.group).name] if grouped else []
        for practice in (None,) if rubric.fractional else dimension.practices:
            sheet.append([None, *group, dimension.name, *([] if practice is None else [practice.label])])
    for cell in sheet[1]:
        _header_style(cell)
        cell.alignment = Alignment(vertical="center")
    width = {"Unit": 22, "Practice": 44, "Notes": 50, "Owner": 24, "Current Level": 15, "Target Level": 15}
    for position, header in enumerate(headers, start=1):
        sheet.column_dimensions[column_letter(position - 1)].width = width.get(header, 26 if position < 4 else 12)
    sheet.freeze_panes = "A2"
    last = sheet.max_row + 500  # room for more units below the practices
    column = {header: column_letter(position - 1) for position, header in enumerate(headers, start=1)}
    levels = f"{column['Current Level']}2:{column['Target Level']}{last}"
    if not named:
        scores = DataValidation(type="decimal" if rubric.fractional else "whole", operator="between",
                                formula1=str(rubric.lowest), formula2=str(rubric.highest), allow_blank=True,
                                showErrorMessage=True, errorTitle="A level on the model's scale",
                                error=f"Write a level from {rubric.lowest} to {rubric.highest}")
        sheet.add_data_validation(scores)
        scores.add(levels)
    lists = [(f"{column['Priority']}2:{column['Priority']}{last}", ["High", "Medium", "Low"]),
             (f"{column['Effort']}2:{column['Effort']}{last}", ["S", "M", "L", "XL"]),
             (f"{column['Applicable']}2:{column['Applicable']}{last}", ["Yes", "No"])]
    if named:
        lists.insert(0, (levels, level_names))
    for cells, choices in lists:
        validation = DataValidation(
            type="list",
            formula1='"' + ",".join(choices) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Pick from the list",
            error=f"Choose one of: {', '.join(choices)}",
        )
        sheet.add_data_validation(validation)
        validation.add(cells)
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
