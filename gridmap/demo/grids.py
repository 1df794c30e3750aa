"""The three nested grid levels of the sample district (上街区, Zhengzhou).

The six towns and subdistricts and their codes are real; communities, villages,
zones and people are fictional. Small grids are dissolved from the fine cells
and simplified as one coverage, then medium grids are the exact union of their
small grids and large grids the exact union of their medium grids.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely

from gridmap.demo import names
from gridmap.demo.partition import (
    LAND_CORE,
    LAND_DENSITY,
    LAND_INDUSTRY,
    LAND_SEAT,
    X0,
    Y0,
    Cells,
    Warp,
    balanced_kmeans,
    build_cells,
    district_outline,
    make_connected,
    nearest_seed_split,
    weighted_regions,
)

CRS = "EPSG:4547"
#: Vertex-removal tolerance of the coverage simplification (square root of triangle area, m).
SIMPLIFY_TOLERANCE = 40.0


@dataclass(frozen=True)
class TownPlan:
    """One large grid: real code and name, fictional layout."""

    code: str
    name: str
    seed_km: tuple[float, float]  # where it lies, km east/north of the district centre
    area_km2: float
    communities: int
    zones_per_community: int
    villages: int = 0
    zones_per_village: int = 0
    #: land uses that make a medium grid an urban community rather than a village
    urban_land: tuple[int, ...] = (LAND_CORE, LAND_INDUSTRY, LAND_SEAT)


TOWNS = (
    TownPlan("410106001", "济源路街道", (-0.9, 1.4), 6.0, 5, 5),
    TownPlan("410106002", "中心路街道", (0.5, 0.7), 5.0, 5, 5),
    TownPlan("410106003", "新安路街道", (1.5, 2.1), 4.5, 5, 5),
    TownPlan("410106004", "工业路街道", (3.6, 0.1), 9.5, 4, 5),
    TownPlan("410106005", "矿山街道", (1.0, -2.4), 12.0, 3, 5, 2, 4),
    TownPlan("410106100", "峡窝镇", (-3.0, -1.2), 23.0, 1, 4, 7, 4, (LAND_SEAT,)),
)


@dataclass(frozen=True)
class Grids:
    """Grid layers plus the cell tessellation they were built from."""

    large: gpd.GeoDataFrame
    medium: gpd.GeoDataFrame
    small: gpd.GeoDataFrame
    cells: Cells
    cell_small: np.ndarray  # index into ``small`` of each cell


def _label_large(rng: np.random.Generator, cells: Cells) -> np.ndarray:
    warp = Warp.random(rng, 450.0, (3000.0, 6000.0))
    seeds = warp(np.array([[X0 + 1000 * t.seed_km[0], Y0 + 1000 * t.seed_km[1]] for t in TOWNS]))
    share = np.array([t.area_km2 for t in TOWNS])
    targets = share / share.sum() * cells.area.sum()
    lab = weighted_regions(warp(cells.xy), cells.area, seeds, targets)
    return make_connected(lab, np.zeros_like(lab), cells)


def _split(
    rng: np.random.Generator,
    cells: Cells,
    parent: np.ndarray,
    counts: list[int],
    *,
    warp: Warp,
    min_cells: int,
) -> np.ndarray:
    """Split the cells of each parent label ``p`` into ``counts[p]`` balanced child regions.

    A split leaving a child with fewer than ``min_cells`` cells is retried; after a few
    tries the land-use weighting is relaxed toward plain area.
    """
    pos = warp(cells.xy)
    density = LAND_DENSITY[cells.land]
    child = np.full(parent.size, -1)
    start = 0
    for p, k in enumerate(counts):
        idx = np.flatnonzero(parent == p)
        for attempt in range(12):
            relax = min(1.0, attempt / 8)
            mass = cells.area[idx] * (density[idx] * (1 - relax) + relax)
            lab = balanced_kmeans(rng, pos[idx], mass, k)
            if lab.max() + 1 == k and np.bincount(lab).min() >= min_cells:
                break
        else:  # a stubborn parent: nearest of k spread-out cells, each region non-empty
            lab = nearest_seed_split(pos[idx], k)
        child[idx] = start + lab
        start += k
    return make_connected(child, parent, cells)


def _centroids(cells: Cells, labels: np.ndarray, n: int) -> np.ndarray:
    a = np.bincount(labels, weights=cells.area, minlength=n)
    return (
        np.c_[
            np.bincount(labels, weights=cells.area * cells.xy[:, 0], minlength=n),
            np.bincount(labels, weights=cells.area * cells.xy[:, 1], minlength=n),
        ]
        / a[:, None]
    )


def _order_mediums(cells: Cells, large: np.ndarray, medium: np.ndarray):
    """Decide each medium grid's kind and code; return (new label per cell, table rows)."""
    n = medium.max() + 1
    centre = _centroids(cells, medium, n)
    area = np.bincount(medium, weights=cells.area, minlength=n)
    town_of = np.zeros(n, int)
    town_of[medium] = large
    rows: list[dict[str, object]] = []
    new_of_old = np.zeros(n, int)
    for t, plan in enumerate(TOWNS):
        is_urban = np.isin(cells.land, plan.urban_land)
        urban = np.bincount(medium, weights=cells.area * is_urban, minlength=n)
        mine = np.flatnonzero(town_of == t)
        by_urban = mine[np.argsort(-urban[mine] / area[mine], kind="stable")]
        groups = (
            ("community", by_urban[: plan.communities], 1, names.COMMUNITY_NAMES),
            ("village", by_urban[plan.communities :], 201, names.VILLAGE_NAMES),
        )
        for kind, members, first_code, table in groups:
            members = members[np.argsort(-centre[members, 1], kind="stable")]  # north first
            for i, old in enumerate(members):
                new_of_old[old] = len(rows)
                suffix = "社区" if kind == "community" else "村"
                zones = plan.zones_per_community if kind == "community" else plan.zones_per_village
                rows.append(
                    {
                        "grid_id": f"{plan.code}{first_code + i:03d}",
                        "parent_id": plan.code,
                        "name": table[plan.code][i] + suffix,
                        "kind": kind,
                        "zones": zones,
                    }
                )
    return new_of_old[medium], rows


def _dissolve(polys: np.ndarray, labels: np.ndarray, n: int) -> np.ndarray:
    order = np.argsort(labels, kind="stable")
    bounds = np.searchsorted(labels[order], np.arange(n + 1))
    return np.array(
        [shapely.coverage_union_all(polys[order[bounds[i] : bounds[i + 1]]]) for i in range(n)]
    )


def _people(rng: np.random.Generator, frame: gpd.GeoDataFrame, members: bool = False) -> None:
    n = len(frame)
    frame.insert(frame.columns.get_loc("geometry"), "leader", names.person_names(rng, n))
    frame.insert(frame.columns.get_loc("geometry"), "phone", names.phones(rng, n))
    if members:
        team = [names.person_names(rng, 4) for _ in range(n)]
        frame.insert(
            frame.columns.get_loc("geometry"),
            "members",
            np.array(["、".join(t[: int(rng.integers(2, 5))]) for t in team], object),
        )


def build_grids(rng: np.random.Generator) -> Grids:
    """Build the three nested grid levels (clean: no gaps, overlaps or blanks)."""
    cells = build_cells(rng, district_outline())
    large = _label_large(rng, cells)
    counts = [t.communities + t.villages for t in TOWNS]
    medium = _split(
        rng, cells, large, counts, warp=Warp.random(rng, 180.0, (1000.0, 2500.0)), min_cells=20
    )
    medium, med_rows = _order_mediums(cells, large, medium)
    small = _split(
        rng,
        cells,
        medium,
        [r["zones"] for r in med_rows],
        warp=Warp.random(rng, 70.0, (400.0, 1000.0)),
        min_cells=2,
    )
    n_small = small.max() + 1
    parent_of_small = np.zeros(n_small, int)
    parent_of_small[small] = medium
    # Number the zones of each medium grid north to south.
    centre = _centroids(cells, small, n_small)
    order = np.lexsort((-centre[:, 1], parent_of_small))
    rank = np.empty(n_small, int)
    rank[order] = np.arange(n_small)
    small, parent_of_small = rank[small], parent_of_small[order]
    geoms = shapely.coverage_simplify(_dissolve(cells.polys, small, n_small), SIMPLIFY_TOLERANCE)
    geoms = shapely.make_valid(geoms) if not shapely.is_valid(geoms).all() else geoms
    small_rows = []
    for m, row in enumerate(med_rows):
        for z in range(int((parent_of_small == m).sum())):
            small_rows.append(
                {
                    "grid_id": f"{row['grid_id']}{z + 1:03d}",
                    "parent_id": row["grid_id"],
                    "name": f"{row['name']}第{z + 1}片区",
                }
            )
    small_gdf = gpd.GeoDataFrame(small_rows, geometry=list(geoms), crs=CRS)
    med_geoms = _dissolve(geoms, parent_of_small, len(med_rows))
    medium_gdf = gpd.GeoDataFrame(
        [{k: r[k] for k in ("grid_id", "parent_id", "name", "kind")} for r in med_rows],
        geometry=list(med_geoms),
        crs=CRS,
    )
    town_of_med = np.array([[t.code for t in TOWNS].index(r["parent_id"]) for r in med_rows])
    large_geoms = _dissolve(med_geoms, town_of_med, len(TOWNS))
    large_gdf = gpd.GeoDataFrame(
        {"grid_id": [t.code for t in TOWNS], "name": [t.name for t in TOWNS]},
        geometry=list(large_geoms),
        crs=CRS,
    )
    _people(rng, large_gdf)
    _people(rng, medium_gdf)
    _people(rng, small_gdf, members=True)
    return Grids(large_gdf, medium_gdf, small_gdf, cells, small)
