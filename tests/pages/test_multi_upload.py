"""Several workbooks, one assessment (AppTest): the Overview's uploader takes one workbook per team, reads
each on its own and shows them as one assessment, refuses a unit found in two files (naming both, the
analysis shown kept), and saves them together as one snapshot that opens with the same figures."""

from __future__ import annotations

import sqlite3
from html import unescape

from streamlit.testing.v1 import AppTest

from pages._ui.key import Source
from tests.pages.test_pages import assert_ok, upload
from tests.pages.test_snapshots import headline, notices, open_saved, save, store

HEADER = ["Team", "Category", "Capability", "As-Is", "To-Be"]
# Mobile fills in one workbook, Platform another; Platform's has a row whose level cannot be read.
MOBILE = [HEADER, ["Mobile", "Build & Deploy", "Scripted builds", 1, 4],
          ["Mobile", "Test & Verification", "Automatic unit tests", 2, 3]]
PLATFORM = [HEADER, ["Platform", "Build & Deploy", "Scripted builds", 3, 4],
            ["Platform", "Test & Verification", "Automatic unit tests", 3, 5],
            ["Platform", "Culture & Organization", "Stable teams", "lots", 4]]


def upload_all(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    """Put ``files`` in the Overview's uploader together, as choosing several in the browser does."""
    at.file_uploader[0].set_value([(name, data, "text/csv") for name, data in files])
    return at.run()


def sidebar_file(at: AppTest) -> str:
    return next(t.value for t in at.sidebar.text if t.value.startswith("Your file"))


def test_two_team_workbooks_are_one_assessment_each_file_read_and_named(app: AppTest, make_xlsx, csv_bytes) -> None:
    mobile, platform = make_xlsx({"Assessment": MOBILE}, name="mobile.xlsx").read_bytes(), csv_bytes(PLATFORM)
    upload_all(app, [("mobile.xlsx", mobile), ("platform.csv", platform)])
    assert_ok(app)
    assert not app.error
    assert app.file_uploader[0].accept_multiple_files
    assert sidebar_file(app) == "Your file: mobile.xlsx + platform.csv"
    # 2 units, 4 practices read; current (1 + 2 + 3 + 3) / 4 = 2.25, target (4 + 3 + 4 + 5) / 4 = 4.0.
    assert headline(app) == ["2", "2.2", "4.0", "1.8 levels"]

    panel = next(e for e in app.expander if e.label.startswith("How these 2 files were read"))
    assert panel.label == "How these 2 files were read: 4 rows read, 1 row with problems"
    texts = [t.value for t in app.text]
    assert any(t.startswith("mobile.xlsx: 2 rows normalized, 0 rows with problems") for t in texts)
    assert "Units come from a Unit column: Mobile." in texts  # the first file's tab, open
    assert [tab.label for tab in app.tabs][:2] == ["mobile\\.xlsx", "platform\\.csv"]
    assert "Every row of this file was read." in [c.value for c in app.caption]
    every = next(d.value for d in app.dataframe if "Problem" in d.value)  # every file's problems
    assert list(every.columns[:3]) == ["File", "Sheet", "Row"]
    assert every["File"].tolist() == ["platform.csv"] and "lots" in every["Value"].tolist()

    both = Source.of_files([Source.of("mobile.xlsx", mobile), Source.of("platform.csv", platform)])
    app.session_state[f"understood_sheet_{both.digest[:16]}"] = "platform\\.csv"  # its tab opened, as a click does
    app.run()
    texts = [t.value for t in app.text]
    assert any(t.startswith("platform.csv: 2 rows normalized, 1 row with problems") for t in texts)
    assert "Units come from a Unit column: Platform." in texts
    own, every = [d.value for d in app.dataframe if "Problem" in d.value]
    assert own.equals(every)


def test_a_unit_in_two_files_is_refused_naming_both_and_the_analysis_shown_stays(app: AppTest, csv_bytes) -> None:
    upload(app, "mobile.csv", csv_bytes(MOBILE))
    before = headline(app)
    assert before[0] == "1"
    also_mobile = [HEADER, ["Mobile", "Build & Deploy", "Scripted builds", 3, 4], *PLATFORM[1:]]
    upload_all(app, [("mobile.csv", csv_bytes(MOBILE)), ("platform.csv", csv_bytes(also_mobile))])
    assert_ok(app)
    message = unescape(app.error[0].value).replace("\\", "")
    assert "\n" not in message
    assert "mobile.csv + platform.csv cannot be used" in message
    assert "'Mobile' is in both mobile.csv and platform.csv" in message
    assert any("Still showing mobile.csv below" in c.value.replace("\\", "") for c in app.caption)
    assert headline(app) == before and sidebar_file(app) == "Your file: mobile.csv"


def test_saving_two_files_keeps_both_and_the_snapshot_opens_with_the_same_figures(app: AppTest, csv_bytes) -> None:
    files = [("mobile.csv", csv_bytes(MOBILE)), ("platform.csv", csv_bytes(PLATFORM))]
    upload_all(app, files)
    shown = headline(app)
    save(app, "Acme", "2026-06-30", "Q2 2026")
    assert_ok(app)
    assert notices(app) == ["Saved as snapshot 1: Acme · Q2 2026 · 2026-06-30"]
    with sqlite3.connect(store().engine.url.database) as connection:
        saved = connection.execute("SELECT filename, content FROM snapshot_sources WHERE snapshot_id = 1 "
                                   "ORDER BY position").fetchall()
        counts = connection.execute("SELECT unit_count, row_count FROM snapshots WHERE id = 1").fetchone()
    assert saved == files
    assert counts == (2, 4)

    next(b for b in app.sidebar.button if b.label == "Back to the sample").click().run()
    assert headline(app) != shown
    open_saved(app, "Acme", 1)
    assert_ok(app)
    assert headline(app) == shown
    assert "Read from mobile.csv + platform.csv" in [c.value.replace("\\", "") for c in app.sidebar.caption]
