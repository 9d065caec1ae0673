"""Fixtures for the hostile-file tests: the corpus, built once per test run, and the dashboard in AppTest.

The corpus goes to one temporary directory shared by every pytest-xdist worker of the run; each file
is built on first use, under a lock, so no file is built twice and a worker never reads half a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.data.hostile import make_corpus
from tests.pages.conftest import _navigation_only  # noqa: F401 - autouse: AppTest runs app.py as a server does

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """``corpus(case_name)``: the path of that case of ``make_corpus.CASES``, built on first use."""
    base = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # the run's directory, above each worker's own
    directory = base / "hostile-corpus"
    return lambda case_name: make_corpus.build(case_name, directory)


@pytest.fixture
def landing() -> Callable[..., AppTest]:
    """``landing(timeout=60)``: the dashboard after its first run (the sample loaded), each later script
    run bounded by ``timeout`` seconds (AppTest raises past it, so a hang fails the test)."""
    return lambda timeout=60: AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout).run()


@pytest.fixture
def upload() -> Callable[[AppTest, str, bytes], AppTest]:
    """``upload(at, filename, data)``: upload through the landing page's file uploader, as a user does, and rerun."""

    def send(at: AppTest, filename: str, data: bytes) -> AppTest:
        at.file_uploader[0].set_value((filename, data, "application/octet-stream"))
        return at.run()

    return send
