""".ods guards: encryption, the content scan of every table, and DOCTYPE refusal in every other XML part.

The content scan counts ``number-rows-repeated``/``number-columns-repeated`` the way calamine
expands them, so a table's box and the text it expands to are measured before calamine reads it.
"""

from __future__ import annotations

from ..errors import CorruptFileError, EncryptedWorkbookError
from .archive import _Archive, _drain_checking_doctype, _ExpatPass, _inflate, _read_small_part
from .limits import _HUGE, Limits, _check_box, _raise_text_amplification, _raise_too_many_sheets

_ODS_VALUE_ATTRIBUTES = {"value", "string-value", "date-value", "time-value", "boolean-value", "value-type", "formula"}


class _OdsContentScan(_ExpatPass):
    """Replays calamine's reading of .ods tables, repeats included, and measures each table's box.

    A cell counts as filled when it has a value or formula attribute (calamine's rule) or any
    content. The bytes a cell spans bound the text it holds, so text nodes need no callback.
    """

    reads_text = False

    def __init__(self, name: str, member: str, limits: Limits) -> None:
        super().__init__(name, member)
        self.limits = limits
        self.tables = 0
        self.table_depth = 0
        self.cell_depth = 0
        self._start_table("")

    def _start_table(self, table: str) -> None:
        self.table = table
        self.row_position = 0  # rows so far, repeats expanded
        self.rows = 0
        self.columns = 0
        self.text_length = 0
        self.row_repeat = 1
        self.column_position = 0
        self.row_filled_to = 0
        self.row_text = 0
        self.cell_repeat = 1
        self.cell_filled = False
        self.cell_text = 0
        self.cell_start = 0

    def _number(self, attrs: dict[str, str], attribute: str) -> int:
        for key, value in attrs.items():
            if key.rpartition(":")[2] == attribute:
                if not (value.isascii() and value.isdigit()):
                    raise CorruptFileError(
                        f"{self.name} is damaged (table '{self.table}' repeats something {value[:20]!r} times):"
                        " open it in LibreOffice, save it again and upload the new file"
                    )
                return int(value) if len(value) <= 15 else _HUGE
        return 1

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag[tag.rfind(":") + 1 :]
        if self.cell_depth:  # calamine skips whatever a cell holds, except its text
            self.cell_depth += 1
            self.cell_filled = True  # calamine needs a value attribute; counting a <text:p> too is safer
            if local == "s":  # <text:s text:c="N"/> stands for N spaces
                self.cell_text += self._number(attrs, "c")
            return
        if local == "table":
            if not self.table_depth:
                self.tables += 1
                if self.tables > self.limits.max_sheets:
                    _raise_too_many_sheets(self.name, self.tables, self.limits)
                self._start_table(next((v for k, v in attrs.items() if k.rpartition(":")[2] == "name"), ""))
            self.table_depth += 1
        elif not self.table_depth:
            return
        elif local == "table-row":
            self.row_repeat = self._number(attrs, "number-rows-repeated")
            self.column_position = 0
            self.row_filled_to = 0
            self.row_text = 0
        elif local == "table-cell" or local == "covered-table-cell":
            self.cell_repeat, self.cell_filled, self.cell_text = 1, False, 0
            for key, value in attrs.items():
                attribute = key[key.rfind(":") + 1 :]
                if attribute == "number-columns-repeated":
                    self.cell_repeat = self._number(attrs, attribute)
                elif attribute in _ODS_VALUE_ATTRIBUTES:
                    self.cell_filled = True
                    self.cell_text += len(value)
            self.cell_depth = 1
            self.cell_start = self.parser.CurrentByteIndex

    def end(self, tag: str) -> None:
        if self.cell_depth:
            self.cell_depth -= 1
            if not self.cell_depth:
                self.cell_text += self.parser.CurrentByteIndex - self.cell_start
                self._end_cell()
            return
        local = tag[tag.rfind(":") + 1 :]
        if local == "table" and self.table_depth:
            self.table_depth -= 1
        elif local == "table-row" and self.table_depth:
            self._end_row()

    def _end_cell(self) -> None:
        # calamine keeps trailing empty cells and rows out of the grid, so only filled ones count.
        if self.cell_filled:
            self.row_filled_to = self.column_position + self.cell_repeat
            self.row_text += self.cell_text * self.cell_repeat
            if self.row_filled_to > self.limits.max_columns:
                _check_box(self.name, self.table, self.row_position + 1, self.row_filled_to, self.limits)
        self.column_position += self.cell_repeat

    def _end_row(self) -> None:
        if self.row_filled_to:
            self.rows = self.row_position + self.row_repeat
            self.columns = max(self.columns, self.row_filled_to)
            _check_box(self.name, self.table, self.rows, self.columns, self.limits)
            self.text_length += self.row_text * self.row_repeat
            if self.text_length > self.limits.max_inflated_bytes:
                _raise_text_amplification(self.name, self.table, self.limits)
        self.row_position += self.row_repeat


def _guard_ods(archive: _Archive) -> dict[str, dict[tuple[int, int], str]]:
    name, by_name = archive.name, archive.by_name
    if b"encryption-data" in _read_small_part(archive, "META-INF/manifest.xml"):
        raise EncryptedWorkbookError(
            f"{name} is password-protected: in LibreOffice use File → Save As with 'Save with password' unticked,"
            " then upload the new file"
        )
    if "content.xml" not in by_name:
        raise CorruptFileError(f"{name} is damaged (it has no content.xml): open it in LibreOffice and save it again")
    _OdsContentScan(name, "content.xml", archive.limits).run(_inflate(archive, by_name["content.xml"]))
    for member, info in by_name.items():
        if member not in ("content.xml", "META-INF/manifest.xml", "mimetype") and member.lower().endswith(".xml"):
            _drain_checking_doctype(archive, info)
    return {}
