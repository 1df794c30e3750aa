"""The plan's recurring work items, measured per grid: publicity days, trainings, drills, meetings.

Periods. An assessment period is a half year (``2025H2``: 1 July to 31
December 2025) or a calendar year (``2026``), in Asia/Shanghai: a record at
``2025-12-31T16:30Z`` is dated 1 January 2026 in Shanghai and belongs to
2026H1. The window assessed is the period, cut at ``as_of`` when the period
is still running. Whole calendar periods inside the window are counted as in
`gridmap.analysis.inspections` (a month cut by the window's edge requires
nothing and its records do not count).

Records name their grid by ``grid_id`` (trainings, plans: a zone, community or
town code) or ``large_id`` (meetings); a zone's record counts for its
community. Records naming no known grid, and drills of unknown plans, are
listed by `reference_problems` and counted nowhere.

The readings of the rules are in `gridmap.standards.assessment`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridmap.analysis.inspections import as_date, day_number, day_numbers, period_numbers
from gridmap.analysis.inspections import whole_periods as _whole_periods
from gridmap.analysis.placement import lookup, text_ids
from gridmap.district import District
from gridmap.errors import Problem
from gridmap.schema import GRID_LEVELS

_PERIOD = re.compile(r"^\s*(\d{4})\s*(?:[-_ ]?\s*([hH])\s*([12]))?\s*$")
_NAT = np.iinfo(np.int64).min


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
    """``2025H2``, ``2026H1`` or ``2026`` as an `AssessmentPeriod`."""
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
    """The half year (or year) holding a day.

    >>> period_of("2026-10-31").label, period_of("2026-10-31", half=False).label
    ('2026H2', '2026')
    """
    d = as_date(day)
    if not half:
        return parse_period(str(d.year))
    return parse_period(f"{d.year}H{1 if d.month <= 6 else 2}")


def period_choices(first: object, last: object) -> list[str]:
    """Labels of the half years and years from `first` to `last`, newest first.

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
    """The latest half year that ended by `last` (the half year holding `last` if it ends it).

    >>> default_period("2026-10-31"), default_period("2026-06-30")
    ('2026H1', '2026H1')
    """
    day = as_date(last)
    current = period_of(day)
    if day == current.end:
        return current.label
    return period_of(current.start - dt.timedelta(days=1)).label


def record_span(district: District) -> tuple[dt.date, dt.date] | None:
    """First and last day of the district's dated records (inspections and the plan's)."""
    days = []
    for layer, column in (
        ("inspections", "inspected_at"),
        ("trainings", "date"),
        ("drills", "date"),
        ("meetings", "date"),
    ):
        frame = _layer(district, layer)
        if frame is not None and column in frame.columns:
            found = _days(frame, column)
            days.append(found[found != _NAT])
    every = np.concatenate(days) if days else np.empty(0, dtype=np.int64)
    if not len(every):
        return None
    low, high = every.min(), every.max()
    return tuple(np.array([low, high]).astype("datetime64[D]").astype(object))


def whole_periods(first: int, last: int, period: str) -> tuple[int, int]:
    """First whole calendar period inside days `first` .. `last` and how many there are."""
    return _whole_periods(first, last, period)


# ---------------------------------------------------------------------------
# Grids and records


def grid_tree(district: District) -> pd.DataFrame:
    """Every grid with its community and town: ``level``, ``grid_id``, ``parent_id``, ``name``,
    ``leader`` (None where blank), ``medium_id``, ``large_id`` (None where the hierarchy is
    broken), in level order (large, medium, small) and layer order."""
    parts = []
    for level in GRID_LEVELS:
        frame = district[level]
        n = len(frame)

        def column(name: str, frame: pd.DataFrame = frame, n: int = n) -> np.ndarray:
            if name in frame.columns:
                return text_ids(frame[name])
            return np.full(n, None, dtype=object)

        parts.append(
            pd.DataFrame(
                {
                    "level": level,
                    "grid_id": column("grid_id"),
                    "parent_id": column("parent_id"),
                    "name": column("name"),
                    "leader": column("leader"),
                },
                dtype=object,
            )
        )
    large, medium, small = parts
    large["medium_id"], large["large_id"] = None, large["grid_id"]
    medium["medium_id"] = medium["grid_id"]
    medium["large_id"] = _known(medium["parent_id"], large["grid_id"])
    small["medium_id"] = _known(small["parent_id"], medium["grid_id"])
    pos = lookup(small["medium_id"].to_numpy(dtype=object), medium["grid_id"].to_numpy(object))
    small["large_id"] = np.where(
        pos >= 0, medium["large_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], None
    )
    return pd.concat(parts, ignore_index=True).astype(object)


def _known(ids: pd.Series, table: pd.Series) -> np.ndarray:
    values = ids.to_numpy(dtype=object)
    return np.where(lookup(values, table.to_numpy(dtype=object)) >= 0, values, None)


def record_grids(tree: pd.DataFrame, ids: Iterable[object]) -> pd.DataFrame:
    """Level, community and town of each grid id (None where no grid has the id).

    Looked up in the small, medium, then large grids (the first match wins).
    """
    keys = text_ids(list(ids) if not isinstance(ids, pd.Series) else ids)
    order = tree.assign(_rank=tree["level"].map({"grid_small": 0, "grid_medium": 1}).fillna(2))
    order = order.sort_values("_rank", kind="stable")
    pos = lookup(keys, order["grid_id"].to_numpy(dtype=object))
    hit = pos >= 0
    columns = {"grid_id": keys}
    for column in ("level", "medium_id", "large_id"):
        values = np.full(len(keys), None, dtype=object)
        values[hit] = order[column].to_numpy(dtype=object)[pos[hit]]
        columns[column] = values
    return pd.DataFrame(columns, dtype=object)


def _layer(district: District, name: str) -> pd.DataFrame | None:
    frame = district.get(name)
    return frame if frame is not None and len(frame) else None


def _days(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Shanghai day numbers of a datetime column (the minimum int64 where missing)."""
    if column not in frame.columns:
        return np.full(len(frame), _NAT, dtype=np.int64)
    present = frame[column].notna().to_numpy()
    days = np.full(len(frame), _NAT, dtype=np.int64)
    if present.any():
        days[present] = day_numbers(frame[column][present])
    return days


# ---------------------------------------------------------------------------
# Publicity days and trainings


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
    """
    mediums = tree.loc[tree["level"] == "grid_medium", "grid_id"].to_numpy(dtype=object)
    lo, hi = day_number(first), day_number(last)
    p0, n_periods = whole_periods(lo, hi, period)
    done = np.zeros(len(mediums), dtype=np.int64)
    full = np.zeros(len(mediums), dtype=np.int64)
    records = np.zeros(len(mediums), dtype=np.int64)
    frame = _layer(district, "trainings")
    if frame is not None:
        days = _days(frame, "date")
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
    """The year ending on `last`: (first day, last day).

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
    """
    plans = _layer(district, "emergency_plans")
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
    approved = _days(plans, "approved_at")
    due = (approved == _NAT) | (approved <= lo)
    latest = _days(plans, "last_drill_at")
    latest = np.where(latest <= hi, latest, _NAT)
    in_year = np.zeros(len(plans), dtype=np.int64)
    drills = _layer(district, "drills")
    if drills is not None:
        days = _days(drills, "date")
        code = lookup(text_ids(drills["plan_id"]), ids)
        ok = (code >= 0) & (days != _NAT) & (days <= hi)
        in_year = np.bincount(code[ok & (days >= lo)], minlength=len(plans)).astype(np.int64)
        best = pd.Series(days[ok]).groupby(code[ok]).max()
        recorded = np.full(len(plans), _NAT, dtype=np.int64)
        recorded[best.index.to_numpy()] = best.to_numpy()
        latest = np.maximum(latest, recorded)
    drilled = (in_year > 0) | ((latest >= lo) & (latest <= hi))
    seen = latest != _NAT
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
    """
    towns = np.asarray(list(large_ids), dtype=object)
    lo, hi = day_number(first), day_number(last)
    frame = _layer(district, "meetings")
    if frame is None:
        days, code = np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    else:
        days = _days(frame, "date")
        code = lookup(text_ids(frame["large_id"]), towns)
        keep = (code >= 0) & (days != _NAT) & (days <= hi)
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


# ---------------------------------------------------------------------------
# References between layers


def reference_problems(district: District, tree: pd.DataFrame | None = None) -> list[Problem]:
    """Records that name a grid, town or plan the district does not have (warnings)."""
    tree = grid_tree(district) if tree is None else tree
    problems: list[Problem] = []
    checks = [
        ("trainings", "grid_id", tree["grid_id"], "grid"),
        ("fire_teams", "grid_id", tree["grid_id"], "grid"),
        ("emergency_plans", "grid_id", tree["grid_id"], "grid"),
        ("meetings", "large_id", tree.loc[tree["level"] == "grid_large", "grid_id"], "town"),
    ]
    plans = district.get("emergency_plans")
    plan_ids = text_ids(plans["plan_id"]) if plans is not None else np.empty(0, dtype=object)
    checks.append(("drills", "plan_id", pd.Series(plan_ids, dtype=object), "plan"))
    for layer, field, known, what in checks:
        frame = _layer(district, layer)
        if frame is None or field not in frame.columns:
            continue
        values = text_ids(frame[field])
        unknown = np.array([v is not None for v in values]) & (
            lookup(values, known.to_numpy(dtype=object)) < 0
        )
        if unknown.any():
            examples = ", ".join(pd.unique(values[unknown])[:3].astype(str))
            problems.append(
                Problem(
                    "warning",
                    f"{int(unknown.sum())} records name a {what} the district does not have "
                    f"(e.g. {examples}); they are counted nowhere.",
                    layer=layer,
                    field=field,
                    count=int(unknown.sum()),
                    fix=f"correct the {field} values to codes of the district's {what}s.",
                )
            )
    return problems
