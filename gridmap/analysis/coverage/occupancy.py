"""Findings about what the grids hold: buildings, households and units (村不漏楼、楼不漏户).

`membership_tables` places every building, unit and household in the grids
(`gridmap.analysis.coverage.membership`); `occupancy_findings` turns the misses into
building_missed, building_split, household_missed, building_no_households and
unit_missed findings.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from gridmap.analysis.coverage import findings as fnd
from gridmap.analysis.coverage import membership as mem
from gridmap.analysis.coverage import topology
from gridmap.analysis.coverage.findings import LayerData, batch, obj


def geoms_or_none(data: LayerData | None, n: int) -> np.ndarray:
    """Return the layer's geometries, or `n` Nones when it has no layer or no geometry."""
    if data is None or data.geoms is None:
        return np.full(n, None, dtype=object)
    return data.geoms


def occupancy_findings(
    layers: Mapping[str, LayerData], tables: Mapping[str, pd.DataFrame], *, min_area: float
) -> list[pd.DataFrame]:
    """building_missed, building_split, household_missed, building_no_households, unit_missed."""
    out: list[pd.DataFrame] = []
    small = layers["grid_small"]
    if "buildings" in layers:
        b = layers["buildings"]
        geoms = geoms_or_none(b, len(b.ids))
        rows = np.flatnonzero(pd.isna(tables["buildings"]["small_id"].to_numpy()))
        placed = topology.present(geoms[rows])
        out.append(
            batch(
                "building_missed",
                "buildings",
                b.ids[rows],
                geometry=geoms[rows],
                message=obj(
                    np.where(
                        placed,
                        "its representative point lies in no small grid",
                        "it has no geometry, so it lies in no small grid",
                    )
                ),
                message_zh=obj(
                    np.where(placed, "楼栋不在任何小网格内", "楼栋无图形，无法落入小网格")
                ),
            )
        )
        parts = mem.split_buildings(
            geoms,
            small.shapes,
            min_area=min_area,
            small_ids=small.ids,
            member=np.asarray(tables["building_small"]),
            small_flags=small.grid_flags,
        )
        text = (
            obj(small.ids[parts["grid"].to_numpy()]).fillna("?")
            + " "
            + fnd.fmt_area(parts["area"].to_numpy())
        )
        joined = text.groupby(parts["building"].to_numpy()).agg("、".join)
        rows = joined.index.to_numpy(dtype=np.int64)
        grids = obj(joined.to_numpy())
        out.append(
            batch(
                "building_split",
                "buildings",
                b.ids[rows],
                large=b.large[rows],
                medium=b.medium[rows],
                geometry=geoms[rows],
                message="lies in several small grids (m²): " + grids,
                message_zh="楼栋跨越多个小网格（平方米）：" + grids,
            )
        )
    if "households" in layers:
        out.append(_household_missed(layers, tables))
        if "buildings" in layers:
            out.append(_no_households(layers, tables))
    if "units" in layers:
        u = layers["units"]
        rows = np.flatnonzero(pd.isna(tables["units"]["small_id"].to_numpy()))
        out.append(
            batch(
                "unit_missed",
                "units",
                u.ids[rows],
                geometry=geoms_or_none(u, len(u.ids))[rows],
                message="the unit's point lies in no small grid",
                message_zh="单位不在任何小网格内",
            )
        )
    return out


def _household_missed(
    layers: Mapping[str, LayerData], tables: Mapping[str, pd.DataFrame]
) -> pd.DataFrame:
    h = layers["households"]
    reason = tables["household_reason"]
    rows = np.flatnonzero(pd.notna(reason))
    named = obj(h.column("building_id")[rows]).fillna("")
    why = np.asarray(reason[rows], dtype=object)
    message = obj(
        np.select(
            [why == "blank", why == "unknown"],
            ["building_id is blank", "its building_id '" + named + "' names no building"],
            "its building " + named + " lies in no small grid",
        )
    )
    message_zh = obj(
        np.select(
            [why == "blank", why == "unknown"],
            ["未填写所属楼栋编号", "所属楼栋编号 " + named + " 不存在"],
            "所属楼栋 " + named + " 未入格（漏楼）",
        )
    )
    geometry = geoms_or_none(h, len(h.ids))[rows].copy()
    b = layers.get("buildings")
    if b is not None and b.geoms is not None:
        pos = tables["household_building"][rows]
        fill = ~topology.present(geometry) & (pos >= 0)
        geometry[fill] = mem.representative_points(b.geoms[pos[fill]])
    return batch(
        "household_missed",
        "households",
        h.ids[rows],
        large=h.large[rows],
        medium=h.medium[rows],
        geometry=geometry,
        message=message,
        message_zh=message_zh,
    )


def _no_households(layers: Mapping[str, LayerData], tables: Mapping[str, Any]) -> pd.DataFrame:
    b = layers["buildings"]
    named = np.zeros(len(b.ids), dtype=bool)
    pos = tables["household_building"]
    named[pos[pos >= 0]] = True
    # a duplicated building id is named when any of its rows is
    named = pd.Series(b.ids, dtype=object).isin(b.ids[named]).to_numpy()
    residential = b.column("use") == "residential"
    rows = np.flatnonzero(residential & ~named)
    return batch(
        "building_no_households",
        "buildings",
        b.ids[rows],
        large=b.large[rows],
        medium=b.medium[rows],
        geometry=geoms_or_none(b, len(b.ids))[rows],
        message="a residential building that no household names (households missed?)",
        message_zh="住宅楼栋无住户登记（可能漏户）",
    )


def membership_tables(
    layers: Mapping[str, LayerData], small_geoms: np.ndarray, hierarchy: mem.Hierarchy
) -> dict[str, Any]:
    """Return the small, medium and large grid of each building, household and unit."""

    def empty(first: str, n: int = 0) -> pd.DataFrame:
        return pd.DataFrame(
            {c: obj([None] * n) for c in (first, "small_id", "medium_id", "large_id")}
        )

    tables: dict[str, Any] = {}
    b = layers.get("buildings")
    if b is None:
        tables["buildings"], tables["building_small"] = empty("building_id"), np.array([], int)
    else:
        tables["buildings"], tables["building_small"] = mem.building_membership(
            obj(b.ids), geoms_or_none(b, len(b.ids)), small_geoms, hierarchy
        )
    u = layers.get("units")
    tables["units"] = (
        empty("unit_id")
        if u is None
        else mem.unit_membership(obj(u.ids), geoms_or_none(u, len(u.ids)), small_geoms, hierarchy)
    )
    h = layers.get("households")
    if h is None:
        table = empty("household_id")
        table.insert(1, "building_id", obj([]))
        tables["households"], tables["household_reason"] = table, np.array([], dtype=object)
        tables["household_building"] = np.array([], dtype=np.int64)
    else:
        (
            tables["households"],
            tables["household_reason"],
            tables["household_building"],
        ) = mem.household_membership(obj(h.ids), obj(h.column("building_id")), tables["buildings"])
    return tables
