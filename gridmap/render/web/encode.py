"""Compact geometry for web maps: zoom arithmetic, simplification, encoding, aggregation.

The map sends only what the eye can see: polygons simplified to a fraction of
a pixel at the zoom they are shown at, coordinates quantised and written as
encoded polylines (a few bytes per vertex instead of ~20 for GeoJSON), and
points binned into square cells when there are more than a map can show.

>>> encode_ring([(38.5, -120.2), (40.7, -120.95), (43.252, -126.453)], 100_000)
'_p~iF~ps|U_ulLnnqC_mqNvxq`@'
>>> zoom_to_fit(10_000, 5_000, lat=34.8, width_px=1000, height_px=650)
13
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

#: Metres per pixel at zoom 0 on the equator (Web Mercator, 256 px tiles).
_MPP0 = 156_543.033_928


def metres_per_pixel(zoom: float, lat: float) -> float:
    """Ground size of one screen pixel at `zoom` and latitude `lat`."""
    return _MPP0 * math.cos(math.radians(lat)) / 2**zoom


def zoom_to_fit(
    width_m: float,
    height_m: float,
    *,
    lat: float,
    width_px: int = 1000,
    height_px: int = 650,
    max_zoom: int = 18,
) -> int:
    """Return the largest whole zoom at which a box of that size fits the viewport."""
    need = max(width_m / max(width_px, 1), height_m / max(height_px, 1), 1e-3)
    zoom = math.floor(math.log2(_MPP0 * math.cos(math.radians(lat)) / need))
    return int(min(max(zoom, 1), max_zoom))


def zoom_for_size(size_m: float, *, lat: float, pixels: float = 120.0) -> int:
    """Return the zoom from which a feature `size_m` across spans at least `pixels` on screen."""
    size_m = max(size_m, 1e-3)
    zoom = math.ceil(math.log2(pixels * _MPP0 * math.cos(math.radians(lat)) / size_m))
    return int(min(max(zoom, 0), 20))


def precision_factor(tolerance_m: float) -> int:
    """Quantisation factor (1e5 or 1e6) with a step at most a third of the tolerance."""
    step_deg = tolerance_m / 111_320.0 / 3.0
    return 100_000 if step_deg >= 1e-5 else 1_000_000


#: Above this many polygons a coverage is simplified polygon by polygon (GEOS'
#: coverage simplification costs about 0.3 ms per polygon; the difference is
#: below half a pixel at the zoom the map opens at).
COVERAGE_SIMPLIFY_MAX = 3000


def simplify(geoms: gpd.GeoSeries, tolerance_m: float, *, coverage: bool = False) -> np.ndarray:
    """Simplify metric geometries; a (small) coverage keeps its shared edges shared."""
    values = geoms.values
    if tolerance_m <= 0:
        return np.asarray(values)
    if coverage and 0 < len(values) <= COVERAGE_SIMPLIFY_MAX:
        try:
            return np.asarray(shapely.coverage_simplify(values, tolerance_m))
        except shapely.errors.GEOSException:
            pass  # not a valid coverage for GEOS: simplify one by one below
    return np.asarray(shapely.simplify(values, tolerance_m, preserve_topology=True))


def _zigzag_chunks(value: int) -> str:
    value = ~(value << 1) if value < 0 else value << 1
    out = []
    while value >= 0x20:
        out.append(chr((0x20 | (value & 0x1F)) + 63))
        value >>= 5
    out.append(chr(value + 63))
    return "".join(out)


def encode_ring(latlngs: Iterable[Sequence[float]], factor: int) -> str:
    """Encode (lat, lng) pairs as a Google encoded polyline at `factor` (1e5, 1e6)."""
    out: list[str] = []
    prev_lat = prev_lng = 0
    for lat, lng in latlngs:
        ilat, ilng = round(lat * factor), round(lng * factor)
        out.append(_zigzag_chunks(ilat - prev_lat))
        out.append(_zigzag_chunks(ilng - prev_lng))
        prev_lat, prev_lng = ilat, ilng
    return "".join(out)


def _encode_many(
    lat: np.ndarray, lng: np.ndarray, ring: np.ndarray, factor: int, n_rings: int
) -> list[str]:
    """Apply `encode_ring` to many rings at once.

    `ring` gives each vertex's ring number (vertices of a ring consecutive);
    returns one string per ring number below `n_rings` ('' for rings with no vertex).
    """
    first = np.r_[True, ring[1:] != ring[:-1]]
    values = np.empty(2 * len(lat), dtype=np.int64)
    for column, coords in ((0, lat), (1, lng)):
        q = np.rint(coords * factor).astype(np.int64)
        delta = np.diff(q, prepend=0)
        delta[first] = q[first]
        values[column::2] = delta
    values = np.where(values < 0, ~(values << 1), values << 1)
    chunks = np.zeros((len(values), 8), dtype=np.uint8)
    present = np.zeros((len(values), 8), dtype=bool)
    for k in range(8):
        rest = values >> (5 * k)
        more = (rest >> 5) > 0
        present[:, k] = (rest > 0) | (k == 0)
        chunks[:, k] = (rest & 0x1F) + 63 + np.where(more, 0x20, 0)
    text = chunks[present].tobytes().decode("ascii")
    per_ring = np.bincount(
        np.repeat(ring, 2), weights=present.sum(axis=1), minlength=n_rings
    ).astype(np.int64)
    bounds = np.r_[0, np.cumsum(per_ring)]
    return [text[bounds[i] : bounds[i + 1]] for i in range(n_rings)]


def encode_polygons(
    geoms: Sequence[shapely.Geometry | None] | np.ndarray, factor: int
) -> list[list[list[str]]]:
    """Each (Multi)Polygon as a list of polygons, each a list of encoded rings.

    Geometries must be in longitude/latitude. Empty or non-polygonal parts give
    []; rings with fewer than three points are left out.
    """
    geoms = np.asarray(geoms, dtype=object)
    out: list[list[list[str]]] = [[] for _ in range(len(geoms))]
    if len(geoms) == 0:
        return out
    parts, part_geom = shapely.get_parts(geoms, return_index=True)
    polygonal = shapely.get_type_id(parts) == 3
    parts, part_geom = parts[polygonal], part_geom[polygonal]
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, vertex_ring = shapely.get_coordinates(rings, return_index=True)
    if len(coords) == 0:
        return out
    closing = np.r_[vertex_ring[1:] != vertex_ring[:-1], True]
    keep = ~closing  # Leaflet closes rings itself
    counts = np.bincount(vertex_ring[keep], minlength=len(rings))
    usable = counts >= 3
    keep &= usable[vertex_ring]
    encoded = _encode_many(coords[keep, 1], coords[keep, 0], vertex_ring[keep], factor, len(rings))
    last_part = -1
    for i in np.flatnonzero(usable):
        part = ring_part[i]
        target = out[part_geom[part]]
        if part != last_part:
            target.append([])
            last_part = part
        target[-1].append(encoded[i])
    return out


def bin_points(
    x: np.ndarray,
    y: np.ndarray,
    *,
    max_cells: int,
    min_cell_m: float = 25.0,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Aggregate metric points into square cells: mean position and count (or weight sum).

    The cell size starts at `min_cell_m` (or the size at which `max_cells` would
    tile the points' extent, if larger) and doubles until at most `max_cells`
    cells are occupied. Returns columns x, y, n, cell_m.
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    w = np.ones(len(x)) if weights is None else np.asarray(weights, dtype=float)
    if len(x) == 0:
        return pd.DataFrame({"x": [], "y": [], "n": [], "cell_m": []})
    extent = max(float(np.ptp(x)) * float(np.ptp(y)), 0.0)
    cell = max(float(min_cell_m), math.sqrt(extent / max(max_cells, 1)))
    while True:
        ix = np.floor((x - x.min()) / cell).astype(np.int64)
        iy = np.floor((y - y.min()) / cell).astype(np.int64)
        key = ix * (int(iy.max()) + 1) + iy
        codes, uniq = pd.factorize(key)
        if len(uniq) <= max_cells:
            break
        cell *= 2
    n = np.bincount(codes, weights=w)
    return pd.DataFrame(
        {
            "x": np.bincount(codes, weights=x * w) / n,
            "y": np.bincount(codes, weights=y * w) / n,
            "n": n,
            "cell_m": cell,
        }
    )
