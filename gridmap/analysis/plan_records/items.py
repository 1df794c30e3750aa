"""The plan's recurring work items per grid: publicity days and trainings, drills, joint meetings.

Each function counts one kind of record of the plan's ledgers over an
assessment window (first and last day, Asia/Shanghai), for the grids of
`gridmap.analysis.plan_records.grids.grid_tree`. The readings of the rules (whole
calendar periods, the drill year, 61 days between meetings) are in
`gridmap.standards.assessment`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import numpy as np
import pandas as pd

from gridmap.analysis.inspections import day_number, lookup, period_numbers, text_ids, whole_periods
from gridmap.analysis.plan_records.grids import NAT, layer_days, record_grids, record_layer
from gridmap.district import District


def recurring_records(
    district: District,
    tree: pd.DataFrame,
    *,
    first: dt.date,
    last: dt.date,
    kinds: Iterable[str],
    period: str,
    times: int = 1,
) -> pd.DataFrame:
    """Per community: whole periods required, records counted (at most `times` per period).

    Columns ``medium_id``, ``required`` (periods x times), ``done``, ``periods_missed``
    (whole periods with fewer than `times` records) and ``records`` (all records of
    the kinds in the window), one row per medium grid in layer order.

    Examples
    --------
    >>> import datetime as dt
    >>> from gridmap.analysis.plan_records import grid_tree, recurring_records
    >>> window = {"first": dt.date(2026, 1, 1), "last": dt.date(2026, 6, 30)}
    >>> days = recurring_records(
    ...     district, grid_tree(district), kinds=["publicity_day"], period="monthly", **window
    ... )
    >>> row = days.iloc[0]
    >>> row["medium_id"], int(row["required"]), int(row["done"])
    ('410106001001', 6, 6)
    """
    mediums = tree.loc[tree["level"] == "grid_medium", "grid_id"].to_numpy(dtype=object)
    lo, hi = day_number(first), day_number(last)
    p0, n_periods = whole_periods(lo, hi, period)
    done = np.zeros(len(mediums), dtype=np.int64)
    full = np.zeros(len(mediums), dtype=np.int64)
    records = np.zeros(len(mediums), dtype=np.int64)
    frame = record_layer(district, "trainings")
    if frame is not None:
        days = layer_days(frame, "date")
        keep = (days >= lo) & (days <= hi) & np.isin(text_ids(frame["kind"]), list(kinds))
        medium = record_grids(tree, frame["grid_id"][keep])["medium_id"].to_numpy(dtype=object)
        code = lookup(medium, mediums)
        placed = code >= 0
        records = np.bincount(code[placed], minlength=len(mediums)).astype(np.int64)
        per = period_numbers(days[keep][placed], period) - p0
        code = code[placed]
        whole = (per >= 0) & (per < n_periods)
        if n_periods and whole.any():
            keys, counts = np.unique(code[whole] * n_periods + per[whole], return_counts=True)
            done = np.bincount(
                keys // n_periods, weights=np.minimum(counts, times), minlength=len(mediums)
            ).astype(np.int64)
            full = np.bincount(keys // n_periods, weights=counts >= times, minlength=len(mediums))
    return pd.DataFrame(
        {
            "medium_id": mediums,
            "required": np.full(len(mediums), n_periods * int(times), dtype=np.int64),
            "done": done,
            "periods_missed": (n_periods - np.asarray(full, dtype=np.int64)).astype(np.int64),
            "records": records,
        }
    )


# ---------------------------------------------------------------------------
# Emergency plans and drills


def drill_year(last: dt.date) -> tuple[dt.date, dt.date]:
    """Return the year ending on `last`: (first day, last day).

    Examples
    --------
    >>> [str(d) for d in drill_year(dt.date(2026, 6, 30))]
    ['2025-07-01', '2026-06-30']
    """
    begin = (pd.Timestamp(last) - pd.DateOffset(years=1) + pd.Timedelta(days=1)).date()
    return begin, last


def drill_status(district: District, tree: pd.DataFrame, *, last: dt.date) -> pd.DataFrame:
    """Every emergency plan: its grid, whether it is due a drill and whether it was drilled.

    Columns ``plan_id``, ``title``, ``grid_id``, ``level``, ``medium_id``,
    ``large_id``, ``due`` (approved on or before the first day of the year
    ending on `last`, or without approval date), ``drilled`` (a drill record or
    ``last_drill_at`` in that year), ``last_drill`` (latest drill day on or
    before `last`, from either source; None if never) and ``drills`` (drill
    records in that year).

    Examples
    --------
    >>> import datetime as dt
    >>> from gridmap.analysis.plan_records import drill_status, grid_tree
    >>> plans = drill_status(district, grid_tree(district), last=dt.date(2026, 10, 31))
    >>> len(plans), int(plans["due"].sum()), int(plans["drilled"].sum())
    (40, 38, 39)
    """
    plans = record_layer(district, "emergency_plans")
    columns = ("plan_id", "title", "grid_id", "level", "medium_id", "large_id")
    if plans is None:
        empty = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
        return empty.assign(
            due=pd.Series(dtype=bool),
            drilled=pd.Series(dtype=bool),
            last_drill=pd.Series(dtype=object),
            drills=pd.Series(dtype=np.int64),
        )
    begin, _ = drill_year(last)
    lo, hi = day_number(begin), day_number(last)
    ids = text_ids(plans["plan_id"])
    where = record_grids(tree, plans["grid_id"])
    approved = layer_days(plans, "approved_at")
    due = (approved == NAT) | (approved <= lo)
    latest = layer_days(plans, "last_drill_at")
    latest = np.where(latest <= hi, latest, NAT)
    in_year = np.zeros(len(plans), dtype=np.int64)
    drills = record_layer(district, "drills")
    if drills is not None:
        days = layer_days(drills, "date")
        code = lookup(text_ids(drills["plan_id"]), ids)
        ok = (code >= 0) & (days != NAT) & (days <= hi)
        in_year = np.bincount(code[ok & (days >= lo)], minlength=len(plans)).astype(np.int64)
        best = pd.Series(days[ok]).groupby(code[ok]).max()
        recorded = np.full(len(plans), NAT, dtype=np.int64)
        recorded[best.index.to_numpy()] = best.to_numpy()
        latest = np.maximum(latest, recorded)
    drilled = (in_year > 0) | ((latest >= lo) & (latest <= hi))
    seen = latest != NAT
    last_day = np.full(len(plans), None, dtype=object)
    last_day[seen] = latest[seen].astype("datetime64[D]").astype(object)
    return pd.DataFrame(
        {
            "plan_id": ids,
            "title": plans["title"].to_numpy(dtype=object) if "title" in plans else None,
            "grid_id": where["grid_id"].to_numpy(dtype=object),
            "level": where["level"].to_numpy(dtype=object),
            "medium_id": where["medium_id"].to_numpy(dtype=object),
            "large_id": where["large_id"].to_numpy(dtype=object),
            "due": due,
            "drilled": drilled,
            "last_drill": last_day,
            "drills": in_year,
        }
    )


# ---------------------------------------------------------------------------
# Joint meetings


def meeting_intervals(
    district: District, large_ids: Iterable[str], *, first: dt.date, last: dt.date
) -> pd.DataFrame:
    """Per town: meetings in the window and the longest interval between them, in days.

    Intervals run from the last meeting before the window (else the day before
    it starts) through each meeting in the window to the day after it ends
    (see `gridmap.standards.assessment`). Columns ``large_id``, ``meetings``,
    ``longest_interval``, ``longest_from`` and ``longest_to`` (the dates
    bounding the longest interval; an end the day after the window means no
    meeting came).

    Examples
    --------
    >>> import datetime as dt
    >>> from gridmap.analysis.plan_records import meeting_intervals
    >>> window = {"first": dt.date(2026, 1, 1), "last": dt.date(2026, 6, 30)}
    >>> town = meeting_intervals(district, ["410106001"], **window).iloc[0]
    >>> town["large_id"], int(town["meetings"]), int(town["longest_interval"])
    ('410106001', 3, 49)
    """
    towns = np.asarray(list(large_ids), dtype=object)
    lo, hi = day_number(first), day_number(last)
    frame = record_layer(district, "meetings")
    if frame is None:
        days, code = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    else:
        days = layer_days(frame, "date")
        code = lookup(text_ids(frame["large_id"]), towns)
        keep = (code >= 0) & (days != NAT) & (days <= hi)
        days, code = days[keep], code[keep]
    before = days < lo
    anchor = np.full(len(towns), lo - 1, dtype=np.int64)
    if before.any():
        prior = pd.Series(days[before]).groupby(code[before]).max()
        anchor[prior.index.to_numpy()] = prior.to_numpy()
    inside = ~before
    stamps = np.concatenate([anchor, days[inside], np.full(len(towns), hi + 1)])
    owner = np.concatenate([np.arange(len(towns)), code[inside], np.arange(len(towns))])
    order = np.lexsort((stamps, owner))
    stamps, owner = stamps[order], owner[order]
    same = owner[1:] == owner[:-1]
    gaps = pd.DataFrame(
        {"town": owner[1:][same], "gap": np.diff(stamps)[same], "start": stamps[:-1][same]}
    )
    # the first of the longest intervals of each town
    idx = gaps.sort_values(["town", "gap", "start"], ascending=[True, False, True]).groupby("town")[
        "gap"
    ]
    top = gaps.loc[idx.head(1).index].set_index("town").reindex(range(len(towns)))
    counts = np.bincount(code[inside], minlength=len(towns)).astype(np.int64)

    def dates(values: np.ndarray) -> np.ndarray:
        return values.astype("datetime64[D]").astype(object)

    start = top["start"].to_numpy(dtype=np.int64)
    longest = top["gap"].to_numpy(dtype=np.int64)
    return pd.DataFrame(
        {
            "large_id": towns,
            "meetings": counts,
            "longest_interval": longest,
            "longest_from": dates(start),
            "longest_to": dates(start + longest),
        }
    )
