"""Ledger workbooks (台帐, .xlsx) and JSON reports: written atomically, ready to print.

The tables come from `gridmap.analysis.coverage.report`; the layout (a bold title line,
the Chinese headers repeated on every printed page, column widths fitted to
the text, frozen headers, landscape A4 fitted to the page width) is
`gridmap.io.workbook`'s, and the write is `gridmap.io.atomic`'s.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridmap.io.atomic import atomic_write
from gridmap.io.workbook import SheetLike, write_workbook


def write_ledger(path: str | os.PathLike[str], sheets: Sequence[SheetLike]) -> None:
    """Write ledger sheets (objects with ``name``, ``title``, ``table``) to an .xlsx file.

    Raises `SaveError` (leaving an existing file unchanged) if it cannot be written.
    """
    write_workbook(path, sheets)


def write_json(path: str | os.PathLike[str], document: Any, *, indent: int | None = None) -> Path:
    """Write a JSON document (UTF-8, Chinese kept readable) atomically; `SaveError` on failure."""

    def write(tmp: Path) -> None:
        text = json.dumps(document, ensure_ascii=False, indent=indent)
        tmp.write_text(text + "\n", encoding="utf-8")

    return atomic_write(path, write, example="report.json")
