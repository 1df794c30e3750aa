"""The data model in code and in docs/schema.md stay in step; CRS choice rules."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from gridmap.crs import metric_crs_for, require_metric
from gridmap.errors import CRSError
from gridmap.schema import LAYERS, layer_alias_map

DOC = Path(__file__).parents[1] / "docs" / "schema.md"


@pytest.mark.parametrize("spec", LAYERS.values(), ids=list(LAYERS))
def test_schema_doc_lists_every_field(spec) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"### `{spec.name}`", 1)[1].split("\n### ", 1)[0]
    assert spec.zh in section.splitlines()[0]
    for field in spec.fields:
        row = next(line for line in section.splitlines() if line.startswith(f"| `{field.name}` |"))
        assert field.zh in row and field.en in row
        for choice in field.choices:
            assert f"`{choice}`" in row


def test_aliases_are_unambiguous_within_a_layer() -> None:
    for spec in LAYERS.values():
        seen: dict[str, str] = {}
        for field in spec.fields:
            for alias in (field.name, *field.aliases):
                key = alias.lower()
                assert seen.setdefault(key, field.name) == field.name, (spec.name, alias)


def test_layer_aliases_are_unambiguous() -> None:
    names = [a.lower() for spec in LAYERS.values() for a in (spec.name, *spec.aliases)]
    assert len(names) == len(set(names))
    assert layer_alias_map()["小网格"] == "grid_small"


@pytest.mark.parametrize(
    ("lon", "lat", "epsg"),
    [
        (113.27, 34.80, 4547),  # Zhengzhou: CGCS2000 GK CM 114E
        (116.40, 39.90, 4548),  # Beijing: CM 117E
        (121.47, 31.23, 4549),  # Shanghai: CM 120E
        (87.6, 43.8, 4538),  # Urumqi: CM 87E
        (-73.6, 45.5, 32618),  # Montreal: UTM 18N
        (5.05, 44.0, 32631),  # Vaucluse: UTM 31N
        (151.2, -33.9, 32756),  # Sydney: UTM 56S
    ],
)
def test_metric_crs_for(lon: float, lat: float, epsg: int) -> None:
    assert metric_crs_for(lon, lat).to_epsg() == epsg


def test_measuring_on_degrees_is_an_error() -> None:
    frame = gpd.GeoDataFrame(geometry=[Point(113.27, 34.8)], crs="EPSG:4490")
    with pytest.raises(CRSError, match="metric CRS"):
        require_metric(frame, "grid_small")
    with pytest.raises(CRSError, match="no CRS"):
        require_metric(gpd.GeoDataFrame(geometry=[Point(0, 0)]))
    require_metric(frame.to_crs(4547))


def test_schema_doc_lists_the_planted_defects() -> None:
    from gridmap.demo import PLANTED_DEFECTS

    text = DOC.read_text(encoding="utf-8")
    for defect in PLANTED_DEFECTS:
        assert f"| `{defect.check}` | `{defect.layer}` | {defect.ids[0]}" in text


def test_from_web_round_trips_and_undoes_the_gcj02_shift() -> None:
    from pyproj import CRS

    from gridmap.coords import wgs84_to_gcj02
    from gridmap.crs import from_web

    crs = CRS.from_epsg(4547)
    plain = from_web({"type": "Point", "coordinates": [113.27, 34.80]}, crs)
    lon, lat = wgs84_to_gcj02([113.27], [34.80])
    shifted = from_web(
        {"type": "Point", "coordinates": [float(lon[0]), float(lat[0])]}, crs, gcj02=True
    )
    assert plain.distance(shifted) < 0.01  # metres
    back = gpd.GeoSeries([plain], crs=crs).to_crs(4326).iloc[0]
    assert (round(back.x, 9), round(back.y, 9)) == (113.27, 34.8)
