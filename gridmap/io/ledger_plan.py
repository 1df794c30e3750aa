"""The assessment workbook (考核台帐, .xlsx) and its JSON document, written atomically.

The tables come from `gridmap.analysis.assessment.tables`; the layout (title
line, bold headers repeated on every printed page, fitted widths, landscape
A4) is that of the inspection ledgers (`gridmap.io.ledger_inspections`).
"""

from __future__ import annotations

import os

from gridmap.analysis.assessment.scorecard import Assessment
from gridmap.analysis.assessment.tables import assessment_document, workbook_tables
from gridmap.io.ledger import write_json
from gridmap.io.ledger_inspections import Sheet, workbook_bytes, write_workbook


def assessment_sheets(assessment: Assessment) -> list[Sheet]:
    """The sheets of the workbook: ranking, detail, indicators, drills, meetings."""
    return [Sheet(name, title, table) for name, title, table in workbook_tables(assessment)]


def write_assessment_xlsx(path: str | os.PathLike[str], assessment: Assessment) -> None:
    """Write the assessment workbook; `SaveError` (an existing file unchanged) on failure."""
    write_workbook(path, assessment_sheets(assessment))


def assessment_workbook_bytes(assessment: Assessment) -> bytes:
    """The same workbook in memory, for a download button."""
    return workbook_bytes(assessment_sheets(assessment))


def write_assessment_json(path: str | os.PathLike[str], assessment: Assessment) -> None:
    """Write `assessment_document` as UTF-8 JSON; `SaveError` on failure."""
    write_json(path, assessment_document(assessment))
