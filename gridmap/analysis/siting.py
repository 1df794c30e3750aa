"""Where to put new equipment storage points (消防器材存放点): the GeoDataFrame side of siting.

`site_equipment` turns a district into demand points, candidate sites and
existing points, builds the sparse coverage (straight line by KD-tree, or
walking distance over a ``roads`` layer), calls the numeric core
(`gridmap.analysis.siting_model`) and returns a `SitingResult` in the
district's CRS. Inputs are never changed.

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
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from gridmap.analysis.siting_core import Pairs, SiteLimits, euclidean_pairs
from gridmap.analysis.siting_model import lscp, mclp, pmedian
from gridmap.analysis.siting_result import SitingResult, grid_lineage, summarise
from gridmap.analysis.walking import WALKING_SPEED_KMH, minutes_to_metres, network_pairs
from gridmap.crs import require_metric
from gridmap.district import District
from gridmap.errors import DataError, Problem
from gridmap.standards.equipment import HOUSEHOLD_WEIGHT, UNIT_DEMAND_WEIGHTS, check_unit_weights

Model = Literal["mclp", "lscp", "pmedian"]
Demand = Literal["households", "units", "both"]
DEFAULT_RADIUS = 300.0
#: Statuses of equipment points that count as already sited.
FIXED_STATUSES = ("existing", "planned")

__all__ = [
    "DEFAULT_RADIUS",
    "SitingResult",
    "candidate_sites",
    "demand_points",
    "site_equipment",
]


def _points_of(geoms: gpd.GeoSeries) -> np.ndarray:
    arr = geoms.to_numpy(dtype=object)
    out = np.full(len(arr), None, dtype=object)
    has = ~(shapely.is_missing(arr) | shapely.is_empty(arr))
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
            located = units[units.geometry.notna() & ~units.geometry.is_empty]
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
    has_point = (own.geometry.notna() & ~own.geometry.is_empty).to_numpy()
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
    return gpd.GeoDataFrame({"candidate_id": ids, "source": "lattice"}, geometry=points,
                            crs=district.crs)  # fmt: skip


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
    return gpd.GeoDataFrame({"candidate_id": ids, "source": name}, geometry=points,
                            crs=frame.crs)  # fmt: skip


def candidate_sites(
    district: District,
    candidates: str | gpd.GeoDataFrame = "auto",
    *,
    spacing: float = DEFAULT_RADIUS / 2,
    unsuitable: str | gpd.GeoDataFrame | None = None,
) -> gpd.GeoDataFrame:
    """Candidate sites (``candidate_id``, ``source``, point geometry), unsuitable areas removed."""
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
    found = found[found.geometry.notna() & ~found.geometry.is_empty]
    found = found[found.geom_type == "Point"]
    if unsuitable is not None:
        areas = district[unsuitable] if isinstance(unsuitable, str) else unsuitable
        areas = areas.to_crs(district.crs)
        zone = shapely.union_all(areas.geometry.to_numpy())
        found = found[~shapely.intersects(zone, found.geometry.to_numpy())]
    xy = shapely.get_coordinates(found.geometry.to_numpy())
    first = ~pd.DataFrame(np.round(xy, 2)).duplicated().to_numpy()
    return found[first].reset_index(drop=True)


def _fixed_points(district: District, keep_existing: bool) -> gpd.GeoDataFrame:
    points = district.get("equipment_points")
    columns = ["point_id", "name", "status", "geometry"]
    if not keep_existing or points is None or len(points) == 0:
        return gpd.GeoDataFrame(columns=columns, geometry="geometry", crs=district.crs)
    status = points["status"].fillna("existing") if "status" in points else "existing"
    keep = pd.Series(status, index=points.index).isin(FIXED_STATUSES)
    keep &= points.geometry.notna() & ~points.geometry.is_empty
    return points.loc[keep].reindex(columns=columns).reset_index(drop=True)


def _limits(
    district: District,
    site_points: np.ndarray,
    level: str,
    min_per_grid: int | Mapping[str, int],
    max_per_grid: int | None,
) -> SiteLimits | None:
    if not min_per_grid and max_per_grid is None:
        return None
    lineage = grid_lineage(district, site_points)
    column = {"grid_small": "small_id", "grid_medium": "medium_id", "grid_large": "large_id"}[level]
    ids = district[level]["grid_id"].astype(str).to_numpy()
    group = pd.Index(ids).get_indexer(lineage[column].astype(object).to_numpy())
    if isinstance(min_per_grid, Mapping):
        unknown = sorted(set(min_per_grid) - set(ids))
        if unknown:
            raise DataError(f"min_per_grid names grids that are not in {level}: {unknown}.")
        minimum = np.array([min_per_grid.get(i, 0) for i in ids], float)
    else:
        minimum = np.full(len(ids), float(min_per_grid or 0))
    maximum = np.full(len(ids), np.inf if max_per_grid is None else float(max_per_grid))
    return SiteLimits(group, minimum, maximum)


def site_equipment(
    district: District,
    *,
    model: Model = "mclp",
    count: int | None = None,
    radius: float | None = DEFAULT_RADIUS,
    minutes: float | None = None,
    speed_kmh: float = WALKING_SPEED_KMH,
    demand: Demand = "households",
    candidates: str | gpd.GeoDataFrame = "auto",
    keep_existing: bool = True,
    share: float = 1.0,
    unsuitable: str | gpd.GeoDataFrame | None = None,
    roads: str | gpd.GeoDataFrame | None = "roads",
    min_per_grid: int | Mapping[str, int] = 0,
    max_per_grid: int | None = None,
    grid_level: str = "grid_medium",
    capacity: float | None = None,
    unit_weights: Mapping[str, float] = UNIT_DEMAND_WEIGHTS,
    lattice_spacing: float | None = None,
    cutoff: float | None = None,
    time_limit: float = 60.0,
    mip_gap: float = 0.0,
) -> SitingResult:
    """Choose new equipment storage points.

    Parameters
    ----------
    model
        ``"mclp"`` (best coverage with `count` new points), ``"lscp"`` (fewest
        new points covering `share` of the demand) or ``"pmedian"`` (least total
        weighted distance with `count` new points, for comparison).
    radius, minutes, speed_kmh
        Service distance in metres, or in walking minutes at `speed_kmh`.
    roads
        A line layer (name or frame) for walking distance; used when present,
        otherwise straight-line distance. ``None`` forces straight lines.
    min_per_grid, max_per_grid, grid_level
        Open points per grid of `grid_level` (existing points count): a number
        for every grid, or for `min_per_grid` a mapping grid id -> minimum (for
        example 1 for each pilot community).
    capacity
        Most demand weight (households) one point serves; demand may be split.
    time_limit, mip_gap
        Solver limits; the result reports status, gap and time.
    """
    grids = district.get("grid_small")
    if grids is not None:
        require_metric(grids, "layer 'grid_small'")
    if minutes is not None:
        radius = minutes_to_metres(minutes, speed_kmh)
    if radius is None or radius <= 0:
        raise ValueError("give a service radius > 0 (metres) or minutes of walking.")
    if model in ("mclp", "pmedian") and (count is None or count < 0):
        raise ValueError(f"{model} needs count, the number of new points (>= 0).")
    found, unlocated = demand_points(district, demand, unit_weights=unit_weights)
    fixed = _fixed_points(district, keep_existing)
    spacing = lattice_spacing or radius / 2
    cands = candidate_sites(district, candidates, spacing=spacing, unsuitable=unsuitable)
    sites = pd.concat(
        [
            gpd.GeoDataFrame(
                {"candidate_id": fixed["point_id"].astype(str), "source": "existing"},
                geometry=fixed.geometry.to_numpy(),
                crs=district.crs,
            ),
            cands,
        ],
        ignore_index=True,
    )
    is_fixed = np.r_[np.ones(len(fixed), bool), np.zeros(len(cands), bool)]
    demand_xy = shapely.get_coordinates(found.geometry.to_numpy())
    site_xy = shapely.get_coordinates(sites.geometry.to_numpy())
    road_layer = _road_layer(district, roads)
    reach = max(radius, cutoff or (3 * radius if model == "pmedian" else radius))
    if road_layer is not None:
        pairs = network_pairs(road_layer.geometry.to_numpy(), demand_xy, site_xy, reach)
    else:
        pairs = euclidean_pairs(demand_xy, site_xy, reach)
    cover = pairs.cover(radius)
    weight = found["weight"].to_numpy(float)
    limits = _limits(district, sites.geometry.to_numpy(), grid_level, min_per_grid, max_per_grid)
    options = {"time_limit": time_limit, "mip_gap": mip_gap}
    if model == "mclp":
        solution = mclp(cover, weight, int(count), fixed=is_fixed, limits=limits,
                        capacity=capacity, **options)  # fmt: skip
    elif model == "lscp":
        solution = lscp(cover, weight, share=share, fixed=is_fixed, limits=limits,
                        capacity=capacity, **options)  # fmt: skip
    elif model == "pmedian":
        solution = pmedian(pairs, weight, int(count), fixed=is_fixed, **options)
    else:
        raise ValueError("model must be 'mclp', 'lscp' or 'pmedian'.")
    before = _before(cover, weight, is_fixed, capacity, limits)
    return summarise(
        district,
        solution=solution,
        demand=found,
        sites=sites,
        is_fixed=is_fixed,
        pairs=_within(pairs, radius),
        cover=cover,
        before=before,
        unlocated=unlocated,
        params={
            "model": model,
            "count": count,
            "radius_m": float(radius),
            "minutes": minutes,
            "distance": "network" if road_layer is not None else "euclidean",
            "demand": demand,
            "candidates": candidates if isinstance(candidates, str) else "layer",
            "keep_existing": keep_existing,
            "share": share,
            "capacity": capacity,
            "min_per_grid": min_per_grid if not isinstance(min_per_grid, Mapping) else "per grid",
            "max_per_grid": max_per_grid,
            "grid_level": grid_level,
        },
    )


def _road_layer(district: District, roads: str | gpd.GeoDataFrame | None):
    if roads is None:
        return None
    if isinstance(roads, gpd.GeoDataFrame):
        return roads.to_crs(district.crs)
    layer = district.get(roads)
    if isinstance(layer, gpd.GeoDataFrame) and layer.geom_type.str.contains("Line").any():
        return layer
    return None


def _within(pairs: Pairs, radius: float) -> Pairs:
    keep = pairs.distance <= radius
    return Pairs(pairs.demand[keep], pairs.site[keep], pairs.distance[keep], pairs.n_demand,
                 pairs.n_sites)  # fmt: skip


def _before(cover, weight, is_fixed, capacity, limits) -> np.ndarray:
    """Share of each demand covered by the fixed points alone."""
    if not is_fixed.any():
        return np.zeros(len(weight))
    if capacity is None:
        return (cover[:, np.flatnonzero(is_fixed)].getnnz(axis=1) > 0).astype(float)
    del limits  # the existing points alone, whatever the limits on new ones
    return mclp(cover, weight, 0, fixed=is_fixed, capacity=capacity).coverage
