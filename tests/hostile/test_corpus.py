"""Every file of the hostile corpus (``tests/data/hostile/make_corpus.py``), through every door a file comes in.

For each case: the engine in-process, the command line as a user runs it (a subprocess, time- and
memory-bounded), and the upload page (AppTest). Each either reads the file as the case expects or
gives one clear message naming the file and the fix; never a traceback, a crash or a hang. The files
that would abort python-calamine are also uploaded to a real ``streamlit run`` server through
chromium, which must keep serving.

The bounds stated in ``tests/data/hostile/README.md`` and held here: on any file the command line uses
at most 30 s of CPU and 3 GiB of address space (the kernel enforces both, so a regression fails
instead of eating the machine), and an upload keeps the page busy for at most 60 s of CPU. Time is
counted in CPU seconds so that a busy CI machine does not fail the bound; a process that hangs
without using CPU hits the wall-clock timeouts instead.
"""

from __future__ import annotations

import csv
import re
import resource
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from maturity import Assessment, GapmapError, assess, read_workbook
from maturity.reader import sheetscan
from tests.data.hostile.make_corpus import CASES, MILLION, Reads, Refused, markdown_table

ROOT = Path(__file__).resolve().parents[2]
CLI_SECONDS = 30  # CPU seconds the command line may use on any case (1,000,000 rows: ~12 s)
CLI_MEMORY = 3 * 1024**3  # address space the command line may use (1,000,000 rows: ~1.1 GB resident)
PAGE_SECONDS = 60  # CPU seconds an upload may keep the page busy (1,000,000 rows: ~25 s)
HANG_SECONDS = 180  # wall clock: past this, a command or a page run has hung
ADVICE = re.compile(r"\b(upload|save|open|remove|delete|copy|export)\b")  # every refusal says what to do


def cases(*, engine: bool = False) -> list:
    """The corpus as pytest params, the slow cases marked ``slow`` (they still run by default)."""
    return [
        pytest.param(name, marks=[pytest.mark.slow] if case.slow else [], id=name)
        for name, case in CASES.items()
        # The million-row file is read by the command line and the page: a third, in-process read adds 10 s
        # and checks nothing more, since its expectation is only its row counts.
        if not (engine and case.slow and isinstance(case.outcome, Reads))
    ]


def phrase_seen(assessment: Assessment, phrase: str) -> bool:
    """Whether ``phrase`` is in what the user is told about the file: its notes, problems or skipped sheets."""
    said = [*assessment.notes, *assessment.problems["problem"], *(s.reason for s in assessment.layout.skipped)]
    return any(phrase in text for text in said)


# --------------------------------------------------------------------------------------------------
# The engine


@pytest.mark.parametrize("name", cases(engine=True))
def test_the_engine_reads_or_refuses_as_expected(corpus: Callable[[str], Path], name: str) -> None:
    case, path = CASES[name], corpus(name)
    if isinstance(case.outcome, Refused):
        with pytest.raises(case.outcome.error) as refused:
            assess(path)
        assert type(refused.value) is case.outcome.error
        message = str(refused.value)
        assert case.outcome.phrase in message and case.filename in message and "\n" not in message
        assert ADVICE.search(message), message
        return
    assessment = assess(path)
    assert (len(assessment.normalized), assessment.rows_with_problems) == (
        case.outcome.rows,
        case.outcome.problem_rows,
    )
    assert not case.outcome.phrase or phrase_seen(assessment, case.outcome.phrase), assessment.notes


@pytest.mark.slow
def test_a_tall_sheet_is_proved_safe_by_the_fast_scan(
    corpus: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The exact scan replays every cell in Python (~35 s for a million rows, past the CPU bound): a sheet
    whose own <dimension> fits the limits must be proved safe by the fast scan alone."""

    def refuse(*_args: object) -> None:
        raise AssertionError("the fast scan should have proved this sheet safe")

    monkeypatch.setattr(sheetscan._ExactSheetScan, "__init__", refuse)
    assert read_workbook(corpus("million_rows")).sheets[0].cells.shape == (MILLION + 1, 5)


def test_every_case_is_documented_and_named_once() -> None:
    assert len({case.filename for case in CASES.values()}) == len(CASES)
    for case in CASES.values():
        assert case.what and "\n" not in case.what
        assert not isinstance(case.outcome, Refused) or issubclass(case.outcome.error, GapmapError)
    readme = (ROOT / "tests" / "data" / "hostile" / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme, "update the table: python tests/data/hostile/make_corpus.py --table"


# --------------------------------------------------------------------------------------------------
# The command line


def _bounded() -> None:
    """Run in the child before it starts: the kernel stops it past the stated CPU time or address space."""
    resource.setrlimit(resource.RLIMIT_AS, (CLI_MEMORY, CLI_MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CLI_SECONDS, CLI_SECONDS + 5))


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _csv_rows(path: Path) -> list[dict[str, str]]:
    csv.field_size_limit(max(csv.field_size_limit(), 64 * 1024**2))  # huge_cell.csv's 10 MB note comes back
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("name", cases())
def test_the_command_line_reads_or_refuses_in_bounded_time_and_memory(
    corpus: Callable[[str], Path], tmp_path: Path, name: str
) -> None:
    case, path = CASES[name], corpus(name)
    normalized, problems = tmp_path / "normalized.csv", tmp_path / "problems.csv"
    cpu_before = _children_cpu()  # a worker runs one test at a time: the next child to end is this one
    result = subprocess.run(
        [sys.executable, "-m", "maturity", "normalize", path, "--out", normalized, "--errors", problems],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=HANG_SECONDS,
        preexec_fn=_bounded,
    )
    cpu = _children_cpu() - cpu_before
    assert result.returncode >= 0, f"{name}: the command line was killed by signal {-result.returncode}"
    assert cpu < CLI_SECONDS, f"{name} used {cpu:.1f} s of CPU"
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    if isinstance(case.outcome, Refused):
        assert result.returncode == 2, result.stderr[-2000:]
        assert len(lines) == 1 and lines[0].startswith("error: "), lines
        assert case.filename in lines[0] and case.outcome.phrase in lines[0] and ADVICE.search(lines[0])
        assert not normalized.exists()
        return
    assert result.returncode == 0, result.stderr[-2000:]
    rows, problem_rows = case.outcome.rows, case.outcome.problem_rows
    notes = [line for line in lines if line.startswith("note: ")]
    summary = lines[len(notes)]  # how the file was read comes first, then the one-line summary
    assert lines[: len(notes)] == notes, lines
    assert summary.startswith(f"{case.filename}: {rows} rows normalized"), lines
    assert f", {problem_rows} rows with problems" in summary, lines
    if rows < 100_000:
        assert len(_csv_rows(normalized)) == rows
    else:  # a million rows parse in seconds as lines; none of these spans two
        with normalized.open("rb") as handle:
            assert sum(1 for _ in handle) == rows + 1
    assert len({(p["source_sheet"], p["source_row"]) for p in _csv_rows(problems)}) == problem_rows


# --------------------------------------------------------------------------------------------------
# The upload page


def unescape(text: str) -> str:
    return text.replace("\\", "")


@pytest.mark.parametrize("name", cases())
def test_the_upload_page_shows_the_data_or_one_message(
    corpus: Callable[[str], Path],
    landing: Callable[..., AppTest],
    upload: Callable[..., AppTest],
    request: pytest.FixtureRequest,
    name: str,
) -> None:
    case, data = CASES[name], corpus(name).read_bytes()
    if case.slow:  # the dashboard's caches would keep a million rows alive for the rest of the run
        request.addfinalizer(st.cache_data.clear)
    at = landing(HANG_SECONDS)
    cpu_before = time.process_time()  # this process's CPU, the script thread's included
    upload(at, case.filename, data)
    cpu = time.process_time() - cpu_before
    assert not at.exception, [e.value for e in at.exception]
    assert cpu < PAGE_SECONDS, f"{name} kept the page busy for {cpu:.1f} s of CPU"
    read_summary = [e.label for e in at.expander if e.label.startswith("How this file was read")]
    if isinstance(case.outcome, Refused):
        with pytest.raises(GapmapError) as refused:
            assess(data, case.filename)
        assert len(at.error) == 1, [e.value for e in at.error]
        message = unescape(at.error[0].value)
        assert f"{case.filename} cannot be used." in message and str(refused.value) in message
        assert "Sample data: Northwind Mutual Bank (fictional)" in at.sidebar.caption[0].value  # the sample stays
        return
    assert not at.error, [e.value for e in at.error]
    assert f"Your file: {case.filename}" in [t.value for t in at.sidebar.text]
    rows, problem_rows = case.outcome.rows, case.outcome.problem_rows
    assert len(read_summary) == 1 and f", {rows} rows read, {problem_rows} row" in read_summary[0], read_summary


# --------------------------------------------------------------------------------------------------
# A real server, for the files that would kill its process if a guard ever let them through


WAIT_MS = 60_000  # for the browser: generous, so a loaded CI machine is not mistaken for a hung server


def _healthy(url: str) -> bool:
    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as response:
        return response.status == 200 and response.read() == b"ok"


@pytest.mark.e2e
def test_a_real_server_survives_the_files_that_would_abort_it(corpus: Callable[[str], Path], browser) -> None:
    from playwright.sync_api import expect

    from tests.e2e.conftest import IDLE, _require_chromium, serve

    _require_chromium()
    hostile = [name for name, case in CASES.items() if case.aborts_calamine] + ["zip_bomb"]
    paths = {name: corpus(name) for name in [*hostile, "hidden_sheets"]}
    with serve() as url:
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        try:
            context.set_default_timeout(WAIT_MS)
            page = context.new_page()
            page.goto(url)
            page.wait_for_selector(IDLE)
            uploader = page.locator('[data-testid="stFileUploaderDropzoneInput"]')
            alert = page.locator('[data-testid="stAlertContentError"]')
            for name in hostile:
                case = CASES[name]
                uploader.set_input_files(str(paths[name]))
                expect(alert).to_contain_text(f"{case.filename} cannot be used", timeout=WAIT_MS)
                expect(alert).to_contain_text(case.outcome.phrase, timeout=WAIT_MS)
                assert _healthy(url), f"the server stopped answering after {case.filename}"
                assert page.locator('[data-testid="stException"]').count() == 0
                assert "Traceback" not in page.locator("main").inner_text()
            # Still serving: this session reads a sound file, and a new session gets the landing page.
            uploader.set_input_files(str(paths["hidden_sheets"]))
            shown = page.locator('[data-testid="stSidebar"]').get_by_text(f"Your file: {paths['hidden_sheets'].name}")
            expect(shown).to_be_visible(timeout=WAIT_MS)
            expect(alert).to_have_count(0, timeout=WAIT_MS)
            fresh = context.new_page()  # same browser, its own Streamlit session
            fresh.goto(url)
            fresh.wait_for_selector(IDLE)
            fresh.wait_for_selector(".js-plotly-plot")
            sample = fresh.get_by_text("Sample data: Northwind Mutual Bank (fictional)").first
            expect(sample).to_be_visible(timeout=WAIT_MS)
            assert _healthy(url)
        finally:
            context.close()
