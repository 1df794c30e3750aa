"""Fire equipment storage points (消防器材存放点) of the sample district."""

from __future__ import annotations

from typing import cast

import geopandas as gpd
import numpy as np
import shapely

from gridmap.demo import names
from gridmap.demo.grids import CRS
from gridmap.demo.partition import balanced_kmeans

#: The plan's kit per storage point (as in ``gridmap.standards.equipment``).
KIT_STANDARD = {"extinguishers": 4, "gas_masks": 2, "water_guns": 1, "hoses": 2, "wrenches": 1}
#: What a pilot community holds on top, shared out over its points: one water-mist unit,
#: three equipment boxes and two signs (street-shop sign and "four abilities" sign).
PILOT_EXTRA = {"mist_units": 1, "boxes": 3, "signage": 2}
POINTS_PER_COMMUNITY = 2
PILOT_COMMUNITIES = 4
SHORT_SHARE = 0.2


def random_points(rng: np.random.Generator, geom, n: int) -> np.ndarray:
    """``n`` uniform random (x, y) inside ``geom`` by rejection from its bounding box."""
    x0, y0, x1, y1 = geom.bounds
    shapely.prepare(geom)
    out = np.empty((0, 2))
    while len(out) < n:
        xy = rng.uniform([x0, y0], [x1, y1], size=(max(64, 2 * (n - len(out))), 2))
        out = np.r_[out, xy[shapely.contains_xy(geom, xy[:, 0], xy[:, 1])]]
    return out[:n]


def _service_centres(
    rng: np.random.Generator, served: np.ndarray, fallback: np.ndarray
) -> np.ndarray:
    """Centres of ``POINTS_PER_COMMUNITY`` groups of the buildings a community's points serve."""
    k = POINTS_PER_COMMUNITY
    if len(served) >= 4 * k:
        groups = balanced_kmeans(rng, served, np.ones(len(served)), k)
        if groups.max() + 1 == k:
            return np.array([served[groups == g].mean(axis=0) for g in range(k)])
    return fallback[:k]


def build_equipment(
    rng: np.random.Generator,
    medium: gpd.GeoDataFrame,
    small: gpd.GeoDataFrame,
    buildings: gpd.GeoDataFrame,
) -> tuple[gpd.GeoDataFrame, list[str]]:
    """Two storage points per community or village, beside the buildings they serve.

    Each point sits 5-25 m from a building, near the centre of the half of its community's
    buildings it serves. Returns the frame and the ids of the points holding less than the
    per-point kit (pilot extras are always complete).
    """
    b_tree = shapely.STRtree(buildings.geometry.values)
    z_tree = shapely.STRtree(small.geometry.values)
    centres = shapely.get_coordinates(shapely.centroid(buildings.geometry.values))
    m_of_b = np.full(len(buildings), -1)
    bi, mi = shapely.STRtree(medium.geometry.values).query(
        shapely.points(centres), predicate="within"
    )
    m_of_b[bi] = mi
    pilots = set(
        rng.choice(
            np.flatnonzero(medium["kind"].to_numpy() == "community"),
            PILOT_COMMUNITIES,
            replace=False,
        ).tolist()
    )
    rows, geoms = [], []
    for m, row in enumerate(medium.itertuples()):
        cand = random_points(rng, row.geometry, 600)
        # (600, 2) coordinates make 600 points; the stubs cannot tell them from one point.
        pts = cast(np.ndarray, shapely.points(cand))
        d = b_tree.query_nearest(pts, return_distance=True, all_matches=False)[1]
        pi, _ = z_tree.query(pts, predicate="intersects")
        one_zone = np.bincount(pi, minlength=len(pts)) == 1
        ok = np.flatnonzero((d > 5) & (d < 25) & one_zone)
        if ok.size < POINTS_PER_COMMUNITY:  # hardly any buildings: anywhere in one zone
            ok = np.flatnonzero((d > 5) & one_zone)
        served = centres[m_of_b == m]
        targets = _service_centres(rng, served, cand[ok])
        for k, target in enumerate(targets):
            best = ok[np.argmin(np.hypot(*(cand[ok] - target).T))]
            zone = z_tree.query(pts[best], predicate="intersects")[0]
            kit = dict(KIT_STANDARD)
            for key, total in PILOT_EXTRA.items():  # e.g. boxes 3 over 2 points: 2 + 1
                share = total // POINTS_PER_COMMUNITY + (k < total % POINTS_PER_COMMUNITY)
                kit[key] = int(share) if m in pilots else 0
            rows.append(
                {
                    "name": f"{row.name}{k + 1}号消防器材存放点",
                    "grid_id": small["grid_id"].iloc[zone],
                    "is_pilot": m in pilots,
                    **kit,
                }
            )
            geoms.append(pts[best])
    n = len(rows)
    frame = gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)
    frame.insert(0, "point_id", names.format_ids("E", np.arange(1, n + 1), 3))
    short = np.sort(rng.choice(n, int(round(SHORT_SHARE * n)), replace=False))
    for i in short:
        held = list(KIT_STANDARD)
        for item in rng.choice(held, int(rng.integers(1, 3)), replace=False):
            frame.at[i, item] -= int(rng.integers(1, frame.at[i, item] + 1))
    for col in (*KIT_STANDARD, *PILOT_EXTRA):
        frame[col] = frame[col].astype(np.int64)
    frame["is_pilot"] = frame["is_pilot"].astype(bool)
    frame.insert(len(frame.columns) - 1, "status", "existing")
    return frame, frame["point_id"].iloc[short].tolist()
