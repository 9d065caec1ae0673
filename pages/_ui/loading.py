"""Which file is explored: the bundled sample, an upload (one file, or several read as one assessment),
an upload rescued with the user's corrections, or any analysis handed over whole (:func:`open_analysis`,
what restoring a saved snapshot needs). An upload that cannot be used leaves the file shown as it was
and says why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import maturity
from maturity import GapmapError, RawWorkbook
from pages._ui import cache, session
from pages._ui.key import AnalysisKey, Source

SAMPLE_LABEL = "Northwind Mutual Bank (fictional)"
UPLOAD_TYPES = ["xlsx", "xlsm", "ods", "csv", "tsv", "txt", "xls"]  # .xls too, so the engine can say how to convert it


def open_analysis(key: AnalysisKey) -> str | None:
    """Make ``key`` (a file with its model, layout corrections and target edits) the analysis explored,
    once it reads; returns None, or the user-facing message when it does not (the analysis shown then
    stays as it was)."""
    if (error := _refusal(key)) is not None:
        return str(error)
    _make_current(key)
    return None


def _refusal(key: AnalysisKey) -> GapmapError | None:
    """Why ``key``'s file cannot be read as it says (reading it into the cache), or None when it can."""
    try:
        cache.assessment(key)
    except GapmapError as error:
        return error
    return None


def _make_current(key: AnalysisKey) -> None:
    session.set_source(None if key.source.is_sample else key.source)
    session.set_model(key.model)
    session.set_layout(key.layout)
    session.set_target_edits(dict(key.targets))
    session.set_upload_error(None)
    session.set_pending(None)
    session.bump_edit_version()


def load_upload(name: str, data: bytes) -> str | None:
    """Make ``data`` (a file called ``name``) the file being explored; returns None, or the user-facing
    message when it cannot be used (the previous file then stays loaded)."""
    return load_source(Source.of(name, data))


def load_uploads(files: Sequence[tuple[str, bytes]]) -> str | None:
    """Make ``files`` (``(name, bytes)`` each) the assessment explored: one file as :func:`load_upload`
    does; several each read on their own with the model asked for, then as one assessment, each file's
    units kept. Returns None, or the one-line message when they cannot be used (a file that cannot be
    read, named; a unit in two files, naming both; files read against different models): the previous
    analysis then stays loaded."""
    if len(files) == 1:
        return load_upload(*files[0])
    names = [name for name, _ in files]
    twice = next((name for name in names if names.count(name) > 1), None)
    if twice is not None:  # the files' names tell their units apart: two of one name could not be
        return _refused(" + ".join(names), f"two files are called {twice}: rename one of them", None)
    return load_source(Source.of_files([Source.of(name, data) for name, data in files]))


def load_source(upload: Source) -> str | None:
    """Make ``upload`` (one file, or several: ``upload.files``) the file explored; returns None, or the
    user-facing message when it cannot be used (the previous file then stays loaded)."""
    key = AnalysisKey(upload, session.model())
    for file in upload.files:  # each file on its own first, so that a refusal names its file
        if (error := _refusal(AnalysisKey(file, key.model))) is not None:
            alone = " (load it alone to say where its table is)" if type(error) is maturity.NoDataError else ""
            named = str(error) if str(error).startswith(file.name) else f"{file.name}: {error}"
            return _refused(upload.name, f"{named}{alone}", upload, error)
    if (error := _refusal(key)) is None:
        _make_current(key)
        return None
    return _refused(upload.name, str(error), upload, error)


def _refused(name: str, message: str, upload: Source | None, error: GapmapError | None = None) -> str:
    """Keep why ``upload`` (called ``name``) cannot be used, and what it waits for, if anything."""
    session.set_upload_error((name, message))
    session.bump_edit_version()  # a fresh, empty uploader: the next file is not added to the refused ones
    # A file in which no table was found waits for the user to say where it is (or, without target
    # levels, what to aim for): the page asks, about this file, not the one still shown. Several files
    # wait only for a target: where a table is is said of one file at a time.
    waits = isinstance(error, maturity.NoTargetsError if upload is not None and upload.files else maturity.NoDataError)
    session.set_pending(replace(upload, kind=type(error).__name__) if waits else None)
    return message


def uploader_key() -> str:
    """The Overview uploader's key: new once its files are loaded or refused, so each choice of files is
    the whole assessment (a file chosen next replaces them, as with one file, rather than joining them)."""
    return f"{session.UPLOADER}_{session.edit_version()}"


def on_upload(key: str = session.UPLOADER) -> None:
    """``st.file_uploader`` callback (of the uploader ``key``): load the files chosen (one, or several
    as one assessment); an emptied uploader keeps what is loaded."""
    uploaded = session.widget_value(key) or []
    if uploaded:
        load_uploads([(file.name, file.getvalue()) for file in uploaded])


def use_sample() -> None:
    """Go back to the bundled sample."""
    _make_current(AnalysisKey(cache.sample(), session.model()))


def upload_error() -> tuple[str, str] | None:
    """``(file name, message)`` of the last upload that could not be used, if any."""
    return session.upload_error()


def pending() -> Source | None:
    """The upload in which no table was found, waiting for the user to say where it is, if any."""
    return session.pending()


def pending_without_targets() -> str | None:
    """The name of an upload waiting for a default target (it has current levels only), if any."""
    waiting = session.pending()
    return waiting.name if waiting is not None and waiting.kind == "NoTargetsError" else None


def pending_workbook() -> RawWorkbook:
    """The raw sheets of :func:`pending` (read once, cached like every file)."""
    return cache.raw_workbook(AnalysisKey(session.pending()))


def rescue(corrections: maturity.Corrections) -> None:
    """Read the waiting upload with the user's ``corrections`` (sheet, header row, roles): the same
    corrections the command line's --sheet, --header-row and --role make. On success it becomes the
    file explored, with that layout (undone with "Undo my corrections"); else the reason is kept."""
    waiting = session.pending()
    if waiting is None:
        return
    asked = session.model()  # laid out with the model asked for, or the base model when it is chosen from the file
    try:
        base = asked.rubric or maturity.load_rubric("cdmm" if asked.requested in (maturity.AUTO, maturity.OWN)
                                                    else asked.requested)
        layout = maturity.apply_corrections(pending_workbook(), base, corrections)
    except GapmapError as error:
        session.set_upload_error((waiting.name, str(error)))
        return
    if (message := open_analysis(AnalysisKey(replace(waiting, kind="rescued"), asked, layout))) is not None:
        session.set_upload_error((waiting.name, message))
