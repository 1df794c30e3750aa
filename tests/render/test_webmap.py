"""The web map: offline assets, compact encoding, aggregation, layers and languages."""

from __future__ import annotations

import re

import folium
import folium.plugins
import numpy as np
import pandas as pd
import pytest
import shapely
from _app_support import make_broken_layers
from conftest import make_tiny_layers, write_gpkg
from hypothesis import given, settings
from hypothesis import strategies as st

from gridmap.analysis.coverage import CHECKS, check_coverage
from gridmap.io import read_district
from gridmap.render.web import assets, encode
from gridmap.render.web.coverage import build_map, map_html
from gridmap.render.web.data import MapLimits, prepare_map_data
from gridmap.render.web.tiles import PROVIDERS
from gridmap.vendored import required_files

BASE = "/app/static/vendor"


def decode(text: str, factor: int) -> list[tuple[float, float]]:
    """Reference decoder of Google encoded polylines."""
    out, i, lat, lng = [], 0, 0, 0
    while i < len(text):
        values = []
        for _ in range(2):
            shift = result = 0
            while True:
                b = ord(text[i]) - 63
                i += 1
                result |= (b & 0x1F) << shift
                shift += 5
                if b < 0x20:
                    break
            values.append(~(result >> 1) if result & 1 else result >> 1)
        lat += values[0]
        lng += values[1]
        out.append((lat / factor, lng / factor))
    return out


@pytest.fixture(scope="module")
def broken(tmp_path_factory):
    path = write_gpkg(tmp_path_factory.mktemp("web") / "broken.gpkg", make_broken_layers())
    district = read_district(path)
    return district, check_coverage(district)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    path = write_gpkg(tmp_path_factory.mktemp("web") / "tiny.gpkg", make_tiny_layers())
    return read_district(path)


def links(html: str) -> list[str]:
    return re.findall(r'<(?:script|link)[^>]*(?:src|href)="([^"]+)"', html)


# --- offline assets ----------------------------------------------------------


def test_localize_rewrites_folium_and_plugin_cdns() -> None:
    m = folium.Map(tiles=None)
    folium.plugins.MarkerCluster().add_to(m)
    folium.plugins.HeatMap([[34.8, 113.3, 1.0]]).add_to(m)
    assets.localize(m, BASE)
    found = links(map_html(m))
    assert found and all(url.startswith(BASE + "/") for url in found)
    names = {url.rsplit("/", 1)[1] for url in found}
    assert {"leaflet.js", "leaflet.css", "leaflet.markercluster.js", "leaflet-heat.js"} <= names
    assert not any(re.search(r"jquery|bootstrap|awesome", url) for url in found)


def test_a_plugin_without_an_offline_copy_is_an_error() -> None:
    m = folium.Map(tiles=None)
    folium.plugins.MeasureControl().add_to(m)
    with pytest.raises(assets.AssetError, match="no offline copy"):
        assets.localize(m, BASE)


def test_without_installed_assets_the_pinned_cdn_copies_are_used() -> None:
    m = folium.Map(tiles=None)
    assets.localize(m, None)
    found = links(map_html(m))
    assert "https://cdn.jsdelivr.net/npm/leaflet@1.9.4/dist/leaflet.js" in found


def test_every_asset_has_its_package_and_licence() -> None:
    files = required_files()
    for asset in assets.ASSETS.values():
        package = assets.PACKAGES[asset.package]
        assert asset.file in package.files
        assert f"{package.folder}/{package.licence}" in files
        assert package.integrity.startswith("sha512-")


def test_missing_vendor_assets_lists_what_is_absent(tmp_path) -> None:
    from gridmap.io.vendor import missing_vendor_assets

    assert missing_vendor_assets(tmp_path) == required_files()


# --- encoding ----------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.floats(-80, 80), st.floats(-179, 179)), min_size=1, max_size=30),
    st.sampled_from([100_000, 1_000_000]),
)
def test_encoded_rings_decode_to_the_rounded_coordinates(points, factor) -> None:
    ring = shapely.Polygon([(lng, lat) for lat, lng in points] * 3) if len(points) >= 3 else None
    text = encode.encode_ring(points, factor)
    assert decode(text, factor) == [
        (round(a * factor) / factor, round(b * factor) / factor) for a, b in points
    ]
    if ring is not None and ring.is_valid and not ring.is_empty:
        vector = encode.encode_polygons([ring], factor)[0][0][0]
        assert decode(vector, factor) == decode(
            encode.encode_ring(np.asarray(ring.exterior.coords)[:-1, ::-1], factor), factor
        )


def test_encode_polygons_keeps_parts_and_holes() -> None:
    square = shapely.box(113.0, 34.0, 113.1, 34.1)
    holed = shapely.box(114.0, 34.0, 114.1, 34.1).difference(
        shapely.box(114.02, 34.02, 114.05, 34.05)
    )
    out = encode.encode_polygons(
        [
            square,
            None,
            shapely.MultiPolygon([square, holed]),
            shapely.Point(1, 1),
            shapely.Polygon(),
        ],
        100_000,
    )
    assert [len(g) for g in out] == [1, 0, 2, 0, 0]
    assert [len(p) for p in out[2]] == [1, 2]
    assert sorted(decode(out[0][0][0], 100_000)) == [
        (34.0, 113.0),
        (34.0, 113.1),
        (34.1, 113.0),
        (34.1, 113.1),
    ]


def test_zoom_and_precision() -> None:
    assert encode.zoom_to_fit(10_000, 5_000, lat=34.8) == 13
    assert encode.zoom_to_fit(30_000, 15_000, lat=34.8) == 12
    assert encode.metres_per_pixel(13, 0) == pytest.approx(19.109, rel=1e-3)
    assert encode.precision_factor(20.0) == 100_000
    assert encode.precision_factor(1.0) == 1_000_000


def test_bin_points_respects_the_cell_budget() -> None:
    rng = np.random.default_rng(1)
    x, y = rng.uniform(0, 5000, 20_000), rng.uniform(0, 3000, 20_000)
    cells = encode.bin_points(x, y, max_cells=300)
    assert len(cells) <= 300 and cells["n"].sum() == 20_000
    assert (cells["x"].between(0, 5000)).all()
    few = encode.bin_points(np.array([1.0, 2.0, 100.0]), np.array([1.0, 1.0, 1.0]), max_cells=10)
    assert few["n"].tolist() == [2.0, 1.0] and few["x"].tolist() == [1.5, 100.0]


# --- map data ----------------------------------------------------------------


def test_map_data_of_the_tiny_district(tiny) -> None:
    data = prepare_map_data(tiny)
    assert data.counts["grid_small"] == 4 and data.counts["buildings"] == 4
    assert data.layers["grid_small"]["p"]["id"] == ["S1", "S2", "S3", "S4"]
    assert data.layers["grid_medium"]["p"]["c"][0] != data.layers["grid_medium"]["p"]["c"][1]
    assert data.layers["households"]["kind"] == "heat"
    assert set(data.layers) >= {"grid_large", "labels", "units.small_venue", "equipment_points"}
    (south, west), (north, east) = data.bounds
    assert 34.79 < south < north < 34.80 and 113.26 < west < east < 113.28


def test_choropleth_classes(tiny) -> None:
    values = pd.Series({"S1": 0, "S2": 1, "S3": 2, "S4": 5})
    data = prepare_map_data(tiny, values=values)
    assert data.layers["grid_small"]["p"]["c"] == [0, 1, 2, 3]
    assert [(row["low"], row["high"]) for row in data.choropleth] == [
        (0, 0),
        (1, 1),
        (2, 2),
        (5, 5),
    ]
    missing = prepare_map_data(tiny, values=values.drop("S4"))
    assert (
        missing.layers["grid_small"]["p"]["c"][3]
        == len(missing.layers["grid_small"]["palette"]) - 1
    )


def test_focus_cuts_the_detail_to_the_selection(tiny) -> None:
    whole = prepare_map_data(tiny)
    focus = prepare_map_data(tiny, focus=("grid_small", "S4"))
    assert "selection" in focus.layers and "selection" not in whole.layers
    assert focus.bounds[0][1] > whole.bounds[0][1]  # opens on S4, east of the rest
    assert focus.counts["grid_large"] == 2  # context stays
    assert focus.counts["grid_small"] <= whole.counts["grid_small"]


def test_gcj02_moves_the_data_about_600_metres(tiny) -> None:
    plain = prepare_map_data(tiny)
    shifted = prepare_map_data(tiny, gcj02=True)
    (s1, w1), _ = plain.bounds
    (s2, w2), _ = shifted.bounds
    metres = np.hypot((w2 - w1) * 111_320 * np.cos(np.radians(s1)), (s2 - s1) * 110_574)
    assert 400 < metres < 800


def test_points_are_aggregated_past_the_limits(tiny) -> None:
    limits = MapLimits(point_markers=0, building_polygons=0, aggregate_cells=10)
    data = prepare_map_data(tiny, limits=limits)
    units = data.layers["units.small_venue"]
    assert units["aggregated"] and sum(units["p"]["n"]) == 1
    assert data.layers["buildings"]["aggregated"]


def test_findings_layers(broken) -> None:
    district, report = broken
    data = prepare_map_data(district, report.findings)
    parts = data.layers["findings.error"]["parts"]
    areas = [p for p in parts if p["kind"] == "polygons"]
    spots = [p for p in parts if p["kind"] == "points"]
    assert sorted(areas[0]["p"]["check"]) == ["gap", "outside_parent", "overlap"]
    assert sorted(spots[0]["p"]["check"]) == ["building_missed", "unit_missed"]
    assert data.counts["findings.error"] == 5  # no_leader and household_missed are not drawn


# --- the folium map ----------------------------------------------------------


def test_built_map_is_offline_and_labelled(broken) -> None:
    district, report = broken
    html = map_html(build_map(prepare_map_data(district, report.findings), checks=CHECKS))
    assert all(url.startswith(BASE) for url in links(html))
    assert "https://" not in html.split("<body>")[1].replace(
        "https://leafletjs.com", ""
    )  # only Leaflet's attribution link
    for name in district["grid_small"]["name"]:
        assert name in html
    assert "gm-hatch" in html and "覆盖空白" in html


def test_names_with_template_or_script_text_are_safe(tiny) -> None:
    layers = make_tiny_layers()
    layers["grid_small"].loc[0, "name"] = "{{ x }} {% y %} </script><b>"
    district = tiny.with_layers(grid_small=layers["grid_small"].to_crs(tiny.crs))
    html = map_html(build_map(prepare_map_data(district)))
    assert "{\\u007b x }} {\\u0025 y %} <\\/script><b>" in html
    assert html.count("</script>") == html.count("<script")


def test_english_map(tiny) -> None:
    html = map_html(build_map(prepare_map_data(tiny), lang="en"))
    assert "small grid (responsibility zone)" in html and "Legend" in html
    assert "图例" not in html


@pytest.mark.parametrize(
    ("key", "tile_key", "expected"),
    [
        ("none", None, None),
        ("osm", None, "tile.openstreetmap.org"),
        ("tianditu_vec", None, None),
        ("tianditu_vec", "abc123", "tk=abc123"),
        ("gaode", None, "autonavi.com"),
    ],
)
def test_basemaps(tiny, key, tile_key, expected) -> None:
    m = build_map(prepare_map_data(tiny), tiles=PROVIDERS[key], tile_key=tile_key)
    html = map_html(m)
    tiles = [c for c in m._children.values() if isinstance(c, folium.TileLayer)]
    if expected is None:
        assert not tiles
    else:
        assert tiles and expected in html
    assert PROVIDERS["gaode"].datum == "gcj02" and PROVIDERS["tianditu_img"].needs_key


def test_legend_shows_the_medium_tints_and_the_map_styles() -> None:
    """The medium-grid swatch stripes every tint the map cycles through, at the map's opacity;
    the outline colours are the map's own (gridmap.render.web.styles)."""
    from gridmap.render.web.data import MEDIUM_PALETTE, MapData
    from gridmap.render.web.styles import STYLES

    html = map_html(build_map(MapData(bounds=[[34.7, 113.2], [34.8, 113.3]], zoom=12)))
    alpha = STYLES["grid_medium"]["fillOpacity"]
    for colour in MEDIUM_PALETTE:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert f"rgba({r},{g},{b},{alpha:g})" in html, colour
    assert f"border:3px solid {STYLES['grid_large']['color']}" in html
