"""The views of the Inspections page, one module each, and the order they are offered in.

``heat``, ``missing``, ``tallies`` (`gridmap_app.inspections.views`),
``compliance`` (`gridmap_app.inspections.compliance`), ``hazards`` with the status
form (`gridmap_app.inspections.hazards`) and ``record`` (`gridmap_app.inspections.records`);
the filters and map helpers they share are in `gridmap_app.inspections.widgets`.
"""

from __future__ import annotations

from gridmap_app.inspections.compliance import compliance_view
from gridmap_app.inspections.hazards import hazards_view
from gridmap_app.inspections.records import RECORD_MAP, record_view
from gridmap_app.inspections.views import heat_view, missing_view, tallies_view
from gridmap_app.inspections.widgets import data_range, filters

VIEWS = ("heat", "missing", "tallies", "compliance", "hazards", "record")
#: The views that take the period, role, result and grid filters.
FILTERED = {
    "heat": heat_view,
    "missing": missing_view,
    "tallies": tallies_view,
    "compliance": compliance_view,
}

__all__ = [
    "FILTERED",
    "RECORD_MAP",
    "VIEWS",
    "compliance_view",
    "data_range",
    "filters",
    "hazards_view",
    "heat_view",
    "missing_view",
    "record_view",
    "tallies_view",
]
