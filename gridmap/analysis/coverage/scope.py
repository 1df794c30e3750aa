"""What a leader looks at: a selection in the grid hierarchy and its figures.

A `Selection` names at most one grid per level (large > medium > small); the
deepest one chosen is its scope. Everything here is computed from the loaded
layers and a coverage report (`gridmap.analysis.coverage.check.check_coverage`): the
KPI header (`coverage_kpis`), the side panel (`grid_profile`), the findings in
a scope (`findings_in_scope`) and the choropleth indicators
(`small_grid_indicator`). Pure functions; nothing is mutated.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from gridmap.analysis.coverage.result import CoverageReport
from gridmap.district import District
from gridmap.geo.crs import WEB_CRS
from gridmap.layers import CHILD_LEVEL, LINEAGE_COLUMN
from gridmap.schema import GRID_LEVELS, PARENT_LEVEL, UNIT_CATEGORIES

INDICATORS = ("households", "units", "findings")


@dataclass(frozen=True)
class Selection:
    """One grid per level at most; the deepest chosen one is the scope."""

    large: str | None = None
    medium: str | None = None
    small: str | None = None

    @property
    def level(self) -> str | None:
        """The level of the scope grid, or None for the whole district."""
        for level, value in (
            ("grid_small", self.small),
            ("grid_medium", self.medium),
            ("grid_large", self.large),
        ):
            if value is not None:
                return level
        return None

    @property
    def grid_id(self) -> str | None:
        """The most specific grid selected (None for the whole district)."""
        return self.small or self.medium or self.large

    def scope_id(self) -> str:
        """Return the id of the scope grid; `ValueError` for the whole district (no grid chosen)."""
        if self.grid_id is None:
            raise ValueError("the selection is the whole district; it has no scope grid")
        return self.grid_id

    def as_tuple(self) -> tuple[str | None, str | None, str | None]:
        """Return the selection as (large, medium, small)."""
        return (self.large, self.medium, self.small)


def _parent_of(district: District, level: str, grid_id: str) -> str | None:
    frame = district[level]
    hit = frame.loc[frame["grid_id"] == grid_id, "parent_id"]
    return None if hit.empty or pd.isna(hit.iloc[0]) else str(hit.iloc[0])


def selection_for(district: District, level: str, grid_id: str) -> Selection:
    """Return the selection of a grid together with its declared parents.

    Examples
    --------
    >>> from gridmap.analysis.coverage import selection_for
    >>> selection_for(district, "grid_small", "410106001001001")
    Selection(large='410106001', medium='410106001001', small='410106001001001')
    """
    ids: dict[str, str | None] = {"grid_large": None, "grid_medium": None, "grid_small": None}
    ids[level] = grid_id
    current: str = level
    current_id: str | None = grid_id
    while current in PARENT_LEVEL and current_id is not None:
        parent = PARENT_LEVEL[current]
        current_id = ids[parent] = _parent_of(district, current, current_id)
        current = parent
    return Selection(ids["grid_large"], ids["grid_medium"], ids["grid_small"])


def grid_at(district: District, lon: float, lat: float, level: str) -> str | None:
    """Return the grid of `level` containing a point given in EPSG:4326 (None if none).

    Examples
    --------
    >>> from gridmap.analysis.coverage import grid_at
    >>> grid_at(district, 113.2696, 34.8282, "grid_small")
    '410106001001001'
    >>> grid_at(district, 0.0, 0.0, "grid_small") is None
    True
    """
    x, y = Transformer.from_crs(WEB_CRS, district.crs, always_xy=True).transform(lon, lat)
    frame = district[level]
    point = shapely.Point(x, y)
    hits = frame.sindex.query(point, predicate="intersects")
    if len(hits) == 0:
        return None
    return str(frame["grid_id"].iloc[int(np.min(hits))])


def select_at(district: District, lon: float, lat: float, current: Selection) -> Selection:
    """Return what a click selects: the grid one level below the current scope at that point.

    A click inside the current scope drills down; a click elsewhere, or on a
    small grid when a small grid is selected, selects the grid of the same level
    there. A click outside every grid keeps the selection.

    Examples
    --------
    >>> from gridmap.analysis.coverage import Selection, select_at
    >>> town = select_at(district, 113.2696, 34.8282, Selection())
    >>> town
    Selection(large='410106001', medium=None, small=None)
    >>> select_at(district, 113.2696, 34.8282, town)
    Selection(large='410106001', medium='410106001001', small=None)
    """
    level = current.level
    target = "grid_large" if level is None else CHILD_LEVEL.get(level, "grid_small")
    found = grid_at(district, lon, lat, target)
    if found is not None:
        picked = selection_for(district, target, found)
        inside = level is None or getattr(picked, level.removeprefix("grid_")) == current.grid_id
        if inside or level == "grid_small":
            return picked
    same = grid_at(district, lon, lat, level) if level else None
    return selection_for(district, level, same) if level and same else current


def scope_ids(district: District, selection: Selection) -> dict[str, list[str]]:
    """Grid ids of each level inside the scope, by the declared hierarchy.

    Examples
    --------
    >>> from gridmap.analysis.coverage import scope_ids, selection_for
    >>> ids = scope_ids(district, selection_for(district, "grid_medium", "410106001001"))
    >>> {level: len(found) for level, found in ids.items()}
    {'grid_large': 1, 'grid_medium': 1, 'grid_small': 5}
    """
    out: dict[str, list[str]] = {}
    level = selection.level
    for name in GRID_LEVELS:
        ids = district[name]["grid_id"].dropna().astype(str)
        out[name] = ids.tolist()
    if level is None:
        return out
    start = GRID_LEVELS.index(level)
    for name in GRID_LEVELS[:start]:
        chosen = getattr(selection, name.removeprefix("grid_"))
        out[name] = [chosen] if chosen else []
    out[level] = [selection.scope_id()]
    for name in GRID_LEVELS[start + 1 :]:
        parents = set(out[PARENT_LEVEL[name]])
        frame = district[name]
        out[name] = frame.loc[frame["parent_id"].isin(parents), "grid_id"].astype(str).tolist()
    return out


def _in_scope(membership: pd.DataFrame, selection: Selection) -> pd.Series:
    level = selection.level
    if level is None:
        return pd.Series(True, index=membership.index)
    return membership[LINEAGE_COLUMN[level]] == selection.grid_id


#: The check that reports each kind of object missed by every small grid.
_MISSED_CHECK = {
    "buildings": "building_missed",
    "households": "household_missed",
    "units": "unit_missed",
}


def _membership(report: CoverageReport, kind: str) -> pd.DataFrame:
    return {
        "buildings": report.membership,
        "households": report.household_membership,
        "units": report.unit_membership,
    }[kind]


def _share(
    report: CoverageReport, kind: str, selection: Selection, findings: gpd.GeoDataFrame
) -> tuple[int, int]:
    """(covered, total) objects of a kind in the scope.

    Covered objects are placed by their membership; missed ones have no grid
    there, so inside a large or medium grid they are counted from the scope's
    ``*_missed`` findings, which say where they lie.
    """
    membership = _membership(report, kind)
    rows = membership[_in_scope(membership, selection)]
    covered = int(rows["small_id"].notna().sum())
    if selection.level is None:
        return covered, len(rows)
    missed = findings[findings["check"] == _MISSED_CHECK[kind]]["ids"].map(len).sum()
    return covered, covered + int(missed)


def equipment_membership(district: District) -> pd.DataFrame:
    """Equipment point -> small, medium and large grid by location.

    Examples
    --------
    >>> from gridmap.analysis.coverage import equipment_membership
    >>> equipment_membership(district).head(2)
      point_id         small_id     medium_id   large_id
    0     E001  410106001001001  410106001001  410106001
    1     E002  410106001001004  410106001001  410106001
    """
    points = district.get("equipment_points")
    columns = ["point_id", "small_id", "medium_id", "large_id"]
    if points is None or len(points) == 0:
        return pd.DataFrame(columns=columns)
    small = district["grid_small"]
    hits = small.sindex.query(points.geometry.values, predicate="within")
    first = pd.Series(hits[1], index=hits[0]).groupby(level=0).min()
    small_ids = pd.Series(None, index=range(len(points)), dtype=object)
    small_ids[first.index] = small["grid_id"].to_numpy()[first.to_numpy()]
    parents = small.set_index("grid_id")["parent_id"]
    medium_parents = district["grid_medium"].set_index("grid_id")["parent_id"]
    out = pd.DataFrame({"point_id": points["point_id"].to_numpy(), "small_id": small_ids.values})
    out["medium_id"] = out["small_id"].map(parents)
    out["large_id"] = out["medium_id"].map(medium_parents)
    return out.astype(object).where(out.notna(), None)


def findings_in_scope(
    district: District, report: CoverageReport, selection: Selection
) -> gpd.GeoDataFrame:
    """Return the report's findings that concern the scope grid or what lies in it.

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage, findings_in_scope, selection_for
    >>> town = selection_for(district, "grid_large", "410106005")
    >>> findings_in_scope(district, check_coverage(district), town)[["check", "ids"]]
         check                                 ids
    1      gap                      [410106005001]
    2  overlap  [410106005003002, 410106005003005]
    """
    findings = report.findings
    level = selection.level
    if level is None or findings.empty:
        return findings
    if level in ("grid_large", "grid_medium"):
        own = findings["ids"].map(lambda ids: selection.grid_id in ids)
        return findings[(findings[LINEAGE_COLUMN[level]] == selection.grid_id) | own]
    objects = _objects_in_small(report, selection.scope_id())
    mask = findings["ids"].map(lambda ids: selection.grid_id in ids or bool(objects & set(ids)))
    return findings[mask]


def _objects_in_small(report: CoverageReport, small_id: str) -> set[str]:
    out: set[str] = set()
    for table, column in (
        (report.membership, "building_id"),
        (report.unit_membership, "unit_id"),
        (report.household_membership, "household_id"),
    ):
        out |= set(table.loc[table["small_id"] == small_id, column].astype(str))
    return out


def coverage_kpis(
    district: District, report: CoverageReport, selection: Selection
) -> dict[str, Any]:
    """Return the KPI header: grids per level, coverage, error findings, grids without leader.

    Examples
    --------
    >>> from gridmap.analysis.coverage import Selection, check_coverage, coverage_kpis
    >>> kpis = coverage_kpis(district, check_coverage(district), Selection())
    >>> kpis["grids"], kpis["errors"]
    ({'grid_large': 6, 'grid_medium': 32, 'grid_small': 150}, 11)
    """
    ids = scope_ids(district, selection)
    findings = findings_in_scope(district, report, selection)
    all_ids = {gid for level in GRID_LEVELS for gid in ids[level]}
    no_leader = findings[findings["check"] == "no_leader"]["ids"].map(
        lambda v: bool(set(v) & all_ids)
    )
    return {
        "grids": {level: len(ids[level]) for level in GRID_LEVELS},
        "buildings": _share(report, "buildings", selection, findings),
        "households": _share(report, "households", selection, findings),
        "units": _share(report, "units", selection, findings),
        "errors": int((findings["severity"] == "error").sum()),
        "warnings": int((findings["severity"] == "warning").sum()),
        "no_leader": int(no_leader.sum()),
    }


def _grid_row(district: District, level: str, grid_id: str) -> dict[str, Any]:
    frame = district[level]
    rows = frame.loc[frame["grid_id"] == grid_id]
    if rows.empty:
        return {"grid_id": grid_id}
    row = rows.iloc[0]
    return {
        k: (None if pd.isna(row.get(k)) else row.get(k))
        for k in ("grid_id", "name", "leader", "phone", "kind", "parent_id")
        if k in row
    }


def grid_profile(
    district: District, report: CoverageReport, selection: Selection
) -> dict[str, Any]:
    """Return the scope's side panel: who leads it, what it holds, its findings and children.

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage, grid_profile, selection_for
    >>> zone = selection_for(district, "grid_small", "410106001001001")
    >>> profile = grid_profile(district, check_coverage(district), zone)
    >>> sorted(profile)
    ['child_level', 'children', 'counts', 'findings', 'grid', 'level']
    """
    level = selection.level
    profile: dict[str, Any] = {"level": level, "grid": {}}
    if level is not None:
        profile["grid"] = _grid_row(district, level, selection.scope_id())
    units = report.unit_membership
    findings = findings_in_scope(district, report, selection)
    unit_ids = set(units.loc[_in_scope(units, selection), "unit_id"].astype(str))
    if level is not None:
        missed = findings.loc[findings["check"] == "unit_missed", "ids"]
        unit_ids |= {str(i) for ids in missed for i in ids}
    categories = pd.Series(dtype=object)
    if "units" in district and unit_ids:
        layer = district["units"]
        categories = layer.loc[layer["unit_id"].astype(str).isin(unit_ids), "category"]
    by_category = categories.value_counts().reindex(list(UNIT_CATEGORIES), fill_value=0)
    equipment = equipment_membership(district)
    totals = {kind: _share(report, kind, selection, findings)[1] for kind in _MISSED_CHECK}
    profile["counts"] = {
        **totals,
        "units_by_category": {k: int(v) for k, v in by_category.items()},
        "equipment_points": int(_in_scope(equipment, selection).sum()) if len(equipment) else 0,
    }
    profile["findings"] = findings
    child = "grid_large" if level is None else CHILD_LEVEL.get(level)
    if child is None:
        profile["children"] = pd.DataFrame(columns=["grid_id", "name", "leader", "phone"])
    else:
        frame = district[child]
        if level is not None:
            frame = frame[frame["parent_id"] == selection.grid_id]
        columns = [c for c in ("grid_id", "name", "leader", "phone") if c in frame.columns]
        profile["children"] = pd.DataFrame(frame[columns]).reset_index(drop=True)
    profile["child_level"] = child
    return profile


def small_grid_indicator(district: District, report: CoverageReport, name: str) -> pd.Series:
    """Per small grid id: households, units or findings attributed to it (0 where none).

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage, small_grid_indicator
    >>> households = small_grid_indicator(district, check_coverage(district), "households")
    >>> len(households), int(households.sum())
    (150, 40861)
    """
    small_ids = district["grid_small"]["grid_id"].astype(str)
    if name == "households":
        counts = report.household_membership["small_id"].value_counts()
    elif name == "units":
        counts = report.unit_membership["small_id"].value_counts()
    elif name == "findings":
        counts = _findings_per_small(district, report)
    else:
        raise ValueError(f"unknown indicator {name!r}; choose one of {', '.join(INDICATORS)}")
    return counts.reindex(small_ids, fill_value=0).astype(int).rename(name)


def _findings_per_small(district: District, report: CoverageReport) -> pd.Series:
    findings = report.findings
    if findings.empty:
        return pd.Series(dtype=int)
    owner: dict[str, dict[Hashable, Any]] = {
        "buildings": report.membership.dropna(subset=["small_id"])
        .set_index("building_id")["small_id"]
        .to_dict(),
        "units": report.unit_membership.dropna(subset=["small_id"])
        .set_index("unit_id")["small_id"]
        .to_dict(),
        "households": report.household_membership.dropna(subset=["small_id"])
        .set_index("household_id")["small_id"]
        .to_dict(),
    }
    small_ids = set(district["grid_small"]["grid_id"].astype(str))
    hits: list[str] = []
    for layer, ids in zip(findings["layer"], findings["ids"], strict=True):
        if layer == "grid_small":
            hits += [i for i in ids if i in small_ids]
        elif layer in owner:
            hits += sorted({owner[layer][i] for i in ids if i in owner[layer]})
    return pd.Series(hits, dtype=object).value_counts()
