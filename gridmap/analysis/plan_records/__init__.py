"""Plan records: the plan's recurring work items per grid, and recording them.

The plan (消防安全网格精细化管理方案) asks every grid for publicity days,
trainings, drills of its emergency plans and joint meetings of its town. This
package counts those records over an assessment window (Asia/Shanghai days)
for the assessment (`gridmap.analysis.assessment`) and the app, and turns what
a user enters into an `Edit` appending one record.

Records name their grid by ``grid_id`` (trainings, plans: a zone, community or
town code) or ``large_id`` (meetings); a zone's record counts for its
community. Records naming no known grid, and drills of unknown plans, are
listed by `reference_problems` and counted nowhere. Whole calendar periods
inside the window are counted as in `gridmap.analysis.inspections` (a month
cut by the window's edge requires nothing and its records do not count). The
readings of the rules are in `gridmap.standards.assessment`; the assessment
periods (``2025H2``, ``2026``) are in `gridmap.analysis.assessment`.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> import datetime as dt
>>> drill_year(dt.date(2026, 6, 30))[0].isoformat()
'2025-07-01'

Modules
-------
`grids`
    The grid tree the records belong to (`grid_tree`, `record_grids`), the
    records naming unknown grids or plans (`reference_problems`), and the
    helpers the measures share (`record_layer`, `layer_days`, `NAT`).
`items`
    The counts: publicity days and trainings (`recurring_records`), drills
    (`drill_year`, `drill_status`) and joint meetings (`meeting_intervals`).
`recording`
    Checked input to an `Edit`: `training_edit`, `drill_edit`, `meeting_edit`.
"""

from __future__ import annotations

from gridmap.analysis.plan_records.grids import (
    NAT,
    grid_tree,
    layer_days,
    record_grids,
    record_layer,
    reference_problems,
)
from gridmap.analysis.plan_records.items import (
    drill_status,
    drill_year,
    meeting_intervals,
    recurring_records,
)
from gridmap.analysis.plan_records.recording import drill_edit, meeting_edit, training_edit

__all__ = [
    "NAT",
    "drill_edit",
    "drill_status",
    "drill_year",
    "grid_tree",
    "layer_days",
    "meeting_edit",
    "meeting_intervals",
    "record_grids",
    "record_layer",
    "recurring_records",
    "reference_problems",
    "training_edit",
]
