"""The coverage audit: 横向到边、纵向到底; 镇不漏村、村不漏楼、楼不漏户; 逐级分包.

`check_coverage` runs every check of `CHECKS` over a `District` and returns a
`CoverageReport`; `ledger_sheets` and `json_document` turn the report into the
ledger (台帐) tables and the JSON document; `Selection` and the scope functions
give what a leader looks at in one grid. Modules:

- `check`: `check_coverage`, the option checks, ordering and summary;
- `findings`: the checks' catalogue (`CHECKS`, `FINDING_COLUMNS`) and the grid checks;
- `occupancy`: buildings, units and households missed by the grids;
- `membership`: which grid holds each building, unit and household;
- `topology`: vectorised overlaps, gaps, nesting and repairs;
- `result`: `CoverageReport` and its JSON document;
- `report`: the ledger tables;
- `scope`: selections in the grid hierarchy, KPIs, profiles and indicators.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> sorted(CHECKS)[:3], DEFAULT_MIN_AREA
(['bad_parent', 'building_missed', 'building_no_households'], 1.0)
"""

from gridmap.analysis.coverage.check import check_coverage, require_min_area
from gridmap.analysis.coverage.findings import CHECKS, DEFAULT_MIN_AREA, FINDING_COLUMNS, CheckInfo
from gridmap.analysis.coverage.report import MAX_SHEET_ROWS, LedgerSheet, ledger_sheets
from gridmap.analysis.coverage.result import CoverageReport, json_document
from gridmap.analysis.coverage.scope import (
    INDICATORS,
    Selection,
    coverage_kpis,
    equipment_membership,
    findings_in_scope,
    grid_at,
    grid_profile,
    scope_ids,
    select_at,
    selection_for,
    small_grid_indicator,
)

__all__ = [
    "CHECKS",
    "DEFAULT_MIN_AREA",
    "FINDING_COLUMNS",
    "INDICATORS",
    "MAX_SHEET_ROWS",
    "CheckInfo",
    "CoverageReport",
    "LedgerSheet",
    "Selection",
    "check_coverage",
    "coverage_kpis",
    "equipment_membership",
    "findings_in_scope",
    "grid_at",
    "grid_profile",
    "json_document",
    "ledger_sheets",
    "require_min_area",
    "scope_ids",
    "select_at",
    "selection_for",
    "small_grid_indicator",
]
