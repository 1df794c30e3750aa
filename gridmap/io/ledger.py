"""Ledger workbooks (台帐, .xlsx) and JSON reports: laid out to print, written atomically.

Every ledger is a list of `gridmap.schema.Sheet` (a tab name, a title line
and a table); this module lays each sheet out the same way (a bold title
line, a blank row, then the table with bold Chinese headers repeated on every
printed page, column widths fitted to the text with CJK characters counting
double, frozen headers, landscape A4 fitted to the page width) and writes the
workbook through `gridmap.io.atomic`, so an existing file is left unchanged
when writing fails. The ``*_bytes`` functions give the same workbooks for a
download button.

The ledgers, in the order of this module:

- the layout and the writers every ledger shares (`write_workbook`,
  `workbook_bytes`, `write_json`);
- the coverage ledger (`write_ledger`; its sheets come from
  `gridmap.analysis.coverage.ledger_sheets`);
- the inspection and hazard ledgers (巡查台帐, 隐患台帐; tables from
  `gridmap.analysis.inspections`);
The equipment ledger and the assessment workbook, whose sheets are built
from feature results, are written by `gridmap.tasks.ledgers` through these
writers (io imports no feature).
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, BinaryIO

import pandas as pd

from gridmap.io.atomic import atomic_write
from gridmap.schema import LAYERS, Sheet
from gridmap.standards.inspections import PERIOD_LABELS, ROLE_LABELS, STATUS_LABELS

#: Zero-based row of the header line: the title in row 0, a blank row between.
TABLE_ROW = 2
#: Excel's limit on a sheet name.
SHEET_NAME_LIMIT = 31


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
    """Return a valid, unused sheet name for `text` (Excel's forbidden characters replaced, <= 31).

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


def write_sheets(target: str | os.PathLike[str] | BinaryIO, sheets: Sequence[Sheet]) -> None:
    """Write `sheets` into one workbook at `target` (a path or a binary buffer), laid out."""
    used: set[str] = set()
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet in sheets:
            name = sheet_name(sheet.name, used)
            sheet.table.to_excel(writer, sheet_name=name, startrow=TABLE_ROW, index=False)
            lay_out(writer.sheets[name], sheet.table, sheet.title)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """Return the workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    write_sheets(buffer, sheets)
    return buffer.getvalue()


def write_workbook(path: str | os.PathLike[str], sheets: Sequence[Sheet]) -> Path:
    """Write `sheets` to an .xlsx file atomically; `SaveError` leaves an existing file as it was."""
    return atomic_write(path, lambda tmp: write_sheets(tmp, sheets), example="ledger.xlsx")


# --- The coverage ledger and JSON reports


def write_ledger(path: str | os.PathLike[str], sheets: Sequence[Sheet]) -> None:
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


# --- The inspection and hazard ledgers

#: Compliance columns -> Chinese headers.
COMPLIANCE_HEADERS = {
    "grid_id": "网格编码",
    "name": "网格名称",
    "level": "网格层级",
    "role": "巡查人员类别",
    "period": "检查频次",
    "required": "应检次数",
    "done": "实检次数",
    "longest_gap_days": "最长间隔天数",
    "status": "状态",
}


def hazard_ledger_sheets(
    ledger: pd.DataFrame, *, as_of: object, community: str = "社区（村）"
) -> list[Sheet]:
    """Sheets of the hazard ledger (`hazard_ledger`): every hazard, then one per community."""
    sheets = [Sheet("全部隐患", f"火灾隐患台帐（截至 {as_of}）", ledger)]
    if community in ledger.columns:
        keys = ledger[community].fillna("（未落入网格）")
        for name, table in ledger.groupby(keys, sort=False):  # one sheet per community
            sheets.append(
                Sheet(
                    str(name), f"{name} 火灾隐患台帐（截至 {as_of}）", table.reset_index(drop=True)
                )
            )
    return sheets


def compliance_table_zh(
    result: pd.DataFrame,
    *,
    names: pd.Series | None = None,
    periods: dict[tuple[str, str], str] | None = None,
) -> pd.DataFrame:
    """`compliance`'s result with Chinese headers and labels (grid names where given)."""
    out = result.copy()
    if names is not None:
        out.insert(1, "name", out["grid_id"].map(names))
    if periods is not None:
        keys = list(zip(out["role"], out["level"], strict=True))
        out.insert(
            list(out.columns).index("required"),
            "period",
            [PERIOD_LABELS.get(periods.get(k, ""), ("", ""))[0] for k in keys],
        )
    out["level"] = out["level"].map(lambda v: LAYERS[v].zh if v in LAYERS else v)
    out["role"] = out["role"].map(lambda v: ROLE_LABELS.get(v, (v,))[0])
    out["status"] = out["status"].map(lambda v: STATUS_LABELS.get(v, (v,))[0])
    return out.rename(columns=COMPLIANCE_HEADERS)


def compliance_summary_zh(
    summary: pd.DataFrame, *, periods: dict[tuple[str, str], str] | None = None
) -> pd.DataFrame:
    """`compliance_summary`'s table with Chinese headers and labels."""
    out = pd.DataFrame(
        {
            "网格层级": summary["level"].map(lambda v: LAYERS[v].zh if v in LAYERS else v),
            "巡查人员类别": summary["role"].map(lambda v: ROLE_LABELS.get(v, (v,))[0]),
        }
    )
    if periods is not None:
        keys = zip(summary["role"], summary["level"], strict=True)
        out["检查频次"] = [PERIOD_LABELS.get(periods.get(k, ""), ("",))[0] for k in keys]
    out["网格数"] = summary["grids"].to_numpy()
    for status, (zh, _) in STATUS_LABELS.items():
        out[zh] = summary[status].to_numpy()
    return out


def write_compliance_xlsx(
    path: str | os.PathLike[str],
    table_zh: pd.DataFrame,
    *,
    start: object,
    end: object,
    summary_zh: pd.DataFrame | None = None,
) -> None:
    """Write the compliance ledger (巡查频次落实情况) with an optional summary sheet first."""
    title = f"巡查频次落实情况（{start} 至 {end}）"
    sheets = [] if summary_zh is None else [Sheet("汇总", title + " 汇总", summary_zh)]
    sheets.append(Sheet("明细", title, table_zh))
    write_workbook(path, sheets)


def write_hazard_ledger_xlsx(
    path: str | os.PathLike[str], ledger: pd.DataFrame, *, as_of: object
) -> None:
    """Write the hazard ledger: one sheet with every hazard, then one per community."""
    write_workbook(path, hazard_ledger_sheets(ledger, as_of=as_of))


def write_records_json(path: str | os.PathLike[str], records: list[dict[str, object]]) -> None:
    """Write a list of records as UTF-8 JSON atomically; `SaveError` on failure."""
    write_json(path, records, indent=1)
