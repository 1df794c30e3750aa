"""Inspections and hazards: where each record belongs, schedule compliance, hazard states, maps.

Records are placed in the grids by their target or their point
(`assign_records`, `assign_inspections`); `compliance` measures the schedule
of the plan's inspection table (定期检查制度); `hazard_states` follows each
fire hazard (火灾隐患) from found to rectified; the aggregation functions feed
the inspection maps; the recording functions turn a form into an `Edit`.
Modules:

- `placement`: ids as text, lookups and the placing of records in the grids;
- `compliance`: time in Asia/Shanghai, periods, compliance and its summaries;
- `hazards`: hazard states, escalations and the hazard ledger;
- `aggregation`: hexagon counts, heat, weekly heat, missing inspections, tallies;
- `recording`: a new inspection, a new hazard and a hazard's status as an `Edit`.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> STATUSES
('on_schedule', 'late', 'never')
"""

from gridmap.analysis.inspections.aggregation import (
    MissingInspections,
    WeeklyHeat,
    heat_points,
    hex_cells,
    hex_centres,
    hex_counts,
    hex_polygons,
    missing_inspections,
    tallies,
    weekly_heat,
)
from gridmap.analysis.inspections.compliance import (
    COMPLIANCE_COLUMNS,
    STATUSES,
    as_date,
    assign_inspections,
    check_table,
    compliance,
    compliance_records,
    compliance_summary,
    day_number,
    day_numbers,
    grid_ids,
    local_times,
    period_numbers,
    select_inspections,
    whole_periods,
    worst_status,
)
from gridmap.analysis.inspections.hazards import (
    ESCALATION_LABELS,
    HAZARD_STATES,
    LEDGER_COLUMNS,
    SEVERITY_LABELS,
    STATE_LABELS,
    escalations_due,
    hazard_ledger,
    hazard_states,
    state_counts,
)
from gridmap.analysis.inspections.placement import (
    ASSIGNMENT_COLUMNS,
    assign_records,
    event_layer,
    locate_points,
    lookup,
    place_parts,
    place_table,
    text_ids,
)
from gridmap.analysis.inspections.recording import (
    STATUS_UPDATES,
    hazard_edit,
    hazard_status_edit,
    inspection_edit,
)

__all__ = [
    "ASSIGNMENT_COLUMNS",
    "COMPLIANCE_COLUMNS",
    "ESCALATION_LABELS",
    "HAZARD_STATES",
    "LEDGER_COLUMNS",
    "SEVERITY_LABELS",
    "STATE_LABELS",
    "STATUSES",
    "STATUS_UPDATES",
    "MissingInspections",
    "WeeklyHeat",
    "as_date",
    "assign_inspections",
    "assign_records",
    "check_table",
    "compliance",
    "compliance_records",
    "compliance_summary",
    "day_number",
    "day_numbers",
    "escalations_due",
    "event_layer",
    "grid_ids",
    "hazard_edit",
    "hazard_ledger",
    "hazard_states",
    "hazard_status_edit",
    "heat_points",
    "hex_cells",
    "hex_centres",
    "hex_counts",
    "hex_polygons",
    "inspection_edit",
    "local_times",
    "locate_points",
    "lookup",
    "missing_inspections",
    "period_numbers",
    "place_parts",
    "place_table",
    "select_inspections",
    "state_counts",
    "tallies",
    "text_ids",
    "weekly_heat",
    "whole_periods",
    "worst_status",
]
