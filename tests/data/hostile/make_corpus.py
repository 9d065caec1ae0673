"""Build gapmap's hostile-file corpus: files an outsider might upload, each with the outcome gapmap promises.

    python tests/data/hostile/make_corpus.py [DIRECTORY] [--case NAME ...] [--force] [--table]

writes every case (default: ``tests/data/hostile/generated/``, git-ignored) and prints its size and
build time. ``CASES`` maps a case name to how it is built and what gapmap must do with it: read it
(``Reads``: so many normalized rows and problem rows, a phrase in the notes or problems) or refuse it
(``Refused``: the error class and a phrase of its one-line message). ``build(name, directory)``
writes one case and returns its path; a file newer than this script is reused, and a file is
written under a temporary name then renamed, so concurrent builders (pytest-xdist workers) and
reruns are safe.

Nothing large is ever held in memory: the 1 GiB zip bomb and the 1,000,000-row sheet are written
as streams of XML through ``zipfile``. The small builders (``xlsx_bytes``, ``sheet_xml``,
``ods_bytes``, the zip patchers...) are shared with ``tests/maturity/test_reader.py``, which builds
its own traps from them.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime as dt
import fcntl
import io
import os
import struct
import sys
import time
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import openpyxl
from msoffcrypto.format.ooxml import OOXMLFile

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # run as a script: the expected outcomes name the engine's error classes
    sys.path.insert(0, str(ROOT))

from maturity.errors import (  # noqa: E402
    CorruptFileError,
    EncryptedWorkbookError,
    GapmapError,
    LimitExceededError,
    UnreadableFileError,
    UnsupportedFormatError,
)

HERE = Path(__file__).resolve().parent
DEFAULT_DIRECTORY = HERE / "generated"

# --------------------------------------------------------------------------------------------------
# Builders of real files, in memory (small) or streamed to a file (large)

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{REL_NS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + "]>"
)
EXTERNAL_ENTITY = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
A1 = '<row r="1"><c r="A1"><v>1</v></c></row>'
FAR = "XFD1048576"  # the last cell Excel has


def sheet_xml(body: str, prolog: str = "", before: str = "", after: str = "") -> str:
    """A worksheet part around ``body`` (the rows inside <sheetData>)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{prolog}'
        f'<worksheet xmlns="{MAIN_NS}">{before}<sheetData>{body}</sheetData>{after}</worksheet>'
    )


A_SHEET = sheet_xml(A1)


def prefixed(body: str) -> str:
    """A worksheet part like :func:`sheet_xml` whose own elements carry an ``x:`` namespace prefix."""
    xml = sheet_xml(body)
    return xml.replace(
        f'<worksheet xmlns="{MAIN_NS}"><sheetData>', f'<x:worksheet xmlns:x="{MAIN_NS}"><x:sheetData>'
    ).replace("</sheetData></worksheet>", "</x:sheetData></x:worksheet>")


def shared_strings_xml(strings: list[str], prolog: str = "", unique_count: int | None = None) -> str:
    count = len(strings) if unique_count is None else unique_count
    items = "".join(f"<si><t>{text}</t></si>" for text in strings)
    return f'<?xml version="1.0"?>{prolog}<sst xmlns="{MAIN_NS}" uniqueCount="{count}">{items}</sst>'


def _workbook_parts(names: list[str], shared: bool, workbook_prolog: str = "") -> dict[str, str]:
    """Every part of an .xlsx but its worksheets (and shared strings): the package, the workbook, its rels."""
    entries = "".join(f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    relationships = "".join(
        f'<Relationship Id="rId{i}" Type="{REL_NS}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(names) + 1)
    )
    if shared:
        relationships += f'<Relationship Id="rIdS" Type="{REL_NS}/sharedStrings" Target="sharedStrings.xml"/>'
    return {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": PACKAGE_RELS,
        "xl/workbook.xml": (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>{workbook_prolog}'
            f'<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}"><sheets>{entries}</sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships '
        f'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relationships}</Relationships>',
    }


def xlsx_bytes(
    *sheets: str,
    names: list[str] | None = None,
    shared: str | None = None,
    workbook_prolog: str = "",
    extra: dict[str, str | bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """A minimal real .xlsx whose worksheet parts are exactly ``sheets``."""
    names = names or [f"S{i}" for i in range(1, len(sheets) + 1)]
    parts: dict[str, str | bytes] = dict(_workbook_parts(names, shared is not None, workbook_prolog))
    parts.update({f"xl/worksheets/sheet{i}.xml": xml for i, xml in enumerate(sheets, 1)})
    if shared is not None:
        parts["xl/sharedStrings.xml"] = shared
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for member, content in parts.items():
            archive.writestr(member, content)
    return buffer.getvalue()


def streamed_xlsx(
    out: BinaryIO, sheet_name: str, sheet_pieces: Iterator[bytes], shared: str | None = None, level: int = 6
) -> None:
    """Write a one-sheet .xlsx to ``out``, its worksheet XML streamed from ``sheet_pieces`` (never all in memory)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for member, content in _workbook_parts([sheet_name], shared is not None).items():
            archive.writestr(member, content)
        if shared is not None:
            archive.writestr("xl/sharedStrings.xml", shared)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN_NS}">'.encode())
            for piece in sheet_pieces:
                sheet.write(piece)
            sheet.write(b"</worksheet>")


ODS_NAMESPACES = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)
ODS_STYLES = (
    "<office:automatic-styles>"
    '<style:style style:name="shown" style:family="table"><style:table-properties table:display="true"/></style:style>'
    '<style:style style:name="hidden" style:family="table"><style:table-properties table:display="false"/>'
    "</style:style></office:automatic-styles>"
)


def ods_cell(value: str | float) -> str:
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods_bytes(tables: str, prolog: str = "", manifest_extra: str = "") -> bytes:
    """A minimal real .ods holding ``tables`` (<table:table> elements)."""
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {ODS_NAMESPACES} office:version="1.2">'
        f"{ODS_STYLES}<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        f'<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml">{manifest_extra}'
        "</manifest:file-entry></manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def ods_content_repeats(rows: int, columns: int, text: str = "<text:p>x</text:p>") -> bytes:
    """An .ods with one cell repeated ``columns`` times across a row repeated ``rows`` times."""
    return ods_bytes(
        f'<table:table table:name="T"><table:table-row table:number-rows-repeated="{rows}">'
        f'<table:table-cell office:value-type="string" table:number-columns-repeated="{columns}">{text}'
        "</table:table-cell></table:table-row></table:table>"
    )


def openpyxl_bytes(build: Callable[[openpyxl.Workbook], None]) -> bytes:
    """The bytes of a real .xlsx that ``build`` fills in (openpyxl, as Excel users' tools write it)."""
    workbook = openpyxl.Workbook()
    build(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def small_real_xlsx() -> bytes:
    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        sheet.append(["Gap analysis"])
        sheet.append([])
        sheet.append(["Practice", "Current", "Target"])
        sheet.append(["CI", 2, 4])
        sheet.append(["Trunk-based development", 1.5, True])

    return openpyxl_bytes(build)


def encrypted_xlsx(password: str = "secret") -> bytes:
    """A real password-protected workbook: a small .xlsx encrypted by msoffcrypto-tool (ECMA-376 agile)."""
    encrypted = io.BytesIO()
    OOXMLFile(io.BytesIO(small_real_xlsx())).encrypt(password, encrypted)
    return encrypted.getvalue()


def zip_of(parts: dict[str, str | bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``parts``; a name may end in ``#tag`` so that two parts can share one name."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns about the duplicate names some traps need
        with zipfile.ZipFile(buffer, "w", compression) as archive:
            for member, content in parts.items():
                archive.writestr(member.split("#")[0], content)
    return buffer.getvalue()


def header_offsets(data: bytes, member: str) -> tuple[int, int]:
    """Offsets of a member's local header and of its central-directory header."""
    local = zipfile.ZipFile(io.BytesIO(data)).getinfo(member).header_offset
    central = data.find(b"PK\x01\x02")
    while central >= 0:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46 : central + 46 + name_length] == member.encode():
            return local, central
        central = data.find(b"PK\x01\x02", central + 4)
    raise AssertionError(f"{member} has no central-directory entry")


def patch_declared_size(data: bytes, member: str, size: int) -> bytes:
    """Rewrite a member's declared uncompressed size in both of its headers."""
    local, central = header_offsets(data, member)
    patched = bytearray(data)
    struct.pack_into("<I", patched, local + 22, size)
    struct.pack_into("<I", patched, central + 24, size)
    return bytes(patched)


def set_encrypted_flag(data: bytes, member: str) -> bytes:
    """Mark a member as encrypted with a zip password (flag bit 0) in both of its headers."""
    local, central = header_offsets(data, member)
    patched = bytearray(data)
    patched[local + 6] |= 1
    patched[central + 8] |= 1
    return bytes(patched)


def needs_zip_version(data: bytes, member: str, version: int) -> bytes:
    """Claim that extracting a member needs zip ``version`` (129 means 12.9, which zipfile refuses)."""
    _local, central = header_offsets(data, member)
    patched = bytearray(data)
    struct.pack_into("<H", patched, central + 6, version)
    return bytes(patched)


def with_comment(data: bytes, comment: bytes) -> bytes:
    """Give the archive a zip comment (its length is the last field of the end record)."""
    return data[:-2] + struct.pack("<H", len(comment)) + comment


def write_repeated_row_sheet(out: BinaryIO, total_bytes: int) -> None:
    """Write an .xlsx whose one sheet holds ``total_bytes`` of a repeated row, compressed as it streams
    (1 GiB of XML is ~3 MB on disk, 340:1)."""
    row = b'<row><c t="inlineStr"><is><t>bomb</t></is></c></row>' * 20_000

    def rows() -> Iterator[bytes]:
        yield b"<sheetData>"
        for _ in range(-(-total_bytes // len(row))):
            yield row
        yield b"</sheetData>"

    streamed_xlsx(out, "S1", rows(), level=9)


def repeated_row_sheet(total_bytes: int) -> bytes:
    """The bytes of :func:`write_repeated_row_sheet`'s workbook."""
    buffer = io.BytesIO()
    write_repeated_row_sheet(buffer, total_bytes)
    return buffer.getvalue()


def minimal_xls(rows: list[list[str | float]]) -> bytes:
    """A real Excel 97-2003 .xls: a BIFF8 Workbook stream (one sheet, a shared-string table) in an OLE2
    compound file written by hand, since no installed library writes .xls."""

    def record(kind: int, body: bytes = b"") -> bytes:
        return struct.pack("<HH", kind, len(body)) + body

    def bof(substream: int) -> bytes:  # BIFF8, 0x0005 workbook globals / 0x0010 worksheet
        return record(0x0809, struct.pack("<HHHHII", 0x0600, substream, 0x0DBB, 0x07CC, 0, 0x06))

    texts = list(dict.fromkeys(v for row in rows for v in row if isinstance(v, str)))
    sst = struct.pack("<II", len(texts), len(texts)) + b"".join(
        struct.pack("<HB", len(t), 0) + t.encode("latin-1") for t in texts
    )
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + struct.pack("<BB", 5, 0) + b"Arial"
    xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)  # one style XF
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)  # one cell XF
    name = b"Assessment"
    # CODEPAGE 1200 (UTF-16) as Excel writes it in BIFF8, then the fonts and cell formats readers expect
    globals_before_sheet = bof(0x0005) + record(0x0042, struct.pack("<H", 1200))
    globals_before_sheet += record(0x0031, font) * 5 + record(0x00E0, xf) * 15 + record(0x00E0, cell_xf)
    boundsheet_length = 4 + 8 + len(name)
    globals_after_sheet = record(0x00FC, sst) + record(0x000A)
    sheet_start = len(globals_before_sheet) + boundsheet_length + len(globals_after_sheet)
    boundsheet = record(0x0085, struct.pack("<IBBBB", sheet_start, 0, 0, len(name), 0) + name)
    cells = b""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells += record(0x00FD, struct.pack("<HHHI", r, c, 15, texts.index(value)))  # LABELSST
            else:
                cells += record(0x0203, struct.pack("<HHHd", r, c, 15, float(value)))  # NUMBER
    width = max(len(row) for row in rows)
    dimensions = record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0))
    stream = globals_before_sheet + boundsheet + globals_after_sheet + bof(0x0010) + dimensions + cells + record(0x000A)
    stream = stream.ljust(4096, b"\x00")  # past the mini-stream cutoff, so it lives in ordinary sectors
    return _compound_file({"Workbook": stream})


def _compound_file(streams: dict[str, bytes]) -> bytes:
    """An OLE2 compound file (version 3, 512-byte sectors) holding ``streams``, each at least 4,096 bytes."""
    sector, end_of_chain, free, fat_sector, no_stream = 512, 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    data_sectors: list[bytes] = []
    starts: list[int] = []
    for content in streams.values():
        starts.append(2 + len(data_sectors))  # sector 0 is the FAT, sector 1 the directory
        padded = content.ljust(-(-len(content) // sector) * sector, b"\x00")
        data_sectors += [padded[i : i + sector] for i in range(0, len(padded), sector)]
    fat = [fat_sector, end_of_chain]
    for start, content in zip(starts, streams.values(), strict=True):
        count = -(-len(content) // sector)
        fat += [start + i + 1 for i in range(count - 1)] + [end_of_chain]
    if len(fat) > sector // 4:
        raise ValueError("streams too large for a one-sector FAT")
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, child: int, start: int, size: int, right: int = no_stream) -> bytes:
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)  # 1: black in the red-black tree
            + struct.pack("<III", no_stream, right, child)
            + b"\x00" * 16  # CLSID
            + struct.pack("<I", 0)  # state bits
            + b"\x00" * 16  # creation and modification times
            + struct.pack("<IQ", start, size)
        )

    names = list(streams)
    directory = entry("Root Entry", 5, 1, end_of_chain, 0)
    for position, (stream_name, start) in enumerate(zip(names, starts, strict=True)):
        sibling = position + 2 if position + 1 < len(names) else no_stream
        directory += entry(stream_name, 2, no_stream, start, len(streams[stream_name]), right=sibling)
    if len(directory) > sector:
        raise ValueError("too many streams for a one-sector directory")
    while len(directory) < sector:
        directory += entry("", 0, no_stream, 0, 0)
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x003E, 0x0003, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end_of_chain, 0, end_of_chain, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    return header + struct.pack(f"<{sector // 4}I", *fat) + directory + b"".join(data_sectors)


def png_bytes() -> bytes:
    """A real 1×1 PNG image."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )


# --------------------------------------------------------------------------------------------------
# A small real assessment, the body most "reads" cases start from

HEADER = ["Unit", "Dimension", "Practice", "Current", "Target", "Notes"]
_PAIRS = [  # (dimension, practice) of the rubric, one per dimension
    ("Culture & Organization", "Stable teams"),
    ("Design & Architecture", "Configuration as code"),
    ("Build & Deploy", "Scripted builds"),
    ("Test & Verification", "Automatic unit tests"),
    ("Information & Reporting", "Measure the process"),
]
ASSESSMENT = [
    ["Payments", "Build & Deploy", "Scripted builds", 2, 4, "nightly"],
    ["Payments", "Test & Verification", "Automatic unit tests", 1, 3, ""],
    ["Lending", "Culture & Organization", "Stable teams", 3, 4, ""],
    ["Lending", "Information & Reporting", "Measure the process", 2, 3, ""],
]


def csv_text(rows: list[list[object]], delimiter: str = ",") -> str:
    """``rows`` as CSV text, lines ending in CRLF as Excel writes them."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue()


def assessment_xlsx(build: Callable[[openpyxl.Workbook], None] | None = None) -> bytes:
    """The small assessment as a real .xlsx (sheet "Assessment"), changed by ``build`` if given."""

    def fill(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        sheet.title = "Assessment"
        for row in [HEADER, *ASSESSMENT]:
            sheet.append(row)
        if build:
            build(workbook)

    return openpyxl_bytes(fill)


def _merged_header(workbook: openpyxl.Workbook) -> None:
    """A title merged across the table and a two-row header: "Level" merged over Current and Target."""
    sheet = workbook.active
    sheet.delete_rows(1)
    sheet.insert_rows(1, 3)
    sheet["A1"] = "DevOps gap analysis, spring review"
    sheet.merge_cells("A1:F1")
    for column, title in zip("ABCF", ("Unit", "Dimension", "Practice", "Notes"), strict=True):
        sheet[f"{column}2"] = title
        sheet.merge_cells(f"{column}2:{column}3")
    sheet["D2"] = "Level"
    sheet.merge_cells("D2:E2")
    sheet["D3"], sheet["E3"] = "Current", "Target"


def _dates_in_levels(workbook: openpyxl.Workbook) -> None:
    """Excel turned "3-4" into a date: two level cells hold dates."""
    sheet = workbook.active
    sheet["D2"] = dt.datetime(2024, 3, 4)
    sheet["D2"].number_format = "yyyy-mm-dd"
    sheet["E3"] = dt.date(2024, 4, 5)
    sheet["E3"].number_format = "d-mmm"


def _hidden_sheets(workbook: openpyxl.Workbook) -> None:
    """Two more sheets laid out like the first: one hidden, one very hidden (only VBA can show it)."""
    for title, state in (("Old review", "hidden"), ("Lookup", "veryHidden")):
        sheet = workbook.create_sheet(title)
        for row in [HEADER, *ASSESSMENT]:
            sheet.append(row)
        sheet.sheet_state = state


def formula_errors_xlsx() -> bytes:
    """Level cells holding formulas whose cached values are errors (#REF!, #DIV/0!); openpyxl cannot
    write cached values, so the sheet XML is written by hand."""

    def text(ref: str, value: str) -> str:
        return f'<c r="{ref}" t="inlineStr"><is><t>{value.replace("&", "&amp;")}</t></is></c>'

    def number(ref: str, value: float) -> str:
        return f'<c r="{ref}"><v>{value}</v></c>'

    def error(ref: str, formula: str, cached: str) -> str:
        return f'<c r="{ref}" t="e"><f>{formula}</f><v>{cached}</v></c>'

    rows = [
        [text(f"{c}1", h) for c, h in zip("ABCDE", HEADER, strict=False)],
        [text("A2", "Payments"), text("B2", "Build & Deploy"), text("C2", "Scripted builds"), number("D2", 2),
         number("E2", 4)],
        [text("A3", "Payments"), text("B3", "Test & Verification"), text("C3", "Automatic unit tests"),
         error("D3", "Levels!B9", "#REF!"), number("E3", 3)],
        [text("A4", "Lending"), text("B4", "Culture & Organization"), text("C4", "Stable teams"), number("D4", 3),
         error("E4", "1/0", "#DIV/0!")],
        [text("A5", "Lending"), text("B5", "Information & Reporting"), text("C5", "Measure the process"),
         number("D5", 2), number("E5", 3)],
    ]
    body = "".join(f'<row r="{i}">{"".join(cells)}</row>' for i, cells in enumerate(rows, 1))
    return xlsx_bytes(sheet_xml(body, before='<dimension ref="A1:E5"/>'), names=["Assessment"])


# Text a browser, markdown, plotly or a spreadsheet would act on, if gapmap ever let it.
HOSTILE_TEXT = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "**bold**",
    "[x](javascript:alert(1))",
    ":red[x]",
    "$x$",
    '=HYPERLINK("http://x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1)",
    "-2+3",
    "\t=1+2",
    "\r=1+2",
    "\u202eevil.exe",  # right-to-left override: shows as "exe.live"
    "%{x} {0} %s",  # plotly, str.format and printf placeholders
    "L" * 5_000 + " <b>long</b>",
]
HOSTILE_SHEET = "__Sheet__ <img src=x> $y$"  # markup too (sheet names may not hold []:*?/\)


def hostile_text_xlsx() -> bytes:
    """An assessment whose units, practices, notes and owners are all :data:`HOSTILE_TEXT`, on a sheet
    whose name is markup too; text is stored as text (openpyxl would otherwise write '=...' as a formula)."""

    def build(workbook: openpyxl.Workbook) -> None:
        sheet = workbook.active
        sheet.title = HOSTILE_SHEET
        sheet.append(["Unit", "Dimension", "Practice", "Current", "Target", "Notes", "Owner"])
        count = len(HOSTILE_TEXT)
        for i, text in enumerate(HOSTILE_TEXT):
            dimension = _PAIRS[i % len(_PAIRS)][0]
            others = [HOSTILE_TEXT[(i + k) % count] for k in (1, 2, 3)]
            sheet.append([text, dimension, others[0], 1 + i % 2, 3 + i % 3, others[1], others[2]])
        for cells in sheet.iter_rows():
            for cell in cells:
                if isinstance(cell.value, str):
                    cell.data_type = "s"

    return openpyxl_bytes(build)


# --------------------------------------------------------------------------------------------------
# Large cases, streamed

MILLION = 1_000_000
_UNITS = [f"Unit {i:02d}" for i in range(40)]


def write_million_rows(out: BinaryIO) -> None:
    """One sheet: a header and 1,000,000 data rows (40 units × 5 practices, levels 1–3 → 4–5), ~17 MB."""
    strings = ["Unit", "Dimension", "Practice", "Current", "Target", *_UNITS]
    strings += [name for pair in _PAIRS for name in pair]
    index = {text: i for i, text in enumerate(strings)}
    shared = shared_strings_xml([s.replace("&", "&amp;") for s in strings])
    unit_base, pair_base = index[_UNITS[0]], index[_PAIRS[0][0]]

    def rows() -> Iterator[bytes]:
        yield b'<dimension ref="A1:E%d"/><sheetData><row r="1">' % (MILLION + 1)
        yield b"".join(b'<c r="%c1" t="s"><v>%d</v></c>' % (column, i) for i, column in enumerate(b"ABCDE"))
        yield b"</row>"
        batch = []
        for r in range(2, MILLION + 2):
            pair = r % 5
            batch.append(
                b'<row r="%d"><c r="A%d" t="s"><v>%d</v></c><c r="B%d" t="s"><v>%d</v></c><c r="C%d" t="s"><v>%d</v>'
                b'</c><c r="D%d"><v>%d</v></c><c r="E%d"><v>%d</v></c></row>'
                % (r, r, unit_base + r % 40, r, pair_base + 2 * pair, r, pair_base + 2 * pair + 1, r, 1 + r % 3,
                   r, 4 + r % 2)
            )
            if len(batch) == 20_000:
                yield b"".join(batch)
                batch = []
        yield b"".join(batch)
        yield b"</sheetData>"

    streamed_xlsx(out, "Assessment", rows(), shared=shared)


def write_wide_sheet(out: BinaryIO) -> None:
    """One sheet 16,384 columns wide (A..XFD): a header row and one data row across every column."""

    def rows() -> Iterator[bytes]:
        yield b"<sheetData>"
        for r in (1, 2):
            cells = [f'<c r="{_column_letters(c)}{r}"><v>{c}</v></c>' for c in range(1, 16_385)]
            yield f'<row r="{r}">{"".join(cells)}</row>'.encode()
        yield b"</sheetData>"

    streamed_xlsx(out, "Wide", rows())


def _column_letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


# --------------------------------------------------------------------------------------------------
# The cases


@dataclass(frozen=True)
class Reads:
    """The file is read: ``rows`` normalized rows, ``problem_rows`` rows in the problems table (the two
    together are every non-blank data row), and ``phrase`` in the notes, the problems or the skipped sheets."""

    rows: int
    problem_rows: int = 0
    phrase: str = ""


@dataclass(frozen=True)
class Refused:
    """The file is refused with ``error`` (a ``GapmapError``), whose one-line message contains ``phrase``."""

    error: type[GapmapError]
    phrase: str


@dataclass(frozen=True)
class Case:
    """One hostile file: its name on disk, what it tests (one line), how to write it, what gapmap does."""

    filename: str
    what: str
    write: Callable[[BinaryIO], None]
    outcome: Reads | Refused
    slow: bool = False  # takes seconds to build or to refuse
    aborts_calamine: bool = False  # would kill the process if it ever reached python-calamine


def _static(make: Callable[[], bytes]) -> Callable[[BinaryIO], None]:
    return lambda out: out.write(make())


def _text(text: str, encoding: str) -> Callable[[BinaryIO], None]:
    return lambda out: out.write(text.encode(encoding))


_ASSESSMENT_CSV = csv_text([HEADER, *ASSESSMENT])
_ROWS = len(ASSESSMENT)

CASES: dict[str, Case] = {
    "zip_bomb": Case(
        "zip_bomb.xlsx", "a 3 MB .xlsx whose sheet inflates to 1 GiB (340:1)",
        lambda out: write_repeated_row_sheet(out, 1024**3), Refused(LimitExceededError, "would expand to"), slow=True,
    ),
    "zip_bomb_lying_sizes": Case(
        "zip_bomb_lying_sizes.xlsx", "the same bomb with its headers declaring 10 kB: the real stream is measured",
        _static(lambda: patch_declared_size(repeated_row_sheet(64 * 1024**2), "xl/worksheets/sheet1.xml", 10_000)),
        Refused(LimitExceededError, "zip bomb"),
    ),
    "far_corner_cells": Case(
        "far_corner_cells.xlsx", "two cells, A1 and XFD1048576: calamine would allocate 512 GiB and abort",
        _static(lambda: xlsx_bytes(sheet_xml(A1 + f'<row r="1048576"><c r="{FAR}"><v>1</v></c></row>'))),
        Refused(LimitExceededError, "1,048,576 rows × 16,384 columns"), aborts_calamine=True,
    ),
    "far_corner_ods": Case(
        "far_corner.ods", "the same two cells in an .ods, the space between them as repeats (calamine refuses it)",
        _static(lambda: ods_bytes(
            f'<table:table table:name="T"><table:table-row>{ods_cell(1)}</table:table-row>'
            '<table:table-row table:number-rows-repeated="1048574"><table:table-cell/></table:table-row>'
            '<table:table-row><table:table-cell table:number-columns-repeated="16383"/>'
            f"{ods_cell(1)}</table:table-row></table:table>"
        )),
        Refused(LimitExceededError, "1,048,576 rows × 16,384 columns"),
    ),
    "many_sheets": Case(
        "many_sheets.xlsx", "1,000 sheets", _static(lambda: xlsx_bytes(*[A_SHEET] * 1_000)),
        Refused(LimitExceededError, "1,000 sheets"),
    ),
    "wide_sheet": Case(
        "wide_sheet.xlsx", "one sheet 16,384 columns wide", write_wide_sheet,
        Refused(LimitExceededError, "2,000 columns"),
    ),
    "million_rows": Case(
        "million_rows.xlsx", "one sheet of 1,000,000 data rows (17 MB; 5 M cells)", write_million_rows,
        Reads(MILLION), slow=True,
    ),
    "too_many_rows": Case(
        "too_many_rows.csv", "a CSV of 1,100,001 lines, one past the row limit",
        lambda out: out.writelines([b"Practice,Current,Target\r\n", b"CI,2,4\r\n" * 1_100_000]),
        Refused(LimitExceededError, "1,100,001 rows"), slow=True,
    ),
    "entity_expansion": Case(
        "entity_expansion.xlsx", "billion laughs: nested XML entities in a sheet",
        _static(lambda: xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row>', prolog=LAUGHS)
        )),
        Refused(CorruptFileError, "DOCTYPE"),
    ),
    "external_entity": Case(
        "external_entity.xlsx", "an external entity reading /etc/passwd into a shared string",
        _static(lambda: xlsx_bytes(
            sheet_xml('<row r="1"><c r="A1" t="s"><v>0</v></c></row>'),
            shared=shared_strings_xml(["&xxe;"], prolog=EXTERNAL_ENTITY),
        )),
        Refused(CorruptFileError, "DOCTYPE"),
    ),
    "encrypted": Case(
        "encrypted.xlsx", "a real password-protected workbook (msoffcrypto-tool, password 'secret')",
        _static(encrypted_xlsx), Refused(EncryptedWorkbookError, "password-protected"),
    ),
    "legacy_xls": Case(
        "legacy.xls", "a real Excel 97-2003 .xls (BIFF8 in an OLE2 compound file)",
        _static(lambda: minimal_xls([HEADER[:5], *[row[:5] for row in ASSESSMENT]])),
        Refused(UnsupportedFormatError, "save it as .xlsx"),
    ),
    "truncated_zip": Case(
        "truncated.xlsx", "a real assessment .xlsx cut in half (an interrupted download)",
        _static(lambda: assessment_xlsx()[: len(assessment_xlsx()) // 2]), Refused(CorruptFileError, "damaged"),
    ),
    "png_renamed": Case(
        "logo.xlsx", "a real PNG image renamed .xlsx", _static(png_bytes), Refused(UnsupportedFormatError, "PNG image"),
    ),
    "empty_file": Case("empty.xlsx", "0 bytes", _static(lambda: b""), Refused(UnreadableFileError, "is empty")),
    "csv_named_xlsx": Case(
        "export.xlsx", "a CSV file named .xlsx", _text(_ASSESSMENT_CSV, "utf-8"), Reads(_ROWS, phrase="read as CSV"),
    ),
    "csv_utf16": Case(
        "utf16.csv", "CSV in UTF-16 with a byte-order mark, tab-separated (Excel's 'Unicode text')",
        _text(csv_text([HEADER, *ASSESSMENT], "\t"), "utf-16"), Reads(_ROWS, phrase="tab"),
    ),
    "csv_10mb_cell": Case(
        "huge_cell.csv", "CSV with one 10 MB notes cell",
        _text(csv_text([HEADER, *ASSESSMENT[:-1], [*ASSESSMENT[-1][:5], "x" * 10_000_000]]), "utf-8"), Reads(_ROWS),
    ),
    "nul_bytes": Case(
        "nul.csv", "CSV with NUL bytes inside headers and cells",
        _text(_ASSESSMENT_CSV.replace("Practice", "Prac\x00tice").replace("ing", "i\x00ng"), "utf-8"),
        Reads(_ROWS, phrase="NUL byte"),
    ),
    "formula_errors": Case(
        "formula_errors.xlsx", "level cells holding formulas whose cached values are #REF! and #DIV/0!",
        _static(formula_errors_xlsx), Reads(_ROWS - 2, 2, phrase="#DIV/0! is an Excel error, not a level"),
    ),
    "dates_in_levels": Case(
        "dates.xlsx", "level cells holding dates (Excel turned '3-4' into a date)",
        _static(lambda: assessment_xlsx(_dates_in_levels)), Reads(_ROWS - 2, 2, phrase="is a date, not a level"),
    ),
    "merged_header": Case(
        "merged_header.xlsx", "a merged title across the table and a two-row header ('Level' over Current/Target)",
        _static(lambda: assessment_xlsx(_merged_header)), Reads(_ROWS, phrase="merged"),
    ),
    "hostile_text": Case(
        "hostile_text.xlsx", "units, practices, notes, owners and a sheet name that are markup, formulas, RTL text",
        _static(hostile_text_xlsx), Reads(len(HOSTILE_TEXT)),
    ),
    "hidden_sheets": Case(
        "hidden_sheets.xlsx", "a hidden and a very hidden sheet laid out like the visible one",
        _static(lambda: assessment_xlsx(_hidden_sheets)), Reads(_ROWS, phrase="hidden in the workbook"),
    ),
}


def expectation(outcome: Reads | Refused) -> str:
    """One line for people: what gapmap does with a case."""
    if isinstance(outcome, Refused):
        return f"refused: `{outcome.error.__name__}`, message says “{outcome.phrase}”"
    said = f", says “{outcome.phrase}”" if outcome.phrase else ""
    return f"read: {outcome.rows:,} rows normalized, {outcome.problem_rows} with problems{said}"


def markdown_table() -> str:
    """The cases as the table in this folder's README.md."""
    lines = ["| case | file | what it tests | expected |", "|---|---|---|---|"]
    lines += [
        f"| `{name}` | `{case.filename}` | {case.what} | {expectation(case.outcome)} |" for name, case in CASES.items()
    ]
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------------
# Writing the corpus


def build(case_name: str, directory: str | os.PathLike = DEFAULT_DIRECTORY, force: bool = False) -> Path:
    """Write case ``case_name`` into ``directory`` (created if missing) and return its path.

    A file already there and newer than this script is kept unless ``force``. The file is written
    under a temporary name and renamed, under a lock, so concurrent callers never see half a file.
    """
    case = CASES[case_name]
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / case.filename
    with _locked(directory / f".{case_name}.lock"):
        if not force and path.exists() and path.stat().st_mtime >= Path(__file__).stat().st_mtime:
            return path
        partial = directory / f".{case.filename}.{os.getpid()}.partial"
        with partial.open("wb") as out:
            case.write(out)
        os.replace(partial, path)
    return path


@contextlib.contextmanager
def _locked(lock: Path) -> Iterator[None]:
    with lock.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIRECTORY)
    parser.add_argument("--case", action="append", choices=sorted(CASES), help="only this case (repeatable)")
    parser.add_argument("--force", action="store_true", help="rebuild files that are already there")
    parser.add_argument("--table", action="store_true", help="print the cases as the README's markdown table")
    args = parser.parse_args(argv)
    if args.table:
        print(markdown_table())
        return 0
    started = time.perf_counter()
    for name in args.case or CASES:
        begin = time.perf_counter()
        path = build(name, args.directory, force=args.force)
        print(f"{name:22} {path.stat().st_size:>12,} bytes {time.perf_counter() - begin:6.2f} s  {path}")
    print(f"{len(args.case or CASES)} cases in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
