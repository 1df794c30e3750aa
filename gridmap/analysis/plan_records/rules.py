"""The plan's recurring work items, measured per grid: publicity days, trainings, drills, meetings.

One import for the assessment and the app, split by task into modules:

`gridmap.analysis.assessment.periods`
    Assessment periods: half years and years in Asia/Shanghai
    (`AssessmentPeriod`, `parse_period`, `period_of`, `period_choices`,
    `default_period`, `record_span`, `whole_periods`).
`gridmap.analysis.plan_records.grids`
    The grid tree the records belong to (`grid_tree`, `record_grids`) and the
    records naming unknown grids or plans (`reference_problems`).
`gridmap.analysis.plan_records.items`
    The counts: publicity days and trainings (`recurring_records`), drills
    (`drill_year`, `drill_status`) and joint meetings (`meeting_intervals`).

Periods. An assessment period is a half year (``2025H2``: 1 July to 31
December 2025) or a calendar year (``2026``), in Asia/Shanghai: a record at
``2025-12-31T16:30Z`` is dated 1 January 2026 in Shanghai and belongs to
2026H1. The window assessed is the period, cut at ``as_of`` when the period
is still running. Whole calendar periods inside the window are counted as in
`gridmap.analysis.inspections.compliance` (a month cut by the window's edge requires
nothing and its records do not count).

Records name their grid by ``grid_id`` (trainings, plans: a zone, community or
town code) or ``large_id`` (meetings); a zone's record counts for its
community. Records naming no known grid, and drills of unknown plans, are
listed by `reference_problems` and counted nowhere.

The readings of the rules are in `gridmap.standards.assessment`.
"""

from __future__ import annotations

from gridmap.analysis.assessment.periods import (
    AssessmentPeriod,
    default_period,
    parse_period,
    period_choices,
    period_of,
    record_span,
    whole_periods,
)
from gridmap.analysis.plan_records.grids import grid_tree, record_grids, reference_problems
from gridmap.analysis.plan_records.items import (
    drill_status,
    drill_year,
    meeting_intervals,
    recurring_records,
)

__all__ = [
    "AssessmentPeriod",
    "default_period",
    "drill_status",
    "drill_year",
    "grid_tree",
    "meeting_intervals",
    "parse_period",
    "period_choices",
    "period_of",
    "record_grids",
    "record_span",
    "recurring_records",
    "reference_problems",
    "whole_periods",
]
