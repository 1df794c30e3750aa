"""Assessment (考核): score every town and community against the plan's scorecard over a period.

`assess` measures each indicator of the scorecard (`gridmap.standards.assessment`:
coverage, leaders, inspections, hazards, publicity, trainings, drills,
meetings, supervision, equipment, serious fires) for every large and medium
grid over an assessment period (a half year ``2025H2`` or a year ``2026``, in
Asia/Shanghai), scores and ranks the grids, and lists the records it could not
place. The tables turn an `Assessment` into what people read (Chinese or
English headers) and into a JSON document.

The examples in this package's docstrings run on the bundled sample district,
``district = gridmap.io.read_district("data/boundaries/shangjie_demo.gpkg")``
(tests/test_docstring_examples.py runs them).

>>> parse_period("2025H2").window(as_of="2025-09-30")[1].isoformat()
'2025-09-30'

Modules
-------
`scorecard`
    `assess` and its result, `Assessment` (scores, ranks, every measured value).
`measures`
    One function per indicator, and `measure`, which runs the table.
`periods`
    Assessment periods (`AssessmentPeriod`, `parse_period`, `period_of`) and
    the choices the app offers from the district's records (`period_choices`,
    `default_period`, `record_span`).
`tables`
    The ranked scorecard, the detail per indicator, the plan's tables for the
    ledger workbook and the JSON document.
"""

from __future__ import annotations

from gridmap.analysis.assessment.measures import RESULT_COLUMNS, measure
from gridmap.analysis.assessment.periods import (
    AssessmentPeriod,
    default_period,
    parse_period,
    period_choices,
    period_of,
    record_span,
)
from gridmap.analysis.assessment.scorecard import SCORE_COLUMNS, Assessment, assess
from gridmap.analysis.assessment.tables import (
    DETAIL_HEADERS,
    LEVEL_LABELS,
    RESULT_LABELS,
    SCORECARD_HEADERS,
    assessment_document,
    indicator_table,
    meeting_table,
    plan_table,
    scorecard_rules,
    scorecard_table,
    target_text,
    workbook_tables,
)

__all__ = [
    "DETAIL_HEADERS",
    "LEVEL_LABELS",
    "RESULT_COLUMNS",
    "RESULT_LABELS",
    "SCORECARD_HEADERS",
    "SCORE_COLUMNS",
    "Assessment",
    "AssessmentPeriod",
    "assess",
    "assessment_document",
    "default_period",
    "indicator_table",
    "measure",
    "meeting_table",
    "parse_period",
    "period_choices",
    "period_of",
    "plan_table",
    "record_span",
    "scorecard_rules",
    "scorecard_table",
    "target_text",
    "workbook_tables",
]
