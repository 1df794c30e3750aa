"""The leaders' coverage map (一张图) as a folium map, from prepared `MapData`.

Styles: large grids thick dark outlines, medium grids tinted fills (neighbours
differ), small grids hairlines; grid names appear by zoom; a layer control
toggles buildings, household density (a heat layer, never a marker per
household), units by category (clustered), equipment points (inventory in
the popup) and findings (gaps and overlaps hatched red, missed buildings and
units as red markers). In choropleth mode small grids are coloured by the
chosen indicator. Every JS/CSS file is served locally (`assets.localize`).

>>> from gridmap.render.web.data import MapData
>>> m = build_map(MapData(bounds=[[34.7, 113.2], [34.8, 113.3]], zoom=12))
>>> html = m.get_root().render()
>>> "cdn.jsdelivr" in html, "/app/static/vendor/leaflet@1.9.4/dist/leaflet.js" in html
(False, True)
"""

from __future__ import annotations

import copy
from typing import Any

import folium

from gridmap.i18n import DEFAULT_LANG, choice_label, field_label, layer_label, t
from gridmap.render.web.assets import STATIC_URL, localize
from gridmap.render.web.controls import MetricScale
from gridmap.render.web.data import (
    CHORO_PALETTE,
    MEDIUM_PALETTE,
    NO_DATA_COLOUR,
    UNIT_COLOURS,
    MapData,
)
from gridmap.render.web.elements import GMLayer, LabelLayer, MapCall, Runtime
from gridmap.render.web.escape import html_text
from gridmap.render.web.styles import STYLES
from gridmap.render.web.tiles import PROVIDERS, TileProvider
from gridmap.schema import EQUIPMENT_STATUSES, UNIT_CATEGORIES


def _swatch(colour: str, *, dot: bool = False, border: str | None = None) -> str:
    cls = "gm-sw gm-dot" if dot else "gm-sw"
    edge = f";border-color:{border}" if border else ""
    return f'<span class="{cls}" style="background:{colour}{edge}"></span>'


def _labelled(spec: dict[str, Any], lang: str) -> dict[str, Any]:
    """Add the language's labels for the fields, choices and checks a spec shows."""
    out = copy.copy(spec)
    out["missing"] = t("panel.none", lang)
    out["aggLabel"] = t("map.aggregated", lang, n="{n}")
    if spec.get("fields"):
        out["labels"] = [field_label(spec["layer"], f, lang) for f in spec["fields"]]
    if spec.get("table"):
        out["tableLabels"] = [field_label(spec["layer"], f, lang) for f in spec["table"]]
    lookup = {}
    for name in spec.get("choice", []):
        values = {v for v in spec["p"].get(name, []) if v}
        lookup[name] = {v: choice_label(v, lang) for v in values}
    if lookup:
        out["lookup"] = lookup
    return out


def _findings_spec(
    spec: dict[str, Any], lang: str, checks: dict[str, tuple[str, str, str]]
) -> dict[str, Any]:
    parts = []
    for part in spec["parts"]:
        part = copy.copy(part)
        severity = part.get("hatch") or part.get("severity", "error")
        if part["kind"] == "polygons":
            part["style"] = {
                **STYLES[f"finding.{severity}"],
                "className": "gm-hatch" if severity == "error" else "gm-hatch-warn",
            }
        else:
            part["style"] = STYLES[f"missed.{severity}"]
        if "check" in part["p"]:
            part["p"] = {
                **part["p"],
                "check": [
                    (checks[c][2] if lang == "en" else checks[c][1]) if c in checks else c
                    for c in part["p"]["check"]
                ],
            }
        parts.append(part)
    return {**spec, "parts": parts}


def _grid_spec(data: MapData, level: str, lang: str) -> dict[str, Any]:
    spec = _labelled(data.layers[level], lang)
    style_key = "choropleth" if (level == "grid_small" and data.choropleth is not None) else level
    spec["style"] = STYLES[style_key]
    if level == "grid_medium" and data.choropleth is not None:
        spec["style"] = {**spec["style"], "fillOpacity": 0.0}  # the choropleth is the fill
    return spec


def _rgba(colour: str, alpha: float) -> str:
    """``#rrggbb`` at `alpha` as a CSS rgba() colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha:g})"


def _tints_css(colours: tuple[str, ...], alpha: float) -> str:
    """Return a swatch background of equal stripes of `colours`, as the medium grids cycle them."""
    step = 100 / len(colours)
    stops = ", ".join(
        f"{_rgba(c, alpha)} {k * step:.1f}% {(k + 1) * step:.1f}%" for k, c in enumerate(colours)
    )
    return f"background:linear-gradient(90deg, {stops})"


def _legend(data: MapData, lang: str, indicator_name: str | None) -> dict[str, Any]:
    large, medium, small = (STYLES[k] for k in ("grid_large", "grid_medium", "grid_small"))
    medium_fill = (
        _tints_css(MEDIUM_PALETTE, medium["fillOpacity"])
        if data.choropleth is None
        else "background:none"
    )
    rows = [
        {
            "label": layer_label("grid_large", lang),
            "css": f"background:none;border:3px solid {large['color']}",
        },
        {
            "label": layer_label("grid_medium", lang),
            "css": f"{medium_fill};border-color:{medium['color']}",
        },
        {
            "label": layer_label("grid_small", lang),
            "css": f"background:none;border:1px dashed {small['color']}",
        },
        {"label": t("map.legend.gap", lang), "cls": "gm-sw-hatch"},
        {
            "label": t("map.legend.missed", lang),
            "cls": "gm-dot",
            "css": f"background:{STYLES['missed.error']['fillColor']}",
        },
    ]
    if data.choropleth is not None:
        rows.append({"label": indicator_name or "", "css": "display:none"})
        for entry in data.choropleth:
            low, high = entry["low"], entry["high"]
            text = f"{high:g}" if low == high else f"{low:g} – {high:g}"
            rows.append({"label": text, "css": f"background:{entry['colour']}"})
        rows.append({"label": t("map.no_data", lang), "css": f"background:{NO_DATA_COLOUR}"})
    return {"title": t("map.legend.title", lang), "rows": rows}


def _tile_layers(m: folium.Map, provider: TileProvider, key: str | None, lang: str) -> None:
    for k, spec in enumerate(provider.layers(key=key)):
        folium.TileLayer(
            tiles=spec.url,
            attr=spec.attribution,
            name=t(provider.label_key, lang) + ("" if k == 0 else " +"),
            subdomains=spec.subdomains or "abc",
            max_zoom=spec.max_zoom,
            overlay=spec.overlay,
            control=False,
        ).add_to(m)


def _add_points_layers(m: folium.Map, data: MapData, lang: str) -> None:
    for category in UNIT_CATEGORIES:
        spec = data.layers.get(f"units.{category}")
        if spec is None:
            continue
        colour = UNIT_COLOURS[category]
        spec = _labelled(spec, lang)
        aggregated = spec.get("aggregated", False)
        spec["style"] = {
            "radius": 5,
            "color": "#ffffff",
            "weight": 1,
            "fillColor": colour,
            "fillOpacity": 0.6 if aggregated else 0.95,
            "rMin": 2,
            "rMax": 9,
        }
        name = _swatch(colour, dot=True) + html_text(
            f"{layer_label('units', lang)} · "
            f"{choice_label(category, lang)} ({data.counts.get(f'units.{category}', 0)})"
        )
        GMLayer(
            spec,
            name,
            show=category == "key" and not aggregated,
            js=("markercluster.js",) if spec.get("cluster") else (),
            css=("markercluster.css", "markercluster.default.css") if spec.get("cluster") else (),
        ).add_to(m)
    spec = data.layers.get("equipment_points")
    if spec is not None:
        spec = _labelled(spec, lang)
        spec["lookup"] = {"status": {s: choice_label(s, lang) for s in EQUIPMENT_STATUSES}}
        spec["style"] = STYLES["equipment"]
        name = _swatch("#1e8449", dot=True) + html_text(
            f"{t('map.layers.equipment', lang)} ({data.counts.get('equipment_points', 0)})"
        )
        GMLayer(spec, name).add_to(m)


def build_map(
    data: MapData,
    *,
    lang: str = DEFAULT_LANG,
    tiles: TileProvider | None = None,
    tile_key: str | None = None,
    asset_base: str | None = STATIC_URL,
    checks: dict[str, tuple[str, str, str]] | None = None,
    indicator_name: str | None = None,
) -> folium.Map:
    """Build the folium map of prepared `data` in `lang` over a basemap.

    `asset_base` is the URL path where the vendored assets are served; None
    uses the pinned public CDN copies (only when the assets are not installed).
    `checks` is the coverage analysis' ``CHECKS`` table, for finding labels.
    """
    provider = tiles or PROVIDERS["none"]
    (south, west), (north, east) = data.bounds
    m = folium.Map(
        location=[(south + north) / 2, (west + east) / 2],
        zoom_start=data.zoom,
        tiles=None,
        control_scale=False,
        max_zoom=19,
        maxZoom=19,
    )
    _tile_layers(m, provider, tile_key, lang)
    MetricScale().add_to(m)
    Runtime().add_to(m)
    checks = checks or {}
    for level in ("grid_medium", "grid_small", "grid_large"):
        if level in data.layers:
            name = layer_label(level, lang)
            if level == "grid_small" and data.choropleth is not None:
                name = t("map.layers.choropleth", lang, name=indicator_name or "")
            GMLayer(_grid_spec(data, level, lang), html_text(name)).add_to(m)
    if "buildings" in data.layers:
        spec = {
            **data.layers["buildings"],
            "parts": [_labelled(part, lang) for part in data.layers["buildings"]["parts"]],
        }
        aggregated = spec.get("aggregated", False)
        for part in spec["parts"]:
            part["style"] = STYLES[
                "buildings_agg"
                if aggregated
                else ("buildings" if part["kind"] == "polygons" else "building_points")
            ]
        key = "map.layers.buildings_agg" if aggregated else "map.layers.buildings"
        GMLayer(spec, html_text(f"{t(key, lang)} ({data.counts.get('buildings', 0)})")).add_to(m)
    if "households" in data.layers:
        GMLayer(
            data.layers["households"],
            html_text(f"{t('map.layers.households', lang)} ({data.counts.get('households', 0)})"),
            show=False,
            js=("heat.js",),
        ).add_to(m)
    _add_points_layers(m, data, lang)
    for severity, key in (("error", "map.layers.findings"), ("warning", "map.layers.warnings")):
        findings = data.layers.get(f"findings.{severity}")
        if findings is not None:
            colour = "#d62728" if severity == "error" else "#e67e22"
            count = data.counts.get(f"findings.{severity}", 0)
            name = _swatch(colour) + html_text(f"{t(key, lang)} ({count})")
            GMLayer(_findings_spec(findings, lang, checks), name, show=severity == "error").add_to(
                m
            )
    if "selection" in data.layers:
        spec = {**data.layers["selection"], "style": STYLES["selection"]}
        GMLayer(spec, html_text(t("map.layers.selection", lang)), control=False).add_to(m)
    if "labels" in data.layers:
        LabelLayer(data.layers["labels"], html_text(t("map.layers.labels", lang))).add_to(m)
    MapCall("legend", _legend(data, lang, indicator_name)).add_to(m)
    folium.LayerControl(position="topright", collapsed=True).add_to(m)
    MapCall("fit", {"bounds": data.bounds}).add_to(m)
    localize(m, asset_base)
    return m


def map_html(m: folium.Map) -> str:
    """Return the map as one standalone HTML page (what the benchmark weighs)."""
    return m.get_root().render()


__all__ = ["CHORO_PALETTE", "STYLES", "build_map", "map_html"]
