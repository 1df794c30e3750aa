"""Recording a training, a drill or a joint meeting: checked input to an `Edit` appending one row.

The app's forms call `training_edit`, `drill_edit` or `meeting_edit` with what
the user entered; every problem is collected and raised once as a `DataError`
(no date or a date in the future, an unknown grid, town or plan, an unknown
kind or target, a negative or fractional number of people, a "five into"
publicity without its target). The `Edit` is saved by `gridmap.io.save_edit`,
through the same atomic save and edit log as every other edit. ``now`` is
passed in, so these stay pure.

>>> import geopandas as gpd, pyproj, shapely
>>> from gridmap.district import District
>>> grids = {level: gpd.GeoDataFrame({"grid_id": [code], "parent_id": [parent]},
...          geometry=[shapely.box(0, 0, 1, 1)], crs=4547)
...          for level, code, parent in [("grid_large", "L1", None), ("grid_medium", "M1", "L1"),
...                                      ("grid_small", "S1", "M1")]}
>>> district = District(grids, crs=pyproj.CRS(4547))
>>> edit = meeting_edit(district, date="2026-03-02", large_id="L1", attendees=12,
...                     now="2026-03-05 09:00")
>>> print(*edit.added[["meeting_id", "large_id", "attendees"]].iloc[0])
MT20260302-1 L1 12
>>> try:
...     meeting_edit(district, date="2026-04-01", large_id="M1", attendees=-1, now="2026-03-05")
... except DataError as exc:
...     print(*(p.field for p in exc.problems))
date large_id attendees
"""

from __future__ import annotations

import datetime as dt
import numbers
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.analysis.inspections import as_date, text_ids
from gridmap.district import District
from gridmap.errors import DataError, Problem
from gridmap.layers import Edit
from gridmap.schema import LAYERS, TIMEZONE, TRAINING_KINDS, TRAINING_TARGETS

#: The moment "now" (a timestamp, a date or text such as ``2026-03-05 09:00``); naive is Shanghai.
When: TypeAlias = str | dt.date | np.datetime64


def _empty(district: District, layer: str) -> pd.DataFrame:
    """Return the layer with no rows (the schema's columns when the district has no such layer)."""
    frame = district.get(layer)
    if frame is not None:
        return frame.iloc[0:0]
    return pd.DataFrame({f.name: pd.Series(dtype=object) for f in LAYERS[layer].fields})


def _day(value: object, now: When, layer: str, problems: list[Problem]) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        problems.append(Problem("error", "the record has no date.", layer=layer, field="date"))
        return None
    try:
        day = as_date(value)
    except ValueError as exc:
        problems.append(Problem("error", str(exc), layer=layer, field="date"))
        return None
    today = as_date(pd.Timestamp(now).tz_localize(TIMEZONE) if _naive(now) else now)
    if day > today:
        problems.append(
            Problem(
                "error",
                f"the date {day} is in the future (today is {today}).",
                layer=layer,
                field="date",
                fix="enter the day it took place; records are entered afterwards.",
            )
        )
    return day


def _naive(value: When) -> bool:
    stamp = pd.Timestamp(value)
    return stamp.tzinfo is None


def _people(value: object, layer: str, field: str, problems: list[Problem]) -> int | None:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or float(value) % 1:
        problems.append(
            Problem(
                "error",
                f"the number of people ({value!r}) is not a whole number.",
                layer=layer,
                field=field,
            )
        )
        return None
    if value < 0:
        problems.append(
            Problem(
                "error",
                f"the number of people cannot be negative ({value}).",
                layer=layer,
                field=field,
                fix="enter 0 or more.",
            )
        )
        return None
    return value if isinstance(value, int) else int(float(value))  # a whole number


def _known(ids: pd.Series | None, value: str | None) -> bool:
    return ids is not None and value in set(text_ids(ids))


def _grid_ids(district: District, levels: tuple[str, ...]) -> pd.Series:
    parts = [district[level]["grid_id"] for level in levels if level in district]
    return pd.concat(parts, ignore_index=True) if parts else pd.Series(dtype=object)


def _new_id(frame: pd.DataFrame | None, field: str, prefix: str, day: dt.date) -> str:
    taken = set(text_ids(frame[field])) if frame is not None and field in frame else set()
    n = 1
    while f"{prefix}{day:%Y%m%d}-{n}" in taken:  # a handful of records a day at most
        n += 1
    return f"{prefix}{day:%Y%m%d}-{n}"


def _edit(district: District, layer: str, row: dict, user: str, reason: str | None) -> Edit:
    removed = _empty(district, layer)
    added = pd.DataFrame([row])
    if isinstance(removed, gpd.GeoDataFrame):
        added = gpd.GeoDataFrame(
            added, geometry=gpd.GeoSeries([None], crs=removed.crs), crs=removed.crs
        )
    return Edit(layer, "append", removed, added, user=user, reason=reason)


def _stamp(day: dt.date) -> pd.Timestamp:
    return pd.Timestamp(day).tz_localize(TIMEZONE)


def _text(value: object) -> str | None:
    return text_ids([value])[0]


def _choice(value: object, layer: str, field: str) -> str | None:
    """Return an enumerated value given by its code or a Chinese name of it (进学校 -> school)."""
    text = _text(value)
    return LAYERS[layer].field(field).choice_codes().get(text, text) if text is not None else None


def training_edit(
    district: District,
    *,
    date: object,
    grid_id: str | None,
    kind: str | None,
    now: When,
    target: str | None = None,
    participants: object = None,
    note: str | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` appending one training or publicity record; `DataError` lists problems.

    Examples
    --------
    >>> from gridmap.analysis.plan_records import training_edit
    >>> edit = training_edit(
    ...     district,
    ...     date="2026-06-01",
    ...     grid_id="410106001001",
    ...     kind="publicity_day",
    ...     now="2026-06-01 12:00",
    ...     participants=40,
    ... )
    >>> edit.layer, edit.added[["grid_id", "kind"]].iloc[0].tolist()
    ('trainings', ['410106001001', 'publicity_day'])
    """
    problems: list[Problem] = []
    day = _day(date, now, "trainings", problems)
    grid = _text(grid_id)
    kind, target = _choice(kind, "trainings", "kind"), _choice(target, "trainings", "target")
    if not _known(_grid_ids(district, ("grid_small", "grid_medium", "grid_large")), grid):
        problems.append(
            Problem(
                "error",
                f"unknown grid id {grid!r}: no zone, community or town has this code.",
                layer="trainings",
                field="grid_id",
                fix="pick the grid where the training took place.",
            )
        )
    if kind not in TRAINING_KINDS:
        problems.append(
            Problem(
                "error",
                f"unknown kind {kind!r}.",
                layer="trainings",
                field="kind",
                fix=f"one of {LAYERS['trainings'].field('kind').accepted_values()}.",
            )
        )
    if target is not None and target not in TRAINING_TARGETS:
        problems.append(
            Problem(
                "error",
                f"unknown target {target!r}.",
                layer="trainings",
                field="target",
                fix=f"one of {LAYERS['trainings'].field('target').accepted_values()}.",
            )
        )
    if kind == "five_into" and target is None:
        problems.append(
            Problem(
                "error",
                "a 'five into' publicity needs its target.",
                layer="trainings",
                field="target",
                fix=f"one of {LAYERS['trainings'].field('target').accepted_values()}.",
            )
        )
    count = _people(participants, "trainings", "participants", problems)
    if problems or day is None:  # no day always comes with a problem
        raise DataError(problems)
    row = {
        "training_id": _new_id(district.get("trainings"), "training_id", "T", day),
        "date": _stamp(day),
        "grid_id": grid,
        "kind": kind,
        "target": target,
        "participants": count,
        "note": _text(note),
    }
    return _edit(district, "trainings", row, user, None)


def drill_edit(
    district: District,
    *,
    date: object,
    plan_id: str | None,
    now: When,
    participants: object = None,
    note: str | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` appending one drill of an emergency plan; `DataError` lists problems.

    Examples
    --------
    >>> from gridmap.analysis.plan_records import drill_edit
    >>> edit = drill_edit(district, date="2026-06-01", plan_id="EP001", now="2026-06-01 12:00")
    >>> edit.layer, edit.added[["drill_id", "plan_id"]].iloc[0].tolist()
    ('drills', ['D20260601-1', 'EP001'])
    """
    problems: list[Problem] = []
    day = _day(date, now, "drills", problems)
    plan = _text(plan_id)
    plans = district.get("emergency_plans")
    if not _known(plans["plan_id"] if plans is not None else None, plan):
        problems.append(
            Problem(
                "error",
                f"unknown plan id {plan!r}: the district has no emergency plan with this id.",
                layer="drills",
                field="plan_id",
                fix="pick one of the district's emergency plans.",
            )
        )
    count = _people(participants, "drills", "participants", problems)
    if problems or day is None:  # no day always comes with a problem
        raise DataError(problems)
    row = {
        "drill_id": _new_id(district.get("drills"), "drill_id", "D", day),
        "plan_id": plan,
        "date": _stamp(day),
        "participants": count,
        "note": _text(note),
    }
    return _edit(district, "drills", row, user, None)


def meeting_edit(
    district: District,
    *,
    date: object,
    large_id: str | None,
    now: When,
    attendees: object = None,
    topics: str | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` appending one joint meeting of a town; `DataError` listing every problem.

    Examples
    --------
    >>> from gridmap.analysis.plan_records import meeting_edit
    >>> when = {"date": "2026-06-01", "now": "2026-06-01 12:00"}
    >>> edit = meeting_edit(district, large_id="410106001", **when)
    >>> edit.layer, edit.added["large_id"].tolist()
    ('meetings', ['410106001'])
    """
    problems: list[Problem] = []
    day = _day(date, now, "meetings", problems)
    town = _text(large_id)
    if not _known(_grid_ids(district, ("grid_large",)), town):
        problems.append(
            Problem(
                "error",
                f"unknown town {town!r}: no large grid has this code.",
                layer="meetings",
                field="large_id",
                fix="pick the town (large grid) that held the meeting.",
            )
        )
    count = _people(attendees, "meetings", "attendees", problems)
    if problems or day is None:  # no day always comes with a problem
        raise DataError(problems)
    row = {
        "meeting_id": _new_id(district.get("meetings"), "meeting_id", "MT", day),
        "large_id": town,
        "date": _stamp(day),
        "attendees": count,
        "topics": _text(topics),
    }
    return _edit(district, "meetings", row, user, None)
