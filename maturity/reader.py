"""Turn untrusted file bytes (an upload, or a path from the command line) into raw sheets.

Every guard gapmap has against hostile or broken files lives in this module; nothing downstream
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
"""

from __future__ import annotations

import codecs
import csv
import html
import io
import itertools
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.parsers import expat

import pandas as pd
import python_calamine
from defusedxml import ElementTree as SafeElementTree

from .errors import (
    CorruptFileError,
    EncryptedWorkbookError,
    LimitExceededError,
    UnreadableFileError,
    UnsupportedFormatError,
)

__all__ = ["Limits", "RawSheet", "RawWorkbook", "read_workbook"]

_MIB = 1024**2
_CHUNK = _MIB
_MAX_ZIP_MEMBERS = 10_000
_MAX_RUN_WITHOUT_TAG = 16 * _MIB  # that much XML without a '>' is not a spreadsheet part
_HUGE = 1 << 62  # stands for "a number too large to matter"


@dataclass(frozen=True)
class Limits:
    """Safety limits for reading one file; the defaults suit a real assessment with room to spare."""

    max_file_bytes: int = 50 * 1024**2  # 50 MiB on disk
    max_inflated_bytes: int = 512 * 1024**2  # total uncompressed zip members actually inflated
    max_compression_ratio: int = 200  # per member, applied when the member inflates past 1 MiB
    max_sheets: int = 200
    max_rows: int = 1_100_000  # per sheet
    max_columns: int = 2_000  # per sheet
    max_cells: int = 10_000_000  # rows*columns of a sheet's bounding box: 1 M rows × 10 columns


@dataclass(frozen=True)
class RawSheet:
    """One sheet as a grid of raw cell values.

    ``cells`` has ``header=None`` semantics: dtype object, columns ``0..n-1``, index ``0..m-1``, and
    ``cells.index[i] + 1`` is the row number Excel shows (or the CSV line number). Leading blank rows
    and columns are kept, so those numbers are true.
    """

    name: str
    cells: pd.DataFrame
    hidden: bool = False  # hidden or very hidden in the workbook


@dataclass(frozen=True)
class RawWorkbook:
    """Every sheet of one file, plus notes a user should know about how it was read."""

    filename: str
    kind: str  # "xlsx" | "ods" | "csv"
    sheets: tuple[RawSheet, ...]
    notes: tuple[str, ...] = ()  # e.g. "decoded as cp1252", "sheet 'X' is hidden"


def read_workbook(
    source: bytes | str | os.PathLike,
    filename: str | None = None,
    limits: Limits = Limits(),
) -> RawWorkbook:
    """Read an .xlsx/.xlsm, .ods or .csv/.tsv/.txt file into raw sheets, after every safety check.

    ``source`` is the file's bytes (an upload) or a path (the command line); ``filename`` names the
    file in messages and notes, and defaults to the path's name, or "upload" for bytes.
    Returns a ``RawWorkbook``. Raises ``LimitExceededError``, ``UnsupportedFormatError``,
    ``EncryptedWorkbookError``, ``CorruptFileError`` or ``UnreadableFileError`` (all ``GapmapError``)
    when the file cannot be used, and nothing else for bad input.
    """
    data, name = _load(source, filename, limits)
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _read_zip(data, name, limits)
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
    return _read_text(data, name, limits)


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
_TEXT_SUFFIXES = {"", ".csv", ".tsv", ".txt"}
_SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


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


def _short(exc: BaseException) -> str:
    text = str(exc).strip()
    return (text.splitlines()[0] if text else type(exc).__name__)[:120]


# --------------------------------------------------------------------------------------------------
# Zip containers: .xlsx / .xlsm / .ods


@dataclass
class _Archive:
    """A zip container being checked: its bytes, its members, and how much has really been inflated."""

    name: str
    limits: Limits
    data: bytes
    by_name: dict[str, zipfile.ZipInfo]
    inflated: int = 0


def _read_zip(data: bytes, name: str, limits: Limits) -> RawWorkbook:
    members = _check_zip_end(data, name)
    if members > _MAX_ZIP_MEMBERS:
        _raise_too_many_members(name, members)
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # BadZipFile, NotImplementedError ("zip file version 12.9"), ValueError, ...
        _raise_broken_zip(name, _short(exc), exc)
    if len(infos) > _MAX_ZIP_MEMBERS:
        _raise_too_many_members(name, len(infos))
    by_name = {info.filename: info for info in infos}
    if len(by_name) != len(infos):  # calamine's zip reader might open the twin we did not check
        _raise_broken_zip(name, "two of its parts share a name")
    archive = _Archive(name, limits, data, by_name)
    _check_declared_sizes(archive)
    kind = _zip_kind(archive)
    errors = _guard_xlsx(archive) if kind == "xlsx" else _guard_ods(archive)
    return _read_with_calamine(data, name, kind, limits, errors)


def _raise_broken_zip(name: str, what: str, cause: BaseException | None = None) -> None:
    raise CorruptFileError(
        f"{name} is damaged (its zip container is broken: {what}): open it in Excel or LibreOffice, save it again"
        " and upload the new file"
    ) from cause


def _check_zip_end(data: bytes, name: str) -> int:
    """The entry count, once the archive's end shows there is only one way to read it.

    Python's zipfile (which the guards use) and calamine's zip reader must see the same parts, so the
    end-of-central-directory record must be the only one, at the very end, right after a central
    directory that starts where it says: no prepended data, no second directory hidden in a comment.
    """
    tail_start = max(0, len(data) - 65_557)
    at = data.rfind(b"PK\x05\x06", tail_start)
    if at < 0 or at + 22 > len(data):
        _raise_broken_zip(name, "it is truncated")
    ends = [  # every record that could be the end: it, and its comment, reach exactly to the last byte
        position
        for position in _find_all(data, b"PK\x05\x06", tail_start)
        if position + 22 <= len(data) and position + 22 + struct.unpack_from("<H", data, position + 20)[0] == len(data)
    ]
    if ends != [at]:
        _raise_broken_zip(name, "its end record is ambiguous" if ends else "unexpected bytes after its end")
    entries, directory_size, directory_start = struct.unpack_from("<HII", data, at + 10)
    if entries == 0xFFFF or 0xFFFFFFFF in (directory_size, directory_start):  # zip64: the real sizes are elsewhere
        locator = at - 20
        if locator < 0 or data[locator : locator + 4] != b"PK\x06\x07":
            _raise_broken_zip(name, "its zip64 end is missing")
        record = struct.unpack_from("<Q", data, locator + 8)[0]
        if (
            data[record : record + 4] != b"PK\x06\x06"
            or record + 12 + struct.unpack_from("<Q", data, record + 4)[0] != locator
        ):
            _raise_broken_zip(name, "its zip64 end is misplaced")
        entries, directory_size, directory_start = struct.unpack_from("<QQQ", data, record + 32)
        at = record
    if directory_start + directory_size != at:
        _raise_broken_zip(name, "its central directory is not where it says")
    return entries


def _find_all(data: bytes, needle: bytes, start: int) -> Iterator[int]:
    at = data.find(needle, start)
    while at >= 0:
        yield at
        at = data.find(needle, at + 1)


def _raise_too_many_members(name: str, count: int) -> None:
    raise LimitExceededError(
        f"{name} holds {count:,} files inside its zip container, far more than any spreadsheet:"
        " save it again from Excel or LibreOffice and upload the new file"
    )


def _check_declared_sizes(archive: _Archive) -> None:
    name, limits = archive.name, archive.limits
    declared = sum(info.file_size for info in archive.by_name.values())
    if declared > limits.max_inflated_bytes:
        raise LimitExceededError(
            f"{name} would expand to {declared / _MIB:,.0f} MiB when unzipped, over gapmap's limit of"
            f" {limits.max_inflated_bytes / _MIB:,.0f} MiB: remove unused sheets and images, or upload the table as CSV"
        )
    for info in archive.by_name.values():
        if info.file_size > _MIB and info.file_size > limits.max_compression_ratio * max(info.compress_size, 1):
            _raise_bomb(name, info.filename, info.file_size // max(info.compress_size, 1))


def _raise_bomb(name: str, member: str, ratio: int) -> None:
    raise LimitExceededError(
        f"{name} looks like a zip bomb (its part {member} expands {ratio:,}:1, far beyond any real spreadsheet):"
        " save it again from Excel or LibreOffice, or upload the table as CSV"
    )


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


def _inflate(archive: _Archive, info: zipfile.ZipInfo, count: bool = True) -> Iterator[bytes]:
    """Yield one member's bytes in chunks of at most 1 MiB, stopping as soon as a limit is crossed.

    A deflated member is inflated to the end of its stream whatever size its headers declare,
    because that is what calamine's zip reader will do.
    """
    name, limits = archive.name, archive.limits
    if info.flag_bits & 0x1:
        raise EncryptedWorkbookError(
            f"{name} is password-protected inside its zip container: save it again without a password and upload it"
        )
    start = _member_start(archive, info)
    if info.compress_type == zipfile.ZIP_STORED:
        stop = min(len(archive.data), start + info.compress_size)
        pieces = ((archive.data[at : min(at + _CHUNK, stop)], at + _CHUNK - start) for at in range(start, stop, _CHUNK))
    elif info.compress_type == zipfile.ZIP_DEFLATED:
        pieces = _raw_inflate(memoryview(archive.data)[start:], name, info.filename)
    else:
        raise CorruptFileError(
            f"{name} stores {info.filename} with a compression method spreadsheets never use"
            f" ({info.compress_type}): save it again from Excel or LibreOffice and upload the new file"
        )
    produced = 0
    for piece, consumed in pieces:
        if count:
            produced += len(piece)
            archive.inflated += len(piece)
            if archive.inflated > limits.max_inflated_bytes:
                raise LimitExceededError(
                    f"{name} expands to more than {limits.max_inflated_bytes / _MIB:,.0f} MiB when unzipped, over"
                    " gapmap's limit: remove unused sheets and images, or upload the table as CSV"
                )
            compressed = max(info.compress_size, consumed, 1)
            if produced > _MIB and produced > limits.max_compression_ratio * compressed:
                _raise_bomb(name, info.filename, produced // compressed)
        yield piece


def _member_start(archive: _Archive, info: zipfile.ZipInfo) -> int:
    """Offset of a member's data, past its local header (whose name and extra lengths are its own)."""
    at = info.header_offset
    header = archive.data[at : at + 30]
    if len(header) < 30 or header[:4] != b"PK\x03\x04":
        raise CorruptFileError(
            f"{archive.name} is damaged (the zip entry of {info.filename} is broken): open it in Excel or"
            " LibreOffice, save it again and upload the new file"
        )
    flags, method = struct.unpack_from("<HH", header, 6)
    name_length, extra_length = struct.unpack_from("<HH", header, 26)
    local_name = archive.data[at + 30 : at + 30 + name_length]
    central_name = info.orig_filename.encode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace")
    # Readers disagree on which header to trust when the two differ: make sure they do not differ.
    if method != info.compress_type or (flags ^ info.flag_bits) & 0x1 or local_name != central_name:
        _raise_broken_zip(archive.name, f"the two headers of {info.filename} disagree")
    return at + 30 + name_length + extra_length


def _raw_inflate(compressed: memoryview, name: str, member: str) -> Iterator[tuple[bytes, int]]:
    """Inflate a raw deflate stream to its end in bounded steps; yields (bytes, compressed bytes used)."""
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    position = 0
    try:
        while not inflater.eof:
            if inflater.unconsumed_tail:
                piece = inflater.decompress(inflater.unconsumed_tail, _CHUNK)
            elif position < len(compressed):
                step = compressed[position : position + 65_536]  # small steps keep unconsumed_tail short
                position += len(step)
                piece = inflater.decompress(step, _CHUNK)
            else:
                return  # cut short: calamine will report the damage
            if piece:
                yield piece, position - len(inflater.unconsumed_tail)
    except zlib.error as exc:
        raise CorruptFileError(
            f"{name} is damaged ({member} does not inflate: {_short(exc)}): open it in Excel or LibreOffice,"
            " save it again and upload the new file"
        ) from exc


_DOCTYPE = re.compile(rb"<!\s*(?i:doctype|entity)")


def _refuse_doctype(name: str, member: str) -> None:
    raise CorruptFileError(
        f"{name} contains an XML DOCTYPE in {member}, which spreadsheets never need, so gapmap refused it:"
        " save the workbook again from Excel or LibreOffice and upload the new file"
    )


def _drain_checking_doctype(archive: _Archive, info: zipfile.ZipInfo) -> None:
    tail = b""
    for chunk in _inflate(archive, info):
        window = tail + chunk
        if b"<!" in window and _DOCTYPE.search(window):
            _refuse_doctype(archive.name, info.filename)
        tail = window[-32:]


def _read_small_part(archive: _Archive, member: str) -> bytes:
    if member not in archive.by_name:
        return b""
    data = b"".join(_inflate(archive, archive.by_name[member]))
    if b"<!" in data and _DOCTYPE.search(data):
        _refuse_doctype(archive.name, member)
    return data


# --------------------------------------------------------------------------------------------------
# .xlsx guards


# Every part that looks like XML gets the worksheet scan (for styles, themes and the like it passes
# at once), so nothing depends on how calamine resolves a sheet's path from the relationships.
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def _looks_like_xml(first_chunk: bytes) -> bool:
    if first_chunk.startswith(_BOMS):
        return True
    return first_chunk[:4096].lstrip().startswith(b"<")


def _guard_xlsx(archive: _Archive) -> dict[str, dict[tuple[int, int], str]]:
    """Run every xlsx check; returns the Excel error cells calamine drops, by sheet name."""
    name, limits, by_name = archive.name, archive.limits, archive.by_name
    sheets = _workbook_sheets(_read_small_part(archive, "xl/workbook.xml"), name)
    if len(sheets) > limits.max_sheets:
        _raise_too_many_sheets(name, len(sheets), limits)
    targets = _relationship_targets(_read_small_part(archive, "xl/_rels/workbook.xml.rels"), name)
    done = {"xl/workbook.xml", "xl/_rels/workbook.xml.rels"}

    shared_members = {"xl/sharedStrings.xml"}
    for target, relationship in targets.values():
        if relationship.endswith("/sharedStrings"):
            shared_members.update(_resolve(target, by_name))
    shared_lengths: list[int] = []  # the longest candidate at each index, whichever part calamine picks
    for member in sorted(shared_members & by_name.keys()):
        lengths = _scan_shared_strings(archive, by_name[member])
        shared_lengths = [max(pair) for pair in itertools.zip_longest(shared_lengths, lengths, fillvalue=0)]
    done |= shared_members

    sheet_of_member: dict[str, str] = {}
    for sheet, relationship_id in sheets:
        for member in _resolve(targets.get(relationship_id, ("", ""))[0], by_name):
            sheet_of_member.setdefault(member, sheet)
    errors: dict[str, dict[tuple[int, int], str]] = {}
    for member, info in by_name.items():
        if (member in done and member not in sheet_of_member) or member.endswith("/"):
            continue  # parsed above; but a relationship may point a sheet at any part, so those are scanned
        cell_errors = _scan_worksheet(archive, info, sheet_of_member.get(member, member), shared_lengths)
        if member in sheet_of_member:
            errors[sheet_of_member[member]] = cell_errors
    return errors


def _local(tag: str) -> str:
    return tag.rpartition("}")[2].rpartition(":")[2]


def _parse_part(data: bytes, name: str, member: str) -> list:
    try:
        return list(SafeElementTree.fromstring(data).iter())
    except Exception as exc:  # defusedxml raises ParseError and its own ValueError subclasses
        raise CorruptFileError(
            f"{name} is damaged ({member} is not valid XML: {_short(exc)}): open it in Excel, save it again"
            " and upload the new file"
        ) from exc


def _workbook_sheets(workbook_xml: bytes, name: str) -> list[tuple[str, str]]:
    """(sheet name, relationship id) in workbook order, as calamine lists them."""
    if not workbook_xml:
        return []
    sheets = []
    for element in _parse_part(workbook_xml, name, "xl/workbook.xml"):
        if _local(element.tag) == "sheet":
            relationship_id = next((value for key, value in element.attrib.items() if _local(key) == "id"), "")
            sheets.append((element.attrib.get("name", ""), relationship_id))
    return sheets


def _relationship_targets(rels_xml: bytes, name: str) -> dict[str, tuple[str, str]]:
    if not rels_xml:
        return {}
    targets = {}
    for element in _parse_part(rels_xml, name, "xl/_rels/workbook.xml.rels"):
        if _local(element.tag) == "Relationship" and element.attrib.get("TargetMode") != "External":
            targets[element.attrib.get("Id", "")] = (element.attrib.get("Target", ""), element.attrib.get("Type", ""))
    return targets


def _resolve(target: str, by_name: dict[str, zipfile.ZipInfo]) -> list[str]:
    """Every archive member a relationship target could mean; calamine's own rule is among them."""
    if not target:
        return []
    stripped = target.lstrip("/")
    candidates = {stripped, "xl/" + stripped, os.path.normpath("xl/" + target).replace(os.sep, "/")}
    return sorted(candidate for candidate in candidates if candidate in by_name)


def _raise_too_many_sheets(name: str, count: int, limits: Limits) -> None:
    raise LimitExceededError(
        f"{name} has {count:,} sheets, over gapmap's limit of {limits.max_sheets:,}: copy the assessment sheets"
        " into a new workbook and upload that"
    )


class _ExpatPass:
    """Feed one XML part to expat with DTDs refused; subclasses handle the elements."""

    reads_text = True  # False spares a callback per text node

    def __init__(self, name: str, member: str) -> None:
        self.name = name
        self.member = member
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self.start
        self.parser.EndElementHandler = self.end
        if self.reads_text:
            self.parser.CharacterDataHandler = self.text
        self.parser.StartDoctypeDeclHandler = self._doctype
        self.parser.EntityDeclHandler = self._doctype

    def _doctype(self, *_args: object) -> None:
        _refuse_doctype(self.name, self.member)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        """Handle an element's start tag."""

    def end(self, tag: str) -> None:
        """Handle an element's end tag."""

    def text(self, data: str) -> None:
        """Handle character data."""

    def run(self, chunks: Iterator[bytes]) -> None:
        try:
            for chunk in chunks:
                self.parser.Parse(chunk, False)
            self.parser.Parse(b"", True)
        except (expat.ExpatError, LookupError, UnicodeError) as exc:  # LookupError: an unknown encoding=
            raise CorruptFileError(
                f"{self.name} is damaged ({self.member} is not valid XML: {_short(exc)}): open it in Excel or"
                " LibreOffice, save it again and upload the new file"
            ) from exc


class _SharedStrings(_ExpatPass):
    """Length of every shared string: what calamine copies into each cell that uses it."""

    def __init__(self, name: str, member: str) -> None:
        super().__init__(name, member)
        self.lengths: list[int] = []
        self.declared = 0
        self.depth = 0

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        local = tag.rpartition(":")[2]
        if self.depth:
            self.depth += 1
        elif local == "si":
            self.lengths.append(0)
            self.depth = 1
        elif local == "sst" and re.fullmatch(r"\+?[0-9]{1,30}", attrs.get("uniqueCount", "")):
            self.declared = int(attrs["uniqueCount"])

    def end(self, tag: str) -> None:
        if self.depth:
            self.depth -= 1

    def text(self, data: str) -> None:
        if self.depth:
            self.lengths[-1] += len(data)


def _scan_shared_strings(archive: _Archive, info: zipfile.ZipInfo) -> list[int]:
    scan = _SharedStrings(archive.name, info.filename)
    scan.run(_inflate(archive, info))
    # calamine reserves room for uniqueCount strings before reading one: a lie aborts the process.
    if scan.declared > len(scan.lengths) + 100_000:
        raise CorruptFileError(
            f"{archive.name} is damaged ({info.filename} declares {scan.declared:,} texts but holds"
            f" {len(scan.lengths):,}): open it in Excel, save it again and upload the new file"
        )
    return scan.lengths


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
    fast = _FastSheetScan(name, info.filename, limits, count_values)
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
    rb"<(?:[\w.-]+:)?dimension\b[^>]*?\sref\s*=\s*[\"'](?:[A-Za-z]+[0-9]+:)?([A-Za-z]{1,3})[0-9]+[\"']"
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


_RECTANGLE_PATTERNS: dict[tuple[int, int], re.Pattern[bytes]] = {}


def _outside_rectangle(columns: int, digits: int) -> re.Pattern[bytes]:
    """Regex for every ``r`` attribute, in any syntax, whose value is not a reference inside the
    rectangle of ``columns`` columns by the rows written with at most ``digits`` digits."""
    key = (columns, digits)
    if key not in _RECTANGLE_PATTERNS:
        if digits and columns:
            letters = "[A-Za-z]" if columns == 26 else _at_most_column(columns)
            inside = f"(?:{letters})?[0-9]{{1,{digits}}}"
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

    def __init__(self, name: str, member: str, limits: Limits, count_values: bool) -> None:
        self.name = name
        self.member = member
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
        """(columns, row digits) within every limit, as wide as the sheet's own <dimension> says."""
        limits = self.limits
        hinted = 0
        if match := _DIMENSION.search(first_part.split(b"sheetData", 1)[0]):
            hinted = _column_number(match.group(1).decode())
        columns = min(max(26, hinted), limits.max_columns)
        rows = min(limits.max_rows, limits.max_cells // max(columns, 1))
        return columns, len(str(rows + 1)) - 1  # every number of that many digits is <= rows

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


def _check_box(name: str, sheet: str, rows: int, columns: int, limits: Limits) -> None:
    if rows > limits.max_rows or columns > limits.max_columns or rows * columns > limits.max_cells:
        shown_rows = f"{rows:,}" if rows < _HUGE // 2 else "billions of"
        shown_columns = f"{columns:,}" if columns < _HUGE // 2 else "billions of"
        raise LimitExceededError(
            f"{name}: sheet '{sheet}' spans {shown_rows} rows × {shown_columns} columns from A1 to its last filled"
            f" cell, over gapmap's limits ({limits.max_rows:,} rows, {limits.max_columns:,} columns,"
            f" {limits.max_cells:,} cells): delete stray cells far from the table (Ctrl+End shows the last one)"
            " and upload it again"
        )


def _raise_text_amplification(name: str, sheet: str, limits: Limits) -> None:
    raise LimitExceededError(
        f"{name}: sheet '{sheet}' repeats long texts so often that it would expand past"
        f" {limits.max_inflated_bytes / _MIB:,.0f} MiB of text: shorten the repeated texts and upload it again"
    )


# --------------------------------------------------------------------------------------------------
# .ods guards


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


# --------------------------------------------------------------------------------------------------
# Reading with python-calamine, once the guards have passed


def _calamine(call: Callable[[], object], name: str) -> object:
    try:
        return call()
    except python_calamine.PasswordError as exc:
        raise EncryptedWorkbookError(
            f"{name} is password-protected: remove the password, save, and upload it again"
        ) from exc
    except (python_calamine.CalamineError, ValueError, OverflowError, UnicodeError) as exc:
        raise CorruptFileError(
            f"{name} could not be read ({_short(exc)}): open it in Excel or LibreOffice, save it again and upload"
            " the new file"
        ) from exc
    except BaseException as exc:
        if type(exc).__name__ == "PanicException":  # a Rust panic inside calamine, raised as BaseException
            raise CorruptFileError(
                f"{name} could not be read (the spreadsheet reader gave up on it): open it in Excel or"
                " LibreOffice, save it again and upload the new file"
            ) from exc
        raise


def _read_with_calamine(
    data: bytes, name: str, kind: str, limits: Limits, errors: dict[str, dict[tuple[int, int], str]]
) -> RawWorkbook:
    workbook = _calamine(lambda: python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)), name)
    metadata = _calamine(lambda: workbook.sheets_metadata, name)
    if len(metadata) > limits.max_sheets:
        _raise_too_many_sheets(name, len(metadata), limits)
    sheets: list[RawSheet] = []
    notes: list[str] = []
    for index, meta in enumerate(metadata):
        if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
            notes.append(f"sheet '{meta.name}' is not a worksheet (a chart or macro sheet) and was skipped")
            continue
        sheet = _calamine(lambda index=index: workbook.get_sheet_by_index(index), name)
        rows = _calamine(lambda sheet=sheet: sheet.to_python(skip_empty_area=False), name)
        hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
        if hidden:
            notes.append(f"sheet '{meta.name}' is hidden in the workbook")
        merged = _calamine(lambda sheet=sheet: sheet.merged_cell_ranges, name) if kind == "xlsx" else None
        if merged:
            notes.append(
                f"sheet '{meta.name}' has {len(merged)} merged range(s); each value sits in its range's top-left cell"
            )
        sheets.append(RawSheet(name=meta.name, cells=_grid(rows, errors.get(meta.name, {})), hidden=hidden))
    return RawWorkbook(filename=name, kind=kind, sheets=tuple(sheets), notes=tuple(notes))


def _grid(rows: list[list[object]], errors: dict[tuple[int, int], str]) -> pd.DataFrame:
    cells = pd.DataFrame(rows, dtype=object)
    if cells.size:
        cells = cells.replace("", None)
    for (row, column), value in errors.items():
        if row < cells.shape[0] and column < cells.shape[1]:
            cells.iat[row, column] = value
    return cells


# --------------------------------------------------------------------------------------------------
# Text: CSV / TSV


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
    """The column separator among ',', ';' and tab: csv.Sniffer's pick when the line counts agree."""
    sample = text[:65_536]
    if len(text) > len(sample) and "\n" in sample:
        sample = sample[: sample.rfind("\n")]
    lines = [line for line in sample.splitlines()[:100] if line.strip()]
    if not lines:
        return ","

    def consistency(delimiter: str) -> tuple[float, int]:
        """Share of lines with the most common count of ``delimiter``, and that count."""
        counts = [line.count(delimiter) for line in lines]
        modal = max(set(counts), key=lambda count: (counts.count(count), count))
        return (counts.count(modal) / len(counts) if modal else 0.0), modal

    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(_DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if prefer_tab and consistency("\t")[1]:
        return "\t"
    if sniffed in _DELIMITERS and consistency(sniffed)[0] >= 0.5:
        return sniffed
    best = max(_DELIMITERS, key=consistency)
    return best if consistency(best)[1] else ","


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
