"""The equipment ledger (消防器材台帐) as an .xlsx workbook with Chinese headers.

Sheets: the bill of materials per community and in total, the inventory
shortfalls of existing points, and the standard itself. Laid out like the
other ledgers (`gridmap.io.workbook`): title line, bold headers repeated on
every printed page, fitted widths, landscape A4; written atomically.
`equipment_workbook_bytes` gives the same workbook for a download button.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from gridmap.analysis.equipment import BillOfMaterials, shortfall_table
from gridmap.io.workbook import Sheet, workbook_bytes, write_workbook
from gridmap.standards.equipment import EQUIPMENT_STANDARD, EquipmentItem


def standard_table(standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD) -> pd.DataFrame:
    """The standard with Chinese headers."""
    return pd.DataFrame(
        {
            "器材名称": [i.zh for i in standard],
            "英文名称": [i.en for i in standard],
            "单位": [i.unit_zh for i in standard],
            "每个器材点": [i.per_point for i in standard],
            "每个试点社区": [i.per_pilot_community for i in standard],
        }
    )


def _sheets(
    bom: BillOfMaterials,
    shortfalls: pd.DataFrame,
    standard: Sequence[EquipmentItem],
    title: str,
) -> list[Sheet]:
    return [
        Sheet("物资清单（按社区）", f"{title}消防器材物资清单（按社区）", bom.per_community),
        Sheet("物资汇总", f"{title}消防器材物资汇总", bom.total),
        Sheet("器材点缺额", f"{title}已建器材点配备缺额", shortfall_table(shortfalls)),
        Sheet("配置标准", "消防器材配置标准", standard_table(standard)),
    ]


def write_equipment_ledger(
    path: str | os.PathLike[str],
    bom: BillOfMaterials,
    shortfalls: pd.DataFrame,
    *,
    standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD,
    title: str = "",
) -> None:
    """Write the equipment ledger to `path` atomically (`SaveError` if it cannot)."""
    write_workbook(path, _sheets(bom, shortfalls, standard, title))


def equipment_workbook_bytes(
    bom: BillOfMaterials,
    shortfalls: pd.DataFrame,
    *,
    standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD,
    title: str = "",
) -> bytes:
    """The same workbook in memory, for a download button."""
    return workbook_bytes(_sheets(bom, shortfalls, standard, title))
