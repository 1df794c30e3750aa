"""The data model in code and in docs/schema.md stay in step; CRS choice rules."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point

from gridmap import schema
from gridmap.errors import CRSError
from gridmap.geo.crs import metric_crs_for, require_metric
from gridmap.schema import LAYERS, layer_alias_map

DOC = Path(__file__).parents[2] / "docs" / "schema.md"


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


#: Every public name of the single-module schema (gridmap/schema.py) before it became a package.
NAMES_BEFORE_THE_SPLIT = (
    "BUILDINGS",
    "BUILDING_USES",
    "CHOICE_LABELS_ZH",
    "COORDINATE_ALIASES",
    "DRILLS",
    "EMERGENCY_PLANS",
    "EQUIPMENT_POINTS",
    "EQUIPMENT_STATUSES",
    "FIRE_TEAMS",
    "FIRE_TEAM_KINDS",
    "Field",
    "FieldKind",
    "GRID_KINDS",
    "GRID_LARGE",
    "GRID_LEVELS",
    "GRID_MEDIUM",
    "GRID_SMALL",
    "HAZARDS",
    "HAZARD_SEVERITIES",
    "HAZARD_STATUSES",
    "HOUSEHOLDS",
    "INSPECTIONS",
    "INSPECTION_RESULTS",
    "INSPECTOR_ROLES",
    "LAYERS",
    "LayerSpec",
    "MEETINGS",
    "PARENT_LEVEL",
    "PARENT_NAME_ALIASES",
    "PLAN_LAYERS",
    "POINT",
    "POLYGONAL",
    "TIMEZONE",
    "TRAININGS",
    "TRAINING_KINDS",
    "TRAINING_TARGETS",
    "UNITS",
    "UNIT_CATEGORIES",
    "layer_alias_map",
)


def test_every_name_is_still_importable_from_gridmap_schema() -> None:
    missing = [n for n in NAMES_BEFORE_THE_SPLIT if not hasattr(schema, n)]
    assert missing == []
    assert set(schema.__all__) >= set(NAMES_BEFORE_THE_SPLIT)
    assert all(hasattr(schema, n) for n in schema.__all__)
    assert schema.UNITS is LAYERS["units"] and schema.GRID_LEVELS[0] == "grid_large"


def test_flat_chinese_labels_are_unchanged_for_display() -> None:
    assert schema.CHOICE_LABELS_ZH["general"] == "一般"
    assert schema.CHOICE_LABELS_ZH["community"] == "社区"  # the grid kind's, listed first
    assert schema.CHOICE_LABELS_ZH["major"] == "重大隐患"
    assert set(schema.CHOICE_LABELS_ZH) == {
        c.code for choices in schema.ENUMERATIONS.values() for c in choices
    }


@pytest.mark.parametrize(
    ("layer", "field", "label", "code"),
    [
        ("units", "category", "一般单位", "general"),
        ("units", "category", "消防安全重点单位", "key"),
        ("hazards", "severity", "一般隐患", "general"),
        ("hazards", "severity", "重大火灾隐患", "major"),
        ("hazards", "severity", "重大隐患", "major"),
        ("inspections", "inspector_role", "社区", "community"),
        ("inspections", "inspector_role", "社区/村工作人员", "community"),
        ("grid_medium", "kind", "社区", "community"),
        ("trainings", "target", "进农村", "village"),
        ("hazards", "status", "整改完成", "rectified"),
    ],
)
def test_chinese_names_of_values_are_read_per_field(layer, field, label, code) -> None:
    assert LAYERS[layer].field(field).choice_codes()[label] == code


def test_a_value_name_of_one_field_is_not_accepted_by_another() -> None:
    assert "一般单位" not in LAYERS["hazards"].field("severity").choice_codes()
    assert "一般隐患" not in LAYERS["units"].field("category").choice_codes()
    assert "社区/村工作人员" not in LAYERS["grid_medium"].field("kind").choice_codes()


def test_accepted_values_list_codes_and_chinese_names() -> None:
    text = LAYERS["hazards"].field("severity").accepted_values()
    assert text == "general (一般, 一般隐患, 一般火灾隐患), major (重大隐患, 重大火灾隐患, 重大)"
    assert LAYERS["grid_small"].field("name").accepted_values() == ""


@pytest.mark.parametrize("spec", LAYERS.values(), ids=list(LAYERS))
def test_value_names_are_unambiguous_within_a_field(spec) -> None:
    for field in spec.fields:
        if not field.choices:
            continue
        assert field.choices == tuple(c.code for c in field.labels), field.name
        seen: dict[str, str] = {}
        for choice in field.labels:
            for text in (choice.code, choice.zh, *choice.aliases):
                assert seen.setdefault(text, choice.code) == choice.code, (spec.name, text)


def test_inspector_role_labels_have_one_home() -> None:
    from gridmap.standards.inspections import ROLE_LABELS

    assert ROLE_LABELS is schema.INSPECTOR_ROLE_LABELS
    assert ROLE_LABELS["community"] == ("社区/村工作人员", "community staff")
    assert list(ROLE_LABELS) == list(schema.INSPECTOR_ROLES)
    role = LAYERS["inspections"].field("inspector_role")
    assert all(role.choice_label(r) == ROLE_LABELS[r][0] for r in ROLE_LABELS)
    assert all(role.choice_label(r, "en") == ROLE_LABELS[r][1] for r in ROLE_LABELS)


def test_layer_specific_names_stay_in_their_layer() -> None:
    units, small, points = LAYERS["units"], LAYERS["grid_small"], LAYERS["equipment_points"]
    assert "网格名称" not in units.alias_map() and "网格名称" not in points.alias_map()
    assert units.alias_map()["单位名称"] == "name"
    for level in schema.GRID_LEVELS:
        assert "单位名称" not in LAYERS[level].alias_map()
        assert LAYERS[level].alias_map()["网格名称"] == "name"
    assert small.alias_map()["名称"] == units.alias_map()["名称"] == "name"  # shared: generic


def test_a_units_ledger_with_a_grid_name_column_keeps_it_as_unknown() -> None:
    import pandas as pd

    from gridmap.layers import rename_aliases

    frame = pd.DataFrame({"单位编号": ["U1"], "网格名称": ["朝阳第1片区"], "类别": ["key"]})
    renamed, renames = rename_aliases(frame, LAYERS["units"])
    assert renames == {"单位编号": "unit_id", "类别": "category"}
    assert "name" not in renamed.columns and "网格名称" in renamed.columns


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

    from gridmap.geo import from_web
    from gridmap.geo.coords import wgs84_to_gcj02

    crs = CRS.from_epsg(4547)
    plain = from_web({"type": "Point", "coordinates": [113.27, 34.80]}, crs)
    lon, lat = wgs84_to_gcj02([113.27], [34.80])
    shifted = from_web(
        {"type": "Point", "coordinates": [float(lon[0]), float(lat[0])]}, crs, gcj02=True
    )
    assert plain.distance(shifted) < 0.01  # metres
    back = gpd.GeoSeries([plain], crs=crs).to_crs(4326).iloc[0]
    assert (round(back.x, 9), round(back.y, 9)) == (113.27, 34.8)
