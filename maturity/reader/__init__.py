"""Turn untrusted file bytes (an upload, or a path from the command line) into raw sheets.

Every guard gapmap has against hostile or broken files lives in this package; nothing downstream
sees bytes. ``read_workbook`` returns a ``RawWorkbook`` or raises a ``GapmapError`` subclass whose
one-line message says what is wrong, where, and how to fix it.

The guards, in the order they run (defaults from ``Limits``):

* **Size.** Over ``max_file_bytes`` (50 MiB) is refused before anything is parsed; a path is
  measured with ``stat`` first. An empty file is refused.
* **Format by magic bytes, extension second.** Zip → .xlsx/.xlsm or .ods (xlsb, docx, pptx and
  other zips are refused by name); OLE → a password-protected workbook or a legacy .xls, both
  refused; PNG/JPEG/GIF/PDF and archives are named and refused; anything else must decode as text
  and is read as CSV, even when it is called .xlsx (a note says so).
* **Zip bombs.** More than 10,000 members is refused before ``zipfile`` indexes them. Declared
  sizes must sum to at most ``max_inflated_bytes`` (512 MiB) and no member past 1 MiB may declare
  more than ``max_compression_ratio`` (200:1). Then every part calamine may read is inflated here
  in chunks of at most 1 MiB, from the raw deflate stream to its end as calamine's zip reader
  does (Python's zipfile would stop at the declared size), counting what really comes out against
  the same two limits, so lying headers get nowhere.
* **XML entities.** A ``<!DOCTYPE``/``<!ENTITY`` in any inflated XML part is refused: spreadsheets
  never need one, and it is how billion-laughs and external-entity attacks start.
* **The cell grid.** python-calamine builds a dense grid from A1 (we keep the leading blank area so
  row numbers stay true) to the last non-empty cell, and an allocation it cannot make aborts the
  whole process (SIGABRT, uncatchable): a 2-cell sheet holding A1 and XFD1048576 asks for 512 GiB.
  So every XML part is scanned *before* calamine sees it. A fast regex pass proves that each cell
  element carries its own reference and that every ``r`` attribute, in any syntax, lies in a
  rectangle within ``max_rows`` (1.1 M), ``max_columns`` (2,000) and ``max_cells`` (10 M).
  Whatever it cannot prove (a far reference, a cell without ``r``, namespace prefixes) goes to an
  exact pass with expat that replays calamine's positioning and measures the real box of
  non-empty cells. An .ods ``content.xml`` always gets the exact pass, which counts
  ``number-rows-repeated``/``number-columns-repeated`` the way calamine expands them.
* **Text amplification.** calamine copies a shared string into every cell using it, and an .ods
  cell into every repeat: the text a sheet expands to must stay within ``max_inflated_bytes``. A
  shared-strings part declaring far more strings than it holds (calamine reserves room for all of
  them up front, ~100 GB for a lie of 4 billion) is refused.
* **Sheets.** More than ``max_sheets`` (200) is refused; chart sheets are skipped with a note.

Cells come back as calamine gives them (str, float, bool, date/datetime/time/timedelta; whole
numbers are floats), blanks as ``None``, and Excel error cells (``#REF!``, ``#N/A``…) as their
text, which calamine itself drops. A merged range keeps its value in its top-left cell only.

One module per idea: format detection and dispatch are here; ``archive`` checks and inflates zip
containers and refuses DOCTYPEs; ``xlsx`` finds an .xlsx's sheets and shared strings, ``sheetscan``
proves each sheet's grid fits, ``ods`` scans an .ods's tables; ``cells`` reads with calamine and
puts error cells back; ``text`` reads CSV; ``limits`` holds ``Limits`` and the shared refusals.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..errors import (
    CorruptFileError,
    EncryptedWorkbookError,
    LimitExceededError,
    UnreadableFileError,
    UnsupportedFormatError,
)
from .archive import _Archive, _inflate, _open_archive
from .cells import RawSheet, RawWorkbook, _read_with_calamine
from .limits import _MIB, Limits
from .ods import _guard_ods
from .text import _read_text
from .xlsx import _guard_xlsx

__all__ = ["Limits", "RawSheet", "RawWorkbook", "read_workbook"]


def read_workbook(
    source: bytes | str | os.PathLike,
    filename: str | None = None,
    limits: Limits = Limits(),  # noqa: B008 - Limits is a frozen dataclass: one shared default is safe
    meanwhile: Callable[[], object] | None = None,
) -> RawWorkbook:
    """Read an .xlsx/.xlsm, .ods or .csv/.tsv/.txt file into raw sheets, after every safety check.

    ``source`` is the file's bytes (an upload) or a path (the command line); ``filename`` names the
    file in messages and notes, and defaults to the path's name, or "upload" for bytes.
    Returns a ``RawWorkbook``. Raises ``LimitExceededError``, ``UnsupportedFormatError``,
    ``EncryptedWorkbookError``, ``CorruptFileError`` or ``UnreadableFileError`` (all ``GapmapError``)
    when the file cannot be used, and nothing else for bad input.

    ``meanwhile``, when given, is called once on this thread before the workbook is returned: for a
    spreadsheet, once the guards have passed, while calamine reads it on a second thread (it lets go
    of the interpreter as it parses). The command line imports the engine then. Its exceptions are
    raised here, after the reading stopped.
    """
    data, name = _load(source, filename, limits)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, name, limits, meanwhile)
    if data.startswith(_OLE_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise EncryptedWorkbookError(
                f"{name} is password-protected: remove the password in Excel (File → Info → Protect Workbook"
                " → Encrypt with Password, clear it), save, and upload it again"
            )
        raise UnsupportedFormatError(
            f"{name} is an Excel 97-2003 .xls file (or another legacy Office file): open it in Excel, save it"
            " as .xlsx (File → Save As → Excel Workbook) and upload that"
        )
    for magic, what in _FOREIGN_MAGIC:
        if data.startswith(magic):
            raise UnsupportedFormatError(
                f"{name} is {what}, not a spreadsheet: upload the assessment as .xlsx, .ods or .csv"
            )
    workbook = _read_text(data, name, limits)
    if meanwhile is not None:
        meanwhile()  # after: Python's csv module holds the interpreter, and a refused file need not wait
    return workbook


# --------------------------------------------------------------------------------------------------
# Loading and format detection


_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FOREIGN_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
)


def _load(source: bytes | str | os.PathLike, filename: str | None, limits: Limits) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        name = filename or "upload"
    else:
        path = Path(source)
        name = filename or path.name
        try:
            size = path.stat().st_size
            if size > limits.max_file_bytes:
                _raise_too_big(name, size, limits)
            with path.open("rb") as handle:
                data = handle.read(limits.max_file_bytes + 1)
        except OSError as exc:
            raise UnreadableFileError(
                f"{name} cannot be opened ({exc.strerror or exc}): check the path and try again"
            ) from exc
    if len(data) > limits.max_file_bytes:
        _raise_too_big(name, len(data), limits)
    if not data:
        raise UnreadableFileError(f"{name} is empty (0 bytes): export the assessment again and upload the new file")
    return data, name


def _raise_too_big(name: str, size: int, limits: Limits) -> None:
    raise LimitExceededError(
        f"{name} is {size / _MIB:.1f} MiB, over gapmap's limit of {limits.max_file_bytes / _MIB:.0f} MiB:"
        " delete unused sheets, images and pivot caches (or save just the assessment table) and upload it again"
    )


# --------------------------------------------------------------------------------------------------
# Zip containers: .xlsx / .xlsm / .ods


def _read_zip(data: bytes, name: str, limits: Limits, meanwhile: Callable[[], object] | None) -> RawWorkbook:
    archive = _open_archive(data, name, limits)
    kind = _zip_kind(archive)
    errors = _guard_xlsx(archive) if kind == "xlsx" else _guard_ods(archive)
    if meanwhile is None:
        return _read_with_calamine(data, name, kind, limits, errors)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="gapmap-read") as pool:
        reading = pool.submit(_read_with_calamine, data, name, kind, limits, errors)
        meanwhile()  # should it raise, leaving the block waits for the reading to end first
        return reading.result()


def _zip_kind(archive: _Archive) -> str:
    name, by_name = archive.name, archive.by_name
    is_ods = False
    if "mimetype" in by_name and by_name["mimetype"].compress_size <= 200:
        mimetype = b"".join(_inflate(archive, by_name["mimetype"]))[:200].strip()
        if mimetype == b"application/vnd.oasis.opendocument.spreadsheet":
            is_ods = True
        elif mimetype.startswith(b"application/vnd.oasis.opendocument."):
            what = mimetype.rsplit(b".", 1)[-1].decode("ascii", "replace")
            raise UnsupportedFormatError(
                f"{name} is an OpenDocument {what} file, not a spreadsheet: upload the assessment as .ods or .xlsx"
            )
    is_xlsx = "xl/workbook.xml" in by_name
    # calamine tries xlsx, then xlsb, then ods on the same bytes: exactly one may be possible, or it
    # could fall back to parts we never checked.
    if "xl/workbook.bin" in by_name:
        raise UnsupportedFormatError(
            f"{name} is an Excel binary workbook (.xlsb): open it in Excel, save it as .xlsx and upload that"
        )
    if is_xlsx and (is_ods or "content.xml" in by_name):
        raise CorruptFileError(f"{name} mixes Excel and OpenDocument parts: save it again from one program")
    if is_xlsx:
        return "xlsx"
    if is_ods:
        return "ods"
    for marker, what in (("word/document.xml", "a Word document"), ("ppt/presentation.xml", "a PowerPoint file")):
        if marker in by_name:
            raise UnsupportedFormatError(
                f"{name} is {what}, not a spreadsheet: upload the assessment as .xlsx, .ods or .csv"
            )
    raise UnsupportedFormatError(
        f"{name} is a zip archive but not a spreadsheet (no Excel workbook or OpenDocument content inside):"
        " upload the .xlsx, .ods or .csv file itself"
    )
