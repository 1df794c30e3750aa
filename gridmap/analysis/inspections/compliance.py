"""Inspection schedule compliance (定期检查制度): which grid was inspected by whom, how often.

Time. Every date and time is compared in Asia/Shanghai (`gridmap.schema.TIMEZONE`):
an aware timestamp is converted (``2025-05-31T16:30Z`` is 1 June 00:30 in
Shanghai and counts for 1 June), a naive one is read as Shanghai wall time, as
the loader does. A range ``start .. end`` of dates is the half-open interval
[start 00:00, end + 1 day 00:00) in Shanghai, so an inspection at exactly
00:00 belongs to the day it starts. Periods are calendar days, ISO weeks
(Monday to Sunday), calendar months and half years (January-June, July-December).

Placing an inspection: by its ``target_id`` (a grid, unit, building or
household) and else by its point, see `gridmap.analysis.inspections.placement`.

Compliance. For each requirement of the table and each grid of its level,
``required`` is the number of whole periods inside the range times the
inspections needed per period. A period cut by an edge of the range is not
required, and inspections in it do not count toward ``done`` (a year from
Saturday 1 November does not ask for a weekly visit on that weekend); a
range shorter than one period requires nothing of that rule. ``done`` counts
the inspections that meet the requirement, at most ``times`` per period
(three patrols on Monday do not make up for an empty Tuesday).
``longest_gap_days`` is the longest run of calendar days between consecutive
inspection dates in the range, counting from ``start`` and up to ``end + 1``:
daily inspections give 1; an inspection on the first day only, or none at
all, gives the range's length. ``status`` is ``on_schedule`` (done ==
required), ``never`` (no inspection of this role in the grid in the whole
range) or ``late`` (inspected, but some required periods missed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.analysis.inspections.placement import (
    assign_records,
    event_layer,
    lookup,
    text_ids,
)
from gridmap.district import District
from gridmap.layers import LINEAGE_COLUMN
from gridmap.schema import TIMEZONE
from gridmap.standards.inspections import DEFAULT_FREQUENCIES, InspectionRequirement

#: Columns of `compliance`'s result (and of the CLI's JSON records).
COMPLIANCE_COLUMNS = (
    "grid_id",
    "level",
    "role",
    "required",
    "done",
    "longest_gap_days",
    "status",
)
STATUSES = ("on_schedule", "late", "never")
_EPOCH_MONDAY_SHIFT = 3  # 1970-01-01 is a Thursday; day -3 is Monday 1969-12-29


# ---------------------------------------------------------------------------
# Time


def as_date(value: object) -> dt.date:
    """Return the calendar date of a date, datetime, Timestamp or ISO text (aware: in Shanghai).

    Examples
    --------
    >>> as_date("2025-06-01"), as_date(pd.Timestamp("2025-05-31T16:30Z"))
    (datetime.date(2025, 6, 1), datetime.date(2025, 6, 1))
    """
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:  # the stubs type pd.Timestamp for known types; any date-like value is read
        stamp = pd.Timestamp(cast(Any, value))
    except (ValueError, TypeError) as exc:
        raise ValueError(f"cannot read {value!r} as a date; write it as 2025-06-01") from exc
    if pd.isna(stamp):
        raise ValueError(f"cannot read {value!r} as a date; write it as 2025-06-01")
    if stamp.tzinfo is not None:
        stamp = stamp.tz_convert(TIMEZONE)
    return stamp.date()


def local_times(values: pd.Series) -> pd.Series:
    """Timestamps as aware Asia/Shanghai times (naive ones are Shanghai wall time).

    Examples
    --------
    >>> import pandas as pd
    >>> from gridmap.analysis.inspections import local_times
    >>> local_times(pd.Series(pd.to_datetime(["2026-01-01 08:00"]))).iloc[0]
    Timestamp('2026-01-01 08:00:00+0800', tz='Asia/Shanghai')
    """
    times = pd.to_datetime(values, format="ISO8601") if values.dtype == object else values
    if not isinstance(times.dtype, pd.DatetimeTZDtype):
        return times.dt.tz_localize(TIMEZONE)
    return times.dt.tz_convert(TIMEZONE)


def day_numbers(values: pd.Series) -> np.ndarray:
    """Shanghai calendar day of each timestamp as days since 1970-01-01 (NaT: minimum int).

    Examples
    --------
    >>> from gridmap.analysis.inspections import day_numbers
    >>> day_numbers(district["inspections"]["inspected_at"].head(3)).tolist()
    [20393, 20393, 20393]
    """
    wall = local_times(values).dt.tz_localize(None)
    return wall.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]").astype(np.int64)


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 of a date.

    Examples
    --------
    >>> import datetime as dt
    >>> from gridmap.analysis.inspections import day_number
    >>> day_number(dt.date(1970, 1, 2)), day_number(dt.date(2026, 1, 1))
    (1, 20454)
    """
    return (day - dt.date(1970, 1, 1)).days


def period_numbers(days: np.ndarray, period: str) -> np.ndarray:
    """Return the number of the day / ISO week / month / half year holding each day number.

    Examples
    --------
    >>> period_numbers(np.array([day_number(dt.date(2025, 6, 1)),
    ...                          day_number(dt.date(2025, 6, 2))]), "weekly").tolist()
    [2891, 2892]
    """
    days = np.asarray(days, dtype=np.int64)
    if period == "daily":
        return days
    if period == "weekly":
        return np.floor_divide(days + _EPOCH_MONDAY_SHIFT, 7)
    months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
    if period == "monthly":
        return months
    if period == "half_yearly":
        return np.floor_divide(months, 6)
    raise ValueError(f"unknown period {period!r}")


def whole_periods(first: int, last: int, period: str) -> tuple[int, int]:
    """First whole period inside days `first` .. `last` (day numbers) and how many there are.

    Examples
    --------
    >>> whole_periods(day_number(dt.date(2025, 11, 1)), day_number(dt.date(2026, 10, 31)),
    ...               "monthly")[1]
    12
    >>> whole_periods(day_number(dt.date(2025, 11, 1)), day_number(dt.date(2026, 10, 31)),
    ...               "weekly")[1]
    51
    """
    edges = period_numbers(np.array([first - 1, first, last, last + 1]), period)
    p_first = int(edges[1]) + int(edges[0] == edges[1])
    p_last = int(edges[2]) - int(edges[2] == edges[3])
    return p_first, max(p_last - p_first + 1, 0)


# ---------------------------------------------------------------------------
# Placing inspections in grids (gridmap.analysis.inspections.placement)


def assign_inspections(district: District, *, places: pd.DataFrame | None = None) -> pd.DataFrame:
    """Grids of every inspection (see the module docstring), on the layer's index.

    Examples
    --------
    >>> from gridmap.analysis.inspections import assign_inspections
    >>> grids = assign_inspections(district)
    >>> len(grids), grids[["small_id", "medium_id", "large_id"]].iloc[0].tolist()
    (21950, ['410106002002002', '410106002002', '410106002'])
    """
    frame = event_layer(district, "inspections")
    targets = (
        frame["target_id"]
        if "target_id" in frame.columns
        else pd.Series(None, index=frame.index, dtype=object)
    )
    points = (
        frame.geometry.values
        if isinstance(frame, gpd.GeoDataFrame)
        else np.full(len(frame), None, dtype=object)
    )
    return assign_records(district, targets, points, places=places)


# ---------------------------------------------------------------------------
# Compliance


def check_table(table: Iterable[InspectionRequirement]) -> tuple[InspectionRequirement, ...]:
    """Return `table` as a tuple; a role may appear once per level (records stay unambiguous).

    Examples
    --------
    >>> from gridmap.analysis.inspections import check_table
    >>> from gridmap.standards.inspections import DEFAULT_FREQUENCIES
    >>> len(check_table(DEFAULT_FREQUENCIES))
    5
    """
    rows = tuple(table)
    seen: set[tuple[str, str]] = set()
    for row in rows:
        if (row.role, row.level) in seen:
            raise ValueError(
                f"the frequency table has two requirements for role {row.role!r} at "
                f"{row.level!r}; keep one per role and level."
            )
        seen.add((row.role, row.level))
    return rows


def grid_ids(district: District, level: str) -> np.ndarray:
    """Return the distinct, non-blank grid ids of one level, in layer order.

    Examples
    --------
    >>> from gridmap.analysis.inspections import grid_ids
    >>> grid_ids(district, "grid_large").tolist()
    ['410106001', '410106002', '410106003', '410106004', '410106005', '410106100']
    """
    ids = pd.unique(text_ids(district[level]["grid_id"]))
    return np.asarray([i for i in ids if i is not None], dtype=object)


def select_inspections(
    district: District,
    *,
    start: object | None = None,
    end: object | None = None,
    roles: Iterable[str] | None = None,
    results: Iterable[str] | None = None,
) -> np.ndarray:
    """Boolean mask of the inspections in a date range, of some roles and results.

    Examples
    --------
    >>> from gridmap.analysis.inspections import select_inspections
    >>> mask = select_inspections(district, start="2026-01-01", end="2026-01-31", roles=["patrol"])
    >>> int(mask.sum()), len(mask)
    (992, 21950)
    """
    frame = event_layer(district, "inspections")
    mask = np.ones(len(frame), dtype=bool)
    if start is not None or end is not None:
        days = day_numbers(frame["inspected_at"])
        lo = day_number(as_date(start)) if start is not None else np.iinfo(np.int64).min + 1
        hi = day_number(as_date(end)) if end is not None else np.iinfo(np.int64).max
        mask &= (days >= lo) & (days <= hi)
    if roles is not None:
        mask &= np.isin(text_ids(frame["inspector_role"]), list(roles))
    if results is not None and "result" in frame.columns:
        mask &= np.isin(text_ids(frame["result"]), list(results))
    return mask


def _longest_gaps(codes: np.ndarray, days: np.ndarray, n_grids: int, n_days: int) -> np.ndarray:
    """Longest run of days between inspection dates per grid, from day 0 up to `n_days`."""
    gaps = np.full(n_grids, n_days, dtype=np.int64)
    keys = np.unique(codes * n_days + days)
    if len(keys) == 0:
        return gaps
    grid, day = np.divmod(keys, n_days)
    first = np.r_[True, grid[1:] != grid[:-1]]
    last = np.r_[grid[1:] != grid[:-1], True]
    before = np.where(first, day, day - np.r_[0, day[:-1]])
    after = np.where(last, n_days - day, 0)
    starts = np.flatnonzero(first)
    gaps[grid[starts]] = np.maximum.reduceat(np.maximum(before, after), starts)
    return gaps


def _one_requirement(
    req: InspectionRequirement,
    *,
    ids: np.ndarray,
    counted: np.ndarray,
    days: np.ndarray,
    codes: np.ndarray,
    kinds: np.ndarray,
    first: int,
    last: int,
) -> pd.DataFrame:
    mask = counted & (codes >= 0)
    if req.scope == "units":
        mask &= kinds == "units"
    elif req.scope == "grid":
        mask &= kinds == req.level
    codes, day = codes[mask].astype(np.int64), days[mask] - first
    p0, n_periods = whole_periods(first, last, req.period)
    per = period_numbers(day + first, req.period) - p0
    whole = (per >= 0) & (per < n_periods)
    keys, counts = np.unique(codes[whole] * n_periods + per[whole], return_counts=True)
    done = np.bincount(
        keys // max(n_periods, 1), weights=np.minimum(counts, req.times), minlength=len(ids)
    ).astype(np.int64)
    required = n_periods * int(req.times)
    seen = np.bincount(codes, minlength=len(ids)) > 0
    status = np.select([done >= required, ~seen], ["on_schedule", "never"], "late")
    return pd.DataFrame(
        {
            "grid_id": ids,
            "level": req.level,
            "role": req.role,
            "required": np.full(len(ids), required, dtype=np.int64),
            "done": done,
            "longest_gap_days": _longest_gaps(codes, day, len(ids), last - first + 1),
            "status": status.astype(object),
        }
    )


def _grid_codes(
    district: District, assignment: pd.DataFrame, level: str, ids: np.ndarray
) -> np.ndarray:
    """Position in `ids` of each record's grid of `level` (-1: none), from row positions if any."""
    column = LINEAGE_COLUMN[level]
    rows = column.replace("_id", "_pos")
    if rows in assignment.columns:  # integer row positions: no string hashing of every record
        of_row = lookup(text_ids(district[level]["grid_id"]), ids)
        at = assignment[rows].to_numpy(dtype=np.int64)
        return np.where(at >= 0, of_row[np.maximum(at, 0)], -1) if len(of_row) else at * 0 - 1
    return lookup(assignment[column].to_numpy(dtype=object), ids)


def compliance(
    district: District,
    *,
    start: object,
    end: object,
    table: Iterable[InspectionRequirement] = DEFAULT_FREQUENCIES,
    assignment: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Schedule compliance of every grid with every requirement, for dates `start` .. `end`.

    Parameters
    ----------
    district
        Needs the three grid layers and ``inspections`` (units for unit-scoped rules).
    start, end
        First and last day of the range (dates or ISO text), both included.
    table
        The frequency table (`gridmap.standards.inspections.DEFAULT_FREQUENCIES`).
    assignment
        `assign_inspections(district)`, when already computed.

    Returns
    -------
    DataFrame
        One row per requirement and grid of its level, with the columns of
        `COMPLIANCE_COLUMNS`, ordered large, medium, small grids, then by
        grid id and the table's order (see the module docstring for meanings).

    Examples
    --------
    >>> from gridmap.analysis.inspections import compliance
    >>> result = compliance(district, start="2026-01-01", end="2026-03-31")
    >>> result.columns.tolist()
    ['grid_id', 'level', 'role', 'required', 'done', 'longest_gap_days', 'status']
    >>> result["status"].value_counts().sort_index().to_dict()
    {'late': 6, 'never': 1, 'on_schedule': 219}
    """
    rows = check_table(table)
    first, last = day_number(as_date(start)), day_number(as_date(end))
    if last < first:
        raise ValueError(f"the range ends ({as_date(end)}) before it starts ({as_date(start)})")
    frame = event_layer(district, "inspections")
    assignment = assign_inspections(district) if assignment is None else assignment
    days = day_numbers(frame["inspected_at"])
    in_range = (days >= first) & (days <= last)
    roles = text_ids(frame["inspector_role"])
    kinds = assignment["target_kind"].to_numpy(dtype=object)
    grids = {level: grid_ids(district, level) for level in {r.level for r in rows}}
    codes = {level: _grid_codes(district, assignment, level, ids) for level, ids in grids.items()}
    parts = []
    for order, req in enumerate(rows):  # a handful of table rows, never records
        part = _one_requirement(
            req,
            ids=grids[req.level],
            counted=in_range & (roles == req.role),
            days=days,
            codes=codes[req.level],
            kinds=kinds,
            first=first,
            last=last,
        )
        parts.append(part.assign(_order=order))
    if not parts:
        return pd.DataFrame({c: [] for c in COMPLIANCE_COLUMNS})
    out = pd.concat(parts, ignore_index=True)
    out["_level"] = out["level"].map({"grid_large": 0, "grid_medium": 1, "grid_small": 2})
    out = out.sort_values(["_level", "grid_id", "_order"], kind="stable")
    return out[list(COMPLIANCE_COLUMNS)].reset_index(drop=True)


def compliance_records(result: pd.DataFrame) -> list[dict[str, object]]:
    """`compliance`'s rows as plain JSON-ready dicts with exactly `COMPLIANCE_COLUMNS`.

    Examples
    --------
    >>> from gridmap.analysis.inspections import compliance, compliance_records
    >>> records = compliance_records(compliance(district, start="2026-01-01", end="2026-03-31"))
    >>> records[0]
    {'grid_id': '410106001', 'level': 'grid_large', 'role': 'police', 'required': 12, 'done':
    12, 'longest_gap_days': 6, 'status': 'on_schedule'}
    """
    out = result[list(COMPLIANCE_COLUMNS)].astype(object)
    return [
        {str(k): (int(v) if isinstance(v, np.integer) else v) for k, v in row.items()}
        for row in out.to_dict("records")
    ]


def compliance_summary(result: pd.DataFrame) -> pd.DataFrame:
    """Grids per status for each role and level (every status present).

    Examples
    --------
    >>> from gridmap.analysis.inspections import compliance, compliance_summary
    >>> compliance_summary(compliance(district, start="2026-01-01", end="2026-03-31"))
    status        level           role  on_schedule  late  never  grids
    0        grid_large         police            6     0      0      6
    1        grid_large  safety_office            6     0      0      6
    2       grid_medium         patrol           29     3      0     32
    3       grid_medium  safety_office           32     0      0     32
    4        grid_small      community          146     3      1    150
    """
    counts = result.groupby(["level", "role", "status"]).size().unstack("status", fill_value=0)
    counts = counts.reindex(columns=list(STATUSES), fill_value=0)
    counts["grids"] = counts.sum(axis=1)
    return counts.reset_index()


def worst_status(result: pd.DataFrame, level: str) -> pd.DataFrame:
    """Per grid of `level`: the worst status over its requirements (never > late > on_schedule).

    Columns ``grid_id``, ``status``, ``required``, ``done`` (summed) and ``rate``
    (done / required).

    Examples
    --------
    >>> from gridmap.analysis.inspections import compliance, worst_status
    >>> result = compliance(district, start="2026-01-01", end="2026-03-31")
    >>> worst_status(result, "grid_large").head(3)
         grid_id       status  required  done  rate
    0  410106001  on_schedule        12    12   1.0
    1  410106002  on_schedule        12    12   1.0
    2  410106003  on_schedule        12    12   1.0
    """
    rows = result[result["level"] == level]
    rank = rows["status"].map({"on_schedule": 0, "late": 1, "never": 2})
    worst = rank.groupby(rows["grid_id"]).max()
    sums = rows.groupby("grid_id")[["required", "done"]].sum()
    out = sums.assign(status=worst.map(dict(enumerate(("on_schedule", "late", "never")))))
    out["rate"] = out["done"] / out["required"].where(out["required"] > 0)
    return out.reset_index()[["grid_id", "status", "required", "done", "rate"]]
