import pandas as pd
import pytest

from maturity import RawSheet, RawWorkbook
from maturity.titles import find_organisation


def _book(rows, name="Assessment"):
    return RawWorkbook("f.xlsx", "xlsx", (RawSheet(name, pd.DataFrame(rows, dtype=object)),))


@pytest.mark.parametrize(
    ("rows", "found"),
    [
        ([["Organization:", "Acme Brick Co"]], ("Acme Brick Co", "B1")),
        ([["Title", None, None], ["Organisation:", None, "Northwind Mutual"]], ("Northwind Mutual", "C2")),
        ([[None, "Client:", "  Contoso  "]], ("Contoso", "C1")),
        ([["Company", "Current", "Target"], ["Acme", 1, 2]], None),  # a column header, not a label
        ([["Organization:", None, None, None]], None),
        ([["Organization:", 42]], None),  # a number is not a name
    ],
)
def test_the_organisation_in_a_title_cell(rows, found):
    result = find_organisation(_book(rows))
    assert (None if result is None else (result.value, result.cell)) == found
