"""A coverage report as the ledger (台帐) tables.

Pure: it builds DataFrames and `gridmap.io.ledger` writes the workbook (the
JSON document is `gridmap.analysis.coverage.result`'s). The ledger has a
summary sheet, a sheet per large and per medium grid with counts, and one
sheet per check with Chinese headers and blank columns for the rectification
the monthly joint meeting fills in.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import pandas as pd

from gridmap.analysis.coverage.findings import CHECKS
from gridmap.analysis.coverage.result import CoverageReport
from gridmap.schema import LAYERS, Sheet

#: Most data rows an .xlsx sheet holds (1,048,576 rows less title and header).
MAX_SHEET_ROWS = 1_048_000
_SEVERITY_ZH = {"error": "错误", "warning": "警告"}


#: One sheet of the ledger workbook: the one worksheet type, `gridmap.schema.Sheet`.
LedgerSheet: TypeAlias = Sheet


def _names(report: CoverageReport, level: str) -> pd.DataFrame:
    grids = report.grids[report.grids["level"] == level]
    return grids.drop_duplicates("grid_id").set_index("grid_id")


def _counts_by(report: CoverageReport, level: str, column: str) -> pd.DataFrame:
    """Return findings per grid of `level` (rows) and check (columns), with names and leaders."""
    grids = _names(report, level)
    counts = pd.crosstab(report.findings[column], report.findings["check"])
    counts = counts.reindex(index=grids.index, columns=list(CHECKS), fill_value=0)
    table = pd.DataFrame({"网格编码": grids.index, "网格名称": grids["name"].to_numpy()})
    if "leader" in grids:  # not in a public version (personal fields left out)
        table["负责人"] = grids["leader"].to_numpy()
    if level == "grid_medium":
        table.insert(0, "所属大网格", grids["parent_id"].to_numpy())
    for check, info in CHECKS.items():
        table[info.zh] = counts[check].to_numpy(dtype=int)
    table["合计"] = counts.sum(axis=1).to_numpy(dtype=int)
    return table


def _check_table(report: CoverageReport, check: str) -> pd.DataFrame:
    f = report.findings[report.findings["check"] == check]
    large, medium = _names(report, "grid_large"), _names(report, "grid_medium")
    if "leader" in report.grids:
        medium_leader = f["medium_id"].map(medium["leader"])
        large_leader = f["large_id"].map(large["leader"])
        responsible = medium_leader.where(medium_leader.notna(), large_leader).to_numpy()
    else:  # a public version: the rectification column is left for the people to fill in
        responsible = np.full(len(f), "", dtype=object)
    layer_zh = {name: spec.zh for name, spec in LAYERS.items()}
    table = pd.DataFrame(
        {
            "序号": np.arange(1, len(f) + 1),
            "图层": f["layer"].map(layer_zh).to_numpy(),
            "编号": f["ids"].map("、".join).to_numpy(),
            "面积（平方米）": f["area_m2"].round(1).to_numpy(),
            "所属大网格": f["large_id"].to_numpy(),
            "大网格名称": f["large_id"].map(large["name"]).to_numpy(),
            "所属中网格": f["medium_id"].to_numpy(),
            "中网格名称": f["medium_id"].map(medium["name"]).to_numpy(),
            "问题说明": report.message_zh.loc[f.index].to_numpy(),
            "整改责任人": responsible,
            "整改措施": "",
            "整改期限": "",
            "完成情况": "",
        }
    )
    if check not in ("gap", "overlap", "outside_parent"):
        table = table.drop(columns="面积（平方米）")
    return table


def ledger_sheets(
    report: CoverageReport,
    *,
    district: str = "",
    checked_at: str = "",
) -> list[LedgerSheet]:
    """Return the ledger (台帐) as sheets: summary, per large grid, per medium grid, one per check.

    `district` and `checked_at` (text such as a file name and a date) go into
    the titles; the function reads no clock.

    Examples
    --------
    >>> from gridmap.analysis.coverage import check_coverage, ledger_sheets
    >>> sheets = ledger_sheets(check_coverage(district), district=district.name)
    >>> [sheet.name for sheet in sheets][:4]
    ['汇总', '按大网格统计', '按中网格统计', '几何图形无效']
    """
    where = " · ".join(p for p in (district, checked_at) if p)
    suffix = f"（{where}）" if where else ""
    summary = report.summary
    rows = [
        {
            "序号": i,
            "检查项": info.zh,
            "检查项（英文）": info.en,
            "代码": check,
            "级别": _SEVERITY_ZH[info.severity],
            "问题数": summary[check],
        }
        for i, (check, info) in enumerate(CHECKS.items(), 1)
    ]
    rows.append(
        {
            "序号": "",
            "检查项": "合计",
            "检查项（英文）": "total",
            "代码": "",
            "级别": f"错误 {summary['errors']} / 警告 {summary['warnings']}",
            "问题数": summary["errors"] + summary["warnings"],
        }
    )
    sheets = [
        LedgerSheet(
            "汇总",
            f"消防安全网格覆盖检查台帐{suffix} — Coverage check ledger; "
            f"结论 / result: {'合格 ok' if summary['ok'] else '存在问题 errors found'}; "
            f"面积容差 min_area = {report.min_area:g} m²",
            pd.DataFrame(rows),
        ),
        LedgerSheet(
            "按大网格统计",
            f"各大网格（镇/街道）问题数{suffix} — findings per large grid",
            _counts_by(report, "grid_large", "large_id"),
        ),
        LedgerSheet(
            "按中网格统计",
            f"各中网格（社区/行政村）问题数{suffix} — findings per medium grid",
            _counts_by(report, "grid_medium", "medium_id"),
        ),
    ]
    for check, info in CHECKS.items():
        table = _check_table(report, check)
        title = (
            f"{info.zh}台帐{suffix} — {info.en} ({check}), "
            f"{_SEVERITY_ZH[info.severity]} / {info.severity}: {len(table)}"
        )
        if len(table) > MAX_SHEET_ROWS:
            title += f"; 仅列出前 {MAX_SHEET_ROWS} 条 / first {MAX_SHEET_ROWS} shown"
            table = table.iloc[:MAX_SHEET_ROWS]
        sheets.append(LedgerSheet(info.zh, title, table))
    return sheets
