"""Inspection and hazard ledgers (巡查台帐, 隐患台帐) as .xlsx workbooks with Chinese headers.

The tables come from `gridmap.analysis.inspections` and `gridmap.analysis.hazards`;
this module only lays them out: a title line, bold headers repeated on every
printed page, fitted column widths, frozen headers, landscape A4. Files are
written atomically (a temporary file renamed over the target); `workbook_bytes`
gives the same workbook for a download button.
"""

from __future__ import annotations

import io
import os
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from gridmap.errors import SaveError
from gridmap.schema import LAYERS
from gridmap.standards.inspections import PERIOD_LABELS, ROLE_LABELS, STATUS_LABELS

_HEADER_ROW = 2  # zero-based: title in row 0, a blank row, then the headers
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


@dataclass(frozen=True)
class Sheet:
    """One worksheet: its tab name, the title line above the table, and the table."""

    name: str
    title: str
    table: pd.DataFrame


def _sheet_name(text: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "_", str(text) or "Sheet")[:28] or "Sheet"
    name, i = base, 2
    while name in used:
        name, i = f"{base[:26]}~{i}", i + 1
    used.add(name)
    return name


def _width(values: pd.Series) -> int:
    head = values.head(2000).astype(object)
    widths = [
        sum(2 if ord(ch) > 0x2E7F else 1 for ch in ("" if pd.isna(v) else str(v))) for v in head
    ] or [6]
    return int(min(max(max(widths) + 2, 6), 60))


def _layout(sheet: object, table: pd.DataFrame, title: str) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet.cell(row=1, column=1, value=title).font = Font(bold=True, size=13)
    for i, column in enumerate(table.columns, 1):
        width = max(_width(pd.Series([column])), _width(table[column]))
        sheet.column_dimensions[get_column_letter(i)].width = width
        cell = sheet.cell(row=_HEADER_ROW + 1, column=i)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 2, column=1)
    sheet.print_title_rows = f"{_HEADER_ROW + 1}:{_HEADER_ROW + 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def _write(target: object, sheets: Sequence[Sheet]) -> None:
    used: set[str] = set()
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for sheet in sheets:
            name = _sheet_name(sheet.name, used)
            sheet.table.to_excel(writer, sheet_name=name, startrow=_HEADER_ROW, index=False)
            _layout(writer.sheets[name], sheet.table, sheet.title)


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    """The workbook as bytes (for a download button)."""
    buffer = io.BytesIO()
    _write(buffer, sheets)
    return buffer.getvalue()


def write_workbook(path: str | os.PathLike[str], sheets: Sequence[Sheet]) -> None:
    """Write `sheets` to an .xlsx file atomically; `SaveError` leaves an existing file as it was."""
    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder; give an .xlsx file name.")
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.xlsx")
    try:
        _write(tmp, sheets)
        os.replace(tmp, target)
    except Exception as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(
            f"could not write {target} ({exc}); an existing file is unchanged."
        ) from exc


# ---------------------------------------------------------------------------
# The two ledgers


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
            out.columns.get_loc("required"),
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
    """Write a list of records as UTF-8 JSON atomically."""
    import json

    target = Path(path)
    if target.is_dir():
        raise SaveError(f"{target} is a folder; give a .json file name.")
    tmp = target.with_name(f".{target.stem}.{uuid.uuid4().hex[:8]}.tmp.json")
    try:
        tmp.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise SaveError(
            f"could not write {target} ({exc}); an existing file is unchanged."
        ) from exc
