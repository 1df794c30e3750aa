"""Building footprints of the sample district: urban blocks, industrial parks, village hamlets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import cast

import geopandas as gpd
import numpy as np
import shapely

from gridmap.demo import names
from gridmap.demo.grids import CRS, Grids
from gridmap.demo.layout import Footprints, fill_blocks
from gridmap.demo.partition import from_street_frame, to_street_frame

#: Houses per hamlet: (min, max) for a village zone and for an urban-fringe zone.
HAMLET_SIZE = {"village": (28, 46), "fringe": (15, 28)}
#: A zone with fewer urban buildings than this also gets a hamlet (城中村 / 城郊村).
MIN_URBAN_BUILDINGS = 8
ATTRS = ("use", "floors", "households", "tag", "place")


@dataclass(frozen=True)
class BuildingSet:
    """Footprints with their attributes, kept as parallel arrays until ids are given."""

    polys: np.ndarray
    attrs: dict[str, np.ndarray]
    zone: np.ndarray  # index into the small-grid frame

    def take(self, idx: np.ndarray) -> BuildingSet:
        """Return the buildings at positions `idx`, attributes and zones alike."""
        return replace(
            self,
            polys=self.polys[idx],
            zone=self.zone[idx],
            attrs={k: v[idx] for k, v in self.attrs.items()},
        )


def rectangles(x, y, length, width, angle) -> np.ndarray:
    """Rotated rectangles centred on (x, y), ``length`` along ``angle``, coordinates in cm."""
    lx = np.array([-0.5, 0.5, 0.5, -0.5, -0.5])[None, :] * np.asarray(length)[:, None]
    ly = np.array([-0.5, -0.5, 0.5, 0.5, -0.5])[None, :] * np.asarray(width)[:, None]
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    xs = np.asarray(x)[:, None] + c * lx - s * ly
    ys = np.asarray(y)[:, None] + s * lx + c * ly
    # An (n, 5, 2) array of rings makes n polygons; the stubs cannot tell it from one ring.
    return cast(np.ndarray, shapely.polygons(np.round(np.stack([xs, ys], axis=-1), 2)))


def hamlet(
    rng: np.random.Generator,
    out: Footprints,
    centre: tuple[float, float],
    *,
    rmax: float,
    n: int,
    place: int,
    committee: bool,
) -> None:
    """Add a village cluster: south-facing houses on a loose lattice cut by lanes."""
    phi = rng.normal(0, 0.12)
    du, dv = rng.uniform(15.5, 18), rng.uniform(20, 25)
    r = min(np.sqrt(n * du * dv / np.pi) * 1.2, rmax)
    m = int(r / min(du, dv)) + 3
    i, j = (a.ravel() for a in np.meshgrid(np.arange(-m, m + 1), np.arange(-m, m + 1)))
    lane = int(rng.integers(5))
    keep = (i - lane) % 5 != 0
    lx, ly = i[keep] * du, j[keep] * dv
    theta = np.arctan2(ly, lx)
    a, b = rng.uniform(0, 2 * np.pi, 2)
    reach = r * (1 + 0.22 * np.sin(2 * theta + a) + 0.12 * np.sin(3 * theta + b))
    dist = np.hypot(lx, ly)
    inside = np.flatnonzero(dist < reach)
    inside = inside[np.argsort(dist[inside], kind="stable")][:n]
    lx, ly = (
        lx[inside] + rng.uniform(-1, 1, inside.size),
        ly[inside] + rng.uniform(-1, 1, inside.size),
    )
    x = centre[0] + np.cos(phi) * lx - np.sin(phi) * ly
    y = centre[1] + np.sin(phi) * lx + np.cos(phi) * ly
    kind = rng.choice(5, size=inside.size, p=[0.82, 0.05, 0.05, 0.06, 0.02])
    for k in range(inside.size):
        ang = phi + rng.normal(0, 0.02)
        if committee and k == 0:
            out.add(
                x[k],
                y[k],
                14,
                11,
                ang,
                use="public",
                floors=2,
                households=0,
                tag="village_committee",
                place=place,
            )
        elif kind[k] == 0:
            floors = int(rng.choice([1, 2, 2, 3]))
            out.add(
                x[k],
                y[k],
                rng.uniform(10, 12.5),
                rng.uniform(8, 10),
                ang,
                use="residential",
                floors=floors,
                households=1 + int(rng.random() < 0.2),
                tag="house",
                place=place,
            )
        elif kind[k] == 1:
            floors = int(rng.integers(3, 5))
            out.add(
                x[k],
                y[k],
                14,
                11,
                ang,
                use="residential",
                floors=floors,
                households=2 * floors,
                tag="rural_apartment",
                place=place,
            )
        elif kind[k] == 2:
            out.add(
                x[k],
                y[k],
                11,
                9,
                ang,
                use="mixed",
                floors=2,
                households=1,
                tag="village_shop",
                place=place,
            )
        elif kind[k] == 3:
            out.add(
                x[k],
                y[k],
                7,
                5,
                ang,
                use="other",
                floors=1,
                households=0,
                tag="shed_small",
                place=place,
            )
        else:
            out.add(
                x[k],
                y[k],
                14,
                10,
                ang,
                use="industrial",
                floors=1,
                households=0,
                tag="workshop",
                place=place,
            )


def _zone_of(polys: np.ndarray, zones: np.ndarray) -> np.ndarray:
    """Index of the one zone that wholly holds each polygon, or -1 (none, or several touched)."""
    tree = shapely.STRtree(zones)
    inside_i, inside_z = tree.query(polys, predicate="within")
    touch_i, _ = tree.query(polys, predicate="intersects")
    zone = np.full(len(polys), -1)
    zone[inside_i] = inside_z
    zone[np.bincount(touch_i, minlength=len(polys)) != 1] = -1
    return zone


def drop_overlaps(polys: np.ndarray, gap: float = 1.0) -> np.ndarray:
    """Greedy: keep a footprint unless an earlier kept one lies within ``gap`` metres."""
    a, b = shapely.STRtree(polys).query(polys, predicate="dwithin", distance=gap)
    first = a < b
    a, b = a[first], b[first]
    order = np.argsort(b, kind="stable")
    keep = np.ones(len(polys), bool)
    for i, j in zip(a[order].tolist(), b[order].tolist(), strict=True):
        if keep[i]:
            keep[j] = False
    return keep


def _footprint_set(fp: Footprints, zones: np.ndarray) -> BuildingSet:
    arr = fp.arrays()
    polys = rectangles(arr["x"], arr["y"], arr["length"], arr["width"], arr["angle"])
    zone = _zone_of(polys, zones)
    bs = BuildingSet(polys, {k: arr[k] for k in ATTRS}, zone).take(np.flatnonzero(zone >= 0))
    return bs.take(np.flatnonzero(drop_overlaps(bs.polys)))


def candidate_buildings(rng: np.random.Generator, grids: Grids) -> BuildingSet:
    """Generate clean footprints: each inside exactly one zone, none touching another."""
    zones = grids.small.geometry.values
    urban = Footprints()
    fill_blocks(rng, grids.cells.blocks, urban, from_street_frame)
    first = _footprint_set(urban, zones)
    counts = np.bincount(first.zone, minlength=len(zones))
    kinds = grids.medium.set_index("grid_id")["kind"]
    rural = Footprints()
    committee_done: set[str] = set()
    circles = shapely.maximum_inscribed_circle(zones, tolerance=5.0)
    for z, row in enumerate(grids.small.itertuples()):
        village = kinds[row.parent_id] == "village"
        if not village and counts[z] >= MIN_URBAN_BUILDINGS:
            continue
        lo, hi = HAMLET_SIZE["village" if village else "fringe"]
        (cx, cy), (_bx, _by) = shapely.get_coordinates(circles[z])
        rmax = 0.85 * shapely.length(circles[z])
        committee = village and row.parent_id not in committee_done
        committee_done.add(row.parent_id)
        hamlet(
            rng,
            rural,
            (cx, cy),
            rmax=rmax,
            n=int(rng.integers(lo, hi + 1)),
            place=-1 - z,
            committee=committee,
        )
    second = _footprint_set(rural, zones)
    both = BuildingSet(
        np.r_[first.polys, second.polys],
        {k: np.r_[first.attrs[k], second.attrs[k]] for k in ATTRS},
        np.r_[first.zone, second.zone],
    )
    return both.take(np.flatnonzero(drop_overlaps(both.polys)))


def to_frame(bs: BuildingSet, grids: Grids) -> tuple[gpd.GeoDataFrame, np.ndarray]:
    """Give the buildings numbers zone by zone (north to south) and write their addresses.

    Returns the frame and the building tags (kind of structure) in frame order.
    """
    centre = shapely.get_coordinates(shapely.centroid(bs.polys))
    order = np.lexsort((centre[:, 0], -np.round(centre[:, 1], -1), bs.zone))
    bs, centre = bs.take(order), centre[order]
    n = len(bs.polys)
    ids = names.format_ids("B", np.arange(1, n + 1), 6)
    frame = gpd.GeoDataFrame(
        {
            "building_id": ids,
            "use": bs.attrs["use"].astype(object),
            "address": _addresses(bs, centre, grids),
            "floors": bs.attrs["floors"].astype(np.int64),
            "households_expected": bs.attrs["households"].astype(np.int64),
        },
        geometry=bs.polys,
        crs=CRS,
    )
    return frame, bs.attrs["tag"].astype(object)


def _addresses(bs: BuildingSet, centre: np.ndarray, grids: Grids) -> np.ndarray:
    blocks = grids.cells.blocks
    place = bs.attrs["place"]
    _u, v = to_street_frame(centre[:, 0], centre[:, 1])
    out = np.empty(len(place), object)
    urban = place >= 0
    b = place[urban]
    north = v[urban] > (blocks.v0[b] + blocks.v1[b]) / 2
    line = blocks.road_ew[b] + north  # the nearer east-west road
    jmin = int(blocks.road_ew.min())
    road = names.ROADS_EW[(line - jmin) % len(names.ROADS_EW)]
    # Odd numbers on the north side of a road, even on the south; one number per block side.
    number = 2 * (blocks.road_ns[b] - blocks.road_ns.min()) + np.where(north, 2, 1) + 100
    housing = np.isin(bs.attrs["tag"][urban], ["walkup", "tower"])
    seq = _sequence((line * 10_000 + number) * 2 + housing)
    out[urban] = [
        f"{r}{n}号院{s}号楼" if h else (f"{r}{n}号" if s == 1 else f"{r}{n}号附{s - 1}号")
        for r, n, s, h in zip(road, number, seq, housing, strict=True)
    ]
    zone = -1 - place[~urban]
    zone_names = grids.small["name"].to_numpy()
    med = grids.medium.set_index("grid_id")
    parent = grids.small["parent_id"].to_numpy()[zone]
    kind = med.loc[parent, "kind"].to_numpy()
    vname = med.loc[parent, "name"].to_numpy()
    zno = [int(g[-3:]) for g in grids.small["grid_id"].to_numpy()[zone]]
    seq = _sequence(zone)
    out[~urban] = [
        f"{vn}{z}组{s}号" if k == "village" else f"{zn}{s}号"
        for vn, z, s, k, zn in zip(vname, zno, seq, kind, zone_names[zone], strict=True)
    ]
    return out


def _sequence(group: np.ndarray) -> np.ndarray:
    """1, 2, 3... in order of appearance within each group of equal values."""
    order = np.argsort(group, kind="stable")
    g = group[order]
    starts = np.r_[0, np.flatnonzero(g[1:] != g[:-1]) + 1]
    run_start = np.repeat(starts, np.diff(np.r_[starts, g.size]))
    out = np.empty(group.size, int)
    out[order] = np.arange(group.size) - run_start + 1
    return out
