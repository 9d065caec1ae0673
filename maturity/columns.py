"""Excel's column names: 0-based column positions to letters (0 → A, 26 → AA) and back.

Here rather than openpyxl's helpers because importing those loads all of openpyxl, which the command
line needs only to write Excel files.
"""

from __future__ import annotations

__all__ = ["column_index", "column_letter"]


def column_letter(index: int) -> str:
    """The letters Excel shows for the 0-based column ``index``: 0 → 'A', 25 → 'Z', 26 → 'AA'."""
    letters = ""
    number = index + 1
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based column of Excel's ``letters`` ('A' → 0, 'aa' → 26); ValueError for anything else."""
    if not letters or not letters.isascii() or not letters.isalpha():
        raise ValueError(f"{letters!r} is not a column letter")
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number - 1
