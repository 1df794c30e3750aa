"""China's web-map coordinate systems: WGS 84 <-> GCJ-02 <-> BD-09, vectorised with NumPy.

GCJ-02 (国测局坐标, "Mars coordinates", used by Gaode/AMap, Tencent and most
Chinese web maps) and BD-09 (百度坐标, Baidu) are WGS 84 longitudes and
latitudes with a deliberate, smooth shift of a few hundred metres. PROJ does
not know them, so they are implemented here from the published formulas:

* WGS 84 -> GCJ-02 is the published forward formula itself (exact by
  definition). Outside China (the usual rough box, `outside_china`) points
  are returned unchanged, as the providers and the standard formulas do.
* GCJ-02 -> BD-09 is Baidu's published rotation and offset; it applies
  everywhere (Baidu shifts points outside China too).
* The inverses have no closed form. The common one-step inverse
  (``2 * g - forward(g)``) is off by up to about 1-2 m; here it is only the
  starting point of a fixed-point iteration ``w <- w - (forward(w) - g)``
  that stops when every point reproduces its input to ``1e-12`` degrees.

Residual error, measured on a 0.05-degree grid over the whole China box
(895,480 points; ``tests/geo/test_coords.py`` repeats it on a coarser grid):

* ``wgs84_to_gcj02(gcj02_to_wgs84(p))`` reproduces ``p`` to 3e-14 degrees
  (a few nanometres), and WGS 84 -> GCJ-02 -> WGS 84 or -> BD-09 -> WGS 84
  round trips return within 8e-13 degrees (under 0.1 micrometre);
* the one-step inverse that most snippets use is off by up to 4.9e-5
  degrees (5.5 m) in places, about 1 m typically;
* against prcoords (CC0), whose iteration stops at 1e-5 degrees, the
  inverses agree within 4.6 mm (GCJ-02) and 2 cm (BD-09); the forward
  formulas agree exactly.

The formulas are the definition of the systems, so this is also the error
against the providers' own conversions (GCJ-02 as published adds no noise to
stored data), except for points within metres of the China box's edges.

>>> lon, lat = wgs84_to_gcj02(116.404, 39.915)
>>> round(float(lon), 8), round(float(lat), 8)
(116.4102445, 39.91640428)
>>> back = gcj02_to_wgs84(lon, lat)
>>> bool(abs(back[0] - 116.404) < 1e-10 and abs(back[1] - 39.915) < 1e-10)
True
>>> wgs84_to_gcj02([2.35], [48.85])  # Paris: outside China, unchanged
(array([2.35]), array([48.85]))
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import geopandas as gpd
import numpy as np
import shapely
import shapely.geometry
from numpy.typing import ArrayLike
from pyproj import CRS
from shapely.geometry.base import BaseGeometry

from gridmap.errors import CRSError
from gridmap.geo.crs import WEB_CRS, metric_crs_for_frame

Shifted = Literal["wgs84", "gcj02", "bd09"]
Pair = tuple[np.ndarray, np.ndarray]

#: Krasovsky 1940 semi-major axis and eccentricity squared, as in the formula.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = np.pi * 3000.0 / 180.0
_BD_DLON, _BD_DLAT = 0.0065, 0.006
#: Convergence of the inverses, in degrees (1e-12 degrees is about 0.1 micrometre).
TOLERANCE = 1e-12
MAX_ITERATIONS = 30
SHIFTED_SYSTEMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")


def _arrays(lon: ArrayLike, lat: ArrayLike) -> Pair:
    lon_a, lat_a = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    return np.atleast_1d(lon_a).astype(float), np.atleast_1d(lat_a).astype(float)


def _result(lon: np.ndarray, lat: np.ndarray, scalar: bool) -> Pair:
    if scalar:
        return lon[0], lat[0]
    return lon, lat


def outside_china(lon: ArrayLike, lat: ArrayLike) -> np.ndarray:
    """Return True where a point lies outside the rough box in which GCJ-02 shifts points.

    >>> outside_china([116.4, -73.6], [39.9, 45.5]).tolist()
    [False, True]
    """
    lon_a, lat_a = _arrays(lon, lat)
    return (lon_a < 72.004) | (lon_a > 137.8347) | (lat_a < 0.8293) | (lat_a > 55.8271)


def _shift_lat(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(y * np.pi) + 40.0 * np.sin(y / 3.0 * np.pi)) * 2.0 / 3.0
    out += (160.0 * np.sin(y / 12.0 * np.pi) + 320.0 * np.sin(y * np.pi / 30.0)) * 2.0 / 3.0
    return out


def _shift_lon(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * np.sqrt(np.abs(x))
    out += (20.0 * np.sin(6.0 * x * np.pi) + 20.0 * np.sin(2.0 * x * np.pi)) * 2.0 / 3.0
    out += (20.0 * np.sin(x * np.pi) + 40.0 * np.sin(x / 3.0 * np.pi)) * 2.0 / 3.0
    out += (150.0 * np.sin(x / 12.0 * np.pi) + 300.0 * np.sin(x / 30.0 * np.pi)) * 2.0 / 3.0
    return out


def _gcj_forward(lon: np.ndarray, lat: np.ndarray) -> Pair:
    """Return the GCJ-02 shift applied everywhere (no China test)."""
    d_lat = _shift_lat(lon - 105.0, lat - 35.0)
    d_lon = _shift_lon(lon - 105.0, lat - 35.0)
    rad = lat / 180.0 * np.pi
    magic = 1.0 - _EE * np.sin(rad) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * np.cos(rad) * np.pi)
    return lon + d_lon, lat + d_lat


def _bd_forward(lon: np.ndarray, lat: np.ndarray) -> Pair:
    z = np.sqrt(lon * lon + lat * lat) + 0.00002 * np.sin(lat * _X_PI)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _X_PI)
    return z * np.cos(theta) + _BD_DLON, z * np.sin(theta) + _BD_DLAT


def _bd_rough_inverse(lon: np.ndarray, lat: np.ndarray) -> Pair:
    x, y = lon - _BD_DLON, lat - _BD_DLAT
    z = np.sqrt(x * x + y * y) - 0.00002 * np.sin(y * _X_PI)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _X_PI)
    return z * np.cos(theta), z * np.sin(theta)


def _invert(
    forward: Callable[[np.ndarray, np.ndarray], Pair],
    lon: np.ndarray,
    lat: np.ndarray,
    start: Pair,
    tolerance: float,
) -> Pair:
    """Solve ``forward(w) == (lon, lat)`` by fixed-point iteration from `start`."""
    w_lon, w_lat = start
    todo = np.isfinite(lon) & np.isfinite(lat)
    for _ in range(MAX_ITERATIONS):
        if not todo.any():
            break
        f_lon, f_lat = forward(w_lon[todo], w_lat[todo])
        e_lon, e_lat = f_lon - lon[todo], f_lat - lat[todo]
        w_lon[todo] -= e_lon
        w_lat[todo] -= e_lat
        done = (np.abs(e_lon) < tolerance) & (np.abs(e_lat) < tolerance)
        todo[np.flatnonzero(todo)[done]] = False
    return w_lon, w_lat


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Shift WGS 84 longitudes and latitudes (degrees) to GCJ-02; outside China unchanged."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a, lat_a = _arrays(lon, lat)
    s_lon, s_lat = _gcj_forward(lon_a, lat_a)
    outside = outside_china(lon_a, lat_a)
    return _result(np.where(outside, lon_a, s_lon), np.where(outside, lat_a, s_lat), scalar)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tolerance: float = TOLERANCE) -> Pair:
    """Exact inverse of `wgs84_to_gcj02` (iterative, to `tolerance` degrees)."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a, lat_a = _arrays(lon, lat)
    f_lon, f_lat = _gcj_forward(lon_a, lat_a)
    start = (2.0 * lon_a - f_lon, 2.0 * lat_a - f_lat)
    w_lon, w_lat = _invert(_gcj_forward, lon_a, lat_a, start, tolerance)
    outside = outside_china(lon_a, lat_a)
    return _result(np.where(outside, lon_a, w_lon), np.where(outside, lat_a, w_lat), scalar)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """Baidu's BD-09 from GCJ-02 (applied everywhere, as Baidu does)."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a, lat_a = _arrays(lon, lat)
    return _result(*_bd_forward(lon_a, lat_a), scalar)


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike, *, tolerance: float = TOLERANCE) -> Pair:
    """Exact inverse of `gcj02_to_bd09` (iterative, to `tolerance` degrees)."""
    scalar = np.ndim(lon) == 0 and np.ndim(lat) == 0
    lon_a, lat_a = _arrays(lon, lat)
    start = _bd_rough_inverse(lon_a, lat_a)
    return _result(*_invert(_bd_forward, lon_a, lat_a, start, tolerance), scalar)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> Pair:
    """WGS 84 -> GCJ-02 -> BD-09."""
    return gcj02_to_bd09(*wgs84_to_gcj02(lon, lat))


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike, *, tolerance: float = TOLERANCE) -> Pair:
    """BD-09 -> GCJ-02 -> WGS 84, both steps exact to `tolerance` degrees."""
    return gcj02_to_wgs84(*bd09_to_gcj02(lon, lat, tolerance=tolerance), tolerance=tolerance)


_CONVERSIONS: dict[tuple[str, str], Callable[[ArrayLike, ArrayLike], Pair]] = {
    ("wgs84", "gcj02"): wgs84_to_gcj02,
    ("gcj02", "wgs84"): gcj02_to_wgs84,
    ("gcj02", "bd09"): gcj02_to_bd09,
    ("bd09", "gcj02"): bd09_to_gcj02,
    ("wgs84", "bd09"): wgs84_to_bd09,
    ("bd09", "wgs84"): bd09_to_wgs84,
}


def convert(lon: ArrayLike, lat: ArrayLike, source: str, target: str) -> Pair:
    """Convert degrees between ``"wgs84"``, ``"gcj02"`` and ``"bd09"``.

    >>> convert(116.404, 39.915, "gcj02", "bd09")[0].round(8)
    np.float64(116.41036949)
    """
    source, target = source.lower(), target.lower()
    for name in (source, target):
        if name not in SHIFTED_SYSTEMS:
            raise CRSError(
                f"unknown coordinate system {name!r}; expected one of {', '.join(SHIFTED_SYSTEMS)}."
            )
    if source == target:
        return _result(*_arrays(lon, lat), np.ndim(lon) == 0 and np.ndim(lat) == 0)
    return _CONVERSIONS[(source, target)](lon, lat)


def convert_geometries(geometries: ArrayLike, source: str, target: str) -> np.ndarray:
    """Convert an array of lon/lat shapely geometries; Z values are dropped.

    >>> from shapely.geometry import Point
    >>> out = convert_geometries([Point(116.404, 39.915)], "wgs84", "gcj02")
    >>> round(out[0].x, 6)
    116.410244
    """

    def shift(coords: np.ndarray) -> np.ndarray:
        lon, lat = convert(coords[:, 0], coords[:, 1], source, target)
        return np.column_stack([lon, lat])

    return shapely.transform(np.asarray(geometries, dtype=object), shift, include_z=False)


def _is_lonlat(crs: CRS | None) -> bool:
    return crs is None or (crs.is_geographic and crs.to_epsg() in (4326, 4490, 4214, 4610))


def convert_layer(frame: gpd.GeoDataFrame, source: str, target: str = "wgs84") -> gpd.GeoDataFrame:
    """Return a copy of a longitude/latitude layer converted between the three systems.

    The result is labelled EPSG:4326. A layer in a projected CRS cannot be in
    GCJ-02 or BD-09 (both are defined on degrees), so it is an error.
    """
    if not _is_lonlat(frame.crs):
        raise CRSError(
            f"the layer is in {frame.crs.name}; {source.upper()} coordinates are longitudes and "
            "latitudes in degrees. Import the file without --crs, or with --crs EPSG:4326."
        )
    out = frame.copy()
    out[frame.geometry.name] = convert_geometries(frame.geometry.values, source, target)
    return out.set_crs("EPSG:4326", allow_override=True)


# ---------------------------------------------------------------------------
# Which system is a layer in? Compare with a reference the user trusts.


@dataclass(frozen=True)
class OffsetCheck:
    """How well a layer fits a trusted reference layer under each hypothesis.

    `distances_m` holds, for ``wgs84`` (as it is), ``gcj02`` and ``bd09``
    (converted back to WGS 84 first), the median distance in metres from the
    layer's vertices to the reference. `offset_m` is the median (east, north)
    displacement of the layer's vertices from their nearest reference point,
    as the layer is; `gcj02_shift_m` is the (east, north) shift GCJ-02 applies
    at the layer's centre.
    """

    distances_m: dict[str, float]
    offset_m: tuple[float, float]
    gcj02_shift_m: tuple[float, float]
    best: str

    @property
    def looks_gcj02(self) -> bool:
        """True when the data fits best once the GCJ-02 shift is undone."""
        return self.best == "gcj02"


def _vertices(frame: gpd.GeoDataFrame, limit: int) -> np.ndarray:
    geoms = frame.geometry.values
    geoms = geoms[~(shapely.is_missing(geoms) | shapely.is_empty(geoms))]
    coords = shapely.get_coordinates(geoms)
    if len(coords) > limit:
        coords = coords[np.linspace(0, len(coords) - 1, limit).astype(int)]
    return coords


def datum_offset_check(
    layer: gpd.GeoDataFrame, reference: gpd.GeoDataFrame, *, sample: int = 5000
) -> OffsetCheck:
    """Measure whether `layer` sits on `reference` as it is, or once GCJ-02/BD-09 is undone.

    Both layers must have a CRS; `layer` is read as longitudes/latitudes.
    Polygon layers are compared with the reference's boundaries (shared
    edges line up), point layers with the reference's geometries (a point
    in its building is at distance 0).
    """
    if layer.crs is None or reference.crs is None:
        raise CRSError("both layers need a CRS to compare them; set one first.")
    ref_wgs = reference.to_crs("EPSG:4326")
    metric = metric_crs_for_frame(ref_wgs)
    ref_m = ref_wgs.to_crs(metric).geometry.values
    ref_m = ref_m[~(shapely.is_missing(ref_m) | shapely.is_empty(ref_m))]
    polygonal = layer.geom_type.isin(("Polygon", "MultiPolygon")).any()
    targets = shapely.boundary(ref_m) if polygonal else ref_m
    tree = shapely.STRtree(targets)
    lonlat = _vertices(layer.to_crs("EPSG:4326") if not _is_lonlat(layer.crs) else layer, sample)
    if not len(lonlat) or not len(targets):
        raise CRSError("one of the layers has no geometry to compare.")
    distances: dict[str, float] = {}
    offset = (0.0, 0.0)
    for system in SHIFTED_SYSTEMS:
        lon, lat = convert(lonlat[:, 0], lonlat[:, 1], system, "wgs84")
        points = gpd.GeoSeries(shapely.points(lon, lat), crs="EPSG:4326").to_crs(metric).values
        index, dist = tree.query_nearest(points, return_distance=True, all_matches=False)
        distances[system] = float(np.median(dist))
        if system == "wgs84":
            nearest = shapely.shortest_line(targets[index[1]], points[index[0]])
            ends = shapely.get_coordinates(nearest).reshape(-1, 2, 2)
            delta = ends[:, 1] - ends[:, 0]
            offset = (float(np.median(delta[:, 0])), float(np.median(delta[:, 1])))
    centre = lonlat.mean(axis=0)
    shifted = np.array(wgs84_to_gcj02(centre[0], centre[1]), dtype=float)
    pair = gpd.GeoSeries(shapely.points([centre, shifted]), crs="EPSG:4326").to_crs(metric)
    shift = (float(pair.x[1] - pair.x[0]), float(pair.y[1] - pair.y[0]))
    best = min(distances.items(), key=lambda item: item[1])[0]
    if distances[best] > 0.5 * distances["wgs84"] and best != "wgs84":
        best = "wgs84"  # not clearly better than leaving it alone
    return OffsetCheck(distances, offset, shift, best)


def looks_like_gcj02(layer: gpd.GeoDataFrame, reference: gpd.GeoDataFrame) -> bool:
    """Return True when `layer` fits `reference` clearly better once GCJ-02 is undone.

    "Clearly" means the median distance to the reference at least halves;
    see `datum_offset_check` for the numbers behind the answer.
    """
    return datum_offset_check(layer, reference).looks_gcj02


def from_web(geometry: dict | BaseGeometry, crs: CRS, *, gcj02: bool = False) -> BaseGeometry:
    """Return a GeoJSON geometry drawn on a web map (lon/lat) in the metric working `crs`.

    With ``gcj02=True`` the drawing was made over GCJ-02 tiles on data shifted
    onto them, so its coordinates are shifted back to WGS 84 first.
    """
    geom = shapely.geometry.shape(geometry) if isinstance(geometry, dict) else geometry
    if gcj02:
        coords = shapely.get_coordinates(geom)
        lon, lat = gcj02_to_wgs84(coords[:, 0], coords[:, 1])
        geom = shapely.set_coordinates(geom, np.column_stack([lon, lat]))
    return gpd.GeoSeries([geom], crs=WEB_CRS).to_crs(crs).iloc[0]
