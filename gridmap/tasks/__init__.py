"""What the CLI and the app both do: read through io, call a feature package, save through io.

The floors below (`gridmap.io` on disk, the feature packages in
`gridmap.analysis`) never import each other; a task is where they meet, so
the CLI and the app share one implementation of each.

Modules
-------
importing
    `import_layer`: read sources, prepare them (`gridmap.analysis.importing`),
    plan the change and save it through the edit log; `IMPORT_MODES`.
editing
    `commit_edits`: a reviewed boundary edit saved the way the plan requires.
ledgers
    The equipment ledger and the assessment workbook, built from feature results.
"""

from gridmap.tasks.editing import commit_edits
from gridmap.tasks.importing import IMPORT_MODES, import_layer, require_layer
from gridmap.tasks.ledgers import (
    assessment_sheets,
    assessment_workbook_bytes,
    equipment_workbook_bytes,
    standard_table,
    write_assessment_json,
    write_assessment_xlsx,
    write_equipment_ledger,
)

__all__ = [
    "IMPORT_MODES",
    "assessment_sheets",
    "assessment_workbook_bytes",
    "commit_edits",
    "equipment_workbook_bytes",
    "import_layer",
    "require_layer",
    "standard_table",
    "write_assessment_json",
    "write_assessment_xlsx",
    "write_equipment_ledger",
]
