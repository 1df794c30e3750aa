"""Folium maps of the Inspections page: heat, choropleths by zone, hazards by state.

Inputs come aggregated from `gridmap.analysis` (hexagon heat rows, zone
tables, hazard states); this module only styles them. Polygons are simplified
in the metric CRS before they become GeoJSON, so a map of every small grid
stays small. Every JS/CSS link is served locally (`gridmap.render.web.assets.localize`);
with a GCJ-02 basemap (Gaode) the data is shifted onto GCJ-02 to line up.

>>> import pandas as pd
>>> m = heat_map(pd.DataFrame({"lat": [34.8], "lon": [113.3], "weight": [3]}),
...              bounds=[[34.7, 113.2], [34.9, 113.4]])
>>> html = m.get_root().render()
>>> "leaflet-heat.js" in html, "cdn.jsdelivr" in html
(True, False)
"""

from __future__ import annotations

import folium
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from branca.element import Figure
from folium.plugins import HeatMap

from gridmap.geo import WEB_CRS, wgs84_to_gcj02
from gridmap.render.web import encode
from gridmap.render.web.assets import STATIC_URL, localize
from gridmap.render.web.controls import MetricScale
from gridmap.render.web.data_base import text_values
from gridmap.render.web.elements import GMLayer, Runtime, geojson_layer, guard_heat
from gridmap.render.web.escape import html_text
from gridmap.render.web.tiles import PROVIDERS, TileProvider

#: Colours of the compliance statuses.
STATUS_COLOURS = {"on_schedule": "#2ca02c", "late": "#ff9f1c", "never": "#d62728"}
#: Colours of the hazard states.
STATE_COLOURS = {
    "open": "#1f77b4",
    "overdue": "#d62728",
    "supervision_due": "#ff7f0e",
    "transferred": "#9467bd",
    "supervised": "#8b0000",
    "rectified": "#2ca02c",
}
#: Sequential palette (light to dark) of the numeric choropleths.
SEQUENTIAL = ("#fff5eb", "#fdd0a2", "#fd8d3c", "#e6550d", "#a63603")
NO_DATA = "#d9d9d9"
#: Outline and fill opacity of the zones of the choropleth and compliance maps.
ZONE_STYLE = {"color": "#5d6d7e", "weight": 0.8, "fillOpacity": 0.7}


#: Simplification of zones drawn on the inspection maps, in metres.
WEB_TOLERANCE = 5.0
#: Above this many zones a map draws them on a canvas instead of as SVG paths.
SVG_MAX_ZONES = 3000


def to_web(
    frame: gpd.GeoDataFrame, *, tolerance: float = WEB_TOLERANCE, gcj02: bool = False
) -> gpd.GeoDataFrame:
    """`frame` simplified by `tolerance` metres, in EPSG:4326 (shifted to GCJ-02 if asked)."""
    out = frame.copy()
    if out.crs is not None and out.crs.is_projected and tolerance > 0:
        out = out.set_geometry(out.geometry.simplify(tolerance, preserve_topology=True))
    out = out.to_crs(WEB_CRS)
    if gcj02:
        out = out.set_geometry(shift_gcj02(out.geometry.values))
    # pointwise: round the coordinates only; the topological mode raises on an invalid
    # geometry (a bow-tie zone a user's file may hold), and the map only draws them
    out = out.set_geometry(shapely.set_precision(out.geometry.values, 1e-6, mode="pointwise"))
    return out


#: Simplification of the community outlines drawn under the inspection maps, in metres.
OUTLINE_TOLERANCE = 10.0


def community_outlines(grid_medium: gpd.GeoDataFrame, *, gcj02: bool = False) -> gpd.GeoDataFrame:
    """Return the communities' outlines as the Inspections page draws them under its maps.

    Grid id, name and geometry simplified by `OUTLINE_TOLERANCE`, in EPSG:4326 (GCJ-02 if
    asked).
    """
    columns = [c for c in ("grid_id", "name") if c in grid_medium.columns]
    return to_web(
        grid_medium[[*columns, grid_medium.geometry.name]], tolerance=OUTLINE_TOLERANCE, gcj02=gcj02
    )


def shift_gcj02(geoms: np.ndarray) -> np.ndarray:
    """Geometries in WGS 84 degrees shifted onto GCJ-02 (for Gaode tiles)."""

    def shift(xy: np.ndarray) -> np.ndarray:
        lon, lat = wgs84_to_gcj02(xy[:, 0], xy[:, 1])
        return np.column_stack([lon, lat])

    return shapely.transform(np.asarray(geoms, dtype=object), shift)


def base_map(
    bounds: list[list[float]], *, tiles: TileProvider | None = None, tile_key: str | None = None
) -> folium.Map:
    """Return an empty map fitted to ``[[south, west], [north, east]]`` over a basemap."""
    (south, west), (north, east) = bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=12,
        tiles=None,
        control_scale=False,
        max_zoom=19,
    )
    MetricScale().add_to(m)
    provider = tiles or PROVIDERS["none"]
    for layer in provider.layers(key=tile_key):
        folium.TileLayer(
            tiles=layer.url,
            attr=layer.attribution,
            subdomains=layer.subdomains,
            max_zoom=layer.max_zoom,
            overlay=layer.overlay,
            control=False,
        ).add_to(m)
    m.fit_bounds(bounds)
    return m


def _outlines(m: folium.Map, outlines: gpd.GeoDataFrame | None, name: str) -> None:
    if outlines is None or outlines.empty:
        return
    geojson_layer(
        outlines[["name", "geometry"]],
        name=name,
        style_function=lambda _: {"color": "#4a5a7a", "weight": 1.2, "fill": False},
        tooltip=["name"],
        labels=False,
    ).add_to(m)


def heat_map(
    heat: pd.DataFrame,
    *,
    bounds: list[list[float]],
    outlines: gpd.GeoDataFrame | None = None,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    names: dict[str, str] | None = None,
    gcj02: bool = False,
) -> folium.Map:
    """Heat of aggregated inspections (``lat``, ``lon``, ``weight`` rows) over grid outlines."""
    names = names or {}
    m = base_map(bounds, tiles=tiles, tile_key=tile_key)
    _outlines(m, outlines, names.get("outlines", "grids"))
    lat, lon = heat["lat"].to_numpy(float), heat["lon"].to_numpy(float)
    if gcj02 and len(heat):
        lon, lat = wgs84_to_gcj02(lon, lat)
    top = float(heat["weight"].max()) if len(heat) else 1.0
    weight = np.round(heat["weight"].to_numpy(float) / top, 3)  # 1 = the busiest cell
    rows = np.column_stack([np.round(lat, 5), np.round(lon, 5), weight])
    HeatMap(
        rows.tolist(),
        name=names.get("heat", "heat"),
        radius=14,
        blur=12,
        max_zoom=15,
        min_opacity=0.3,
    ).add_to(m)
    guard_heat(m)
    folium.LayerControl(collapsed=True).add_to(m)
    localize(m, asset_base)
    return m


def choropleth_map(
    zones: gpd.GeoDataFrame,
    *,
    colour: pd.Series,
    fields: dict[str, str],
    bounds: list[list[float]],
    legend: dict[str, str],
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    name: str = "",
) -> folium.Map:
    """Zones (EPSG:4326) filled with `colour` (a colour per row), tooltips of `fields`."""
    m = base_map(bounds, tiles=tiles, tile_key=tile_key)
    data = zones[[*fields, "geometry"]].copy()
    data["_fill"] = colour.reindex(zones.index).fillna(NO_DATA).to_numpy()
    geojson_layer(
        data,
        name=name,
        style_function=lambda f: {"fillColor": f["properties"]["_fill"], **ZONE_STYLE},
        tooltip=fields,
    ).add_to(m)
    _legend(m, legend)
    localize(m, asset_base)
    return m


def compliance_map(
    grids: gpd.GeoDataFrame,
    worst: pd.DataFrame,
    *,
    labels: dict[str, str],
    fields: dict[str, str],
    gcj02: bool = False,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    name: str = "",
) -> folium.Map:
    """Grids of one level coloured by their worst schedule status.

    `worst` is `gridmap.analysis.inspections.compliance.worst_status(...)` indexed by
    grid id; `labels` names the statuses, `fields` the tooltip's columns
    (grid_id, name, status, rate) in the page's language. The zones are sent
    as polyline-encoded rings drawn by the GM runtime (as the coverage map),
    not as GeoJSON: 20,000 zones stay a few megabytes.
    """
    m = base_map(bounds_of(grids), tiles=tiles, tile_key=tile_key)
    web = to_web(grids[["grid_id", "name", "geometry"]], gcj02=gcj02)
    status = web["grid_id"].map(worst["status"])
    order = {s: k for k, s in enumerate(STATUS_COLOURS)}
    rate = web["grid_id"].map(worst["rate"]).round(3)
    factor = encode.precision_factor(WEB_TOLERANCE)
    props = {
        "grid_id": text_values(web["grid_id"]),
        "name": text_values(web["name"]),
        "status": [labels.get(s, s) if isinstance(s, str) else None for s in status],
        "rate": [None if pd.isna(r) else float(r) for r in rate],
        "c": [order.get(s, len(order)) for s in status],
    }
    spec = {
        "kind": "polygons",
        "f": factor,
        "g": encode.encode_polygons(web.geometry.values, factor),
        "p": props,
        "styleBy": "c",
        "palette": [*STATUS_COLOURS.values(), NO_DATA],
        "style": ZONE_STYLE,
        "fields": [f for f in fields if f in props],
        "labels": [fields[f] for f in fields if f in props],
        "missing": "-",
        "renderer": "canvas" if len(web) > SVG_MAX_ZONES else "svg",
    }
    Runtime().add_to(m)
    GMLayer(spec, name or "compliance", control=False).add_to(m)
    _legend(m, {labels.get(s, s): c for s, c in STATUS_COLOURS.items()})
    localize(m, asset_base)
    return m


def classify(
    values: pd.Series, *, palette: tuple[str, ...] = SEQUENTIAL
) -> tuple[pd.Series, dict[str, str]]:
    """Colours of numeric values by quantile class (NaN: no data) and the legend entries."""
    valid = values.dropna()
    if valid.empty:
        return pd.Series(NO_DATA, index=values.index), {}
    edges = np.unique(np.quantile(valid, np.linspace(0, 1, len(palette) + 1)))
    if len(edges) < 2:
        edges = np.array([valid.min(), valid.max() + 1e-9])
    cls = np.clip(
        np.searchsorted(edges, values.fillna(edges[0]), side="right") - 1, 0, len(edges) - 2
    )
    colours = pd.Series(np.asarray(palette)[cls], index=values.index).where(values.notna(), NO_DATA)
    legend = {f"{edges[i]:.3g} – {edges[i + 1]:.3g}": palette[i] for i in range(len(edges) - 1)}
    return colours, legend


def hazard_map(
    states: gpd.GeoDataFrame,
    *,
    bounds: list[list[float]],
    labels: dict[str, str],
    popups: pd.Series,
    outlines: gpd.GeoDataFrame | None = None,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    names: dict[str, str] | None = None,
) -> folium.Map:
    """Hazards (EPSG:4326 points) coloured by state, major ones larger; one layer per state.

    `popups` is each hazard's text, shown as a tooltip (folium's popups need jQuery,
    which the offline map does not load).
    """
    names = names or {}
    m = base_map(bounds, tiles=tiles, tile_key=tile_key)
    _outlines(m, outlines, names.get("outlines", "grids"))
    xy = shapely.get_coordinates(states.geometry.values) if len(states) else np.empty((0, 2))
    placed = ~(states.geometry.isna() | states.geometry.is_empty).to_numpy()
    coords = np.full((len(states), 2), np.nan)
    coords[placed] = xy
    for state, colour in STATE_COLOURS.items():
        rows = np.flatnonzero((states["state"].to_numpy() == state) & placed)
        group = folium.FeatureGroup(name=html_text(f"{labels.get(state, state)} ({len(rows)})"))
        for i in rows.tolist():  # one marker per hazard: a few hundred at most per district
            major = states["severity"].iat[i] == "major"
            folium.CircleMarker(
                [coords[i, 1], coords[i, 0]],
                radius=9 if major else 5,
                color=colour,
                weight=3 if major else 1,
                fill=True,
                fill_opacity=0.8,
                tooltip=folium.Tooltip(html_text(popups.iat[i])),
            ).add_to(group)
        group.add_to(m)
    _legend(m, {labels.get(k, k): v for k, v in STATE_COLOURS.items()})
    folium.LayerControl(collapsed=False).add_to(m)
    localize(m, asset_base)
    return m


def _legend(m: folium.Map, entries: dict[str, str]) -> None:
    if not entries:
        return
    items = "".join(
        f'<div><span style="display:inline-block;width:12px;height:12px;background:{html_text(c)};'
        f'margin-right:4px;border:1px solid #555"></span>{html_text(label)}</div>'
        for label, c in entries.items()
    )
    html = (
        '<div style="position:absolute;bottom:56px;left:12px;z-index:1000;background:white;'
        f'padding:6px 8px;font-size:12px;border:1px solid #999;border-radius:4px">{items}</div>'
    )
    root = m.get_root()
    assert isinstance(root, Figure), "a folium Map is always placed in a Figure"
    root.html.add_child(folium.Element(html))


def bounds_of(frame: gpd.GeoDataFrame) -> list[list[float]]:
    """``[[south, west], [north, east]]`` of a frame in EPSG:4326."""
    west, south, east, north = frame.to_crs(WEB_CRS).total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]
