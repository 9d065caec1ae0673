"""Editing a cell of a Streamlit data editor (a glide grid) in chromium as a user does with the keyboard."""

from __future__ import annotations

from playwright.sync_api import expect

_TRIES = 5


def _shows(selected, cell_id: str) -> bool:
    """Whether the grid's selected cell becomes ``cell_id`` within a second."""
    try:
        expect(selected).to_have_id(cell_id, timeout=1_000)
    except AssertionError:
        return False
    return True


def pick_option(page, grid, column: int, row: int, choice: str) -> None:
    """Pick ``choice`` in the drop-down of the cell at 0-based ``column`` and ``row`` of ``grid``: select the
    first row's first cell, move down and right to the cell, open its drop-down, type the choice and
    press Enter.

    The grid's accessible table marks the selected cell, so each step waits for it, and a click or a
    key the grid was not ready for (a busy machine lost the first arrow key after a click) is sent
    again instead of opening the wrong cell. Typing the choice and pressing Enter, rather than clicking
    the option, because a click once landed while the menu was still being placed and left it open.
    """
    selected = grid.locator('[aria-selected="true"]')
    for _ in range(_TRIES):
        grid.scroll_into_view_if_needed()
        grid.click(position={"x": 20, "y": 35 + 17})  # the first row's first cell, under the 35 px header
        if _shows(selected, "glide-cell-0-0"):
            break
    steps = [*(("ArrowDown", f"glide-cell-0-{r}") for r in range(1, row + 1)),
             *(("ArrowRight", f"glide-cell-{c}-{row}") for c in range(1, column + 1))]
    for key, cell in steps:
        for _ in range(_TRIES):
            page.keyboard.press(key)
            if _shows(selected, cell):
                break
    expect(selected).to_have_id(f"glide-cell-{column}-{row}")
    page.keyboard.press("Enter")  # opens the cell's drop-down, its search box focused
    expect(page.get_by_role("option", name=choice, exact=True)).to_be_visible()
    page.keyboard.type(choice)  # leaves that one option, focused
    expect(page.get_by_role("option")).to_have_count(1)
    page.keyboard.press("Enter")
    expect(page.get_by_role("listbox")).to_have_count(0)  # the choice is made and the drop-down closed
