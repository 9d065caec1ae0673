"""The worksheet scan: proves calamine's dense grid for a sheet fits the limits before calamine
builds it (a grid it cannot allocate aborts the whole process).

``_scan_worksheet`` runs a fast regex pass over one XML part of an .xlsx (every part gets it);
whatever it cannot prove safe goes to an exact pass with expat that replays calamine's cell
positioning. Both also count the shared-string text a sheet would expand to, and collect the Excel
error cells calamine drops.
"""

from __future__ import annotations

import codecs
import html
import re
import zipfile

from ..errors import CorruptFileError
from .archive import _DOCTYPE, _Archive, _ExpatPass, _inflate, _refuse_doctype
from .limits import _HUGE, _MIB, Limits, _check_box, _raise_text_amplification

_MAX_RUN_WITHOUT_TAG = 16 * _MIB  # that much XML without a '>' is not a spreadsheet part


# Every part that looks like XML gets the worksheet scan (for styles, themes and the like it passes
# at once), so nothing depends on how calamine resolves a sheet's path from the relationships.
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _looks_like_xml(first_chunk: bytes) -> bool:
    if first_chunk.startswith(_BOMS):
        return True
    return first_chunk[:4096].lstrip().startswith(b"<")


def _scan_worksheet(
    archive: _Archive, info: zipfile.ZipInfo, sheet: str, shared_lengths: list[int]
) -> dict[tuple[int, int], str]:
    """Make sure calamine can load this part safely as a worksheet, should it read it as one; returns
    its Excel error cells."""
    name, limits = archive.name, archive.limits
    longest = max(shared_lengths, default=0)
    # A value takes at least 7 bytes of XML ('<v>0</v>'): with short shared strings there are too
    # few values to reach the text limit, and counting them would be wasted time.
    count_values = longest * (info.file_size // 7) > limits.max_inflated_bytes
    fast = _FastSheetScan(name, info.filename, limits, count_values, info.file_size)
    chunks = _inflate(archive, info)
    first = next(chunks, b"")
    if not _looks_like_xml(first):
        return {}  # an image or a binary part: calamine cannot read it as a sheet
    fast.feed(first)
    for chunk in chunks:
        fast.feed(chunk)
    fast.close()
    # value_elements counts both '<v>' and '</v>': twice the values, a safe overestimate.
    if not fast.needs_exact_pass and fast.value_elements * longest <= limits.max_inflated_bytes:
        return fast.errors
    exact = _ExactSheetScan(name, info.filename, sheet, limits, shared_lengths)
    exact.run(_inflate(archive, info, count=False))  # already counted on the first pass
    return exact.errors


# The fast worksheet pass. It never raises for a sound file: whatever it cannot prove safe goes to
# the exact pass. Soundness rests on how calamine's xlsx reader places cells: a cell's position
# comes from its own ``r`` attribute (any syntax: either quote, spaces around '=', even no space
# after the previous value), or, without one, from counting; attribute values are used raw; and
# element names are matched without their prefix, so ``<x:c>`` is a cell too.
_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"'](?:[A-Za-z]+[0-9]+:)?([A-Za-z]{1,3})([0-9]{1,7})[\"']"
)
_ROOT_PREFIX = re.compile(rb"<([A-Za-z_][\w.-]{0,30}):worksheet[\s>]")
_CELL_CHECKS: dict[bytes, tuple[re.Pattern[bytes], ...]] = {}


def _cell_checks(prefix: bytes) -> tuple[re.Pattern[bytes], ...]:
    """Patterns that find a cell element the fast scan cannot vouch for: one without a leading
    ``r="`` (no reference, or not first), or one under a namespace prefix other than the sheet's own."""
    if prefix not in _CELL_CHECKS:
        checks = [re.compile(rb'<c(?! r=")[\s>/]')]
        if prefix:
            own = re.escape(prefix)
            checks.append(re.compile(rb"<" + own + rb'(?=:):c(?! r=")[\s>/]'))
            checks.append(re.compile(rb"(?<!<" + own + rb")(?<!</" + own + rb"):c[\s>/]"))
        else:
            checks.append(re.compile(rb":c[\s>/]"))
        _CELL_CHECKS[prefix] = tuple(checks)
    return _CELL_CHECKS[prefix]


_ERROR_TYPE = re.compile(rb'\st="e"')
_CANONICAL_REF = re.compile(rb'\sr="([A-Za-z]{1,3})([0-9]{1,7})"')
_VALUE_TEXT = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<")
_CELL_START = re.compile(rb"<(?:[\w.-]+:)?c\s")
_CELL_END = re.compile(rb"</(?:[\w.-]+:)?c>")
_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_SAMPLE_BYTES = 64 * 1024  # of a sheet without a <dimension>, read for its width and rows per byte
_NAME_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-")


def _column_letters(number: int) -> str:
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = _LETTERS[rest] + letters
    return letters


def _column_number(letters: str) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number


def _letter_class(first: str, last: str) -> str:
    return f"[{first}-{last}{first.lower()}-{last.lower()}]" if first != last else f"[{first}{first.lower()}]"


def _at_most_column(limit: int) -> str:
    """Regex for column letters (either case) whose column number is at most ``limit`` (>= 1)."""
    letters = _column_letters(limit)
    alternatives = [_letter_class("A", "Z") + f"{{1,{len(letters) - 1}}}"] if len(letters) > 1 else []
    for i, letter in enumerate(letters):
        if letter != "A":
            before = "".join(_letter_class(c, c) for c in letters[:i])
            after = "[A-Za-z]" * (len(letters) - i - 1)
            alternatives.append(before + _letter_class("A", chr(ord(letter) - 1)) + after)
    alternatives.append("".join(_letter_class(c, c) for c in letters))
    return "(?:" + "|".join(alternatives) + ")"


def _at_most_number(limit: int) -> str:
    """Regex for digit strings (leading zeros allowed) whose value is at most ``limit`` (>= 1)."""
    digits = str(limit)
    alternatives = [f"[0-9]{{1,{len(digits) - 1}}}"] if len(digits) > 1 else []
    for i, digit in enumerate(digits):
        if digit != "0":
            alternatives.append(digits[:i] + f"[0-{int(digit) - 1}]" + "[0-9]" * (len(digits) - i - 1))
    alternatives.append(digits)
    return "(?:" + "|".join(alternatives) + ")"


_RECTANGLE_PATTERNS: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _outside_rectangle(columns: int, rows: int) -> re.Pattern[bytes]:
    """Regex for every ``r`` attribute, in any syntax, whose value is not a reference inside the
    rectangle of ``columns`` columns by ``rows`` rows."""
    key = (columns, rows)
    if key not in _RECTANGLE_PATTERNS:
        if rows and columns:
            letters = "[A-Za-z]" if columns == 26 else _at_most_column(columns)
            inside = f"(?:{letters})?{_at_most_number(rows)}"
        else:
            inside = "(?!)"  # an empty rectangle: nothing is inside
        # A literal 'r' first keeps the regex engine's fast prefix search. Names that merely end
        # in r (header=, footer=) match too; the caller skips them by the byte before the match.
        _RECTANGLE_PATTERNS[key] = re.compile(rb"r\s*=\s*([\"'])(?!" + inside.encode() + rb"\1)([^\"']*)")
    return _RECTANGLE_PATTERNS[key]


class _FastSheetScan:
    """One cheap pass over a worksheet's XML chunks; sets ``needs_exact_pass`` when it cannot prove safety.

    Proven safe means: every cell element starts ``<c r="`` (or ``<x:c r="`` where the sheet's root is
    ``<x:worksheet>``), no cell element has another prefix, and every
    ``r`` attribute holds a reference inside a rectangle that fits every limit. Cells then sit where
    their references say, so calamine's grid fits in the same rectangle.
    """

    def __init__(self, name: str, member: str, limits: Limits, count_values: bool, member_size: int = 0) -> None:
        self.name = name
        self.member = member
        self.member_size = member_size  # as the zip declares it: only shapes the rectangle
        self.limits = limits
        self.carry = b""
        self.outside: re.Pattern[bytes] | None = None
        self.cell_checks: tuple[re.Pattern[bytes], ...] = ()
        self.needs_exact_pass = False
        self.count_values = count_values
        self.value_elements = 0  # when count_values: twice the number of cell values, at least
        self.errors: dict[tuple[int, int], str] = {}

    def feed(self, chunk: bytes) -> None:
        buffer = self.carry + chunk
        # Cut after a complete cell when possible (so error cells stay whole), else after any '>':
        # no reference, '<c', ':c' or '<!DOCTYPE' holds a '>', so none of them is ever split.
        cut = buffer.rfind(b"c>", max(0, len(self.carry) - 1))  # the end of '</c>' or '</x:c>'
        cut = cut + 2 if cut >= 0 else buffer.rfind(b">", len(self.carry)) + 1
        if cut <= 0:
            if len(buffer) > _MAX_RUN_WITHOUT_TAG:
                raise CorruptFileError(f"{self.name} is damaged ({self.member} is not spreadsheet XML)")
            self.carry = buffer
            return
        self.carry = buffer[cut:]
        self._scan(buffer[:cut])

    def close(self) -> None:
        if self.carry:
            self._scan(self.carry)
            self.carry = b""

    def _scan(self, part: bytes) -> None:
        if b"!" in part and _DOCTYPE.search(part):
            _refuse_doctype(self.name, self.member)
        if self.count_values:
            self.value_elements += part.count(b"v>")  # '</v>' and '</x:v>' both end in 'v>'
        if b"#" in part and b't="e"' in part:  # every Excel error value starts with '#'
            self._collect_error_cells(part)
        if self.needs_exact_pass:
            return
        if self.outside is None:
            self.outside = _outside_rectangle(*self._rectangle(part))
            root = _ROOT_PREFIX.search(part)
            self.cell_checks = _cell_checks(root.group(1) if root else b"")
        # A NUL byte means UTF-16 or UTF-32, which these byte patterns cannot read (calamine 0.9
        # reads no cells from such a part, but a later one might).
        if b"\x00" in part or any(check.search(part) for check in self.cell_checks):
            self.needs_exact_pass = True
            return
        for match in self.outside.finditer(part):
            at = match.start()
            if at and part[at - 1] in _NAME_BYTES:
                continue  # header=, footer=, ...: not an attribute named r
            # Digits alone are a row number (calamine refuses them on a cell); a row's number only
            # places cells without a reference, and those already need the exact pass.
            if not match.group(2).isdigit():
                self.needs_exact_pass = True
                return

    def _rectangle(self, first_part: bytes) -> tuple[int, int]:
        """(columns, rows) within every limit, shaped so that the sheet's true extent is proved safe
        here: at least 26 columns wide, unless the sheet is too tall for that (384,615 rows with the
        default limits), when it is as narrow as the sheet. Its own <dimension> says how tall and wide
        it is; without one (openpyxl's write-only mode) the first part does: its widest cell reference,
        and its rows per byte times the part's size. A wrong guess costs time, never safety: a cell
        outside the rectangle sends the sheet to the exact pass."""
        limits = self.limits
        columns = rows = 0
        if match := _DIMENSION.search(first_part.split(b"sheetData", 1)[0]):
            columns, rows = _column_number(match.group(1).decode()), int(match.group(2))
        else:
            sample = first_part[:_SAMPLE_BYTES]
            references = _CANONICAL_REF.findall(sample)
            if references:
                columns = max(_column_number(letters.decode()) for letters in {ref[0] for ref in references})
                rows = max(int(digits) for _, digits in references) * self.member_size // len(sample)
        width = min(max(26, columns), limits.max_columns)
        if rows * width > limits.max_cells and columns:
            # As narrow as the sheet, but no narrower than what the full height allows anyway.
            width = min(max(columns, limits.max_cells // limits.max_rows), limits.max_columns)
        return width, min(limits.max_rows, limits.max_cells // max(width, 1))

    def _collect_error_cells(self, part: bytes) -> None:
        for match in _ERROR_TYPE.finditer(part):
            start = part.rfind(b"<", 0, match.start())
            end = _CELL_END.search(part, match.end())
            if start < 0 or end is None or not _CELL_START.match(part, start):
                continue
            cell = part[start : end.start()]
            ref, value = _CANONICAL_REF.search(cell), _VALUE_TEXT.search(cell)
            if ref and value and int(ref.group(2)) > 0:
                position = (int(ref.group(2)) - 1, _column_number(ref.group(1).decode()) - 1)
                self.errors[position] = html.unescape(value.group(1).decode("utf-8", "replace"))


_REF = re.compile(r"([A-Za-z]{1,7})([0-9]{1,15})")


class _ExactSheetScan(_ExpatPass):
    """Replays calamine's cell positioning over a worksheet and measures the box of non-empty cells.

    Written for speed (about a microsecond per element): it runs on every cell of the sheets the
    fast scan could not prove safe, and on every .ods.
    """

    def __init__(self, name: str, member: str, sheet: str, limits: Limits, shared_lengths: list[int]) -> None:
        super().__init__(name, member)
        self.sheet = sheet
        self.limits = limits
        self.shared_lengths = shared_lengths
        self.row = 0  # calamine's row_index and col_index, which place cells without a reference
        self.column = 0
        self.cell_row = -1  # the open cell, -1 when none
        self.cell_type = ""
        self.in_value = 0
        self.has_value = False
        self.value: list[str] = []
        self.rows = 0  # the box so far: 1 + the largest row and column of a non-empty cell
        self.columns = 0
        self.text_length = 0
        self.errors: dict[tuple[int, int], str] = {}
        self.column_numbers: dict[str, int] = {}

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag[tag.rfind(":") + 1 :]
        if local == "c":
            reference = attrs.get("r")
            if reference is None:
                self.cell_row = self.row
            else:
                self.cell_row, self.column = self._reference(reference)
            self.cell_type = attrs.get("t", "")
            self.has_value = False
            if self.cell_type:
                self.value = []
        elif local == "v" or local == "is":
            if self.cell_row >= 0:
                self.in_value += 1
        elif local == "row" and "r" in attrs:
            self.row = self._row_number(attrs["r"]) - 1

    def text(self, data: str) -> None:
        if self.in_value:
            self.has_value = True
            if self.cell_type:
                self.value.append(data)

    def end(self, tag: str) -> None:
        local = tag[tag.rfind(":") + 1 :]
        if local == "c":
            if self.cell_row >= 0:
                if self.has_value:
                    self._count()
                self.cell_row = -1
                self.column += 1
        elif local == "v" or local == "is":
            if self.in_value:
                self.in_value -= 1
        elif local == "row":
            self.row += 1
            self.column = 0

    def _count(self) -> None:
        row, column = self.cell_row, self.column
        if row >= self.rows or column >= self.columns:
            self.rows = max(self.rows, row + 1)
            self.columns = max(self.columns, column + 1)
            _check_box(self.name, self.sheet, self.rows, self.columns, self.limits)
        if self.cell_type == "s":
            index = "".join(self.value).strip()
            if index.isascii() and index.isdigit() and int(index) < len(self.shared_lengths):
                self.text_length += self.shared_lengths[int(index)]
                if self.text_length > self.limits.max_inflated_bytes:
                    _raise_text_amplification(self.name, self.sheet, self.limits)
        elif self.cell_type == "e":
            self.errors[(row, column)] = "".join(self.value).strip()

    def _row_number(self, value: str) -> int:
        if not (value.isascii() and value.isdigit()) or int(value) == 0:
            self._bad_reference(value)
        return int(value) if len(value) <= 15 else _HUGE

    def _reference(self, value: str) -> tuple[int, int]:
        """(row, column), 0-based, of a reference like "B7"; very long ones are simply huge."""
        match = _REF.fullmatch(value)
        if not match:
            if re.fullmatch(r"[A-Za-z]+[0-9]+", value):
                return _HUGE, _HUGE
            self._bad_reference(value)
        letters, digits = match.groups()
        column = self.column_numbers.get(letters)
        if column is None:
            column = self.column_numbers[letters] = _column_number(letters) - 1
        row = int(digits)
        if row == 0:
            self._bad_reference(value)
        return row - 1, column

    def _bad_reference(self, value: str) -> None:
        raise CorruptFileError(
            f"{self.name} is damaged (sheet '{self.sheet}' has the cell reference {value[:20]!r}, which is not"
            " valid): open it in Excel, save it again and upload the new file"
        )
