"""Building blocks of web-map data: colours, limits, the `MapData` result, coordinates, encoding.

Shared by `gridmap.render.web.data` (grid layers, labels, `prepare_map_data`)
and `gridmap.render.web.data_overlays` (buildings, households, units,
equipment, findings).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import numpy.typing as npt
import pandas as pd
import shapely
from pyproj import Transformer

from gridmap.district import District
from gridmap.geo import WEB_CRS, wgs84_to_gcj02
from gridmap.render.web import encode

#: Fill colours of medium grids (neighbours get different ones).
MEDIUM_PALETTE = ("#8dd3c7", "#ffffb3", "#bebada", "#fdb462", "#b3de69", "#fccde5", "#80b1d3")
#: Sequential classes of the choropleth (zero first, then five rising classes).
CHORO_PALETTE = ("#f7f7f7", "#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")
NO_DATA_COLOUR = "#bdbdbd"
#: Unit colours by category (red is kept for findings).
UNIT_COLOURS = {
    "key": "#7d3c98",
    "general": "#2e86c1",
    "small_venue": "#b7950b",
    "street_shop": "#17a589",
    "family_workshop": "#935116",
}
#: Findings on these layers are places (markers); households are never one marker each.
POINT_FINDING_LAYERS = ("buildings", "units")
#: Grid findings drawn as (hatched) areas; other grid findings are listed, not drawn.
AREA_CHECKS = ("gap", "overlap", "outside_parent", "invalid_geometry")


@dataclass(frozen=True)
class MapLimits:
    """How much a map may carry before it aggregates or switches renderer."""

    viewport: tuple[int, int] = (1100, 650)
    svg_max_polygons: int = 3000
    building_polygons: int = 8000
    point_markers: int = 3000
    aggregate_cells: int = 1200
    heat_cells: int = 4000
    small_labels: int = 1500
    small_tooltips: int = 8000


@dataclass
class MapData:
    """Everything a web map shows, as plain values (see module doc)."""

    bounds: list[list[float]]
    zoom: int
    layers: dict[str, dict[str, Any]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    choropleth: list[dict[str, Any]] | None = None
    gcj02: bool = False


class WebCoords:
    """Metric -> longitude/latitude (and GCJ-02) for reduced geometry."""

    def __init__(self, crs: Any, gcj02: bool):
        self._to_web = Transformer.from_crs(crs, WEB_CRS, always_xy=True)
        self.gcj02 = gcj02

    def lonlat(self, x: npt.ArrayLike, y: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
        """Return the web map's longitudes and latitudes of metric `x` and `y`."""
        lon, lat = self._to_web.transform(np.asarray(x, float), np.asarray(y, float))
        if self.gcj02:
            lon, lat = wgs84_to_gcj02(lon, lat)
        return np.asarray(lon), np.asarray(lat)

    def geoms(self, geoms: np.ndarray) -> np.ndarray:
        """Return `geoms` in the web map's lon/lat (GCJ-02 if asked)."""

        def move(coords: np.ndarray) -> np.ndarray:
            lon, lat = self.lonlat(coords[:, 0], coords[:, 1])
            return np.column_stack([lon, lat])

        return shapely.transform(np.asarray(geoms), move)

    def latlng_list(self, x: npt.ArrayLike, y: npt.ArrayLike, digits: int = 6) -> list[list[float]]:
        """Return ``[lat, lng]`` pairs of metric `x` and `y`, rounded to `digits`."""
        lon, lat = self.lonlat(x, y)
        return [
            [round(float(a), digits), round(float(b), digits)]
            for a, b in zip(lat, lon, strict=True)
        ]


def text_values(values: pd.Series) -> list[Any]:
    """Return the values as text, missing ones as None."""
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def window(frame: gpd.GeoDataFrame, box: shapely.Geometry | None) -> gpd.GeoDataFrame:
    """Return the rows of `frame` meeting `box` (all of them when `box` is None)."""
    if box is None or frame.empty:
        return frame
    hits = frame.sindex.query(box, predicate="intersects")
    return frame.iloc[np.sort(hits)]


class LayerBuilder:
    """Builds the JSON specs of a web map's layers from a district's frames."""

    def __init__(
        self, district: District, web: WebCoords, limits: MapLimits, tolerance: float, factor: int
    ):
        self.district, self.web, self.limits = district, web, limits
        self.tolerance, self.factor = tolerance, factor

    def polygons(
        self, frame: gpd.GeoDataFrame, *, coverage: bool = False, tolerance: float | None = None
    ) -> dict[str, Any]:
        """Return the spec of a polygon layer: simplified, encoded, canvas when large."""
        tol = self.tolerance if tolerance is None else tolerance
        simple = encode.simplify(frame.geometry, tol, coverage=coverage)
        geoms = encode.encode_polygons(self.web.geoms(simple), self.factor)
        renderer = "canvas" if len(frame) > self.limits.svg_max_polygons else "svg"
        return {"kind": "polygons", "f": self.factor, "g": geoms, "p": {}, "renderer": renderer}

    def points(self, x: np.ndarray, y: np.ndarray, *, aggregate: bool) -> dict[str, Any]:
        """Return the spec of a point layer, binned into counted cells if `aggregate`."""
        if aggregate:
            cells = encode.bin_points(x, y, max_cells=self.limits.aggregate_cells)
            return {
                "kind": "points",
                "xy": self.web.latlng_list(cells["x"], cells["y"]),
                "p": {"n": [int(n) for n in cells["n"]]},
            }
        return {"kind": "points", "xy": self.web.latlng_list(x, y), "p": {}}
