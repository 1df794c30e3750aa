"""Folium maps of equipment siting and inventory: layers in EPSG:4326, assets served locally.

No analysis here: the frames come from `gridmap.analysis.equipment.siting` and
`gridmap.analysis.equipment.kit`, already converted with
`gridmap.render.web.inspections.to_web`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import folium
import geopandas as gpd
import shapely

from gridmap.render.web.assets import STATIC_URL, localize
from gridmap.render.web.elements import geojson_layer
from gridmap.render.web.inspections import _legend, _outlines, base_map
from gridmap.render.web.tiles import TileProvider

COLOURS = {
    "existing": "#1f77b4",
    "new": "#d62728",
    "area_existing": "#6baed6",
    "area_new": "#fc9272",
    "uncovered": "#636363",
    "complete": "#2ca02c",
    "short": "#ff7f0e",
}


def _area_style(colour: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return the style function of a layer of service areas drawn in `colour`."""
    return lambda _: {"color": colour, "weight": 1, "fillOpacity": 0.15}


def _points(
    frame: gpd.GeoDataFrame, name: str, colour: str, radius: float, tooltip: list[str]
) -> folium.GeoJson:
    """Points as one GeoJSON layer of circle markers (fast for thousands of points)."""
    fields = [c for c in tooltip if c in frame.columns]
    return geojson_layer(
        frame[[*fields, "geometry"]],
        name=name,
        marker=folium.CircleMarker(radius=radius, fill=True, fill_opacity=0.85, weight=1),
        style_function=lambda _: {"color": colour, "fillColor": colour},
        tooltip=fields,
    )


def siting_map(
    *,
    bounds: list[list[float]],
    sites: gpd.GeoDataFrame,
    existing: gpd.GeoDataFrame,
    areas: gpd.GeoDataFrame,
    uncovered: gpd.GeoDataFrame,
    outlines: gpd.GeoDataFrame | None = None,
    labels: dict[str, str] | None = None,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
) -> folium.Map:
    """Chosen sites, existing points, their service areas and the demand left uncovered."""
    labels = labels or {}
    m = base_map(bounds, tiles=tiles, tile_key=tile_key)
    _outlines(m, outlines, labels.get("outlines", "grids"))
    for kind in ("existing", "new"):
        part = areas[areas["kind"] == kind]
        if len(part):
            colour = COLOURS[f"area_{kind}"]
            geojson_layer(
                part[["site_id", "geometry"]],
                name=labels.get(f"area_{kind}", f"service areas ({kind})"),
                style_function=_area_style(colour),
            ).add_to(m)
    if len(uncovered):
        _points(
            uncovered,
            labels.get("uncovered", "uncovered demand"),
            COLOURS["uncovered"],
            2,
            ["ref_id", "weight"],
        ).add_to(m)
    if len(existing):
        _points(
            existing,
            labels.get("existing", "existing points"),
            COLOURS["existing"],
            5,
            ["point_id", "serves"],
        ).add_to(m)
    if len(sites):
        _points(
            sites,
            labels.get("new", "new points"),
            COLOURS["new"],
            8,
            ["site_id", "medium_id", "newly_covered"],
        ).add_to(m)
    _legend(m, {labels.get(k, k): COLOURS[k] for k in ("new", "existing", "uncovered")})
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m, asset_base)
    return m


def inventory_map(
    *,
    bounds: list[list[float]],
    points: gpd.GeoDataFrame,
    outlines: gpd.GeoDataFrame | None = None,
    labels: dict[str, str] | None = None,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
) -> folium.Map:
    """Existing points coloured by whether they hold the standard kit (``complete``)."""
    labels = labels or {}
    m = base_map(bounds, tiles=tiles, tile_key=tile_key)
    _outlines(m, outlines, labels.get("outlines", "grids"))
    points = points[~(points.geometry.isna() | shapely.is_empty(points.geometry.values))]
    for state, flag in (("complete", True), ("short", False)):
        part = points[points["complete"] == flag]
        if len(part):
            _points(
                part,
                f"{labels.get(state, state)} ({len(part)})",
                COLOURS[state],
                6,
                ["point_id", "name", "short_total"],
            ).add_to(m)
    _legend(m, {labels.get(k, k): COLOURS[k] for k in ("complete", "short")})
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m, asset_base)
    return m
