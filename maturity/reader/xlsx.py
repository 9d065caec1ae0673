""".xlsx guards: the workbook's sheets and relationships, its shared strings, then every part scanned.

Shared strings are measured (calamine copies one into every cell using it) and a part declaring
far more strings than it holds is refused; every XML part, sheet or not, gets the worksheet scan.
"""

from __future__ import annotations

import itertools
import os
import re
import zipfile

from defusedxml import ElementTree as SafeElementTree

from ..errors import CorruptFileError
from .archive import _Archive, _ExpatPass, _inflate, _read_small_part
from .limits import _raise_too_many_sheets, _short
from .sheetscan import _scan_worksheet


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
