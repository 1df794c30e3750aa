"""Importing real-world data, the pure part: from source tables to one layer typed to the schema.

`gridmap.io` reads the files (Shapefile, GeoJSON, KML/KMZ, CSV/Excel,
GeoPackage, GeoParquet) into `SourceTable` objects; `prepare_import` maps their
columns to schema fields, makes points from ledger coordinates, converts the
coordinate system, repairs geometries, finds each grid's parent and validates
the result, with an `ImportReport` that accounts for every feature (read =
kept + dropped). `plan_import` then says what the import changes in the
district's layer (the `Edit` to save, by mode: upsert, replace, append).
Nothing here touches disk or changes its inputs.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> parse_mapping(["名称=name", "编码=grid_id"])
{'名称': 'name', '编码': 'grid_id'}

Modules
-------
`prepare`
    `prepare_import`: the steps in order, and the report.
`mapping`
    Column mappings: suggested from the schema's aliases, checked, applied.
`geometry`
    Points from ledger columns, coordinate systems (GCJ-02, BD-09, CGCS2000),
    geometry repairs and exact duplicates.
`parents`
    A grid's ``parent_id`` from a parent name, a code prefix or its location.
`plan`
    What the prepared layer changes in the district (`plan_import`,
    `zone_changes`).
`report`
    The plain data an import is given and returns: `SourceTable`,
    `ImportOptions`, `ImportReport`.
"""

from __future__ import annotations

from gridmap.analysis.importing.mapping import (
    apply_mapping,
    check_mapping,
    mapping_targets,
    parse_mapping,
    suggest_mapping,
)
from gridmap.analysis.importing.parents import match_parents, normalise_name
from gridmap.analysis.importing.plan import IMPORT_MODES, ImportPlan, plan_import, zone_changes
from gridmap.analysis.importing.prepare import prepare_import
from gridmap.analysis.importing.report import ImportOptions, ImportReport
from gridmap.schema import SourceTable

__all__ = [
    "IMPORT_MODES",
    "ImportOptions",
    "ImportPlan",
    "ImportReport",
    "SourceTable",
    "apply_mapping",
    "check_mapping",
    "mapping_targets",
    "match_parents",
    "normalise_name",
    "parse_mapping",
    "plan_import",
    "prepare_import",
    "suggest_mapping",
    "zone_changes",
]
