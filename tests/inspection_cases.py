"""Hand-built inspection and hazard timelines over the tiny district of conftest.

`district_with(inspections=..., hazards=...)` returns the tiny district with
those rows as its inspections / hazards layers, typed by the loader's own
validation (naive times are Asia/Shanghai, aware ones are converted).

Places (see conftest): S1 = x 0-100, y 0-50 and S2 = x 0-100, y 50-100 (M1, L1);
S3 = x 100-200 (M2, L1), holding unit U1 at (130, 20); S4 = x 200-400 (M3, L2),
holding unit U2 at (260, 30).
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from conftest import CRS, make_tiny_layers, pt
from pyproj import CRS as ProjCRS

from gridmap.district import District
from gridmap.layers import validate_layer
from gridmap.schema import LAYERS

#: A point inside each small grid.
IN = {"S1": (50, 25), "S2": (50, 75), "S3": (150, 50), "S4": (300, 50)}


def inspection(
    at: str,
    role: str,
    where: str,
    target: str | None = None,
    result: str = "ok",
    inspector: str = "张三",
) -> dict:
    return {
        "inspected_at": at,
        "inspector_role": role,
        "target_id": target,
        "result": result,
        "inspector": inspector,
        "geometry": pt(*IN[where]),
    }


def hazard(
    found: str,
    *,
    deadline: str | None,
    status: str = "open",
    severity: str = "general",
    rectified: str | None = None,
    unit: str | None = "U1",
    where: str = "S3",
    hazard_id: str | None = None,
) -> dict:
    return {
        "hazard_id": hazard_id,
        "found_at": found,
        "severity": severity,
        "status": status,
        "deadline": deadline,
        "rectified_at": rectified,
        "unit_id": unit,
        "description": "疏散通道堆放杂物",
        "geometry": pt(*IN[where]),
    }


def _layer(name: str, rows: list[dict], prefix: str) -> gpd.GeoDataFrame:
    spec = LAYERS[name]
    columns = [f.name for f in spec.fields]
    frame = gpd.GeoDataFrame(
        pd.DataFrame(rows, columns=[*columns, "geometry"]), geometry="geometry", crs=CRS
    )
    ids = frame[spec.id_field]
    frame[spec.id_field] = [f"{prefix}{n + 1}" if pd.isna(i) else i for n, i in enumerate(ids)]
    for field in spec.fields:
        if field.kind == "datetime":
            frame[field.name] = frame[field.name].astype(object)
    typed, problems = validate_layer(frame, spec)
    errors = [p for p in problems if p.severity == "error"]
    assert not errors, errors
    return typed


_TYPED: dict[str, pd.DataFrame] = {}


def district_with(
    inspections: list[dict] | None = None, hazards: list[dict] | None = None
) -> District:
    if not _TYPED:
        _TYPED.update(
            {
                name: validate_layer(frame, LAYERS[name])[0]
                for name, frame in make_tiny_layers().items()
            }
        )
    typed = {name: frame.copy() for name, frame in _TYPED.items()}
    typed["inspections"] = _layer("inspections", inspections or [], "I")
    typed["hazards"] = _layer("hazards", hazards or [], "HZ")
    return District(layers=typed, crs=ProjCRS.from_user_input(CRS))
