"""Bill of materials for the plan's equipment points, and inventory checks of existing points.

`bill_of_materials` applies the standard (`gridmap.standards.equipment`) to
the planned points (status ``planned``) and the pilot communities: per
community and in total, with Chinese headers for the ledger (台帐).

`inventory_shortfalls` checks every existing point against the standard: the
per-point kit at each point, and the pilot-community kit (water-mist unit,
equipment boxes, signs) once per pilot community, counted over all of that
community's existing points and reported at its pilot point (the first point
flagged ``is_pilot``, else its first point by id). The result is a
GeoDataFrame of points, ready to map.

A pilot community is a medium grid holding a point flagged ``is_pilot``,
unless the caller names the pilot communities.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.analysis.equipment.result import grid_lineage
from gridmap.district import District
from gridmap.layers import INVENTORY_FIELDS
from gridmap.schema import EQUIPMENT_POINTS
from gridmap.standards.equipment import (
    EQUIPMENT_STANDARD,
    EquipmentItem,
    check_standard,
    standard_per_pilot_community,
    standard_per_point,
)

COMMUNITY_COLUMNS = {
    "medium_id": "社区编码",
    "name": "社区（村）名称",
    "large_id": "所属街道（镇）",
    "planned_points": "规划器材点（个）",
    "pilot": "试点社区",
}
TOTAL_ROW = "合计"


@dataclass(frozen=True)
class BillOfMaterials:
    """The kit to procure.

    Attributes
    ----------
    per_community
        One row per community with planned points or a pilot kit, then a total
        row (合计); Chinese headers, one column per item of the standard.
    total
        One row per item: 器材名称, 英文名称, 单位, 每个器材点, 每个试点社区,
        规划器材点数, 试点社区数, 合计数量.
    """

    per_community: pd.DataFrame
    total: pd.DataFrame


def _points(district: District) -> gpd.GeoDataFrame:
    points = district.get("equipment_points")
    if points is None:
        return gpd.GeoDataFrame(
            columns=list(EQUIPMENT_POINTS.field_names) + ["geometry"],
            geometry="geometry",
            crs=district.crs,
        )
    return points


def point_communities(district: District, points: gpd.GeoDataFrame) -> pd.DataFrame:
    """Community (medium grid) and town of each point: by place, else by its ``grid_id``.

    Examples
    --------
    >>> from gridmap.analysis.equipment import point_communities
    >>> point_communities(district, district["equipment_points"]).head(2)
              small_id     medium_id   large_id
    0  410106001001001  410106001001  410106001
    1  410106001001004  410106001001  410106001
    """
    lineage = grid_lineage(district, points.geometry.to_numpy())
    medium = district.get("grid_medium")
    small = district.get("grid_small")
    declared = points["grid_id"].astype("string") if "grid_id" in points else None
    if declared is not None:
        parents = (
            dict(zip(small["grid_id"].astype(str), small["parent_id"].astype(str), strict=True))
            if small is not None
            else {}
        )
        medium_ids = set(medium["grid_id"].astype(str)) if medium is not None else set()
        guess = [
            g if g in medium_ids else parents.get(g) if isinstance(g, str) else None
            for g in declared.to_numpy(dtype=object, na_value=None)
        ]
        missing = lineage["medium_id"].isna().to_numpy()
        lineage.loc[missing, "medium_id"] = np.asarray(guess, dtype=object)[missing]
    lineage.index = points.index
    return lineage


def pilot_communities(district: District) -> list[str]:
    """Medium grids holding a point flagged ``is_pilot``, sorted.

    Examples
    --------
    >>> from gridmap.analysis.equipment import pilot_communities
    >>> pilot_communities(district)
    ['410106001001', '410106001002', '410106004002', '410106100001']
    """
    points = _points(district)
    if len(points) == 0 or "is_pilot" not in points:
        return []
    flagged = points["is_pilot"].fillna(False).astype(bool)
    where = point_communities(district, points)["medium_id"]
    return sorted({str(m) for m in where[flagged] if m is not None and not pd.isna(m)})


def _status(points: pd.DataFrame) -> pd.Series:
    status = points["status"] if "status" in points else pd.Series("existing", index=points.index)
    return status.fillna("existing").astype(str)


def bill_of_materials(
    district: District,
    *,
    pilot: Iterable[str] | None = None,
    standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD,
) -> BillOfMaterials:
    """Return the kit for the planned points and pilot communities, per community and in total.

    Examples
    --------
    >>> from gridmap.analysis.equipment import bill_of_materials
    >>> bom = bill_of_materials(district)
    >>> bom.total.columns.tolist()[:4]
    ['器材名称', '英文名称', '单位', '每个器材点']
    """
    check_standard(standard)
    points = _points(district)
    pilots = sorted(set(pilot_communities(district) if pilot is None else pilot))
    where = point_communities(district, points)
    planned = where.loc[_status(points) == "planned", "medium_id"]
    counts = planned.dropna().astype(str).value_counts()
    ids = sorted(set(counts.index) | set(pilots))
    medium = district.get("grid_medium")
    names = (
        dict(zip(medium["grid_id"].astype(str), medium["name"], strict=True))
        if medium is not None
        else {}
    )
    towns = (
        dict(zip(medium["grid_id"].astype(str), medium["parent_id"].astype(str), strict=True))
        if medium is not None
        else {}
    )
    n_planned = np.array([int(counts.get(i, 0)) for i in ids])
    is_pilot = np.array([i in pilots for i in ids])
    table = pd.DataFrame(
        {
            COMMUNITY_COLUMNS["medium_id"]: ids,
            COMMUNITY_COLUMNS["name"]: [names.get(i, "") for i in ids],
            COMMUNITY_COLUMNS["large_id"]: [towns.get(i, "") for i in ids],
            COMMUNITY_COLUMNS["planned_points"]: n_planned,
            COMMUNITY_COLUMNS["pilot"]: np.where(is_pilot, "是", "否"),
        }
    )
    for item in standard:
        table[item.label_zh] = n_planned * item.per_point + is_pilot * item.per_pilot_community
    total_row: dict[str, object] = {c: "" for c in table.columns}
    total_row[COMMUNITY_COLUMNS["medium_id"]] = TOTAL_ROW
    total_row[COMMUNITY_COLUMNS["planned_points"]] = int(n_planned.sum())
    total_row[COMMUNITY_COLUMNS["pilot"]] = f"{int(is_pilot.sum())} 个"
    for item in standard:
        total_row[item.label_zh] = int(table[item.label_zh].sum())
    per_community = pd.concat([table, pd.DataFrame([total_row])], ignore_index=True)
    total = pd.DataFrame(
        {
            "器材名称": [item.zh for item in standard],
            "英文名称": [item.en for item in standard],
            "单位": [item.unit_zh for item in standard],
            "每个器材点": [item.per_point for item in standard],
            "每个试点社区": [item.per_pilot_community for item in standard],
            "规划器材点数": int(n_planned.sum()),
            "试点社区数": int(is_pilot.sum()),
            "合计数量": [
                int(n_planned.sum()) * item.per_point
                + int(is_pilot.sum()) * item.per_pilot_community
                for item in standard
            ],
        }
    )
    return BillOfMaterials(per_community, total)


def inventory_shortfalls(
    district: District,
    *,
    pilot: Iterable[str] | None = None,
    standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD,
) -> gpd.GeoDataFrame:
    """Every existing point with what it lacks against the standard.

    Columns: ``point_id``, ``name``, ``medium_id``, ``pilot_holder`` (holds its
    community's pilot kit), ``short_<field>`` for each inventory field,
    ``short_total`` and ``complete``; point geometry in the district CRS.

    Examples
    --------
    >>> from gridmap.analysis.equipment import inventory_shortfalls
    >>> shortfalls = inventory_shortfalls(district)
    >>> len(shortfalls), shortfalls.columns[:3].tolist()
    (64, ['point_id', 'name', 'medium_id'])
    """
    check_standard(standard)
    points = _points(district)
    existing = points[_status(points) == "existing"].copy()
    pilots = set(pilot_communities(district) if pilot is None else pilot)
    medium = point_communities(district, existing)["medium_id"]
    existing["medium_id"] = medium.to_numpy()
    per_point = standard_per_point(standard)
    per_pilot = standard_per_pilot_community(standard)
    have = (
        pd.DataFrame(
            {f: pd.to_numeric(existing.get(f), errors="coerce") for f in INVENTORY_FIELDS},
            index=existing.index,
        )
        .astype(float)
        .fillna(0.0)
    )
    holder = pd.Series(False, index=existing.index)
    flagged = (
        existing["is_pilot"].fillna(False).astype(bool)
        if "is_pilot" in existing
        else pd.Series(False, index=existing.index)
    )
    ordered = existing.assign(_flag=~flagged).sort_values(["_flag", "point_id"], kind="stable")
    for community, group in ordered.groupby("medium_id", sort=False):
        if community in pilots:
            holder[group.index[0]] = True
    out = gpd.GeoDataFrame(
        {
            "point_id": existing["point_id"].astype(str),
            "name": existing.get("name"),
            "medium_id": existing["medium_id"],
            "pilot_holder": holder,
        },
        geometry=existing.geometry,
        crs=district.crs,
    )
    community_have = have.groupby(existing["medium_id"]).transform("sum")
    for f in INVENTORY_FIELDS:
        short = np.maximum(per_point[f] - have[f], 0)
        if per_pilot[f]:
            pilot_short = np.maximum(
                per_pilot[f] + per_point[f] - community_have[f].where(holder, np.inf), 0
            )
            short = np.where(holder, np.maximum(short, pilot_short), short)
        out[f"short_{f}"] = np.asarray(short, dtype=np.int64)
    shorts = [f"short_{f}" for f in INVENTORY_FIELDS]
    out["short_total"] = out[shorts].sum(axis=1).astype(np.int64)
    out["complete"] = out["short_total"] == 0
    return out.reset_index(drop=True)


def shortfall_table(shortfalls: pd.DataFrame) -> pd.DataFrame:
    """Return the shortfalls with Chinese headers, for the ledger.

    Examples
    --------
    >>> from gridmap.analysis.equipment import inventory_shortfalls, shortfall_table
    >>> shortfall_table(inventory_shortfalls(district)).columns[:3].tolist()
    ['器材点编号', '名称', '所在社区编码']
    """
    table = pd.DataFrame(
        {
            "器材点编号": shortfalls["point_id"],
            "名称": shortfalls["name"],
            "所在社区编码": shortfalls["medium_id"],
            "存放试点社区器材": np.where(shortfalls["pilot_holder"], "是", "否"),
        }
    )
    for f in INVENTORY_FIELDS:
        table[f"缺{EQUIPMENT_POINTS.field(f).zh}"] = shortfalls[f"short_{f}"]
    table["缺额合计"] = shortfalls["short_total"]
    table["是否达标"] = np.where(shortfalls["complete"], "达标", "不达标")
    return table
