"""The shared filters: the unit and the dimension picked in the sidebar, which every page follows."""

from __future__ import annotations

from pages._ui import session

ALL = ""  # the filters' "everything" option: never a unit (an empty unit is a problem row) nor a dimension id


def unit() -> str | None:
    """The unit chosen in the sidebar, or None for the whole organisation."""
    return session.widget_value(session.UNIT_FILTER) or None


def dimension() -> str | None:
    """The dimension id chosen in the sidebar, or None for all dimensions."""
    return session.widget_value(session.DIMENSION_FILTER) or None


def set_dimension(dimension_id: str | None) -> None:
    """Choose the shared dimension filter (from a callback, before the sidebar widget is drawn)."""
    session.set_widget_value(session.DIMENSION_FILTER, dimension_id or ALL)


def dimension_from_widget(key: str) -> None:
    """``on_change`` callback for a page's own dimension picker (widget ``key``): make it the shared filter."""
    set_dimension(session.widget_value(key))


def keep_filters_valid(units: list[str], dimension_ids: tuple[str, ...]) -> None:
    """Drop a filter value the loaded file does not have (e.g. a unit of the previous file)."""
    if session.widget_value(session.UNIT_FILTER, ALL) not in (ALL, *units):
        session.set_widget_value(session.UNIT_FILTER, ALL)
    if session.widget_value(session.DIMENSION_FILTER, ALL) not in (ALL, *dimension_ids):
        session.set_widget_value(session.DIMENSION_FILTER, ALL)
