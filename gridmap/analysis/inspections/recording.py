"""Recording an inspection or a hazard, and the later steps of a hazard: checked input to an `Edit`.

The app's form calls `inspection_edit` or `hazard_edit` with what the user
entered and where they clicked; every problem is collected and raised once as
a `DataError` (no location, a time in the future, an unknown target or unit,
a deadline before the hazard was found, a place outside every grid). A new
hazard is recorded ``open``, a major one too (its supervision is due, not done).
`hazard_status_edit` closes the loop: rectified (with the time), transferred
to the police station, or put under supervision; it refuses an unknown hazard
id, a rectification before the hazard was found or in the future, and a
hazard already rectified. Each `Edit` is saved by `gridmap.io.save_edit`,
through the same atomic save and edit log as boundary edits. ``now`` is
passed in, so these stay pure.
"""

from __future__ import annotations

from typing import Any, cast

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from gridmap.analysis.inspections.placement import (
    event_layer,
    locate_points,
    lookup,
    place_table,
    text_ids,
)
from gridmap.district import District
from gridmap.errors import DataError, Problem
from gridmap.geo.crs import WEB_CRS
from gridmap.layers import Edit
from gridmap.schema import HAZARD_SEVERITIES, INSPECTION_RESULTS, INSPECTOR_ROLES, TIMEZONE


def _local(value: object) -> pd.Timestamp | None:
    # The stubs type np.ndim, pd.isna and pd.Timestamp for known types; any date-like is read.
    date_like = cast(Any, value)
    if value is None or (np.ndim(date_like) == 0 and pd.isna(date_like)):
        return None
    stamp = pd.Timestamp(date_like)
    return stamp.tz_localize(TIMEZONE) if stamp.tzinfo is None else stamp.tz_convert(TIMEZONE)


def _now(value: object) -> pd.Timestamp:
    """`now` in Asia/Shanghai; `ValueError` when it is missing (the caller's clock)."""
    stamp = _local(value)
    if stamp is None:
        raise ValueError(f"now must be a date and time, not {value!r}")
    return stamp


def _point(district: District, lonlat: tuple[float, float] | None) -> shapely.Point | None:
    if lonlat is None:
        return None
    x, y = Transformer.from_crs(WEB_CRS, district.crs, always_xy=True).transform(*lonlat)
    return shapely.Point(x, y)


def _new_id(existing: pd.Series, prefix: str, at: pd.Timestamp) -> str:
    taken = set(text_ids(existing))
    base = f"{prefix}{at:%Y%m%d%H%M}"
    candidate, n = base, 1
    while candidate in taken:  # a handful of same-minute records at most
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _common(
    district: District,
    lonlat: tuple[float, float] | None,
    at: pd.Timestamp | None,
    now: pd.Timestamp,
    *,
    what: str,
    layer: str,
) -> tuple[list[Problem], shapely.Point | None]:
    problems: list[Problem] = []
    point = _point(district, lonlat)
    if point is None:
        problems.append(
            Problem(
                "error",
                f"the {what} has no location.",
                layer=layer,
                fix="click the map where it took place.",
            )
        )
    elif (locate_points(district, np.array([point], dtype=object)) < 0).all():
        problems.append(
            Problem(
                "error",
                f"the {what}'s location lies outside every grid.",
                layer=layer,
                fix="click inside the district.",
            )
        )
    if at is None:
        problems.append(Problem("error", f"the {what} has no date.", layer=layer))
    elif at > now:
        problems.append(
            Problem(
                "error",
                f"the date {at:%Y-%m-%d %H:%M} is in the future (now {now:%Y-%m-%d %H:%M}).",
                layer=layer,
                fix="enter the date and time it took place.",
            )
        )
    return problems, point


def _known(district: District, value: str | None, kinds: tuple[str, ...] | None) -> bool:
    places = place_table(district)
    if kinds is not None:
        places = places[places["kind"].isin(kinds)]
    return lookup(np.array([value], dtype=object), places["id"].to_numpy(dtype=object))[0] >= 0


def _frame(district: District, layer: str, row: dict, point: shapely.Point) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame([row], geometry=[point], crs=district.crs)


def inspection_edit(
    district: District,
    *,
    at: object,
    role: str,
    lonlat: tuple[float, float] | None,
    now: object,
    target_id: str | None = None,
    result: str = "ok",
    inspector: str | None = None,
    note: str | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` appending one inspection; `DataError` listing every problem otherwise.

    Examples
    --------
    >>> from gridmap.analysis.inspections import inspection_edit
    >>> edit = inspection_edit(
    ...     district,
    ...     at="2026-06-01 10:00",
    ...     role="patrol",
    ...     lonlat=(113.2696, 34.8282),
    ...     now="2026-06-01 10:05",
    ...     inspector="张伟",
    ... )
    >>> edit.operation, edit.added[["inspection_id", "inspector_role", "result"]].iloc[0].tolist()
    ('append', ['I202606011000', 'patrol', 'ok'])
    """
    stamp, current = _local(at), _now(now)
    problems, point = _common(
        district, lonlat, stamp, current, what="inspection", layer="inspections"
    )
    target = text_ids([target_id])[0]
    if role not in INSPECTOR_ROLES:
        problems.append(
            Problem(
                "error",
                f"unknown inspector role {role!r}.",
                layer="inspections",
                field="inspector_role",
                fix=f"one of {', '.join(INSPECTOR_ROLES)}.",
            )
        )
    if result not in INSPECTION_RESULTS:
        problems.append(
            Problem("error", f"unknown result {result!r}.", layer="inspections", field="result")
        )
    if target is not None and not _known(district, target, None):
        problems.append(
            Problem(
                "error",
                f"unknown target {target!r}: no grid, unit, building or household has this id.",
                layer="inspections",
                field="target_id",
                fix="check the id, or leave it empty.",
            )
        )
    if problems:
        raise DataError(problems)
    assert stamp is not None and point is not None  # both were checked: no problems
    layer = event_layer(district, "inspections")
    row = {
        "inspection_id": _new_id(layer["inspection_id"], "I", stamp),
        "inspected_at": stamp,
        "inspector_role": role,
        "inspector": inspector or None,
        "target_id": target,
        "result": result,
        "note": note or None,
    }
    added = _frame(district, "inspections", row, point)
    return Edit("inspections", "append", layer.iloc[0:0], added, user=user)


def hazard_edit(
    district: District,
    *,
    found_at: object,
    severity: str,
    deadline: object,
    lonlat: tuple[float, float] | None,
    now: object,
    unit_id: str | None = None,
    description: str | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` appending one open hazard; `DataError` listing every problem otherwise.

    Examples
    --------
    >>> from gridmap.analysis.inspections import hazard_edit
    >>> edit = hazard_edit(
    ...     district,
    ...     found_at="2026-06-01 10:00",
    ...     severity="general",
    ...     deadline="2026-06-21",
    ...     lonlat=(113.2696, 34.8282),
    ...     now="2026-06-01 10:05",
    ...     description="楼道堆物",
    ... )
    >>> edit.operation, edit.added[["hazard_id", "status"]].iloc[0].tolist()
    ('append', ['HZ202606011000', 'open'])
    """
    stamp, current = _local(found_at), _now(now)
    problems, point = _common(district, lonlat, stamp, current, what="hazard", layer="hazards")
    due = _local(deadline)
    unit = text_ids([unit_id])[0]
    if severity not in HAZARD_SEVERITIES:
        problems.append(
            Problem("error", f"unknown severity {severity!r}.", layer="hazards", field="severity")
        )
    if due is None:
        problems.append(
            Problem(
                "error",
                "the hazard has no rectification deadline.",
                layer="hazards",
                field="deadline",
                fix="set the deadline (整改期限) given to the unit.",
            )
        )
    elif stamp is not None and due.normalize() < stamp.normalize():
        problems.append(
            Problem(
                "error",
                "the deadline is before the day the hazard was found.",
                layer="hazards",
                field="deadline",
            )
        )
    if unit is not None and not _known(district, unit, ("units",)):
        problems.append(
            Problem(
                "error",
                f"unknown unit id {unit!r}.",
                layer="hazards",
                field="unit_id",
                fix="pick a registered social unit, or leave it empty.",
            )
        )
    if problems:
        raise DataError(problems)
    assert stamp is not None and point is not None  # both were checked: no problems
    layer = event_layer(district, "hazards")
    row = {
        "hazard_id": _new_id(layer["hazard_id"], "HZ", stamp),
        "found_at": stamp,
        "severity": severity,
        "status": "open",  # a major one too: supervision is due, not done (hazards.py)
        "deadline": due,
        "rectified_at": pd.NaT,
        "unit_id": unit,
        "description": description or None,
    }
    added = _frame(district, "hazards", row, point)
    return Edit("hazards", "append", layer.iloc[0:0], added, user=user)


#: The statuses a recorded hazard can move to (`hazard_status_edit`).
STATUS_UPDATES = ("rectified", "transferred", "supervised")


def _status_problems(
    row: pd.Series | None,
    hazard_id: str | None,
    status: str,
    rectified: pd.Timestamp | None,
    current: pd.Timestamp,
) -> list[Problem]:
    problems: list[Problem] = []
    if status not in STATUS_UPDATES:
        problems.append(
            Problem(
                "error",
                f"unknown status {status!r}.",
                layer="hazards",
                field="status",
                fix=f"one of {', '.join(STATUS_UPDATES)}.",
            )
        )
    if row is None:
        problems.append(
            Problem(
                "error",
                f"unknown hazard id {hazard_id!r}.",
                layer="hazards",
                field="hazard_id",
                fix="copy the id (隐患编号) from the hazard ledger.",
            )
        )
    elif text_ids([row.get("status")])[0] == "rectified":
        problems.append(
            Problem(
                "error",
                f"hazard {hazard_id} is already rectified; its loop is closed.",
                layer="hazards",
                field="status",
            )
        )
    elif text_ids([row.get("status")])[0] == status:
        problems.append(
            Problem(
                "error", f"hazard {hazard_id} is already {status}.", layer="hazards", field="status"
            )
        )
    if status == "rectified" and rectified is None:
        problems.append(
            Problem(
                "error",
                "a rectified hazard needs the time it was rectified.",
                layer="hazards",
                field="rectified_at",
                fix="enter the date and time the unit finished the rectification.",
            )
        )
    elif status != "rectified" and rectified is not None:
        problems.append(
            Problem(
                "error",
                f"only a rectified hazard has a rectification time, not a {status} one.",
                layer="hazards",
                field="rectified_at",
            )
        )
    if rectified is None or status != "rectified":
        return problems
    if rectified > current:
        problems.append(
            Problem(
                "error",
                f"the rectification time {rectified:%Y-%m-%d %H:%M} is in the future "
                f"(now {current:%Y-%m-%d %H:%M}).",
                layer="hazards",
                field="rectified_at",
            )
        )
    found = _local(row.get("found_at")) if row is not None else None
    if found is not None and not pd.isna(found) and rectified < found:
        problems.append(
            Problem(
                "error",
                f"the rectification time {rectified:%Y-%m-%d %H:%M} is before the hazard was "
                f"found ({found:%Y-%m-%d %H:%M}).",
                layer="hazards",
                field="rectified_at",
            )
        )
    return problems


def hazard_status_edit(
    district: District,
    *,
    hazard_id: str | None,
    status: str,
    now: object,
    rectified_at: object | None = None,
    user: str = "",
) -> Edit:
    """Return an `Edit` changing one hazard's status (and its rectification time when rectified).

    `status` is one of `STATUS_UPDATES`; ``rectified`` needs `rectified_at`, on
    or after the time the hazard was found and not after `now`. The edit
    removes the hazard's row as it is and adds it changed, so undo restores it.
    Raises `DataError` listing every problem.

    Examples
    --------
    >>> from gridmap.analysis.inspections import hazard_status_edit
    >>> edit = hazard_status_edit(
    ...     district,
    ...     hazard_id="HZ0001",
    ...     status="rectified",
    ...     now="2026-06-30 09:00",
    ...     rectified_at="2026-06-29 17:00",
    ... )
    >>> edit.operation, edit.added[["hazard_id", "status"]].iloc[0].tolist()
    ('status', ['HZ0001', 'rectified'])
    """
    layer = event_layer(district, "hazards")
    key = text_ids([hazard_id])[0]
    pos = lookup(np.array([key], dtype=object), text_ids(layer["hazard_id"]))[0]
    row = layer.iloc[pos] if pos >= 0 else None
    current = _now(now)
    try:
        rectified = _local(rectified_at)
    except (ValueError, TypeError):
        raise DataError(
            Problem(
                "error",
                f"cannot read the rectification time {rectified_at!r}.",
                layer="hazards",
                field="rectified_at",
                fix="write it as 2025-06-01 14:30.",
            )
        ) from None
    problems = _status_problems(row, key, status, rectified, current)
    if problems:
        raise DataError(problems)
    before = layer.iloc[[pos]]
    after = before.copy()
    after["status"] = status
    if rectified is not None:  # a file without the column gets it (gridmap.layers.edits.apply_edit)
        like = layer["rectified_at"].dtype if "rectified_at" in layer.columns else None
        dtype = like if isinstance(like, pd.DatetimeTZDtype) else pd.DatetimeTZDtype("ms", TIMEZONE)
        after["rectified_at"] = pd.Series([rectified], index=after.index).astype(dtype)
    return Edit("hazards", "status", before, after, user=user)
