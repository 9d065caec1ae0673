"""The one object every cache is keyed on: :class:`AnalysisKey`, the file and everything that says how
it is read (the model asked for, the default target, the layout corrections, the targets changed by
hand). The file may be a saved snapshot (:class:`SnapshotRef`): its digest then stands for the
snapshot, never for bytes. Several files read as one assessment are one Source too (``files``): its
digest stands for each file's digest and name.

The key carries the file's bytes and the model's rubric so a cached function needs nothing else, but
it is hashed by :meth:`AnalysisKey.cache_token` alone: the SHA-256 of the bytes (computed once, when
the file arrives) stands for the bytes, and :attr:`Model.key` for the model, so a rerun never hashes
a file again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace

import maturity
from maturity import Layout, Rubric


@dataclass(frozen=True)
class SnapshotRef:
    """A saved snapshot explored in place of a file: the database it is in (its URL, as the store names
    it), its id and when it was saved (an id alone could be reused once a snapshot is deleted), what a
    page says of it, and the key of the model it was opened with: read with that model and no layout
    correction, it is the assessment exactly as saved."""

    database: str
    id: int
    saved_at: str
    organisation: str
    label: str
    as_of: str
    model_key: str

    @property
    def title(self) -> str:
        """``Acme · Q2 2026 · 2026-06-30`` (plain text: escape it for markdown)."""
        return " · ".join(part for part in (self.organisation, self.label, self.as_of) if part)


@dataclass(frozen=True)
class Source:
    """The file being explored: its name, its bytes and their digest (the cache key); or several files
    read as one assessment (``files``: each a Source of its own; ``data`` is then empty)."""

    name: str
    data: bytes
    digest: str
    is_sample: bool = False
    kind: str = ""  # "rescued": read with the user's corrections only (no table was found on its own)
    snapshot: SnapshotRef | None = None  # a saved snapshot; ``data`` is its saved file (b"" when not kept)
    files: tuple[Source, ...] = ()  # several files together: one workbook per team, say

    @classmethod
    def of(cls, name: str, data: bytes, **extra: object) -> Source:
        """The file ``name`` holding ``data``, its digest computed here, once."""
        return cls(name, data, hashlib.sha256(data).hexdigest(), **extra)

    @classmethod
    def of_snapshot(cls, ref: SnapshotRef, name: str, data: bytes | None) -> Source:
        """The saved snapshot ``ref``, read from the file ``name`` (``data``: its bytes, None when the
        snapshot kept none). Its digest stands for the snapshot (database, id, time saved), not the bytes."""
        token = f"snapshot\n{ref.database}\n{ref.id}\n{ref.saved_at}".encode()
        return cls(name, data or b"", hashlib.sha256(token).hexdigest(), kind="snapshot", snapshot=ref)

    @classmethod
    def of_files(cls, files: Sequence[Source]) -> Source:
        """``files`` read together as one assessment, named ``a.xlsx + b.xlsx``. Its digest stands for
        each file's digest and name, in order (never for the bytes again)."""
        token = "files\n" + "\n".join(f"{file.digest} {file.name}" for file in files)
        return cls(" + ".join(file.name for file in files), b"", hashlib.sha256(token.encode()).hexdigest(),
                   files=tuple(files))

    @property
    def readable(self) -> bool:
        """Whether one file's bytes are here to be read (a snapshot may have kept none; several files
        are read one by one, through ``files``)."""
        return bool(self.data)


@dataclass(frozen=True)
class Model:
    """How the file is to be read: the maturity model asked for (``auto``, ``own`` or a built-in id, or
    a rubric file the user uploaded: ``rubric`` set) and, for a file without target levels, the default
    target (``next`` or a level). ``key`` stands for both in every cache key."""

    requested: str = maturity.AUTO
    rubric: Rubric | None = None
    default_target: str | None = None

    @property
    def key(self) -> str:
        model = f"file:{self.rubric.fingerprint}" if self.rubric is not None else self.requested
        return f"{model}|target:{self.default_target}" if self.default_target else model

    @property
    def spec(self) -> str | Rubric:
        return self.rubric if self.rubric is not None else self.requested


TargetEdits = tuple[tuple[int, int], ...]  # (normalized row index, target level), sorted by row


@dataclass(frozen=True)
class AnalysisKey:
    """One analysis of one file: the file, the model asked for (with its default target), the layout
    as the user corrected it (None: as detected) and the targets changed by hand.

    Everything a page shows is a function of this value, so it is what every cache is keyed on; a
    saved snapshot restored is one too, and can be shown beside the session's own."""

    source: Source
    model: Model = Model()
    layout: Layout | None = None
    targets: TargetEdits = ()

    @property
    def as_saved(self) -> bool:
        """Whether this key is a saved snapshot exactly as saved: read with the model it was opened with,
        without a layout correction (its assessment then comes from the store, not from reading bytes)."""
        ref = self.source.snapshot
        return ref is not None and self.layout is None and self.model.key == ref.model_key

    def cache_token(self) -> tuple:
        """What the caches hash in place of this key: the file's digest and name, the model's key, the
        layout and the target edits (never the bytes or the rubric themselves)."""
        return self.source.digest, self.source.name, self.model.key, self.layout, self.targets

    @property
    def file_key(self) -> AnalysisKey:
        """The key of the file alone, as the raw sheets depend on it (no model, layout or targets)."""
        return AnalysisKey(self.source)

    @property
    def read_key(self) -> AnalysisKey:
        """The key of the file as read (model and layout), before any target changed by hand."""
        return replace(self, targets=()) if self.targets else self


def target_edits(levels: dict[int, int]) -> TargetEdits:
    """``{normalized row index: level}`` as the key's sorted tuple."""
    return tuple(sorted(levels.items()))


# What st.cache_resource hashes for a key (``hash_funcs``): its token, not its bytes.
HASH_FUNCS = {AnalysisKey: AnalysisKey.cache_token}
