"""The data of a web map, reduced to what the eye can see, as plain JSON-able values.

`prepare_map_data` takes the loaded district, the coverage findings, the
focus grid and an optional indicator per small grid, and returns `MapData`:
every layer already simplified for the zoom it opens at, quantised and
encoded, points aggregated into cells past `MapLimits`. It works in the metric
working CRS and converts only the reduced result to longitude/latitude (and
onto GCJ-02 for Gaode tiles). No language and no folium here: `webmap` builds
the map from it, so this result can be cached by the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer

from gridmap.coords import wgs84_to_gcj02
from gridmap.crs import WEB_CRS
from gridmap.district import District
from gridmap.layers.equipment import INVENTORY_FIELDS
from gridmap.render import encode
from gridmap.schema import GRID_LEVELS, UNIT_CATEGORIES

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


class _Web:
    """Metric -> longitude/latitude (and GCJ-02) for reduced geometry."""

    def __init__(self, crs: Any, gcj02: bool):
        self._to_web = Transformer.from_crs(crs, WEB_CRS, always_xy=True)
        self.gcj02 = gcj02

    def lonlat(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        lon, lat = self._to_web.transform(np.asarray(x, float), np.asarray(y, float))
        if self.gcj02:
            lon, lat = wgs84_to_gcj02(lon, lat)
        return np.asarray(lon), np.asarray(lat)

    def geoms(self, geoms: np.ndarray) -> np.ndarray:
        def move(coords: np.ndarray) -> np.ndarray:
            lon, lat = self.lonlat(coords[:, 0], coords[:, 1])
            return np.column_stack([lon, lat])

        return shapely.transform(np.asarray(geoms), move)

    def latlng_list(self, x: np.ndarray, y: np.ndarray, digits: int = 6) -> list[list[float]]:
        lon, lat = self.lonlat(x, y)
        return [
            [round(float(a), digits), round(float(b), digits)]
            for a, b in zip(lat, lon, strict=True)
        ]


def _text(values: pd.Series) -> list[Any]:
    return [None if v is None or (isinstance(v, float) and np.isnan(v)) else str(v) for v in values]


def _window(frame: gpd.GeoDataFrame, box: shapely.Geometry | None) -> gpd.GeoDataFrame:
    if box is None or frame.empty:
        return frame
    hits = frame.sindex.query(box, predicate="intersects")
    return frame.iloc[np.sort(hits)]


def _colour_neighbours(geoms: np.ndarray, n_colours: int) -> list[int]:
    """Greedy colouring: touching polygons get different palette indexes."""
    if len(geoms) == 0:
        return []
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    neighbours: dict[int, set[int]] = {}
    for a, b in zip(left, right, strict=True):
        if a != b:
            neighbours.setdefault(int(a), set()).add(int(b))
    order = sorted(range(len(geoms)), key=lambda i: -len(neighbours.get(i, ())))
    colour: dict[int, int] = {}
    for i in order:
        used = {colour[j] for j in neighbours.get(i, ()) if j in colour}
        colour[i] = next((c for c in range(n_colours) if c not in used), i % n_colours)
    return [colour[i] for i in range(len(geoms))]


def _class_breaks(values: np.ndarray) -> list[float]:
    """Upper bounds of up to five classes of positive values: the values themselves when
    there are at most five, else quantiles (whole numbers for counts)."""
    uniq = np.unique(values)
    if uniq.size <= 5:
        return [float(v) for v in uniq]
    qs = np.quantile(values, [0.2, 0.4, 0.6, 0.8, 1.0])
    if np.all(np.mod(values, 1) == 0):
        qs = np.ceil(qs)
    return [float(q) for q in np.unique(qs)]


def _choropleth(values: pd.Series, ids: list[str]) -> tuple[list[int], list[dict[str, Any]]]:
    """Class index per small grid (0 = zero, 1.. = rising, -1 = no data) and legend rows.

    Legend rows hold the class colour and the smallest and largest value in it.
    """
    aligned = values.reindex(ids).to_numpy(float)
    known = aligned[~np.isnan(aligned)]
    positive = known[known > 0]
    breaks = _class_breaks(positive) if positive.size else []
    classes = np.full(len(aligned), -1)
    classes[aligned <= 0] = 0
    rising = aligned > 0
    classes[rising] = 1 + np.searchsorted(breaks, aligned[rising], side="left")
    legend = [{"colour": CHORO_PALETTE[0], "low": 0.0, "high": 0.0}]
    for k, high in enumerate(breaks, start=1):
        members = positive[(positive <= high) & (positive > (breaks[k - 2] if k > 1 else 0))]
        low = float(members.min()) if members.size else high
        legend.append({"colour": CHORO_PALETTE[k], "low": low, "high": high})
    return [int(c) for c in classes], legend


class _Builder:
    def __init__(
        self, district: District, web: _Web, limits: MapLimits, tolerance: float, factor: int
    ):
        self.district, self.web, self.limits = district, web, limits
        self.tolerance, self.factor = tolerance, factor

    def polygons(
        self, frame: gpd.GeoDataFrame, *, coverage: bool = False, tolerance: float | None = None
    ) -> dict[str, Any]:
        tol = self.tolerance if tolerance is None else tolerance
        simple = encode.simplify(frame.geometry, tol, coverage=coverage)
        geoms = encode.encode_polygons(self.web.geoms(simple), self.factor)
        renderer = "canvas" if len(frame) > self.limits.svg_max_polygons else "svg"
        return {"kind": "polygons", "f": self.factor, "g": geoms, "p": {}, "renderer": renderer}

    def points(self, x: np.ndarray, y: np.ndarray, *, aggregate: bool) -> dict[str, Any]:
        if aggregate:
            cells = encode.bin_points(x, y, max_cells=self.limits.aggregate_cells)
            return {
                "kind": "points",
                "xy": self.web.latlng_list(cells["x"], cells["y"]),
                "p": {"n": [int(n) for n in cells["n"]]},
            }
        return {"kind": "points", "xy": self.web.latlng_list(x, y), "p": {}}


def _grid_layers(
    b: _Builder, box: shapely.Geometry | None, values: pd.Series | None, data: MapData
) -> dict[str, gpd.GeoDataFrame]:
    shown: dict[str, gpd.GeoDataFrame] = {}
    for level in GRID_LEVELS:
        frame = b.district[level]
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        if level == "grid_small":
            frame = _window(frame, box)
        shown[level] = frame
        spec = b.polygons(frame, coverage=True)
        spec["layer"] = level
        spec["p"] = {
            "id": _text(frame["grid_id"]),
            "name": _text(frame["name"]),
            "leader": _text(frame["leader"]),
        }
        spec.update(title="name", sub="id", fields=["leader"])
        if level == "grid_small" and len(frame) > b.limits.small_tooltips:
            spec["p"] = {"id": spec["p"]["id"]}
            spec.update(title="id", sub=None, fields=[])
        if level == "grid_medium":
            spec["p"]["c"] = _colour_neighbours(frame.geometry.values, len(MEDIUM_PALETTE))
            spec.update(styleBy="c", palette=list(MEDIUM_PALETTE))
        if level == "grid_small" and values is not None:
            classes, legend = _choropleth(values, spec["p"]["id"])
            spec["p"]["c"] = [c if c >= 0 else len(CHORO_PALETTE) for c in classes]
            spec.update(styleBy="c", palette=[*CHORO_PALETTE, NO_DATA_COLOUR])
            data.choropleth = legend
        data.layers[level] = spec
        data.counts[level] = len(frame)
    return shown


def _labels(b: _Builder, shown: dict[str, gpd.GeoDataFrame], lat: float) -> dict[str, Any]:
    items: list[list[Any]] = []
    zooms = []
    for k, level in enumerate(GRID_LEVELS):
        frame = shown[level]
        size = float(np.sqrt(frame.geometry.area.median())) if len(frame) else 1000.0
        zooms.append(encode.zoom_for_size(size, lat=lat, pixels=110))
        if level == "grid_small" and len(frame) > b.limits.small_labels:
            continue
        points = frame.geometry.representative_point()
        for (la, ln), name in zip(
            b.web.latlng_list(points.x, points.y), _text(frame["name"]), strict=True
        ):
            items.append([la, ln, name or "", k])
    for k in (1, 2):
        zooms[k] = max(zooms[k], zooms[k - 1] + 1)
    return {"kind": "labels", "items": items, "zooms": zooms}


def _buildings(b: _Builder, box: shapely.Geometry | None, data: MapData) -> None:
    frame = b.district.get("buildings")
    if frame is None or frame.empty:
        return
    frame = _window(frame[frame.geometry.notna()], box)
    data.counts["buildings"] = len(frame)
    polygonal = frame.geom_type.isin(("Polygon", "MultiPolygon"))
    if len(frame) <= b.limits.building_polygons:
        parts = []
        if polygonal.any():
            spec = b.polygons(frame[polygonal], tolerance=b.tolerance / 2)
            spec["p"] = {
                "id": _text(frame.loc[polygonal, "building_id"]),
                "use": _text(frame.loc[polygonal, "use"]),
            }
            spec.update(layer="buildings", title="id", fields=["use"], choice=["use"])
            parts.append(spec)
        if (~polygonal).any():
            pts = frame[~polygonal]
            spec = b.points(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy(), aggregate=False)
            spec["p"] = {"id": _text(pts["building_id"])}
            spec.update(layer="buildings", title="id")
            parts.append(spec)
        data.layers["buildings"] = {"kind": "group", "parts": parts, "aggregated": False}
        return
    points = frame.geometry.representative_point()
    spec = b.points(points.x.to_numpy(), points.y.to_numpy(), aggregate=True)
    data.layers["buildings"] = {"kind": "group", "parts": [spec], "aggregated": True}


def _households(b: _Builder, box: shapely.Geometry | None, data: MapData) -> None:
    homes = b.district.get("households")
    buildings = b.district.get("buildings")
    if homes is None or homes.empty:
        return
    x = np.full(len(homes), np.nan)
    y = np.full(len(homes), np.nan)
    if isinstance(homes, gpd.GeoDataFrame):
        x, y = shapely.get_x(homes.geometry.values), shapely.get_y(homes.geometry.values)
    if buildings is not None and len(buildings) and np.isnan(x).any():
        anchor = shapely.point_on_surface(buildings.geometry.values)
        where = pd.DataFrame(
            {"x": shapely.get_x(anchor), "y": shapely.get_y(anchor)},
            index=buildings["building_id"].to_numpy(),
        )
        where = where[~where.index.duplicated()]
        missing = np.isnan(x)
        ref = where.reindex(homes["building_id"].to_numpy()[missing])
        x[missing], y[missing] = ref["x"].to_numpy(), ref["y"].to_numpy()
    ok = ~np.isnan(x)
    x, y = x[ok], y[ok]
    if box is not None:
        minx, miny, maxx, maxy = box.bounds
        inside = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        x, y = x[inside], y[inside]
    data.counts["households"] = len(x)
    if len(x) == 0:
        return
    cells = encode.bin_points(x, y, max_cells=b.limits.heat_cells, min_cell_m=10.0)
    top = float(np.quantile(cells["n"], 0.95)) or 1.0
    weights = np.minimum(cells["n"] / top, 1.0)
    xy = b.web.latlng_list(cells["x"], cells["y"], digits=5)
    data.layers["households"] = {
        "kind": "heat",
        "xy": [[a, c, round(float(w), 3)] for (a, c), w in zip(xy, weights, strict=True)],
        "options": {"radius": 14, "blur": 16, "minOpacity": 0.25, "max": 1.0},
    }


def _units(b: _Builder, box: shapely.Geometry | None, data: MapData) -> None:
    units = b.district.get("units")
    if units is None or units.empty:
        return
    units = _window(units[units.geometry.notna()], box)
    for category in UNIT_CATEGORIES:
        rows = units[units["category"] == category]
        data.counts[f"units.{category}"] = len(rows)
        if rows.empty:
            continue
        many = len(rows) > b.limits.point_markers
        spec = b.points(rows.geometry.x.to_numpy(), rows.geometry.y.to_numpy(), aggregate=many)
        if not many:
            spec["p"] = {"id": _text(rows["unit_id"]), "name": _text(rows["name"])}
            spec.update(title="name", sub="id", cluster=True)
        spec.update(layer="units", category=category, aggregated=many)
        data.layers[f"units.{category}"] = spec


def _equipment(b: _Builder, box: shapely.Geometry | None, data: MapData) -> None:
    points = b.district.get("equipment_points")
    if points is None or points.empty:
        return
    points = _window(points[points.geometry.notna()], box)
    data.counts["equipment_points"] = len(points)
    spec = b.points(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), aggregate=False)
    table = [f for f in INVENTORY_FIELDS if f in points.columns]
    spec["p"] = {
        "id": _text(points["point_id"]),
        "name": _text(points["name"]),
        "status": _text(points["status"]) if "status" in points else [None] * len(points),
    }
    for name in table:
        spec["p"][name] = [None if pd.isna(v) else int(v) for v in points[name]]
    spec.update(
        layer="equipment_points",
        title="name",
        sub="id",
        fields=["status"],
        choice=["status"],
        popup=True,
        table=table,
    )
    data.layers["equipment_points"] = spec


def _findings(
    b: _Builder, findings: gpd.GeoDataFrame | None, box: shapely.Geometry | None, data: MapData
) -> None:
    if findings is None or findings.empty:
        return
    placed = findings[findings.geometry.notna() & ~findings.geometry.is_empty]
    placed = _window(placed, box)
    on_points = placed["layer"].isin(POINT_FINDING_LAYERS)
    areas_ok = placed["check"].isin(AREA_CHECKS) & placed.geom_type.isin(
        ("Polygon", "MultiPolygon")
    )
    placed = placed[on_points | areas_ok]
    on_points = on_points.loc[placed.index]
    for severity in ("error", "warning"):
        rows = placed[placed["severity"] == severity]
        parts = []
        areas = rows[~on_points.loc[rows.index]]
        if len(areas):
            spec = b.polygons(areas, tolerance=b.tolerance / 2)
            spec["renderer"] = "svg"  # the hatch pattern is an SVG fill
            spec["p"] = {
                "check": list(areas["check"]),
                "ids": [", ".join(map(str, v)) for v in areas["ids"]],
            }
            spec.update(title="check", sub="ids", hatch=severity)
            parts.append(spec)
        spots = rows[on_points.loc[rows.index]]
        if len(spots):
            where = spots.geometry.representative_point()
            many = len(spots) > b.limits.point_markers
            spec = b.points(where.x.to_numpy(), where.y.to_numpy(), aggregate=many)
            if not many:
                spec["p"] = {
                    "check": list(spots["check"]),
                    "ids": [", ".join(map(str, v)) for v in spots["ids"]],
                }
                spec.update(title="check", sub="ids")
            spec.update(severity=severity, aggregated=many)
            parts.append(spec)
        data.counts[f"findings.{severity}"] = len(rows)
        if parts:
            data.layers[f"findings.{severity}"] = {"kind": "group", "parts": parts}


def prepare_map_data(
    district: District,
    findings: gpd.GeoDataFrame | None = None,
    *,
    focus: tuple[str, str] | None = None,
    values: pd.Series | None = None,
    gcj02: bool = False,
    limits: MapLimits | None = None,
) -> MapData:
    """Reduce a district (and its findings) to the layers of one web-map view.

    Parameters
    ----------
    focus
        ``(level, grid_id)`` of the selected grid: the map opens on it and
        the detailed layers (small grids, buildings, households, units,
        equipment, findings) are cut to its surroundings.
    values
        Indicator per small grid id for the choropleth mode.
    gcj02
        Shift the data onto GCJ-02 (for Gaode tiles).
    """
    limits = limits or MapLimits()
    grids = district["grid_large"]
    target = None
    if focus is not None:
        level, grid_id = focus
        hit = district[level].loc[district[level]["grid_id"] == grid_id]
        target = hit.geometry.iloc[0] if len(hit) and hit.geometry.iloc[0] is not None else None
    extent = target if target is not None else shapely.box(*grids.total_bounds)
    minx, miny, maxx, maxy = extent.bounds
    web = _Web(district.crs, gcj02)
    lat_c = float(web.lonlat([(minx + maxx) / 2], [(miny + maxy) / 2])[1][0])
    width_px, height_px = limits.viewport
    zoom = encode.zoom_to_fit(
        maxx - minx, maxy - miny, lat=lat_c, width_px=width_px, height_px=height_px
    )
    tolerance = 0.75 * encode.metres_per_pixel(zoom + 1, lat_c)
    factor = encode.precision_factor(tolerance)
    box = None
    if target is not None:
        pad = 0.25 * max(maxx - minx, maxy - miny)
        box = shapely.box(minx - pad, miny - pad, maxx + pad, maxy + pad)
    corners = web.latlng_list(np.array([minx, maxx]), np.array([miny, maxy]))
    data = MapData(bounds=corners, zoom=zoom, gcj02=gcj02)
    builder = _Builder(district, web, limits, tolerance, factor)
    shown = _grid_layers(builder, box, values, data)
    data.layers["labels"] = _labels(builder, shown, lat_c)
    _buildings(builder, box, data)
    _households(builder, box, data)
    _units(builder, box, data)
    _equipment(builder, box, data)
    _findings(builder, findings, box, data)
    if target is not None:
        spec = builder.polygons(
            gpd.GeoDataFrame(geometry=[target], crs=district.crs), tolerance=tolerance / 2
        )
        data.layers["selection"] = spec
    return data
