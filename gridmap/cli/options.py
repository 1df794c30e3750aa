"""Checks of option values, made before a command reads or writes anything.

Each check returns the value as the command uses it, or raises `OptionError`
naming the option, the value and the fix (the CLI prints it and exits 2).
Click's own ranges let ``inf`` and ``nan`` through (every comparison with NaN
is false), so numbers are checked here.

>>> positive_distance(300, "--radius")
300.0
>>> date_range("2025-01-01", "2025-06-30")
(datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
"""

from __future__ import annotations

import datetime as dt
import math

from gridmap.errors import OptionError

#: PNG pages: the resolutions the renderer draws (gridmap.render.pdf.document.png_bytes).
PNG_DPI = (10.0, 1200.0)
#: Dates GridMap's records can carry (the grid system dates from this century;
#: 1949 and 2100 bound any plausible typo-free date).
FIRST_YEAR, LAST_YEAR = 1949, 2100
#: The longest date range a report covers, in years.
MAX_RANGE_YEARS = 20


def _number(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


def positive_number(value: object, option: str, *, what: str, example: str) -> float:
    """`value` as a finite number above 0, else `OptionError` saying `what` it measures."""
    number = _number(value)
    if number is None or number <= 0:
        raise OptionError(
            f"{option} must be a finite number of {what} above 0, not {value!r}. "
            f"Fix: give e.g. {option} {example}."
        )
    return number


def positive_distance(value: object, option: str) -> float:
    """Return a service distance in metres: finite and above 0."""
    return positive_number(value, option, what="metres", example="300")


def unit_share(value: object, option: str) -> float:
    """Return a share between 0 and 1 (NaN and infinity refused)."""
    number = _number(value)
    if number is None or not 0 <= number <= 1:
        raise OptionError(
            f"{option} must be a share between 0 and 1, not {value!r}. "
            f"Fix: give e.g. {option} 0.95 for 95 %."
        )
    return number


def png_dpi(value: object, option: str = "--png") -> float:
    """Return a PNG resolution inside `PNG_DPI`."""
    low, high = PNG_DPI
    number = _number(value)
    if number is None or not low <= number <= high:
        raise OptionError(
            f"{option} must be a resolution between {low:g} and {high:g} dpi, not {value!r}. "
            f"Fix: give e.g. {option} 150 for the screen or {option} 300 for print."
        )
    return number


def date_value(value: str | None, option: str) -> dt.date | None:
    """Return an ISO date (2025-06-01) between `FIRST_YEAR` and `LAST_YEAR`; None stays None."""
    if value is None:
        return None
    try:
        day = dt.date.fromisoformat(value.strip())
    except ValueError:
        raise OptionError(
            f"{option} {value!r} is not a date. Fix: write it as 2025-06-01."
        ) from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise OptionError(
            f"{option} {day} is outside the years {FIRST_YEAR}..{LAST_YEAR}. "
            "Fix: check the year (a typo such as 2205 for 2025?)."
        )
    return day


def date_range(
    start: str, end: str, *, first: str = "--from", last: str = "--to"
) -> tuple[dt.date, dt.date]:
    """Two dates in order, at most `MAX_RANGE_YEARS` apart; `OptionError` naming both options."""
    day1, day2 = date_value(start, first), date_value(end, last)
    assert day1 is not None and day2 is not None
    if day2 < day1:
        raise OptionError(
            f"{first} {day1} is after {last} {day2}: the range ends before it starts. "
            f"Fix: swap them ({first} {day2} {last} {day1})."
        )
    if (day2 - day1).days > MAX_RANGE_YEARS * 366:
        raise OptionError(
            f"{first} {day1} .. {last} {day2} spans more than {MAX_RANGE_YEARS} years. "
            "Fix: check the years, or report one period at a time."
        )
    return day1, day2


def language(value: str, option: str = "--lang") -> str:
    """One of the interface languages (`gridmap.i18n.LANGS`)."""
    from gridmap.i18n import require_lang

    return require_lang(value, option=option)
