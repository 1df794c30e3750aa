"""Where to put new equipment storage points (消防器材存放点): the GeoDataFrame side of siting.

`site_equipment` turns a district into demand points, candidate sites and
existing points, builds the sparse coverage (straight line by KD-tree, or
walking distance over a ``roads`` layer), calls the numeric core
(`gridmap.analysis.equipment._models`) and returns a `SitingResult` in the
district's CRS. Inputs are never changed.

Demand, candidates and the points already sited come from
`gridmap.analysis.equipment.inputs` (`demand_points`, `candidate_sites`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import scipy.sparse as sp
import shapely

from gridmap.analysis.equipment._core import Pairs, SiteLimits, euclidean_pairs
from gridmap.analysis.equipment._models import lscp, mclp, pmedian
from gridmap.analysis.equipment.inputs import (
    DEFAULT_RADIUS,
    Demand,
    candidate_sites,
    demand_points,
    fixed_points,
)
from gridmap.analysis.equipment.result import SitingResult, grid_lineage, summarise
from gridmap.analysis.equipment.walking import WALKING_SPEED_KMH, minutes_to_metres, network_pairs
from gridmap.district import District
from gridmap.errors import DataError
from gridmap.geo import require_metric
from gridmap.layers import LINEAGE_COLUMN
from gridmap.standards.equipment import UNIT_DEMAND_WEIGHTS

Model = Literal["mclp", "lscp", "pmedian"]

__all__ = ["Model", "SitingOptions", "site_equipment"]


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
    column = LINEAGE_COLUMN[level]
    ids = district[level]["grid_id"].astype(str).to_numpy()
    group = pd.Index(ids).get_indexer(pd.Index(lineage[column].astype(object).to_numpy()))
    if isinstance(min_per_grid, Mapping):
        unknown = sorted(set(min_per_grid) - set(ids))
        if unknown:
            raise DataError(f"min_per_grid names grids that are not in {level}: {unknown}.")
        minimum = np.array([min_per_grid.get(i, 0) for i in ids], float)
    else:
        minimum = np.full(len(ids), float(min_per_grid or 0))
    maximum = np.full(len(ids), np.inf if max_per_grid is None else float(max_per_grid))
    return SiteLimits(group, minimum, maximum, names=tuple(ids), layer=level)


@dataclass(frozen=True)
class SitingOptions:
    """What to site and how: the options of `site_equipment` (the CLI and the page build one).

    Attributes
    ----------
    model
        ``"mclp"`` (best coverage with `count` new points), ``"lscp"`` (fewest
        new points covering `share` of the demand) or ``"pmedian"`` (least total
        weighted distance with `count` new points, for comparison).
    count
        New points (mclp, pmedian).
    radius, minutes, speed_kmh
        Service distance in metres, or in walking minutes at `speed_kmh`.
    demand, unit_weights
        What is served (`Demand`) and the weight of a social unit per category.
    candidates, lattice_spacing, unsuitable
        Where new points may go (a layer name or frame, ``"auto"``,
        ``"buildings"`` or ``"lattice"``), the lattice spacing (default half the
        radius) and polygons to avoid.
    keep_existing
        Count the existing and planned points (they stay open).
    share
        LSCP: the share of the demand weight to cover.
    roads
        A line layer (name or frame) for walking distance; used when present,
        otherwise straight-line distance. ``None`` forces straight lines.
    min_per_grid, max_per_grid, grid_level
        Open points per grid of `grid_level` (existing points count): a number
        for every grid, or for `min_per_grid` a mapping grid id -> minimum (for
        example 1 for each pilot community).
    capacity
        Most demand weight (households) one point serves; demand may be split.
    cutoff
        p-median: the longest distance a demand may be assigned over (default
        three times the radius).
    time_limit, mip_gap
        Solver limits; the result reports status, gap and time.

    >>> SitingOptions(model="lscp", radius=250).count is None
    True
    """

    model: Model = "mclp"
    count: int | None = None
    radius: float | None = DEFAULT_RADIUS
    minutes: float | None = None
    speed_kmh: float = WALKING_SPEED_KMH
    demand: Demand = "households"
    candidates: str | gpd.GeoDataFrame = "auto"
    keep_existing: bool = True
    share: float = 1.0
    unsuitable: str | gpd.GeoDataFrame | None = None
    roads: str | gpd.GeoDataFrame | None = "roads"
    min_per_grid: int | Mapping[str, int] = 0
    max_per_grid: int | None = None
    grid_level: str = "grid_medium"
    capacity: float | None = None
    unit_weights: Mapping[str, float] = field(default_factory=lambda: UNIT_DEMAND_WEIGHTS)
    lattice_spacing: float | None = None
    cutoff: float | None = None
    time_limit: float = 60.0
    mip_gap: float = 0.0


def site_equipment(district: District, options: SitingOptions | None = None) -> SitingResult:
    """Choose new equipment storage points (see `SitingOptions`); the district is not changed.

    Raises `ValueError` for options that cannot be solved (no radius, no count
    for mclp or pmedian) and `DataError` for data that cannot give an answer.

    Examples
    --------
    >>> from gridmap.analysis.equipment import SitingOptions, site_equipment
    >>> result = site_equipment(district, SitingOptions(model="mclp", count=3, radius=300))
    >>> result.status, result.totals["new_points"], round(result.totals["share"], 3)
    ('optimal', 3, 0.762)
    """
    opts = SitingOptions() if options is None else options
    model, count, radius, minutes = opts.model, opts.count, opts.radius, opts.minutes
    grids = district.get("grid_small")
    if grids is not None:
        require_metric(grids, "layer 'grid_small'")
    if minutes is not None:
        radius = minutes_to_metres(minutes, opts.speed_kmh)
    if radius is None or radius <= 0:
        raise ValueError("give a service radius > 0 (metres) or minutes of walking.")
    if model in ("mclp", "pmedian") and (count is None or count < 0):
        raise ValueError(f"{model} needs count, the number of new points (>= 0).")
    n_new = 0 if count is None else int(count)
    found, unlocated = demand_points(district, opts.demand, unit_weights=opts.unit_weights)
    fixed = fixed_points(district, opts.keep_existing)
    spacing = opts.lattice_spacing or radius / 2
    cands = candidate_sites(district, opts.candidates, spacing=spacing, unsuitable=opts.unsuitable)
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
    road_layer = _road_layer(district, opts.roads)
    reach = max(radius, opts.cutoff or (3 * radius if model == "pmedian" else radius))
    if road_layer is not None:
        pairs = network_pairs(road_layer.geometry.to_numpy(), demand_xy, site_xy, reach)
    else:
        pairs = euclidean_pairs(demand_xy, site_xy, reach)
    cover = pairs.cover(radius)
    weight = found["weight"].to_numpy(float)
    limits = _limits(
        district, sites.geometry.to_numpy(), opts.grid_level, opts.min_per_grid, opts.max_per_grid
    )
    capacity = opts.capacity
    limit, gap = opts.time_limit, opts.mip_gap
    if model == "mclp":
        solution = mclp(
            cover,
            weight,
            n_new,
            fixed=is_fixed,
            limits=limits,
            capacity=capacity,
            time_limit=limit,
            mip_gap=gap,
        )
    elif model == "lscp":
        solution = lscp(
            cover,
            weight,
            share=opts.share,
            fixed=is_fixed,
            limits=limits,
            capacity=capacity,
            time_limit=limit,
            mip_gap=gap,
        )
    elif model == "pmedian":
        solution = pmedian(pairs, weight, n_new, fixed=is_fixed, time_limit=limit, mip_gap=gap)
    else:
        raise ValueError("model must be 'mclp', 'lscp' or 'pmedian'.")
    before = _before(cover, weight, is_fixed, capacity)
    return summarise(
        district,
        solution=solution,
        demand=found,
        sites=sites,
        is_fixed=is_fixed,
        pairs=_within(pairs, radius),
        before=before,
        unlocated=unlocated,
        params={
            "model": model,
            "count": count,
            "radius_m": float(radius),
            "minutes": minutes,
            "speed_kmh": float(opts.speed_kmh) if minutes is not None else None,
            "distance": "network" if road_layer is not None else "euclidean",
            "demand": opts.demand,
            "candidates": opts.candidates if isinstance(opts.candidates, str) else "layer",
            "keep_existing": opts.keep_existing,
            "share": opts.share,
            "capacity": capacity,
            "min_per_grid": (
                opts.min_per_grid if not isinstance(opts.min_per_grid, Mapping) else "per grid"
            ),
            "max_per_grid": opts.max_per_grid,
            "grid_level": opts.grid_level,
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
    return Pairs(
        pairs.demand[keep], pairs.site[keep], pairs.distance[keep], pairs.n_demand, pairs.n_sites
    )


def _before(
    cover: sp.csr_matrix, weight: np.ndarray, is_fixed: np.ndarray, capacity: float | None
) -> np.ndarray:
    """Share of each demand covered by the fixed points alone."""
    if not is_fixed.any():
        return np.zeros(len(weight))
    if capacity is None:
        return (cover[:, np.flatnonzero(is_fixed)].getnnz(axis=1) > 0).astype(float)
    # the existing points alone, whatever the limits on new ones
    return mclp(cover, weight, 0, fixed=is_fixed, capacity=capacity).coverage
