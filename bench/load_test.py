"""Load test: N people using one dashboard server at once, each with their own file.

For each N, a fresh ``streamlit run`` server on 127.0.0.1 and one chromium with N browser contexts
(N Streamlit sessions) running at the same time. Each session opens the landing page, uploads its own
CSV (6 units × 30 practices, unit names starting with the session's own prefix), waits until the page
has settled, then clicks through every page in the sidebar and waits until each has settled.

Settled: the script run is over, the page's heading and charts are drawn and the session's own units
are on the page. On every page a session checks that no error or exception is shown (an error) and
that no other session's prefix is anywhere in the document or in the data of its charts (a leak).
A thread samples the server's resident memory (its process and any children) every 100 ms.

    .venv/bin/python bench/load_test.py [--sessions 1 4 8 16] [--timeout 600]

Prints a markdown table for bench/README.md, and on stderr each round's problems, its cached
functions' runs, calls and evictions (from the server's /_stcore/metrics) and any request the pages
made off 127.0.0.1, which chromium cannot resolve (it resolves no other host name). The CPU column
says who waited for whom: chromium drawing N pages shares the machine with the server.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import os
import re
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import maturity  # noqa: E402
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, IDLE, serve  # noqa: E402

UNITS = 6
PRACTICES_PER_DIMENSION = 6  # × 5 dimensions = 30 practices
# The pages in the order a session visits them: each one's heading, and the plotly charts it draws for these files.
PAGES = {"Compare units": ("Compare units", 2), "Practice areas": ("Practice areas", 1),
         "Roadmap": ("Roadmap", 1), "Rubric": ("Rubric", 0), "Overview": ("DevOps maturity overview", 2)}
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'
LOCAL_ONLY = "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"
ACTION_TIMEOUT_MS = 120_000


def prefix(session: int) -> str:
    """The session's unit prefix; no prefix is part of another (``Load01`` is not in ``Load11``)."""
    return f"Load{session:02d}"


def write_assessment(directory: Path, session: int) -> Path:
    """A CSV of 6 units × 30 rubric practices, unit names starting with the session's prefix."""
    rubric = maturity.load_rubric()
    practices = [(d.name, p.label) for d in rubric.dimensions for p in d.practices[:PRACTICES_PER_DIMENSION]]
    generator = np.random.default_rng(session)
    path = directory / f"{prefix(session).lower()}_assessment.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Unit", "Dimension", "Practice", "Current", "Target", "Priority", "Effort"])
        for unit in range(1, UNITS + 1):
            for dimension, practice in practices:
                current = int(generator.integers(1, 5))
                writer.writerow([f"{prefix(session)} Unit {unit}", dimension, practice, current,
                                 min(5, current + int(generator.integers(0, 3))),
                                 generator.choice(["High", "Medium", "Low"]), generator.choice(["S", "M", "L"])])
    return path


@dataclass
class Session:
    """What one browser session saw and how long it waited."""

    index: int
    upload_seconds: float | None = None
    page_seconds: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and not self.leaks and len(self.page_seconds) == len(PAGES)


# ---- the server: its process, memory, CPU and caches -------------------------------------------------

def _children() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            try:
                stat = Path(entry.path, "stat").read_text()
            except OSError:
                continue
            parent = int(stat[stat.rindex(")") + 2:].split()[1])
            tree.setdefault(parent, []).append(int(entry.name))
    return tree


def server_pid(port: int) -> int:
    """The ``streamlit run`` process this script started for ``port``."""
    for pid in _children().get(os.getpid(), []):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"streamlit" in command and str(port).encode() in command:
            return pid
    raise RuntimeError(f"no streamlit process of this script serves port {port}")


def _rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2:].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_cpu_seconds() -> float:
    """CPU time the whole machine has spent busy so far (every core), in seconds."""
    ticks = [int(t) for t in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")  # all but idle and iowait


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and its descendants every 100 ms; keeps the peak."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kib, self.start_kib = pid, 0, _rss_kib(pid)
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.1):
            tree, pids, total = _children(), [self.pid], 0
            while pids:
                pid = pids.pop()
                total += _rss_kib(pid)
                pids.extend(tree.get(pid, []))
            self.peak_kib = max(self.peak_kib, total)

    def stop(self) -> None:
        self._done.set()
        self.join()


def cache_runs(url: str) -> dict[str, tuple[int, int, int]]:
    """For each cached function of the app: (calls, runs, evictions) so far, from the server's metrics."""
    request = urllib.request.Request(f"{url}/_stcore/metrics", headers={"Accept": "text/plain"})
    with urllib.request.urlopen(request, timeout=10) as response:
        metrics = response.read().decode()

    def per_cache(pattern: str) -> dict[str, int]:
        counts: dict[str, int] = {}
        for cache, count in re.findall(pattern, metrics, re.MULTILINE):
            counts[cache] = counts.get(cache, 0) + int(count)
        return counts

    label = r'\{cache="pages\._ui\.cache\.(\w+)",[^}]*'
    calls = per_cache(rf"^cache_lookups_total{label}\}} (\d+)$")
    runs = per_cache(rf'^cache_compute_duration_seconds_count{label}trigger="miss"\}} (\d+)$')
    evictions = per_cache(rf"^cache_evictions_total{label}\}} (\d+)$")
    return {cache: (calls[cache], runs.get(cache, 0), evictions.get(cache, 0)) for cache in calls}


# ---- one session -------------------------------------------------------------------------------------

async def _everything_shown(page) -> str:
    return await page.evaluate("""() => document.body.textContent + JSON.stringify(
        Array.from(document.querySelectorAll('.js-plotly-plot')).map(chart => chart.data))""")


async def _settled(page, heading: str, charts: int, own: str | None) -> None:
    """Wait until the run is over, ``heading`` and ``charts`` plotly charts are drawn, and ``own`` is shown."""
    await page.get_by_role("heading", name=heading, level=1).wait_for()
    await page.wait_for_selector(IDLE)
    if charts:
        await page.wait_for_function("n => document.querySelectorAll('.js-plotly-plot .main-svg').length >= n",
                                     arg=charts)
    if own:
        await page.wait_for_function("own => document.body.textContent.includes(own)", arg=own)


async def _check(page, session: Session, where: str, others: list[str]) -> None:
    if count := await page.locator(ERRORS).count():
        session.errors.append(f"{where}: {count} error element(s)")
    shown = await _everything_shown(page)
    if "Traceback" in shown:
        session.errors.append(f"{where}: a traceback")
    session.leaks.extend(f"{where}: {other}" for other in others if other in shown)


async def run_session(browser, url: str, session: Session, upload: Path, others: list[str],
                      external: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    context.on("request", lambda request: None if request.url.startswith(url) else external.append(request.url))
    try:
        page = await context.new_page()
        page.set_default_timeout(ACTION_TIMEOUT_MS)
        own = prefix(session.index)
        await page.goto(url)
        await _settled(page, "DevOps maturity overview", 2, None)

        start = time.monotonic()
        await page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(upload))
        await page.locator('[data-testid="stSidebar"]').get_by_text(f"Your file: {upload.name}").wait_for()
        await _settled(page, "DevOps maturity overview", 2, own)
        session.upload_seconds = time.monotonic() - start
        await _check(page, session, "upload", others)

        for title, (heading, charts) in PAGES.items():
            start = time.monotonic()
            await page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=title).click()
            await _settled(page, heading, charts, None if title == "Rubric" else own)
            session.page_seconds.append(time.monotonic() - start)
            await _check(page, session, title, others)
    except Exception as error:  # a timeout or a crash is this session's error, not the whole run's
        session.errors.append(f"{type(error).__name__}: {str(error).splitlines()[0]}")
    finally:
        await context.close()


# ---- one round: N sessions at once -------------------------------------------------------------------

@dataclass
class Round:
    sessions: list[Session]
    peak_mib: float
    start_mib: float
    seconds: float
    external: list[str]  # URLs off 127.0.0.1 the pages asked for (chromium could not resolve them)
    server_cpu: float  # CPU seconds the server used during the round
    machine_cpu: float  # CPU seconds the whole machine used: the server, chromium, Playwright and this script
    caches: dict[str, tuple[int, int, int]]  # per cached function of pages/_ui/cache.py: calls, runs, evictions


async def run_round(count: int, files: dict[int, Path], timeout: float) -> Round:
    from playwright.async_api import async_playwright

    sessions = [Session(index) for index in range(1, count + 1)]
    prefixes = [prefix(s.index) for s in sessions]
    with serve() as url:
        pid = server_pid(int(url.rsplit(":", 1)[1]))
        memory = PeakMemory(pid)
        memory.start()
        external: list[str] = []
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, f"--host-resolver-rules={LOCAL_ONLY}"])
            start, cpu_before, machine_before = time.monotonic(), cpu_seconds(pid), machine_cpu_seconds()
            tasks = [run_session(browser, url, s, files[s.index], [p for p in prefixes if p != prefix(s.index)],
                                 external) for s in sessions]
            try:
                await asyncio.wait_for(asyncio.gather(*tasks), timeout)
            except TimeoutError:
                for s in sessions:
                    if not s.ok and not s.errors:
                        s.errors.append(f"round timed out after {timeout:.0f}s")
            seconds = time.monotonic() - start
            server_cpu, machine_cpu = cpu_seconds(pid) - cpu_before, machine_cpu_seconds() - machine_before
            await browser.close()
        memory.stop()  # before the server stops
        caches = cache_runs(url)
    return Round(sessions, memory.peak_kib / 1024, memory.start_kib / 1024, seconds, sorted(set(external)),
                 server_cpu, machine_cpu, caches)


def _median_worst(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {max(values):.2f}" if values else "–"


def table(rounds: dict[int, Round]) -> str:
    lines = ["| N | sessions ok | errors | leaks | upload→settled median / worst (s) | page settle median / worst (s) "
             "| server peak RSS (MiB) | CPU: server / whole machine (s) |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for count, result in rounds.items():
        sessions = result.sessions
        uploads = [s.upload_seconds for s in sessions if s.upload_seconds is not None]
        pages = [t for s in sessions for t in s.page_seconds]
        lines.append(f"| {count} | {sum(s.ok for s in sessions)}/{count} | {sum(len(s.errors) for s in sessions)} "
                     f"| {sum(len(s.leaks) for s in sessions)} | {_median_worst(uploads)} | {_median_worst(pages)} "
                     f"| {result.peak_mib:.0f} | {result.server_cpu:.0f} / {result.machine_cpu:.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 8, 16], help="N for each round")
    parser.add_argument("--timeout", type=float, default=600, help="seconds allowed for each round")
    args = parser.parse_args()
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing: install Debian's chromium (make browser)", file=sys.stderr)
        return 2

    rounds: dict[int, Round] = {}
    with tempfile.TemporaryDirectory(prefix="gapmap-load-") as directory:
        files = {index: write_assessment(Path(directory), index) for index in range(1, max(args.sessions) + 1)}
        for count in args.sessions:
            result = asyncio.run(run_round(count, files, args.timeout))
            rounds[count] = result
            problems = [f"  session {s.index}: {p}" for s in result.sessions for p in s.errors + s.leaks]
            print(f"N={count}: {sum(s.ok for s in result.sessions)}/{count} ok in {result.seconds:.1f}s; CPU: server "
                  f"{result.server_cpu:.1f}s of the machine's {result.machine_cpu:.1f}s "
                  f"({result.machine_cpu / (os.cpu_count() * result.seconds):.0%} of {os.cpu_count()} cores); "
                  f"server {result.start_mib:.0f} MiB at start, {result.peak_mib:.0f} MiB at peak; "
                  f"requests off 127.0.0.1 (not resolved): {result.external or 'none'}",
                  "  cached functions (runs/calls, evictions): " + ", ".join(
                      f"{name} {runs}/{calls}, {evicted}" for name, (calls, runs, evicted) in result.caches.items()),
                  *problems[:20], sep="\n", file=sys.stderr)
    print(f"{os.cpu_count()} CPUs; server and chromium on the same machine.\n")
    print(table(rounds))
    return 0 if all(s.ok for r in rounds.values() for s in r.sessions) else 1


if __name__ == "__main__":
    sys.exit(main())
