"""Ledger workbooks (台帐, .xlsx) and JSON reports: written atomically, ready to print.

The tables come from `gridmap.analysis.report`; this module only lays them out:
a bold title line, the Chinese headers repeated on every printed page,
column widths fitted to the text, frozen headers, landscape A4 fitted to the
page width.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from gridmap.errors import SaveError

_TABLE_ROW = 2  # zero-based row of the header line (title in row 0, a blank row between)


def _atomic(path: str | os.PathLike[str], write: Any) -> None:
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder; give a file name.")
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp{target.suffix}")
    try:
        write(tmp)
        os.replace(tmp, target)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(
            f"could not write {target} ({exc}); an existing file is unchanged."
        ) from exc


def _width(values: pd.Series) -> int:
    """Display width of the widest text (CJK characters count double), capped for print."""
    head = values.head(2000)
    if head.empty:
        return 8
    widths = [
        sum(2 if ord(ch) > 0x2E7F else 1 for ch in ("" if pd.isna(v) else str(v))) for v in head
    ]
    return int(min(max(max(widths) + 2, 6), 60))


def _layout(sheet: Any, table: pd.DataFrame, title: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for i, column in enumerate(table.columns, 1):
        width = max(_width(pd.Series([column])), _width(table[column]))
        sheet.column_dimensions[get_column_letter(i)].width = width
        header = sheet.cell(row=_TABLE_ROW + 1, column=i)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=_TABLE_ROW + 2, column=1)
    sheet.print_title_rows = f"{_TABLE_ROW + 1}:{_TABLE_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def write_ledger(path: str | os.PathLike[str], sheets: Sequence[Any]) -> None:
    """Write ledger sheets (objects with ``name``, ``title``, ``table``) to an .xlsx file.

    Raises `SaveError` (leaving an existing file unchanged) if it cannot be written.
    """

    def write(tmp: Path) -> None:
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for sheet in sheets:
                name = str(sheet.name)[:31]
                sheet.table.to_excel(writer, sheet_name=name, startrow=_TABLE_ROW, index=False)
                _layout(writer.sheets[name], sheet.table, sheet.title)

    _atomic(path, write)


def write_json(path: str | os.PathLike[str], document: dict[str, Any]) -> None:
    """Write a JSON document (UTF-8, Chinese kept readable) atomically."""

    def write(tmp: Path) -> None:
        with tmp.open("w", encoding="utf-8") as fh:
            json.dump(document, fh, ensure_ascii=False)
            fh.write("\n")

    _atomic(path, write)
