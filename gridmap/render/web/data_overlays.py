"""Point and finding layers of a web map: buildings, households, units, equipment, findings.

Each function adds one layer family to a `MapData`, cut to the view's box
and aggregated past `MapLimits`; see `gridmap.render.web.data`.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely import Polygon

from gridmap.layers import INVENTORY_FIELDS
from gridmap.render.web import encode
from gridmap.render.web.data_base import (
    AREA_CHECKS,
    POINT_FINDING_LAYERS,
    LayerBuilder,
    MapData,
    text_values,
    window,
)
from gridmap.schema import UNIT_CATEGORIES


def buildings(b: LayerBuilder, box: Polygon | None, data: MapData) -> None:
    """Add the buildings layer in `box` to `data` (footprints, or points when many)."""
    frame = b.district.get("buildings")
    if frame is None or frame.empty:
        return
    frame = window(frame[frame.geometry.notna()], box)
    data.counts["buildings"] = len(frame)
    polygonal = frame.geom_type.isin(("Polygon", "MultiPolygon"))
    if len(frame) <= b.limits.building_polygons:
        parts = []
        if polygonal.any():
            spec = b.polygons(frame[polygonal], tolerance=b.tolerance / 2)
            spec["p"] = {
                "id": text_values(frame.loc[polygonal, "building_id"]),
                "use": text_values(frame.loc[polygonal, "use"]),
            }
            spec.update(layer="buildings", title="id", fields=["use"], choice=["use"])
            parts.append(spec)
        if (~polygonal).any():
            pts = frame[~polygonal]
            spec = b.points(pts.geometry.x.to_numpy(), pts.geometry.y.to_numpy(), aggregate=False)
            spec["p"] = {"id": text_values(pts["building_id"])}
            spec.update(layer="buildings", title="id")
            parts.append(spec)
        data.layers["buildings"] = {"kind": "group", "parts": parts, "aggregated": False}
        return
    points = frame.geometry.representative_point()
    spec = b.points(points.x.to_numpy(), points.y.to_numpy(), aggregate=True)
    data.layers["buildings"] = {"kind": "group", "parts": [spec], "aggregated": True}


def households(b: LayerBuilder, box: Polygon | None, data: MapData) -> None:
    """Add the households in `box` to `data`, placed at their buildings."""
    homes = b.district.get("households")
    buildings = b.district.get("buildings")
    if homes is None or homes.empty:
        return
    x = np.full(len(homes), np.nan)
    y = np.full(len(homes), np.nan)
    if isinstance(homes, gpd.GeoDataFrame):
        x, y = shapely.get_x(homes.geometry.values), shapely.get_y(homes.geometry.values)
    if buildings is not None and len(buildings) and np.isnan(x).any():
        anchor = shapely.point_on_surface(buildings.geometry.to_numpy())
        where = pd.DataFrame(
            {"x": shapely.get_x(anchor), "y": shapely.get_y(anchor)},
            index=buildings["building_id"].to_numpy(),
        )
        where = where[~where.index.duplicated()]
        missing = np.isnan(x)
        ref = where.reindex(homes["building_id"].to_numpy()[missing])
        x[missing], y[missing] = ref["x"].to_numpy(), ref["y"].to_numpy()
    ok = ~np.isnan(x)
    x, y = x[ok], y[ok]
    if box is not None:
        minx, miny, maxx, maxy = box.bounds
        inside = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        x, y = x[inside], y[inside]
    data.counts["households"] = len(x)
    if len(x) == 0:
        return
    cells = encode.bin_points(x, y, max_cells=b.limits.heat_cells, min_cell_m=10.0)
    top = float(np.quantile(cells["n"], 0.95)) or 1.0
    weights = np.minimum(cells["n"] / top, 1.0)
    xy = b.web.latlng_list(cells["x"], cells["y"], digits=5)
    data.layers["households"] = {
        "kind": "heat",
        "xy": [[a, c, round(float(w), 3)] for (a, c), w in zip(xy, weights, strict=True)],
        "options": {"radius": 14, "blur": 16, "minOpacity": 0.25, "max": 1.0},
    }


def units(b: LayerBuilder, box: Polygon | None, data: MapData) -> None:
    """Add the units in `box` to `data`, one layer per category."""
    units = b.district.get("units")
    if units is None or units.empty:
        return
    units = window(units[units.geometry.notna()], box)
    for category in UNIT_CATEGORIES:
        rows = units[units["category"] == category]
        data.counts[f"units.{category}"] = len(rows)
        if rows.empty:
            continue
        many = len(rows) > b.limits.point_markers
        spec = b.points(rows.geometry.x.to_numpy(), rows.geometry.y.to_numpy(), aggregate=many)
        if not many:
            spec["p"] = {"id": text_values(rows["unit_id"]), "name": text_values(rows["name"])}
            spec.update(title="name", sub="id", cluster=True)
        spec.update(layer="units", category=category, aggregated=many)
        data.layers[f"units.{category}"] = spec


def equipment(b: LayerBuilder, box: Polygon | None, data: MapData) -> None:
    """Add the equipment points in `box` to `data`, with their inventory."""
    points = b.district.get("equipment_points")
    if points is None or points.empty:
        return
    points = window(points[points.geometry.notna()], box)
    data.counts["equipment_points"] = len(points)
    spec = b.points(points.geometry.x.to_numpy(), points.geometry.y.to_numpy(), aggregate=False)
    table = [f for f in INVENTORY_FIELDS if f in points.columns]
    spec["p"] = {
        "id": text_values(points["point_id"]),
        "name": text_values(points["name"]),
        "status": text_values(points["status"]) if "status" in points else [None] * len(points),
    }
    for name in table:
        spec["p"][name] = [None if pd.isna(v) else int(v) for v in points[name]]
    spec.update(
        layer="equipment_points",
        title="name",
        sub="id",
        fields=["status"],
        choice=["status"],
        popup=True,
        table=table,
    )
    data.layers["equipment_points"] = spec


def findings_layers(
    b: LayerBuilder, findings: gpd.GeoDataFrame | None, box: Polygon | None, data: MapData
) -> None:
    """Add the coverage findings in `box` to `data`: areas, points and markers."""
    if findings is None or findings.empty:
        return
    placed = findings[findings.geometry.notna() & ~findings.geometry.is_empty]
    placed = window(placed, box)
    on_points = placed["layer"].isin(POINT_FINDING_LAYERS)
    areas_ok = placed["check"].isin(AREA_CHECKS) & placed.geom_type.isin(
        ("Polygon", "MultiPolygon")
    )
    placed = placed[on_points | areas_ok]
    on_points = on_points.loc[placed.index]
    for severity in ("error", "warning"):
        rows = placed[placed["severity"] == severity]
        parts = []
        areas = rows[~on_points.loc[rows.index]]
        if len(areas):
            spec = b.polygons(areas, tolerance=b.tolerance / 2)
            spec["renderer"] = "svg"  # the hatch pattern is an SVG fill
            spec["p"] = {
                "check": list(areas["check"]),
                "ids": [", ".join(map(str, v)) for v in areas["ids"]],
            }
            spec.update(title="check", sub="ids", hatch=severity)
            parts.append(spec)
        spots = rows[on_points.loc[rows.index]]
        if len(spots):
            where = spots.geometry.representative_point()
            many = len(spots) > b.limits.point_markers
            spec = b.points(where.x.to_numpy(), where.y.to_numpy(), aggregate=many)
            if not many:
                spec["p"] = {
                    "check": list(spots["check"]),
                    "ids": [", ".join(map(str, v)) for v in spots["ids"]],
                }
                spec.update(title="check", sub="ids")
            spec.update(severity=severity, aggregated=many)
            parts.append(spec)
        data.counts[f"findings.{severity}"] = len(rows)
        if parts:
            data.layers[f"findings.{severity}"] = {"kind": "group", "parts": parts}
