"""Text files read as CSV: decoding (BOMs, UTF-16 without one, cp1252, Latin-1), binary refused,
the column separator sniffed, and the rows parsed within the limits.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
from pathlib import PurePosixPath

from ..errors import CorruptFileError, UnsupportedFormatError
from .cells import RawSheet, RawWorkbook, _grid
from .limits import Limits, _check_box, _short

_TEXT_SUFFIXES = {"", ".csv", ".tsv", ".txt"}
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}
_CONTROL_CHARACTERS = re.compile(r"[\x01-\x08\x0b\x0e-\x1f\x7f]")
_DELIMITERS = (",", ";", "\t")
_DELIMITER_NAMES = {";": "';'", "\t": "tab"}


def _read_text(data: bytes, name: str, limits: Limits) -> RawWorkbook:
    """Read a CSV: one sheet named after the file. A quoted cell spanning lines makes later row
    numbers count CSV records rather than physical lines."""
    path = PurePosixPath(name.replace("\\", "/"))
    suffix = path.suffix.lower()
    if suffix not in _TEXT_SUFFIXES | _SPREADSHEET_SUFFIXES:
        raise UnsupportedFormatError(
            f"{name} is a {suffix} file, which gapmap does not read: upload the assessment as .xlsx, .ods or .csv"
        )
    text, notes = _decode(data, name)
    if text.lstrip()[:200].lower().startswith(("<?xml", "<html", "<!doctype", "<table", "<meta", "<head", "<body")):
        raise UnsupportedFormatError(
            f"{name} is an HTML or XML file (such as an Excel 2003 XML or a web export), not a spreadsheet gapmap"
            " reads: open it in Excel, save it as .xlsx and upload that"
        )
    if suffix in _SPREADSHEET_SUFFIXES:
        notes.insert(0, f"{name} is a CSV text file despite its {suffix} name; it was read as CSV")
    delimiter = _sniff_delimiter(text, prefer_tab=suffix == ".tsv")
    if delimiter != ",":
        notes.append(f"{name} was read with {_DELIMITER_NAMES[delimiter]} as the column separator")
    sheet = path.stem or name
    rows = _parse_csv(text, delimiter, name, sheet, limits)
    if note := _fields_past_header(rows, name):
        notes.append(note)
    return RawWorkbook(name, "csv", (RawSheet(name=sheet, cells=_grid(rows, {})),), tuple(notes))


def _decode(data: bytes, name: str) -> tuple[str, list[str]]:
    """Decode text: by its BOM (UTF-8, UTF-16, UTF-32), else UTF-8, else cp1252, else Latin-1; refuse binary."""
    notes: list[str] = []
    encoding = next(
        (
            bom_encoding
            for bom, bom_encoding in (
                (codecs.BOM_UTF32_LE, "utf-32"),
                (codecs.BOM_UTF32_BE, "utf-32"),
                (codecs.BOM_UTF8, "utf-8-sig"),
                (codecs.BOM_UTF16_LE, "utf-16"),
                (codecs.BOM_UTF16_BE, "utf-16"),
            )
            if data.startswith(bom)
        ),
        None,
    )
    if encoding is None and (encoding := _bomless_utf16(data)):
        notes.append(f"{name} is UTF-16 text without a byte-order mark; it was read as {encoding.upper()}")
    if encoding:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise CorruptFileError(
                f"{name} is not valid {encoding.upper()} text (byte {exc.start}): save it again as CSV UTF-8"
            ) from exc
    else:
        nuls = data.count(b"\x00")
        if nuls > len(data) // 10:
            _raise_binary(name)
        if nuls:
            data = data.replace(b"\x00", b"")
            notes.append(f"{name} contained {nuls:,} NUL byte(s), which were removed")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1252")
                notes.append(f"{name} is not UTF-8; it was decoded as cp1252 (Windows): check that accents look right")
            except UnicodeDecodeError:
                text = data.decode("latin-1")
                notes.append(f"{name} is not UTF-8; it was decoded as Latin-1: check that accents look right")
    text = text.replace("\x00", "")
    sample = text[:65_536]
    if len(_CONTROL_CHARACTERS.findall(sample)) > max(8, len(sample) // 100):
        _raise_binary(name)
    return text, notes


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:4096]
    half = len(sample) // 2
    if half < 2:
        return None
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        return "utf-16-le"
    if even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        return "utf-16-be"
    return None


def _raise_binary(name: str) -> None:
    raise UnsupportedFormatError(
        f"{name} is neither a spreadsheet nor a text file gapmap can read: upload the assessment as .xlsx, .ods or .csv"
    )


def _sniff_delimiter(text: str, prefer_tab: bool = False) -> str:
    """The column separator among ',', ';' and tab: csv.Sniffer's pick when the records agree with it.

    Records are parsed with quotes honoured (a ';' or a line break inside a quoted field is no
    separator), and a separator that does not split the header record is not the file's.
    """
    sample = text[:65_536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    if not sample.strip():
        return ","

    def fit(delimiter: str) -> tuple[float, int]:
        """Share of the first records as wide as the header record, and that width (0 when unsplit)."""
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter, quotechar='"', strict=False)
        records = [len(r) for r in itertools.islice((r for r in reader if any(f.strip() for f in r)), 100)]
        if not records or records[0] < 2:
            return 0.0, 0
        return sum(width == records[0] for width in records) / len(records), records[0]

    fits = {delimiter: fit(delimiter) for delimiter in _DELIMITERS}
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if prefer_tab and fits["\t"][1]:
        return "\t"
    if sniffed in _DELIMITERS and fits[sniffed][0] >= 0.5:
        return sniffed
    best = max(_DELIMITERS, key=fits.__getitem__)
    return best if fits[best][1] else ","


def _parse_csv(text: str, delimiter: str, name: str, sheet: str, limits: Limits) -> list[list[str | None]]:
    """Rows of fields, one per CSV record, short rows padded with None."""
    if csv.field_size_limit() < limits.max_file_bytes:
        csv.field_size_limit(limits.max_file_bytes)  # one huge cell is fine, up to the file limit
    rows: list[list[str]] = []
    width = 0
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"', strict=False):
            rows.append(row)
            width = max(width, len(row))
            if width > limits.max_columns or len(rows) > limits.max_rows:
                _check_box(name, sheet, len(rows), width, limits)
    except csv.Error as exc:
        raise CorruptFileError(f"{name} is not valid CSV ({_short(exc)}): save it again as CSV UTF-8") from exc
    _check_box(name, sheet, len(rows), width, limits)
    for row in rows:
        if len(row) < width:
            row.extend([None] * (width - len(row)))
    return rows


_LINES_NAMED = 5  # lines a note names before it counts the rest
_HEADER_SEARCH_LINES = 30  # as far down as the layout looks for a header


def _fields_past_header(rows: list[list[str | None]], name: str) -> str | None:
    """A note naming the lines with text in fields past the header's last one, or None.

    The sheet is as wide as its widest line, so those fields are kept, as columns without a name
    (which nothing reads): the note says where they are rather than let them pass unseen. The header
    is taken to be the first line with three fields filled, the fewest a header has (a current, a
    target and a dimension or practice column); line numbers count CSV records, as row numbers do.
    Of a two-row header, the upper line (group names) is taken, so when it ends before the lower one
    every line is named: a note too many rather than a field dropped unseen.
    """
    header = next((index for index, row in enumerate(rows[:_HEADER_SEARCH_LINES])
                   if sum(map(_filled, row)) >= 3), None)
    if header is None:
        return None
    width = _filled_width(rows[header])
    if width == len(rows[header]):  # no line is wider than the header (rows are padded to the widest)
        return None
    longer = [(line, filled) for line, row in enumerate(rows[header + 1:], start=header + 2)
              if (filled := _filled_width(row)) > width]
    if not longer:
        return None
    lines = f"{len(longer):,} lines have" if len(longer) > 1 else "1 line has"
    named = ", ".join(f"line {line} has {filled}" for line, filled in longer[:_LINES_NAMED])
    more = f" and {len(longer) - _LINES_NAMED:,} more" if len(longer) > _LINES_NAMED else ""
    return (f"{name}: {lines} more fields than the header (line {header + 1}, {width} fields): {named}{more}; the"
            " extra fields have no column name, so they are kept as unnamed columns and not read: name them in"
            " the header or remove them")


def _filled(field: str | None) -> bool:
    return bool(field and not field.isspace())


def _filled_width(row: list[str | None]) -> int:
    """The number of fields up to the last one with text in it."""
    width = len(row)
    while width and not _filled(row[width - 1]):
        width -= 1
    return width
