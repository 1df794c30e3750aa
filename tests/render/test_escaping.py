"""Text from data is escaped in every web map GridMap builds (issue 14, point 6).

A tiny district (tests/conftest.py) has every text field rewritten with hostile
values: grid ids, names and leaders, unit, equipment-point and hazard texts.
`hostile_maps` builds each map the package has from it the way the app's pages
call them; `tests/render/test_browser_xss.py` opens the same maps in Chromium.

Two homes of the escaping: `gridmap.render.web.escape.html_text` for the HTML a
map builds in Python (folium GeoJSON tooltips, folium tooltips, legends, layer
names), ``GM.esc`` for what the GM runtime draws in the browser from its JSON
specs (those carry the data as it is, inside a script's JSON; see
test_webmap.test_names_with_template_or_script_text_are_safe).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import folium
import geopandas as gpd
import pandas as pd
import pytest
from conftest import make_tiny_layers, write_gpkg

from gridmap.analysis.coverage import CHECKS, check_coverage
from gridmap.district import District
from gridmap.io import read_district
from gridmap.render.web import inspections as rm
from gridmap.render.web.assessment import score_map
from gridmap.render.web.coverage import build_map, map_html
from gridmap.render.web.data import prepare_map_data
from gridmap.render.web.editing import add_drawing_tools, edit_preview_map
from gridmap.render.web.equipment import inventory_map, siting_map
from gridmap.render.web.escape import escaped_columns, html_text

#: Hostile texts: markup that runs script, a quote that leaves an attribute, a
#: ``javascript:`` link, template code for branca's Jinja pass and for a JS
#: template literal.
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = '"><script>window.__xss=2</script>'
LINK = "javascript:window.__xss=3"
JINJA = "{{ 'ZQ' ~ 'XJ' }}"
LITERAL = "${window.__xss=5}`"
SVG = "<svg onload=window.__xss=6>"
HOSTILE = (IMG, SCRIPT, LINK, JINJA, LITERAL, SVG)
#: What must never reach a page as markup or code.
MARKERS = ("<img src=x onerror=", "<script>window.__xss", "<svg onload=", "ZQXJ", "${window")


def hostile(k: int, base: str = "") -> str:
    """`base` followed by the `k`-th hostile text (they cycle)."""
    return f"{base}{HOSTILE[k % len(HOSTILE)]}"


def hostile_layers() -> dict[str, pd.DataFrame]:
    """The tiny district with every text field hostile (ids stay unique and consistent)."""
    layers = make_tiny_layers()
    small_ids = {g: hostile(k, g) for k, g in enumerate(layers["grid_small"]["grid_id"])}
    for level in ("grid_large", "grid_medium", "grid_small"):
        frame = layers[level]
        frame["name"] = [hostile(k, n) for k, n in enumerate(frame["name"])]
        frame["leader"] = [hostile(k + 1, n) for k, n in enumerate(frame["leader"])]
    layers["grid_small"]["grid_id"] = layers["grid_small"]["grid_id"].map(small_ids)
    layers["grid_large"]["phone"] = [hostile(2, "138"), None]
    units = layers["units"]
    units["name"] = [hostile(k, n) for k, n in enumerate(units["name"])]
    units["unit_id"] = [hostile(k + 3, u) for k, u in enumerate(units["unit_id"])]
    points = layers["equipment_points"]
    points["name"] = [hostile(0, points["name"].iat[0])]
    points["point_id"] = [hostile(1, "E1")]
    points["grid_id"] = points["grid_id"].map(small_ids)
    inspections = layers["inspections"]
    inspections["target_id"] = inspections["target_id"].map(lambda t: small_ids.get(t, t))
    hazards = layers["hazards"]
    hazards["description"] = [IMG + SCRIPT + LITERAL + JINJA]
    hazards["unit_id"] = units["unit_id"].iloc[:1].to_numpy()
    return layers


def hostile_district(folder: Path) -> District:
    return read_district(write_gpkg(folder / "hostile.gpkg", hostile_layers()))


def _coverage(district: District) -> folium.Map:
    report = check_coverage(district)
    values = pd.Series(range(len(district["grid_small"])), index=district["grid_small"]["grid_id"])
    data = prepare_map_data(district, report.findings, values=values)
    return build_map(data, checks=CHECKS, indicator_name=hostile(0, "指标"))


def _drawing(district: District) -> folium.Map:
    small = district["grid_small"]
    focus = ("grid_small", small["grid_id"].iat[0])
    m = build_map(prepare_map_data(district, focus=focus), checks=CHECKS)
    drawing = rm.to_web(small.iloc[:1][["geometry"]], tolerance=0)
    return add_drawing_tools(m, ("polygon",), drawing=drawing, drawing_name=hostile(1))


def _outlines(district: District) -> gpd.GeoDataFrame:
    return rm.community_outlines(district["grid_medium"])


def _zones(district: District) -> gpd.GeoDataFrame:
    small = rm.to_web(district["grid_small"][["grid_id", "name", "parent_id", "geometry"]])
    return small.assign(
        inspections=[0, 2, 1, 0],
        units=[0, 1, 0, 1],
        per_unit=[0.0, 2.0, None, 0.0],
        per_household=[0.0, 0.5, None, 0.0],
        inspected=[False, True, True, False],
        medium_id=small["parent_id"],
    )


def _heat(district: District) -> folium.Map:
    heat = pd.DataFrame({"lat": [34.8], "lon": [113.27], "weight": [3]})
    names = {"heat": hostile(2), "outlines": hostile(3)}
    bounds = rm.bounds_of(district["grid_large"])
    return rm.heat_map(heat, bounds=bounds, outlines=_outlines(district), names=names)


def _record(district: District) -> folium.Map:
    empty = pd.DataFrame({"lat": [], "lon": [], "weight": []})
    bounds = rm.bounds_of(district["grid_large"])
    return rm.heat_map(empty, bounds=bounds, outlines=_outlines(district))


def _missing(district: District) -> folium.Map:
    zones = _zones(district)
    colour, legend = rm.classify(zones["per_unit"])
    legend[hostile(4, "图例")] = "#123456"
    fields = {c: hostile(k, c) for k, c in enumerate(("grid_id", "name", "inspections", "units"))}
    bounds = rm.bounds_of(zones)
    return rm.choropleth_map(
        zones, colour=colour, fields=fields, bounds=bounds, legend=legend, name=hostile(5)
    )


def _compliance(district: District) -> folium.Map:
    small = district["grid_small"]
    worst = pd.DataFrame(
        {"status": ["late", "on_schedule", "never", "late"], "rate": [0.5, 1.0, 0.0, 0.25]},
        index=small["grid_id"].tolist(),
    )
    labels = {s: hostile(k, s) for k, s in enumerate(rm.STATUS_COLOURS)}
    fields = {"grid_id": hostile(0), "name": hostile(1), "status": hostile(2), "rate": "rate"}
    return rm.compliance_map(small, worst, labels=labels, fields=fields)


def _hazards(district: District) -> folium.Map:
    hazards = district["hazards"]
    web = rm.to_web(hazards[["hazard_id", "geometry"]], tolerance=0)
    web["state"], web["severity"] = ["open"], ["major"]
    popups = hazards["hazard_id"] + " " + hazards["description"].astype(str)
    labels = {s: hostile(k, s) for k, s in enumerate(rm.STATE_COLOURS)}
    return rm.hazard_map(
        web,
        bounds=rm.bounds_of(district["grid_large"]),
        labels=labels,
        popups=popups.reset_index(drop=True),
        outlines=_outlines(district),
        names={"outlines": hostile(0)},
    )


def _siting(district: District) -> folium.Map:
    small = rm.to_web(district["grid_small"])
    spots = gpd.GeoDataFrame(geometry=small.geometry.representative_point(), crs=small.crs)
    sites = spots.iloc[:2].assign(
        site_id=[hostile(0, "N1"), hostile(1, "N2")],
        medium_id=list(district["grid_medium"]["name"].iloc[:2]),
        newly_covered=[3, 1],
    )
    existing = rm.to_web(district["equipment_points"]).assign(serves=[hostile(2)])
    areas = gpd.GeoDataFrame(
        {"site_id": [hostile(3, "N1"), hostile(4, "E1")], "kind": ["new", "existing"]},
        geometry=list(small.geometry.iloc[:2]),
        crs=small.crs,
    )
    uncovered = spots.iloc[2:].assign(ref_id=[hostile(5, "B3"), hostile(0, "B4")], weight=[1, 2])
    labels = {k: hostile(k2) for k2, k in enumerate(("new", "existing", "area_new", "outlines"))}
    return siting_map(
        bounds=rm.bounds_of(district["grid_large"]),
        sites=sites,
        existing=existing,
        areas=areas,
        uncovered=uncovered,
        outlines=_outlines(district),
        labels=labels,
    )


def _inventory(district: District) -> folium.Map:
    points = rm.to_web(district["equipment_points"]).assign(complete=[False], short_total=[4])
    return inventory_map(
        bounds=rm.bounds_of(district["grid_large"]),
        points=points,
        outlines=_outlines(district),
        labels={"complete": hostile(0), "short": hostile(1), "outlines": hostile(2)},
    )


def _preview(district: District) -> folium.Map:
    small = rm.to_web(district["grid_small"], tolerance=0)
    after = small.assign(label=small["grid_id"] + " " + small["name"])
    findings = gpd.GeoDataFrame(
        {"label": [hostile(k, "覆盖空白 ") for k in range(2)]},
        geometry=[small.geometry.iat[0].centroid, small.geometry.iat[1]],
        crs=small.crs,
    )
    names = {"before": hostile(0), "after": hostile(1), "findings": hostile(2)}
    return edit_preview_map(
        small[["geometry"]], after[["label", "geometry"]], findings, names=names
    )


def _scores(district: District) -> folium.Map:
    grids = rm.to_web(district["grid_medium"][["grid_id", "name", "geometry"]], tolerance=10)
    grids = grids.assign(
        score=[95.0, 70.0, None],
        rank=["1", "2", "<NA>"],
        vetoed=[False, True, False],
        veto=["", hostile(1, "重大隐患"), ""],
    )
    fields = {c: hostile(k, c) for k, c in enumerate(("grid_id", "name", "score", "veto"))}
    bounds = rm.bounds_of(district["grid_medium"])
    return score_map(grids, fields=fields, bounds=bounds, vetoed_label=hostile(3), name=hostile(4))


#: Every web map of the package, as its page builds it (tallies are a table, not a map).
MAP_BUILDERS: dict[str, Callable[[District], folium.Map]] = {
    "coverage": _coverage,
    "edit_drawing": _drawing,
    "inspection_heat": _heat,
    "record_inspection": _record,
    "missing_inspections": _missing,
    "schedule_compliance": _compliance,
    "hazards": _hazards,
    "siting": _siting,
    "equipment_inventory": _inventory,
    "edit_preview": _preview,
    "assessment_scores": _scores,
}


def hostile_maps(folder: Path) -> Iterator[tuple[str, folium.Map]]:
    district = hostile_district(folder)
    for name, build in MAP_BUILDERS.items():
        yield name, build(district)


def _elements(element) -> Iterator:
    yield element
    for child in element._children.values():
        yield from _elements(child)


def markup_outside_gm_specs(m: folium.Map) -> tuple[str, list[object]]:
    """The page with the GM runtime's JSON specs cut out, and the specs' values."""
    page = map_html(m)
    specs = [e.spec_json for e in _elements(m) if hasattr(e, "spec_json")]
    for spec in specs:
        page = page.replace(spec, "")
    return page, [json.loads(s) for s in specs]


def _strings(value) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


@pytest.fixture(scope="module")
def maps(tmp_path_factory: pytest.TempPathFactory) -> dict[str, folium.Map]:
    return dict(hostile_maps(tmp_path_factory.mktemp("hostile")))


def test_every_map_builder_is_covered(maps) -> None:
    """A new map builder in gridmap/render must join MAP_BUILDERS."""
    from gridmap.render.web import assessment as assessment_maps
    from gridmap.render.web import coverage as webmap
    from gridmap.render.web import editing as edit_maps
    from gridmap.render.web import equipment as equipment_maps

    public = {
        f"{module.__name__}.{name}"
        for module in (rm, assessment_maps, edit_maps, equipment_maps, webmap)
        for name, value in vars(module).items()
        if callable(value)
        and getattr(value, "__module__", None) == module.__name__
        and (name.endswith("_map") or name == "add_drawing_tools")
        and name != "base_map"
    }
    assert public == {
        "gridmap.render.web.inspections.heat_map",
        "gridmap.render.web.inspections.choropleth_map",
        "gridmap.render.web.inspections.compliance_map",
        "gridmap.render.web.inspections.hazard_map",
        "gridmap.render.web.assessment.score_map",
        "gridmap.render.web.editing.add_drawing_tools",
        "gridmap.render.web.editing.edit_preview_map",
        "gridmap.render.web.equipment.siting_map",
        "gridmap.render.web.equipment.inventory_map",
        "gridmap.render.web.coverage.build_map",
    }
    assert len(maps) == len(MAP_BUILDERS)


@pytest.mark.parametrize("name", list(MAP_BUILDERS))
def test_hostile_text_never_reaches_a_map_as_markup(maps, name: str) -> None:
    page, specs = markup_outside_gm_specs(maps[name])
    for marker in MARKERS:
        assert marker not in page, f"{name}: {marker!r} reaches the page unescaped"
    assert page.count("<script") == page.count("</script>")
    carried = "\n".join(s for spec in specs for s in _strings(spec))
    escaped = ("&lt;img src=x onerror=", "\\u0026lt;img src=x onerror=")
    if any(e in page for e in escaped):
        return  # escaped in Python (html_text)
    # the GM runtime's maps carry the data as it is; GM.esc escapes it when drawn
    assert IMG in carried or SCRIPT in carried, f"{name}: the hostile names are not on the map"


def test_the_folium_maps_show_the_escaped_names(maps) -> None:
    """The tooltips' GeoJSON holds the names escaped once (no double escaping)."""
    page = map_html(maps["missing_inspections"])
    assert "\\u0026lt;img src=x onerror=\\u0026quot;window.__xss=1\\u0026quot;\\u0026gt;" in page
    assert "\\u0026amp;lt;" not in page
    assert "&#123;&#123; &#x27;ZQ&#x27; ~ &#x27;XJ&#x27; &#125;&#125;" in map_html(
        maps["assessment_scores"]
    )  # the legend: the vetoed label


def test_html_text_escapes_every_code_character() -> None:
    for text in HOSTILE:
        out = html_text(text)
        assert not set(out) & set("<>\"'`{}$\\")
    assert html_text("朝阳社区 No.1 (东) & 2") == "朝阳社区 No.1 (东) &amp; 2"


def test_escaped_columns_keeps_numbers_and_missing_values() -> None:
    frame = pd.DataFrame({"name": [IMG, None], "n": [1, 2], "ok": [True, False]})
    out = escaped_columns(frame)
    assert out["name"].iat[0] == html_text(IMG) and pd.isna(out["name"].iat[1])
    assert out["n"].tolist() == [1, 2] and out["ok"].tolist() == [True, False]
    assert frame["name"].iat[0] == IMG  # the input is not changed


def test_a_typed_tile_key_is_not_run_as_a_template() -> None:
    """The Tianditu key is typed in the app: branca's second Jinja pass must not run it
    (it did: ``{{ cycler.__init__.__globals__.os... }}`` reached the server's shell)."""
    from gridmap.render.web.data import MapData
    from gridmap.render.web.tiles import PROVIDERS

    key = "{{ cycler.__name__ ~ 7*7 }}"
    provider = PROVIDERS["tianditu_vec"]
    bounds = [[34.7, 113.2], [34.8, 113.3]]
    for m in (
        rm.base_map(bounds, tiles=provider, tile_key=key),
        build_map(MapData(bounds=bounds, zoom=12), tiles=provider, tile_key=key),
    ):
        page = map_html(m)
        assert "Cycler49" not in page
        assert "tk=%7B%7B%20cycler.__name__%20~%207%2A7%20%7D%7D" in page
