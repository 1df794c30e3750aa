"""The three grid levels and their hierarchy (大网格 > 中网格 > 小网格)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from gridmap.errors import Problem
from gridmap.schema import GRID_LEVELS, PARENT_LEVEL

#: The level below each level that has children.
CHILD_LEVEL = {parent: child for child, parent in PARENT_LEVEL.items()}


def validate(frame: pd.DataFrame) -> list[Problem]:
    """Rules a grid layer must meet beyond the schema: none are fatal at load.

    Missing leaders, bad parents, gaps and overlaps are the coverage checks'
    findings (`gridmap.analysis.coverage.check`), not load errors.
    """
    return []


def children(layers: Mapping[str, pd.DataFrame], level: str, grid_id: str) -> pd.DataFrame:
    """Return the grids of the level below `level` whose parent is `grid_id`."""
    child = CHILD_LEVEL.get(level)
    if child is None:
        raise ValueError(f"{level!r} has no child level; levels are {', '.join(GRID_LEVELS)}")
    frame = layers[child]
    return frame[frame["parent_id"] == grid_id]


def lineage(layers: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per small grid: ``small_id``, ``medium_id``, ``large_id`` (None where unknown)."""
    small = layers["grid_small"][["grid_id", "parent_id"]].drop_duplicates("grid_id")
    medium = layers["grid_medium"][["grid_id", "parent_id"]].drop_duplicates("grid_id")
    out = small.rename(columns={"grid_id": "small_id", "parent_id": "medium_id"})
    known_medium = out["medium_id"].isin(medium["grid_id"])
    out["medium_id"] = out["medium_id"].where(known_medium, None)
    parents = medium.set_index("grid_id")["parent_id"]
    out["large_id"] = out["medium_id"].map(parents)
    return out.reset_index(drop=True)
