"""Web maps: the district and the features' results as folium (Leaflet) maps for the app.

Every JS/CSS file is served locally (`localize`), every text that reaches
HTML is escaped (`html_text`, `escaped_columns`), and with a GCJ-02 basemap
(Gaode) the data is shifted onto GCJ-02 to line up.

Modules
-------
coverage
    The leaders' coverage map (一张图): `build_map`, `map_html`.
data, data_base, data_overlays
    `prepare_map_data`: the district and its coverage report as `MapData`
    (simplified, encoded GeoJSON layers, palettes, limits).
inspections
    Heat, choropleth-by-zone and hazard maps of the Inspections page.
equipment
    Equipment inventory and siting maps.
assessment
    The assessment score map.
editing
    The drawing tools and the before/after preview of an edit.
elements, controls, mapjs, encode
    The map runtime: custom layers, the metric scale, the JS/CSS runtime and
    coordinate encoding.
tiles
    The tile providers (`PROVIDERS`) with their keys and datums.
styles
    The map colours and path options, the one home of the styles.
assets, escape
    Locally served vendor files and HTML escaping.
"""

from gridmap.render.web.assessment import score_map
from gridmap.render.web.assets import STATIC_URL, AssetError, localize
from gridmap.render.web.controls import MetricScale
from gridmap.render.web.coverage import build_map, map_html
from gridmap.render.web.data import prepare_map_data
from gridmap.render.web.data_base import MapData, MapLimits
from gridmap.render.web.editing import add_drawing_tools, edit_preview_map
from gridmap.render.web.elements import GMLayer, geojson_layer
from gridmap.render.web.equipment import inventory_map, siting_map
from gridmap.render.web.escape import escaped_columns, html_text
from gridmap.render.web.inspections import (
    NO_DATA,
    base_map,
    choropleth_map,
    community_outlines,
    compliance_map,
    hazard_map,
    heat_map,
)
from gridmap.render.web.styles import STYLES
from gridmap.render.web.tiles import DEFAULT_PROVIDER, PROVIDERS, TileLayerSpec, TileProvider
from gridmap.vendored import INSTALL_COMMAND, PACKAGES, NpmPackage, required_files

__all__ = [
    "DEFAULT_PROVIDER",
    "INSTALL_COMMAND",
    "NO_DATA",
    "PACKAGES",
    "PROVIDERS",
    "STATIC_URL",
    "STYLES",
    "AssetError",
    "GMLayer",
    "MapData",
    "MapLimits",
    "MetricScale",
    "NpmPackage",
    "TileLayerSpec",
    "TileProvider",
    "add_drawing_tools",
    "base_map",
    "build_map",
    "choropleth_map",
    "community_outlines",
    "compliance_map",
    "edit_preview_map",
    "escaped_columns",
    "geojson_layer",
    "hazard_map",
    "heat_map",
    "html_text",
    "inventory_map",
    "localize",
    "map_html",
    "prepare_map_data",
    "required_files",
    "score_map",
    "siting_map",
]
