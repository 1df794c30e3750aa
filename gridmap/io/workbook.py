"""The layout every GridMap workbook (台帐, .xlsx) shares, and writing one.

A bold title line, a blank row, then the table with bold Chinese headers that
repeat on every printed page; column widths fitted to the text (CJK characters
count double); frozen headers; landscape A4 fitted to the page width. The
ledgers (`gridmap.io.ledger`, `ledger_inspections`, `ledger_equipment`,
`ledger_plan`) only choose their sheets. Files are written through
`gridmap.io.atomic`.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Protocol

import pandas as pd

from gridmap.io.atomic import atomic_write

#: Zero-based row of the header line: the title in row 0, a blank row between.
TABLE_ROW = 2
#: Excel's limit on a sheet name.
SHEET_NAME_LIMIT = 31


class SheetLike(Protocol):
    name: str
    title: str
    table: pd.DataFrame


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name, the title line above the table, and the table."""

    name: str
    title: str
    table: pd.DataFrame


def column_width(values: pd.Series) -> int:
    """Display width of the widest text (CJK characters count double), capped for print.

    >>> column_width(pd.Series(["消防", "ab"]))
    6
    """
    head = values.head(2000).astype(object)
    widths = [
        sum(2 if ord(ch) > 0x2E7F else 1 for ch in ("" if pd.isna(v) else str(v))) for v in head
    ] or [6]
    return int(min(max(max(widths) + 2, 6), 60))


def lay_out(sheet: Any, table: pd.DataFrame, title: str) -> None:
    """Title, bold centred headers, fitted widths, frozen headers, landscape A4 print setup."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for i, column in enumerate(table.columns, 1):
        width = max(column_width(pd.Series([column])), column_width(table[column]))
        sheet.column_dimensions[get_column_letter(i)].width = width
        header = sheet.cell(row=TABLE_ROW + 1, column=i)
        header.font = Font(bold=True)
        header.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=TABLE_ROW + 2, column=1)
    sheet.print_title_rows = f"{TABLE_ROW + 1}:{TABLE_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unused sheet name for `text` (Excel's forbidden characters replaced, 31 at most).

    >>> used = set()
    >>> sheet_name("a/b", used), sheet_name("a/b", used)
    ('a_b', 'a_b~2')
    """
    base = re.sub(r"[\[\]:*?/\\]", "_", str(text) or "Sheet")[:SHEET_NAME_LIMIT] or "Sheet"
    name, i = base, 2
    while name in used:
        suffix = f"~{i}"
        name, i = base[: SHEET_NAME_LIMIT - len(suffix)] + suffix, i + 1
    used.add(name)
    return name


def write_sheets(target: str | os.PathLike[str] | IO[bytes], sheets: Sequence[SheetLike]) -> None:
    """Write `sheets` into one workbook at `target` (a path or a binary buffer), laid out."""
    used: set[str] = set()
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet in sheets:
            name = sheet_name(sheet.name, used)
            sheet.table.to_excel(writer, sheet_name=name, startrow=TABLE_ROW, index=False)
            lay_out(writer.sheets[name], sheet.table, sheet.title)


def workbook_bytes(sheets: Sequence[SheetLike]) -> bytes:
    """The workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_sheets(buffer, sheets)
    return buffer.getvalue()


def write_workbook(path: str | os.PathLike[str], sheets: Sequence[SheetLike]) -> Path:
    """Write `sheets` to an .xlsx file atomically; `SaveError` leaves an existing file as it was."""
    return atomic_write(path, lambda tmp: write_sheets(tmp, sheets), example="ledger.xlsx")
