"""Assessment periods (考核期): half years and years in Asia/Shanghai, and the choices offered.

An assessment period is a half year (``2025H2``: 1 July to 31 December 2025)
or a calendar year (``2026``), in Asia/Shanghai: a record at
``2025-12-31T16:30Z`` is dated 1 January 2026 in Shanghai and belongs to
2026H1. The window assessed is the period, cut at ``as_of`` when the period
is still running. Whole calendar periods inside the window are counted as in
`gridmap.analysis.inspections.compliance`. `period_choices`, `default_period` and
`record_span` give the app its list of periods from the district's records.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from gridmap.analysis.inspections import as_date
from gridmap.analysis.plan_records import NAT, layer_days, record_layer
from gridmap.district import District

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-_ ]?\s*([hH])\s*([12]))?\s*$")


@dataclass(frozen=True)
class AssessmentPeriod:
    """A half year or a year: its label and first and last day (Asia/Shanghai).

    >>> p = parse_period("2025H2")
    >>> p.label, str(p.start), str(p.end)
    ('2025H2', '2025-07-01', '2025-12-31')
    >>> [str(d) for d in parse_period("2026").window(as_of="2026-03-15")]
    ['2026-01-01', '2026-03-15']
    """

    label: str
    start: dt.date
    end: dt.date

    def window(self, *, as_of: object | None = None) -> tuple[dt.date, dt.date]:
        """First and last day assessed: the period, cut at `as_of` while it is running."""
        if as_of is None:
            return self.start, self.end
        day = as_date(as_of)
        if day < self.start:
            raise ValueError(
                f"the period {self.label} starts on {self.start}, after the day of the "
                f"assessment ({day}); choose an earlier period."
            )
        return self.start, min(self.end, day)


def parse_period(text: str) -> AssessmentPeriod:
    """``2025H2``, ``2026H1`` or ``2026`` as an `AssessmentPeriod`.

    Examples
    --------
    >>> from gridmap.analysis.assessment import parse_period
    >>> parse_period("2026H1").window()
    (datetime.date(2026, 1, 1), datetime.date(2026, 6, 30))
    """
    match = _PERIOD.match(str(text))
    if match is None:
        raise ValueError(
            f"{text!r} is not an assessment period; write a year (2026) or a half year "
            "(2025H2, 2026H1)."
        )
    year, half = int(match.group(1)), match.group(3)
    if half is None:
        return AssessmentPeriod(str(year), dt.date(year, 1, 1), dt.date(year, 12, 31))
    if half == "1":
        return AssessmentPeriod(f"{year}H1", dt.date(year, 1, 1), dt.date(year, 6, 30))
    return AssessmentPeriod(f"{year}H2", dt.date(year, 7, 1), dt.date(year, 12, 31))


def period_of(day: object, *, half: bool = True) -> AssessmentPeriod:
    """Return the half year (or year) holding a day.

    Examples
    --------
    >>> period_of("2026-10-31").label, period_of("2026-10-31", half=False).label
    ('2026H2', '2026')
    """
    d = as_date(day)
    if not half:
        return parse_period(str(d.year))
    return parse_period(f"{d.year}H{1 if d.month <= 6 else 2}")


def period_choices(first: object, last: object) -> list[str]:
    """Labels of the half years and years from `first` to `last`, newest first.

    Examples
    --------
    >>> period_choices("2025-11-01", "2026-10-31")
    ['2026H2', '2026H1', '2026', '2025H2', '2025']
    """
    a, b = as_date(first), as_date(last)
    if b < a:
        raise ValueError(f"the range ends ({b}) before it starts ({a})")
    out: list[str] = []
    for year in range(b.year, a.year - 1, -1):
        halves = [h for h in (2, 1) if (year, h) <= (b.year, 1 + (b.month > 6))]
        halves = [h for h in halves if (year, h) >= (a.year, 1 + (a.month > 6))]
        out += [f"{year}H{h}" for h in halves] + [str(year)]
    return out


def default_period(last: object) -> str:
    """Return the latest half year ended by `last` (the one holding `last` if it ends it).

    Examples
    --------
    >>> default_period("2026-10-31"), default_period("2026-06-30")
    ('2026H1', '2026H1')
    """
    day = as_date(last)
    current = period_of(day)
    if day == current.end:
        return current.label
    return period_of(current.start - dt.timedelta(days=1)).label


def record_span(district: District) -> tuple[dt.date, dt.date] | None:
    """First and last day of the district's dated records (inspections and the plan's).

    Examples
    --------
    >>> from gridmap.analysis.assessment import record_span
    >>> record_span(district)
    (datetime.date(2025, 11, 1), datetime.date(2026, 10, 31))
    """
    days = []
    for layer, column in (
        ("inspections", "inspected_at"),
        ("trainings", "date"),
        ("drills", "date"),
        ("meetings", "date"),
    ):
        frame = record_layer(district, layer)
        if frame is not None and column in frame.columns:
            found = layer_days(frame, column)
            days.append(found[found != NAT])
    every = np.concatenate(days) if days else np.empty(0, dtype=np.int64)
    if not len(every):
        return None
    low, high = every.min(), every.max()
    return tuple(np.array([low, high]).astype("datetime64[D]").astype(object))
