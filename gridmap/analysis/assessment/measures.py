"""Measuring the indicators of the scorecard, one function each (`...assessment.scorecard`).

Each function returns, per target grid (the towns and communities assessed, in
order), the value (NaN where the indicator does not apply), the counts behind a
rate and a short text of the value in Chinese and English. `measure` runs the
table and compares each value with its target.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from gridmap.analysis.coverage import CoverageReport, check_coverage
from gridmap.analysis.equipment import inventory_shortfalls
from gridmap.analysis.inspections import compliance, hazard_states, lookup
from gridmap.analysis.plan_records import record_grids, recurring_records
from gridmap.district import District
from gridmap.standards.assessment import Indicator
from gridmap.standards.inspections import InspectionRequirement, supervision_requirement

#: Columns of `measure`'s result (one row per grid and indicator).
RESULT_COLUMNS = (
    "level",
    "grid_id",
    "indicator",
    "applicable",
    "value",
    "target",
    "passed",
    "done",
    "required",
    "weight",
    "veto",
    "detail_zh",
    "detail_en",
)
_EPS = 1e-9
#: None as a 0-d object array: the "absent" branch of `np.where` on id arrays.
_NONE = np.array(None, dtype=object)


@dataclass(frozen=True)
class Inputs:
    """What the indicators are measured on."""

    district: District
    tree: pd.DataFrame
    targets: pd.DataFrame
    first: dt.date
    last: dt.date
    frequencies: tuple[InspectionRequirement, ...]
    coverage: CoverageReport | None
    serious_fires: tuple[str, ...]


def _tally(targets: pd.DataFrame, medium: object, large: object, done: object, required: object):
    """Sum `done` and `required` of items over each target.

    A community sums its own items, a town every item in it.
    """
    items = pd.DataFrame(
        {
            "medium": np.asarray(medium, dtype=object),
            "large": np.asarray(large, dtype=object),
            "done": np.asarray(done, dtype=float),
            "required": np.asarray(required, dtype=float),
        }
    )
    by_medium = items.groupby("medium")[["done", "required"]].sum()
    by_large = items.groupby("large")[["done", "required"]].sum()
    is_large = (targets["level"] == "grid_large").to_numpy()
    ids = targets["grid_id"]
    out = {}
    for column in ("done", "required"):
        out[column] = np.where(
            is_large,
            ids.map(by_large[column]).fillna(0).to_numpy(dtype=float),
            ids.map(by_medium[column]).fillna(0).to_numpy(dtype=float),
        )
    return out["done"], out["required"]


def _rate(done: np.ndarray, required: np.ndarray, unit: tuple[str, str]) -> pd.DataFrame:
    value = np.where(required > 0, done / np.where(required > 0, required, 1), np.nan)
    d, r = done.astype(np.int64), required.astype(np.int64)
    zh = pd.Series(d).astype(str) + "/" + pd.Series(r).astype(str) + unit[0]
    en = pd.Series(d).astype(str) + "/" + pd.Series(r).astype(str) + unit[1]
    none = required == 0
    return pd.DataFrame(
        {
            "value": value,
            "done": done,
            "required": required,
            "detail_zh": zh.where(~none, "无需考核"),
            "detail_en": en.where(~none, "nothing to assess"),
        }
    )


def _of_tree(inputs: Inputs, level_ids: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Community and town of grids given as (level, grid_id) rows."""
    tree = inputs.tree
    key = tree["level"] + "|" + tree["grid_id"].fillna("")
    pos = lookup(
        (level_ids["level"] + "|" + level_ids["grid_id"].fillna("")).to_numpy(dtype=object),
        key.to_numpy(dtype=object),
    )
    at = np.maximum(pos, 0)
    medium = np.where(pos >= 0, tree["medium_id"].to_numpy(dtype=object)[at], _NONE)
    large = np.where(pos >= 0, tree["large_id"].to_numpy(dtype=object)[at], _NONE)
    return medium, large


def _medium_towns(inputs: Inputs, medium_ids: np.ndarray) -> np.ndarray:
    tree = inputs.tree[inputs.tree["level"] == "grid_medium"]
    pos = lookup(np.asarray(medium_ids, dtype=object), tree["grid_id"].to_numpy(dtype=object))
    return np.where(pos >= 0, tree["large_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], _NONE)


# ---------------------------------------------------------------------------
# One function per indicator: (inputs, indicator) -> value, done, required, details per target


def _coverage(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    report = inputs.coverage or check_coverage(inputs.district)
    errors = report.findings[report.findings["severity"] == "error"]
    done, _ = _tally(inputs.targets, errors["medium_id"], errors["large_id"], 1, 0)
    n = pd.Series(done.astype(np.int64)).astype(str)
    return pd.DataFrame(
        {
            "value": done,
            "done": done,
            "required": np.zeros(len(done)),
            "detail_zh": "错误 " + n + " 处",
            "detail_en": n + " errors",
        }
    )


def _leaders(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    tree = inputs.tree
    named = np.array([v is not None for v in tree["leader"]], dtype=float)
    done, required = _tally(inputs.targets, tree["medium_id"], tree["large_id"], named, 1)
    return _rate(done, required, (" 个网格", " grids"))


def _compliance(inputs: Inputs) -> pd.DataFrame:
    """Return compliance with the whole frequency table, keyed by ``role@level``.

    The table's supervision row is included.
    """
    result = compliance(
        inputs.district, start=inputs.first, end=inputs.last, table=inputs.frequencies
    )
    result["key"] = result["role"] + "@" + result["level"]
    return result


def _inspections(inputs: Inputs, ind: Indicator, result: pd.DataFrame, sup_key: str | None):
    rows = result[result["key"] != sup_key] if sup_key else result
    medium, large = _of_tree(inputs, rows[["level", "grid_id"]])
    done, required = _tally(inputs.targets, medium, large, rows["done"], rows["required"])
    return _rate(done, required, (" 次", " inspections"))


def _supervision(inputs: Inputs, ind: Indicator, result: pd.DataFrame, sup_key: str | None):
    """Half years with supervision, by the frequency table's supervision row (none: n/a)."""
    rows = result[result["key"] == sup_key] if sup_key else result.iloc[0:0]
    medium, large = _of_tree(inputs, rows[["level", "grid_id"]])
    done, required = _tally(inputs.targets, medium, large, rows["done"], rows["required"])
    return _rate(done, required, (" 个半年", " half years"))


def _hazards(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    states = hazard_states(inputs.district, as_of=inputs.last)
    deadline = pd.to_datetime(states["deadline_date"])
    rectified = pd.to_datetime(states["rectified_date"])
    first, last = pd.Timestamp(inputs.first), pd.Timestamp(inputs.last)
    due = (deadline >= first) & (deadline <= last)
    in_time = due & rectified.notna() & (rectified <= deadline)
    done, required = _tally(
        inputs.targets, states["medium_id"], states["large_id"], in_time, due.astype(float)
    )
    return _rate(done, required, (" 处按期", " in time"))


def _recurring(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    counts = recurring_records(
        inputs.district,
        inputs.tree,
        first=inputs.first,
        last=inputs.last,
        kinds=ind.kinds,
        period=ind.period or "monthly",
        times=ind.times,
    )
    large = _medium_towns(inputs, counts["medium_id"].to_numpy(dtype=object))
    done, required = _tally(
        inputs.targets, counts["medium_id"], large, counts["done"], counts["required"]
    )
    unit = (" 个月", " months") if ind.period == "monthly" else (" 次", " records")
    if ind.times > 1 or ind.period != "monthly":
        unit = (" 次", " records")
    return _rate(done, required, unit)


def _drills(inputs: Inputs, ind: Indicator, plans: pd.DataFrame) -> pd.DataFrame:
    due = plans["due"].to_numpy(dtype=bool)
    drilled = due & plans["drilled"].to_numpy(dtype=bool)
    done, required = _tally(
        inputs.targets, plans["medium_id"], plans["large_id"], drilled, due.astype(float)
    )
    return _rate(done, required, (" 个预案", " plans"))


def _meetings(inputs: Inputs, ind: Indicator, meetings: pd.DataFrame) -> pd.DataFrame:
    table = meetings.set_index("large_id")
    ids = inputs.targets["grid_id"]
    longest = ids.map(table["longest_interval"]).to_numpy(dtype=float)
    held = ids.map(table["meetings"]).fillna(0).to_numpy(dtype=float)
    days = pd.Series(longest).fillna(0).astype(np.int64).astype(str)
    count = pd.Series(held.astype(np.int64)).astype(str)
    return pd.DataFrame(
        {
            "value": longest,
            "done": held,
            "required": np.zeros(len(ids)),
            "detail_zh": "最长间隔 " + days + " 天，召开 " + count + " 次",
            "detail_en": "longest interval " + days + " days, " + count + " meetings",
        }
    )


def _equipment(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    if inputs.district.get("equipment_points") is None:
        zero = np.zeros(len(inputs.targets))
        return _rate(zero, zero, (" 个器材点", " points"))
    points = inventory_shortfalls(inputs.district)
    medium = points["medium_id"].to_numpy(dtype=object)
    large = _medium_towns(inputs, medium)
    done, required = _tally(inputs.targets, medium, large, points["complete"], 1)
    return _rate(done, required, (" 个器材点", " points"))


def _serious_fire(inputs: Inputs, ind: Indicator) -> pd.DataFrame:
    where = record_grids(inputs.tree, inputs.serious_fires)
    unknown = where.loc[where["level"].isna(), "grid_id"].tolist()
    if unknown:
        raise ValueError(
            f"serious fires are named in grids the district does not have: {', '.join(unknown)}."
        )
    in_town = (where["level"] == "grid_large").to_numpy()
    medium = np.where(in_town, _NONE, where["medium_id"].to_numpy(dtype=object))
    done, _ = _tally(inputs.targets, medium, where["large_id"], 1, 0)
    n = pd.Series(done.astype(np.int64)).astype(str)
    return pd.DataFrame(
        {
            "value": done,
            "done": done,
            "required": np.zeros(len(done)),
            "detail_zh": n + " 起",
            "detail_en": n + " fires",
        }
    )


# ---------------------------------------------------------------------------


def measure(
    inputs: Inputs, table: tuple[Indicator, ...], plans: pd.DataFrame, meetings: pd.DataFrame
) -> pd.DataFrame:
    """One row per target grid and indicator applying to its level (`RESULT_COLUMNS`).

    Examples
    --------
    >>> from gridmap.analysis.assessment import RESULT_COLUMNS, assess
    >>> results = assess(district, period="2026H1").results  # what `measure` returned
    >>> list(results.columns) == list(RESULT_COLUMNS), len(results)
    (True, 354)
    """
    sup = supervision_requirement(inputs.frequencies)

    @functools.cache
    def result() -> pd.DataFrame:  # the inspection compliance, computed once
        return _compliance(inputs)

    if any(i.key in ("inspections", "supervision") for i in table):
        result()  # first, as its errors come before the other indicators'
    sup_key = f"{sup.role}@{sup.level}" if sup is not None else None
    measures: dict[str, Callable[[Indicator], pd.DataFrame]] = {
        "coverage": lambda i: _coverage(inputs, i),
        "leaders": lambda i: _leaders(inputs, i),
        "inspections": lambda i: _inspections(inputs, i, result(), sup_key),
        "supervision": lambda i: _supervision(inputs, i, result(), sup_key),
        "hazards": lambda i: _hazards(inputs, i),
        "publicity": lambda i: _recurring(inputs, i),
        "trainings": lambda i: _recurring(inputs, i),
        "drills": lambda i: _drills(inputs, i, plans),
        "meetings": lambda i: _meetings(inputs, i, meetings),
        "equipment": lambda i: _equipment(inputs, i),
        "serious_fire": lambda i: _serious_fire(inputs, i),
    }
    parts = []
    for ind in table:  # a dozen table rows, never records
        part = measures[ind.key](ind).reset_index(drop=True)
        part.insert(0, "level", inputs.targets["level"].to_numpy())
        part.insert(1, "grid_id", inputs.targets["grid_id"].to_numpy())
        part.insert(2, "indicator", ind.key)
        part = part[part["level"].isin(ind.levels)]
        value = part["value"].to_numpy(dtype=float)
        applicable = ~np.isnan(value)
        target = ind.target
        passed = (value <= target + _EPS) if ind.at_most else (value + _EPS >= target)
        part = part.assign(
            applicable=applicable,
            target=target,
            passed=passed & applicable,
            weight=ind.weight,
            veto=ind.veto,
        )
        parts.append(part)
    results = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    return results.reindex(columns=list(RESULT_COLUMNS))
