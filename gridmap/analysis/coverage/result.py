"""What `check_coverage` returns: the `CoverageReport` and its JSON document.

The report holds the findings (a GeoDataFrame in the district's working CRS),
the summary of counts and the membership tables; `json_document` turns it into
the plain data that ``gridmap check --json`` writes. The ledger (台帐) tables
are `gridmap.analysis.coverage.report`'s.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import CRS

from gridmap.analysis.coverage.findings import CHECKS, FINDING_COLUMNS
from gridmap.geo.crs import WEB_CRS

#: The finding columns written as JSON values (the geometry is written as GeoJSON).
_VALUE_COLUMNS = tuple(c for c in FINDING_COLUMNS if c != "geometry")


@dataclass(frozen=True)
class CoverageReport:
    """What `check_coverage` found.

    Attributes
    ----------
    findings
        GeoDataFrame in the district's working CRS with the columns check,
        severity, layer, ids (list of str), area_m2 (NaN where not an area
        check), large_id, medium_id, message and geometry (None where the
        finding has no place), ordered by check, layer and ids.
    summary
        Counts per check (every check present), ``errors``, ``warnings``,
        ``ok`` (no error findings) and ``per_large`` (findings per large grid).
    membership, unit_membership, household_membership
        One row per building / unit / household with the small, medium and
        large grid holding it (None where missed or where the hierarchy is broken).
    grids
        Every grid row: level, grid_id, parent_id, name, leader (for labels).
    message_zh
        The findings' messages in Chinese, on the findings' index.
    """

    findings: gpd.GeoDataFrame
    summary: dict[str, Any]
    membership: pd.DataFrame
    unit_membership: pd.DataFrame
    household_membership: pd.DataFrame
    grids: pd.DataFrame
    message_zh: pd.Series
    min_area: float
    crs: CRS = field(repr=False)

    @property
    def ok(self) -> bool:
        """True when there are no error findings (warnings allowed)."""
        return bool(self.summary["ok"])

    def of(self, check: str) -> gpd.GeoDataFrame:
        """Return the findings of one check."""
        if check not in CHECKS:
            raise KeyError(f"unknown check {check!r}; checks are: {', '.join(CHECKS)}")
        return self.findings[self.findings["check"] == check]

    def to_json_dict(self) -> dict[str, Any]:
        """Return the report as the issue's JSON document (geometry as GeoJSON in EPSG:4326)."""
        return json_document(self)


def _none(value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def json_document(report: CoverageReport) -> dict[str, Any]:
    """``{"summary": {...}, "findings": [...]}`` with geometry as GeoJSON in EPSG:4326.

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage, json_document
    >>> document = json_document(check_coverage(district))
    >>> sorted(document), len(document["findings"])
    (['findings', 'summary'], 13)
    """
    findings = report.findings
    geoms = findings.geometry.to_crs(WEB_CRS).values if len(findings) else []
    arr = np.asarray(geoms, dtype=object)
    has = ~shapely.is_missing(arr) & ~shapely.is_empty(arr) if len(arr) else np.array([], bool)
    text = np.full(len(arr), None, dtype=object)
    if has.any():
        text[has] = shapely.to_geojson(arr[has])
    rows = []
    columns = [findings[c].tolist() for c in _VALUE_COLUMNS]
    for values, geo in zip(zip(*columns, strict=True), text, strict=True):
        row: dict[str, Any] = dict(zip(_VALUE_COLUMNS, (_none(v) for v in values), strict=True))
        row["ids"] = list(row["ids"])
        if row["area_m2"] is not None:
            row["area_m2"] = round(float(row["area_m2"]), 3)
        row["geometry"] = json.loads(geo) if geo is not None else None
        rows.append(row)
    return {"summary": dict(report.summary), "findings": rows}
