"""Local servers the browser tests start (the dashboard, the OpenID Connect provider): a free port, a
URL that answers, and a process run until a block ends, its output in a log file removed afterwards."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    """``url`` answers 200 within a second."""
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def running(command: Sequence[str], ready: str, what: str, timeout: float = 60, cwd: Path | None = None,
            env: dict[str, str] | None = None) -> Iterator[Path]:
    """Run ``command`` until the block ends, entering it once the URL ``ready`` answers; yields the path
    of its log. RuntimeError, with the end of the log, when it exits or is not ready within ``timeout``."""
    log = tempfile.NamedTemporaryFile(prefix=f"{what.split()[-1]}-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(list(command), cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, **env} if env else None)
    try:
        deadline = time.monotonic() + timeout
        while not answers(ready):
            if process.poll() is not None or time.monotonic() > deadline:
                why = (f"exited with status {process.returncode}" if process.returncode is not None
                       else f"did not answer within {timeout:.0f}s")
                raise RuntimeError(f"{what} {why} on {ready}: {Path(log.name).read_text()[-2000:]}")
            time.sleep(0.2)
        yield Path(log.name)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        Path(log.name).unlink(missing_ok=True)
