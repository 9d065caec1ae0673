"""Zip containers (.xlsx, .xlsm, .ods) checked before anything inside them is parsed.

One reading of the container, shared with calamine's zip reader: the end record must be the only
one and sit at the very end, the two headers of every member must agree, and no two members may
share a name. Then the bomb limits: at most 10,000 members, declared sizes within
``max_inflated_bytes`` and ``max_compression_ratio``, and every member inflated here in chunks of
at most 1 MiB, to the end of its deflate stream as calamine does, counting what really comes out.
Every XML part read here refuses a ``<!DOCTYPE``/``<!ENTITY``; ``_ExpatPass`` is the streaming
parser the scans of sheets and tables build on, with the same refusal.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from xml.parsers import expat

from ..errors import CorruptFileError, EncryptedWorkbookError, LimitExceededError
from .limits import _MIB, Limits, _short

_CHUNK = _MIB
_MAX_ZIP_MEMBERS = 10_000


@dataclass
class _Archive:
    """A zip container being checked: its bytes, its members, and how much has really been inflated."""

    name: str
    limits: Limits
    data: bytes
    by_name: dict[str, zipfile.ZipInfo]
    inflated: int = 0


def _open_archive(data: bytes, name: str, limits: Limits) -> _Archive:
    """The zip container, once its structure, member count and declared sizes have been checked."""
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
    return archive


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
