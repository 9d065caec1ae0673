import pytest
from openpyxl.utils import column_index_from_string, get_column_letter

from maturity.columns import column_index, column_letter


def test_column_letters_are_excels():
    for index in range(18_278):  # A … XFD, Excel's last column
        letters = get_column_letter(index + 1)
        assert column_letter(index) == letters
        assert column_index(letters) == column_index_from_string(letters) - 1
    assert column_index("xfd") == 16_383


@pytest.mark.parametrize("text", ["", "A1", "É", "-", "A B"])
def test_what_is_no_column_letter_is_refused(text):
    with pytest.raises(ValueError, match="is not a column letter"):
        column_index(text)
