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

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import Polygon

from gridmap.district import District
from gridmap.render.web import encode
from gridmap.render.web.data_base import (  # noqa: F401  (the names callers import from here)
    AREA_CHECKS,
    CHORO_PALETTE,
    MEDIUM_PALETTE,
    NO_DATA_COLOUR,
    POINT_FINDING_LAYERS,
    UNIT_COLOURS,
    LayerBuilder,
    MapData,
    MapLimits,
    WebCoords,
    text_values,
    window,
)
from gridmap.render.web.data_overlays import (
    buildings,
    equipment,
    findings_layers,
    households,
    units,
)
from gridmap.schema import GRID_LEVELS


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
    """Return the upper bounds of up to five classes of positive values.

    They are the values themselves when there are at most five, else quantiles (whole
    numbers for counts).
    """
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


def _grid_layers(
    b: LayerBuilder, box: Polygon | None, values: pd.Series | None, data: MapData
) -> dict[str, gpd.GeoDataFrame]:
    shown: dict[str, gpd.GeoDataFrame] = {}
    for level in GRID_LEVELS:
        frame = b.district[level]
        frame = frame[frame.geometry.notna() & ~frame.geometry.is_empty]
        if level == "grid_small":
            frame = window(frame, box)
        shown[level] = frame
        spec = b.polygons(frame, coverage=True)
        spec["layer"] = level
        spec["p"] = {
            "id": text_values(frame["grid_id"]),
            "name": text_values(frame["name"]),
            "leader": text_values(frame["leader"]),
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


def _labels(b: LayerBuilder, shown: dict[str, gpd.GeoDataFrame], lat: float) -> dict[str, Any]:
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
            b.web.latlng_list(points.x, points.y), text_values(frame["name"]), strict=True
        ):
            items.append([la, ln, name or "", k])
    for k in (1, 2):
        zooms[k] = max(zooms[k], zooms[k - 1] + 1)
    return {"kind": "labels", "items": items, "zooms": zooms}


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
    web = WebCoords(district.crs, gcj02)
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
    builder = LayerBuilder(district, web, limits, tolerance, factor)
    shown = _grid_layers(builder, box, values, data)
    data.layers["labels"] = _labels(builder, shown, lat_c)
    buildings(builder, box, data)
    households(builder, box, data)
    units(builder, box, data)
    equipment(builder, box, data)
    findings_layers(builder, findings, box, data)
    if target is not None:
        spec = builder.polygons(
            gpd.GeoDataFrame(geometry=[target], crs=district.crs), tolerance=tolerance / 2
        )
        data.layers["selection"] = spec
    return data
