"""Which grids a user sees in full: the subtree of the grids it is bound to.

`scope_of` turns a user into a `Scope` over one district: every grid id
(large, medium, small) under the user's grids, or everything. `rows_in_scope`
tells, for any layer, which rows lie inside it: grids by id; records naming
a grid (``grid_id``, ``large_id``) by that grid; drills by their plan's grid;
everything else by where it is (a household without a point by its
building). A row that cannot be placed is outside: masked, never shown.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.district import District
from gridmap.identity.users import User
from gridmap.layers import first_hit
from gridmap.schema import GRID_LEVELS


@dataclass(frozen=True)
class Scope:
    """The grids a user sees in full: `everything`, or the grid ids in `grids`.

    `personal` is False for a user who sees no personal data anywhere (a
    viewer, or a public export): then nothing is in scope.
    """

    everything: bool
    grids: frozenset[str] = frozenset()
    personal: bool = True

    def covers(self, grid_id: object) -> bool:
        """Whether grid `grid_id` (any level) is shown in full."""
        if not self.personal:
            return False
        return self.everything or (isinstance(grid_id, str) and grid_id in self.grids)

    @property
    def full(self) -> bool:
        """True when everything is shown in full (nothing to mask)."""
        return self.personal and self.everything

    @property
    def empty(self) -> bool:
        """True when nothing is shown in full (mask every personal field)."""
        return not self.personal or (not self.everything and not self.grids)


#: A scope that shows all personal data, and one that shows none (viewer, public).
FULL = Scope(everything=True)
NONE = Scope(everything=False, personal=False)


def _ids(frame: pd.DataFrame | None, column: str) -> pd.Series:
    if frame is None or column not in frame:
        return pd.Series([], dtype=object)
    return frame[column].astype(object)


def subtree(district: District, grid_ids: Iterable[str]) -> frozenset[str]:
    """`grid_ids` and every grid below them (through ``parent_id``), at all levels.

    Ids the district does not have are kept (they cover nothing).

    Examples
    --------
    金华社区 of the sample district and its five zones:

    >>> sorted(subtree(district, ["410106001001"]))
    ['410106001001', '410106001001001', '410106001001002', '410106001001003', ...]
    >>> len(subtree(district, ["410106001001"]))
    6
    """
    found = {str(g) for g in grid_ids}
    for level in GRID_LEVELS[1:]:  # medium, then small: parents are known before children
        frame = district.get(level)
        if frame is None or "parent_id" not in frame or "grid_id" not in frame:
            continue
        below = frame["parent_id"].astype(object).isin(found)
        found |= {str(g) for g in frame.loc[below, "grid_id"].dropna()}
    return frozenset(found)


def scope_of(user: User | None, district: District) -> Scope:
    """Return the scope `user` sees in full in `district` (no user: nothing).

    Examples
    --------
    >>> from gridmap.identity.roles import Role
    >>> scope_of(User("v", Role.VIEWER), District({}, 4547)).empty
    True
    >>> scope_of(User("p", Role.PLANNER), District({}, 4547)).full
    True

    A community leader of the sample sees the community and its zones:

    >>> leader = User("zhao", Role.GRID_LEADER, grids=("410106001001",))
    >>> len(scope_of(leader, district).grids), scope_of(leader, district).covers("410106001002")
    (6, False)
    """
    if user is None or not user.sees_personal_data:
        return NONE
    if user.district_wide:
        return FULL
    return Scope(everything=False, grids=subtree(district, user.grids))


def _scope_polygons(district: District, scope: Scope) -> np.ndarray:
    parts = []
    for level in GRID_LEVELS:
        frame = district.get(level)
        if isinstance(frame, gpd.GeoDataFrame) and "grid_id" in frame:
            inside = frame["grid_id"].astype(object).isin(scope.grids).to_numpy()
            parts.append(np.asarray(frame.geometry.values, dtype=object)[inside])
    return np.concatenate(parts) if parts else np.array([], dtype=object)


def _by_place(district: District, name: str, frame: pd.DataFrame, scope: Scope) -> np.ndarray:
    polygons = _scope_polygons(district, scope)
    if not isinstance(frame, gpd.GeoDataFrame) or len(polygons) == 0:
        inside = np.zeros(len(frame), dtype=bool)
    else:
        inside = first_hit(frame.geometry, polygons) >= 0
    buildings = district.get("buildings")
    if name != "buildings" and "building_id" in frame and buildings is not None:
        held = buildings.loc[_by_place(district, "buildings", buildings, scope), "building_id"]
        inside |= frame["building_id"].astype(object).isin(set(held.dropna())).to_numpy()
    return inside


def rows_in_scope(district: District, name: str, frame: pd.DataFrame, scope: Scope) -> np.ndarray:
    """Return the boolean mask of the rows of layer `name` (`frame`) that `scope` shows in full.

    Examples
    --------
    The households of the sample that 金华社区's leader sees in full:

    >>> from gridmap.identity import Role, User
    >>> leader = User("zhao", Role.GRID_LEADER, grids=("410106001001",))
    >>> households = district["households"]
    >>> int(rows_in_scope(district, "households", households, scope_of(leader, district)).sum())
    790
    """
    if scope.full:
        return np.ones(len(frame), dtype=bool)
    if scope.empty:
        return np.zeros(len(frame), dtype=bool)
    if name in GRID_LEVELS:
        return _ids(frame, "grid_id").isin(scope.grids).to_numpy()
    for column in ("grid_id", "large_id"):
        if column in frame:
            return _ids(frame, column).isin(scope.grids).to_numpy()
    if name == "drills" and "plan_id" in frame:
        plans = district.get("emergency_plans")
        if plans is None or "grid_id" not in plans:
            return np.zeros(len(frame), dtype=bool)
        own = set(plans.loc[_ids(plans, "grid_id").isin(scope.grids), "plan_id"].dropna())
        return _ids(frame, "plan_id").isin(own).to_numpy()
    return _by_place(district, name, frame, scope)
