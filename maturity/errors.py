"""Every error gapmap raises on purpose, in one hierarchy.

::

    GapmapError                  meant for users: its message is one line saying what, where, how to fix
    ├── RubricError              a rubric file is unknown or does not validate
    ├── CorrectionError          a layout correction (--sheet, --role...) is malformed or names what is not there
    ├── UnreadableFileError      the file cannot be used at all
    │   ├── UnsupportedFormatError   not a spreadsheet we read (e.g. a PNG renamed .xlsx, a .xls file)
    │   ├── EncryptedWorkbookError   password-protected workbook
    │   ├── CorruptFileError         truncated zip, broken XML, undecodable text
    │   └── LimitExceededError       past a safety limit (size, inflated size, rows, columns, sheets, time)
    ├── NoDataError              readable, but no sheet has a recognisable gap-analysis header
    │   └── NoTargetsError           current levels only: it needs a default target (next, or a level)
    ├── OverlapError             files given as one assessment share a unit (the message names both files)
    ├── StoreError               the snapshot store cannot be used (unreachable, locked, newer than this
    │                            gapmap), or holds no such organisation or snapshot; a malformed date
    └── ReportError              a steering pack cannot be made as asked (an unknown unit, a malformed
                                 as-of date, an output that is neither .pptx nor .html)

Pages and the command line catch ``GapmapError`` only and show ``str(error)``; anything else is a
bug and propagates. Problems with single rows are never raised: they are collected into the
assessment's problems table.
"""

from __future__ import annotations

__all__ = [
    "CorrectionError",
    "CorruptFileError",
    "EncryptedWorkbookError",
    "GapmapError",
    "LimitExceededError",
    "NoDataError",
    "NoTargetsError",
    "OverlapError",
    "ReportError",
    "RubricError",
    "StoreError",
    "UnreadableFileError",
    "UnsupportedFormatError",
]


class GapmapError(Exception):
    """An error whose message is written for the person using gapmap."""


class RubricError(GapmapError):
    """A rubric is unknown, or its YAML file does not validate."""


class CorrectionError(GapmapError):
    """A correction of how a file is laid out is malformed, or names a sheet, column or role that
    does not exist; the message lists the ones that do."""


class UnreadableFileError(GapmapError):
    """The uploaded file cannot be used at all."""


class UnsupportedFormatError(UnreadableFileError):
    """The bytes are not a spreadsheet format gapmap reads."""


class EncryptedWorkbookError(UnreadableFileError):
    """The workbook is password-protected."""


class CorruptFileError(UnreadableFileError):
    """The file claims a format but its content is broken (truncated, malformed)."""


class LimitExceededError(UnreadableFileError):
    """The file goes past one of gapmap's safety limits."""


class NoDataError(GapmapError):
    """The file was read, but no sheet holds a gap-analysis table gapmap recognises."""


class NoTargetsError(NoDataError):
    """A file with current levels and no target column, read without a default target to aim for."""


class OverlapError(GapmapError):
    """Several files read as one assessment name the same unit: each unit's rows must come from one file."""


class StoreError(GapmapError):
    """The snapshot store cannot be used (unreachable, locked, or written by a newer gapmap), or it
    holds no snapshot an organisation, label, date or id names."""


class ReportError(GapmapError):
    """A steering pack cannot be made as asked: a unit not in the assessment, an as-of date that is no
    date, or an output format other than PowerPoint (.pptx) and HTML (.html)."""
