"""Inspection and hazard ledgers (巡查台帐, 隐患台帐) as .xlsx workbooks with Chinese headers.

The tables come from `gridmap.analysis.inspections` (compliance and hazards);
this module only chooses the sheets; the layout (a title line, bold headers
repeated on every printed page, fitted column widths, frozen headers,
landscape A4) is `gridmap.io.workbook`'s and files are written atomically
(`gridmap.io.atomic`). `workbook_bytes` gives the same workbook for a
download button.
"""

from __future__ import annotations

import os

import pandas as pd

from gridmap.io.ledger import write_json
from gridmap.io.workbook import Sheet, workbook_bytes, write_workbook
from gridmap.schema import LAYERS
from gridmap.standards.inspections import PERIOD_LABELS, ROLE_LABELS, STATUS_LABELS

__all__ = [
    "COMPLIANCE_HEADERS",
    "Sheet",
    "compliance_summary_zh",
    "compliance_table_zh",
    "hazard_ledger_sheets",
    "workbook_bytes",
    "write_compliance_xlsx",
    "write_hazard_ledger_xlsx",
    "write_records_json",
    "write_workbook",
]

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
    """Write a list of records as UTF-8 JSON atomically; `SaveError` on failure."""
    write_json(path, records, indent=1)
