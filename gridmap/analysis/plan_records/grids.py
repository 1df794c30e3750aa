"""The grids the plan's records belong to, and records naming grids or plans that do not exist.

Records name their grid by ``grid_id`` (trainings, plans, fire teams: a
zone, community or town code) or ``large_id`` (meetings); a zone's record
counts for its community. `grid_tree` lists every grid with its community
and town, `record_grids` places grid ids in it, and `reference_problems`
lists the records naming no known grid (and drills of unknown plans), which
are counted nowhere. `record_layer` and `layer_days` are the small helpers
the plan's measures share.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from gridmap.analysis.inspections import day_numbers, lookup, text_ids
from gridmap.district import District
from gridmap.errors import Problem
from gridmap.schema import GRID_LEVELS

#: Day number of a missing date (`layer_days`).
NAT = np.iinfo(np.int64).min
#: None as a 0-d object array: the "absent" branch of `np.where` on id arrays.
_NONE = np.array(None, dtype=object)


def record_layer(district: District, name: str) -> pd.DataFrame | None:
    """Layer `name` of the district, None when absent or empty.

    Examples
    --------
    >>> from gridmap.analysis.plan_records import record_layer
    >>> len(record_layer(district, "drills")), record_layer(district, "no_such_layer")
    (76, None)
    """
    frame = district.get(name)
    return frame if frame is not None and len(frame) else None


def layer_days(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Shanghai day numbers of a datetime column (`NAT` where missing).

    Examples
    --------
    >>> from gridmap.analysis.plan_records import layer_days
    >>> layer_days(district["drills"], "date")[:3].tolist()
    [20395, 20395, 20395]
    """
    if column not in frame.columns:
        return np.full(len(frame), NAT, dtype=np.int64)
    present = frame[column].notna().to_numpy()
    days = np.full(len(frame), NAT, dtype=np.int64)
    if present.any():
        days[present] = day_numbers(frame[column][present])
    return days


def grid_tree(district: District) -> pd.DataFrame:
    """Return every grid with its community and town.

    Columns: ``level``, ``grid_id``, ``parent_id``, ``name``, ``leader`` (None where
    blank), ``medium_id``, ``large_id`` (None where the hierarchy is broken), in level order
    (large, medium, small) and layer order.

    Examples
    --------
    >>> from gridmap.analysis.plan_records import grid_tree
    >>> tree = grid_tree(district)
    >>> len(tree), tree.columns.tolist()
    (188, ['level', 'grid_id', 'parent_id', 'name', 'leader', 'medium_id', 'large_id'])
    """
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
    large["medium_id"] = None
    large["large_id"] = large["grid_id"]
    medium["medium_id"] = medium["grid_id"]
    medium["large_id"] = _known(medium["parent_id"], large["grid_id"])
    small["medium_id"] = _known(small["parent_id"], medium["grid_id"])
    pos = lookup(small["medium_id"].to_numpy(dtype=object), medium["grid_id"].to_numpy(object))
    small["large_id"] = np.where(
        pos >= 0, medium["large_id"].to_numpy(dtype=object)[np.maximum(pos, 0)], _NONE
    )
    return pd.concat(parts, ignore_index=True).astype(object)


def _known(ids: pd.Series, table: pd.Series) -> np.ndarray:
    values = ids.to_numpy(dtype=object)
    return np.where(lookup(values, table.to_numpy(dtype=object)) >= 0, values, _NONE)


def record_grids(tree: pd.DataFrame, ids: Iterable[object]) -> pd.DataFrame:
    """Level, community and town of each grid id (None where no grid has the id).

    Looked up in the small, medium, then large grids (the first match wins).

    Examples
    --------
    >>> from gridmap.analysis.plan_records import grid_tree, record_grids
    >>> record_grids(grid_tree(district), ["410106001001001", "X9"])
               grid_id       level     medium_id   large_id
    0  410106001001001  grid_small  410106001001  410106001
    1               X9        None          None       None
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


def reference_problems(district: District, tree: pd.DataFrame | None = None) -> list[Problem]:
    """Return records that name a grid, town or plan the district does not have (warnings).

    Examples
    --------
    >>> from gridmap.analysis.plan_records import reference_problems
    >>> [problem.message for problem in reference_problems(district)]
    []
    """
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
        frame = record_layer(district, layer)
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
