"""Maps of the Edit grids page: the drawing tools, the planner's drawing, the edit's preview.

The drawing map is the coverage map (`gridmap.render.web.coverage.build_map`) with
Leaflet.draw's toolbar limited to the tools the chosen operation needs, and
the current drawing shown as a dashed orange layer, so it stays visible when
the page reruns. The preview map shows the grids the edit changes before
(grey, dashed) and after (blue), and the findings the edit would add in red,
so the planner sees exactly where a gap or an overlap would appear.
Geometries come in EPSG:4326 (shifted to GCJ-02 by the caller when the
basemap needs it); every asset is served offline (`localize`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypedDict

import folium
import geopandas as gpd
from folium.plugins import Draw

from gridmap.render.web.assets import STATIC_URL, localize
from gridmap.render.web.elements import geojson_layer
from gridmap.render.web.inspections import base_map
from gridmap.render.web.tiles import TileProvider

#: The Leaflet.draw tools GridMap may offer; every other tool stays hidden.
DRAW_TOOLS = ("polyline", "polygon", "rectangle")


class PathStyle(TypedDict, total=False):
    """Leaflet path options of the drawing, preview and finding layers (Leaflet's key names)."""

    color: str
    weight: float
    dashArray: str
    fill: bool
    fillColor: str
    fillOpacity: float


DRAWING_STYLE: PathStyle = {
    "color": "#e67e22",
    "weight": 3,
    "dashArray": "6 4",
    "fillOpacity": 0.15,
}
BEFORE_STYLE: PathStyle = {"color": "#7f8c8d", "weight": 1.5, "dashArray": "4 4", "fill": False}
AFTER_STYLE: PathStyle = {
    "color": "#1f5fa8",
    "weight": 2.5,
    "fillColor": "#1f5fa8",
    "fillOpacity": 0.12,
}
FINDING_STYLE: PathStyle = {
    "color": "#c0392b",
    "weight": 2,
    "fillColor": "#e74c3c",
    "fillOpacity": 0.55,
}


def add_drawing_tools(
    m: folium.Map,
    tools: Sequence[str],
    *,
    drawing: gpd.GeoDataFrame | None = None,
    drawing_name: str = "drawing",
    asset_base: str | None = STATIC_URL,
) -> folium.Map:
    """Add the Draw toolbar with only `tools`, and the current `drawing` (EPSG:4326)."""
    unknown = sorted(set(tools) - set(DRAW_TOOLS))
    if unknown:
        raise ValueError(f"unknown drawing tools {unknown}; use {', '.join(DRAW_TOOLS)}")
    if drawing is not None and not drawing.empty:
        geojson_layer(
            drawing[["geometry"]],
            name=drawing_name,
            style_function=lambda _: DRAWING_STYLE,
            control=False,  # the map's layer control is already written: a new entry breaks it
        ).add_to(m)
    if tools:
        options = {k: (k in tools) for k in (*DRAW_TOOLS, "circle", "marker", "circlemarker")}
        Draw(
            export=False, draw_options=options, edit_options={"edit": False, "remove": False}
        ).add_to(m)
    localize(m, asset_base)
    return m


def edit_preview_map(
    before: gpd.GeoDataFrame,
    after: gpd.GeoDataFrame,
    findings: gpd.GeoDataFrame,
    *,
    names: dict[str, str],
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
) -> folium.Map:
    """Grids before and after the edit and the findings it adds (all EPSG:4326).

    `names` labels the three layers (keys ``before``, ``after``, ``findings``);
    `after` needs a ``label`` column for its tooltips.
    """
    frames = [f for f in (before, after, findings) if f is not None and not f.empty]
    west, south, east, north = (
        gpd.GeoSeries([g for f in frames for g in f.geometry], crs=4326).total_bounds
        if frames
        else (113.2, 34.7, 113.4, 34.9)
    )
    m = base_map([[south, west], [north, east]], tiles=tiles, tile_key=tile_key)
    if not before.empty:
        geojson_layer(
            before[["geometry"]],
            name=names["before"],
            style_function=lambda _: BEFORE_STYLE,
        ).add_to(m)
    if not after.empty:
        geojson_layer(
            after[["label", "geometry"]],
            name=names["after"],
            style_function=lambda _: AFTER_STYLE,
            tooltip=["label"],
            labels=False,
        ).add_to(m)
    if not findings.empty:
        geojson_layer(
            findings[["label", "geometry"]],
            name=names["findings"],
            style_function=lambda _: FINDING_STYLE,
            marker=folium.CircleMarker(radius=7, **FINDING_STYLE),
            tooltip=["label"],
            labels=False,
        ).add_to(m)
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m, asset_base)
    return m
