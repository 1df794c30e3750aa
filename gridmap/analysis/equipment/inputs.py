"""What siting works on: demand points, candidate sites and the points already sited.

Demand (`demand_points`): a household weighs 1 and sits at its building's
representative point (households of one building are merged), or at its own
point when it names no known building; households with neither are counted as
unlocated. A social unit weighs `UNIT_DEMAND_WEIGHTS[category]` households at
its point. ``both`` adds the two.

Candidates (`candidate_sites`): a point layer of the district named by the
user (load extra layers with `gridmap.io.read_extra_layers`), a GeoDataFrame,
``"buildings"`` (building representative points), ``"lattice"`` (a square
lattice inside the small grids) or ``"auto"`` (buildings when there are any).
Candidates inside an ``unsuitable`` polygon are left out.
The points already sited (`fixed_points`) are the equipment points whose
status is existing or planned.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.district import District
from gridmap.errors import DataError, Problem
from gridmap.standards.equipment import HOUSEHOLD_WEIGHT, UNIT_DEMAND_WEIGHTS, check_unit_weights

Demand = Literal["households", "units", "both"]
#: The service distance unless the user gives one, metres.
DEFAULT_RADIUS = 300.0
#: Statuses of equipment points that count as already sited.
FIXED_STATUSES = ("existing", "planned")


def _placed(geoms: gpd.GeoSeries) -> np.ndarray:
    """Return True where a geometry is neither missing nor empty (notna() warns on empties)."""
    arr = geoms.to_numpy(dtype=object)
    return ~(shapely.is_missing(arr) | shapely.is_empty(arr))


def _points_of(geoms: gpd.GeoSeries) -> np.ndarray:
    arr = geoms.to_numpy(dtype=object)
    out = np.full(len(arr), None, dtype=object)
    has = _placed(geoms)
    out[has] = shapely.point_on_surface(arr[has])
    return out


def demand_points(
    district: District,
    demand: Demand = "households",
    *,
    unit_weights: Mapping[str, float] = UNIT_DEMAND_WEIGHTS,
) -> tuple[gpd.GeoDataFrame, int]:
    """Demand points (``kind``, ``ref_id``, ``weight``, geometry) and the unlocated households.

    ``kind`` is ``building`` (households merged at a building), ``household``
    or ``unit``; ``ref_id`` is the building, household or unit id.

    Examples
    --------
    >>> from gridmap.analysis.equipment import demand_points
    >>> points, unlocated = demand_points(district, "both")
    >>> points["kind"].value_counts().to_dict(), unlocated
    ({'building': 3891, 'unit': 1500, 'household': 8}, 0)
    """
    if demand not in ("households", "units", "both"):
        raise ValueError("demand must be 'households', 'units' or 'both'.")
    parts: list[pd.DataFrame] = []
    unlocated = 0
    if demand in ("households", "both"):
        frame, unlocated = _household_demand(district)
        parts.append(frame)
    if demand in ("units", "both"):
        check_unit_weights(unit_weights)
        units = district.get("units")
        if units is not None and len(units):
            located = units[_placed(units.geometry)]
            weights = located["category"].map(dict(unit_weights)).fillna(0.0).to_numpy(float)
            parts.append(
                pd.DataFrame(
                    {
                        "kind": "unit",
                        "ref_id": located["unit_id"].astype(str).to_numpy(),
                        "weight": weights,
                        "geometry": located.geometry.to_numpy(),
                    }
                )
            )
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
    columns = ["kind", "ref_id", "weight", "geometry"]
    out = gpd.GeoDataFrame(frame.reindex(columns=columns), geometry="geometry", crs=district.crs)
    return out[out["weight"] > 0].reset_index(drop=True), unlocated


def _household_demand(district: District) -> tuple[pd.DataFrame, int]:
    buildings = district.get("buildings")
    households = district.get("households")
    b_ids = (
        buildings["building_id"].astype(str).to_numpy() if buildings is not None else np.array([])
    )
    b_points = _points_of(buildings.geometry) if buildings is not None else np.array([])
    if households is None:  # fall back to the buildings' expected households
        if buildings is None or "households_expected" not in buildings:
            return pd.DataFrame(columns=["kind", "ref_id", "weight", "geometry"]), 0
        count = buildings["households_expected"].fillna(0).to_numpy(float)
        frame = pd.DataFrame(
            {"kind": "building", "ref_id": b_ids, "weight": count, "geometry": b_points}
        )
        return frame[frame["geometry"].notna()], 0
    named = households["building_id"].astype("string").str.strip()
    known = named.isin(pd.Index(b_ids)).to_numpy() & named.notna().to_numpy()
    per_building = named[known].value_counts()
    where = dict(zip(b_ids, b_points, strict=True))
    at_buildings = pd.DataFrame(
        {
            "kind": "building",
            "ref_id": per_building.index.astype(str),
            "weight": per_building.to_numpy(float) * HOUSEHOLD_WEIGHT,
            "geometry": [where[i] for i in per_building.index],
        }
    )
    own = households[~known]
    has_point = _placed(own.geometry)
    on_own = pd.DataFrame(
        {
            "kind": "household",
            "ref_id": own["household_id"].astype(str).to_numpy()[has_point],
            "weight": HOUSEHOLD_WEIGHT,
            "geometry": own.geometry.to_numpy()[has_point],
        }
    )
    unlocated = int((~has_point).sum()) + int(at_buildings["geometry"].isna().sum())
    frame = pd.concat([at_buildings[at_buildings["geometry"].notna()], on_own], ignore_index=True)
    return frame, unlocated


def _lattice(district: District, spacing: float) -> gpd.GeoDataFrame:
    area = shapely.union_all(district["grid_small"].geometry.to_numpy())
    minx, miny, maxx, maxy = area.bounds
    xs = np.arange(minx + spacing / 2, maxx, spacing)
    ys = np.arange(miny + spacing / 2, maxy, spacing)
    gx, gy = np.meshgrid(xs, ys)
    points = shapely.points(gx.ravel(), gy.ravel())
    shapely.prepare(area)
    points = points[shapely.contains(area, points)]
    ids = [f"L{i + 1:05d}" for i in range(len(points))]
    return gpd.GeoDataFrame(
        {"candidate_id": ids, "source": "lattice"}, geometry=points, crs=district.crs
    )


def _named_layer(frame: gpd.GeoDataFrame, name: str) -> gpd.GeoDataFrame:
    if not isinstance(frame, gpd.GeoDataFrame) or not frame.geom_type.isin(["Point"]).any():
        raise DataError(
            Problem(
                "error",
                "the candidate layer has no points.",
                layer=name,
                fix="give a point layer of candidate sites (e.g. candidate_sites), or "
                "--candidates auto.",
            )
        )
    id_col = next(
        (c for c in ("candidate_id", "site_id", "point_id", "id", "name") if c in frame), None
    )
    ids = (
        frame[id_col].astype(str).to_numpy()
        if id_col
        else np.array([f"C{i + 1:05d}" for i in range(len(frame))])
    )
    points = frame.geometry.to_numpy()
    return gpd.GeoDataFrame({"candidate_id": ids, "source": name}, geometry=points, crs=frame.crs)


def candidate_sites(
    district: District,
    candidates: str | gpd.GeoDataFrame = "auto",
    *,
    spacing: float = DEFAULT_RADIUS / 2,
    unsuitable: str | gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Candidate sites (``candidate_id``, ``source``, point geometry), unsuitable areas removed.

    Examples
    --------
    >>> from gridmap.analysis.equipment import candidate_sites
    >>> sites = candidate_sites(district)
    >>> len(sites), sites["source"].unique().tolist()
    (5043, ['building'])
    """
    if isinstance(candidates, gpd.GeoDataFrame):
        found = _named_layer(candidates.to_crs(district.crs), "candidates")
    elif candidates == "lattice" or (
        candidates == "auto"
        and (district.get("buildings") is None or len(district["buildings"]) == 0)
    ):
        found = _lattice(district, spacing)
    elif candidates in ("auto", "buildings"):
        buildings = district["buildings"]
        found = gpd.GeoDataFrame(
            {"candidate_id": buildings["building_id"].astype(str).to_numpy(), "source": "building"},
            geometry=_points_of(buildings.geometry),
            crs=district.crs,
        )
    elif candidates in district:
        found = _named_layer(district[candidates], candidates)
    else:
        raise DataError(
            Problem(
                "error",
                f"there is no candidate layer {candidates!r}.",
                layer=candidates,
                fix="name a point layer of the file (it is read with "
                "gridmap.io.read_extra_layers), or use auto, buildings or lattice; the district "
                f"has: {', '.join(district)}.",
            )
        )
    found = found[_placed(found.geometry)]
    found = found[found.geom_type == "Point"]
    if unsuitable is not None:
        areas = district[unsuitable] if isinstance(unsuitable, str) else unsuitable
        if not isinstance(areas, gpd.GeoDataFrame):
            raise DataError(
                Problem(
                    "error",
                    "the unsuitable-area layer has no geometry.",
                    layer=str(unsuitable),
                    fix="give a polygon layer of the areas to avoid (--unsuitable).",
                )
            )
        areas = areas.to_crs(district.crs)
        zone = shapely.union_all(areas.geometry.to_numpy())
        found = found[~shapely.intersects(zone, found.geometry.to_numpy())]
    xy = shapely.get_coordinates(found.geometry.to_numpy())
    first = ~pd.DataFrame(np.round(xy, 2)).duplicated().to_numpy()
    return found[first].reset_index(drop=True)


def fixed_points(district: District, keep_existing: bool) -> gpd.GeoDataFrame:
    """Return the placed equipment points a siting keeps (none unless `keep_existing`).

    Examples
    --------
    >>> from gridmap.analysis.equipment import fixed_points
    >>> len(fixed_points(district, True)), len(fixed_points(district, False))
    (64, 0)
    """
    points = district.get("equipment_points")
    columns = ["point_id", "name", "status", "geometry"]
    if not keep_existing or points is None or len(points) == 0:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=district.crs)
    status = points["status"].fillna("existing") if "status" in points else "existing"
    keep = pd.Series(status, index=points.index).isin(FIXED_STATUSES)
    keep &= _placed(points.geometry)
    return points.loc[keep].reindex(columns=columns).reset_index(drop=True)
