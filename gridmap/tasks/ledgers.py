"""Ledgers built from feature results: the equipment ledger and the assessment workbook.

The sheets come from the feature packages (`gridmap.analysis.equipment`,
`gridmap.analysis.assessment`); they are laid out and written atomically by
`gridmap.io.ledger` (`write_workbook`, `workbook_bytes`, `write_json`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import pandas as pd

from gridmap.analysis.assessment import Assessment, assessment_document, workbook_tables
from gridmap.analysis.equipment import BillOfMaterials, shortfall_table
from gridmap.io.ledger import workbook_bytes, write_json, write_workbook
from gridmap.schema import Sheet
from gridmap.standards.equipment import EQUIPMENT_STANDARD, EquipmentItem

# --- The equipment ledger


def standard_table(standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD) -> pd.DataFrame:
    """Return the standard with Chinese headers."""
    return pd.DataFrame(
        {
            "器材名称": [i.zh for i in standard],
            "英文名称": [i.en for i in standard],
            "单位": [i.unit_zh for i in standard],
            "每个器材点": [i.per_point for i in standard],
            "每个试点社区": [i.per_pilot_community for i in standard],
        }
    )


def _equipment_sheets(
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
    write_workbook(path, _equipment_sheets(bom, shortfalls, standard, title))


def equipment_workbook_bytes(
    bom: BillOfMaterials,
    shortfalls: pd.DataFrame,
    *,
    standard: Sequence[EquipmentItem] = EQUIPMENT_STANDARD,
    title: str = "",
) -> bytes:
    """Return the same workbook in memory, for a download button."""
    return workbook_bytes(_equipment_sheets(bom, shortfalls, standard, title))


# --- The assessment workbook


def assessment_sheets(assessment: Assessment) -> list[Sheet]:
    """Return the sheets of the workbook: ranking, detail, indicators, drills, meetings."""
    return [Sheet(name, title, table) for name, title, table in workbook_tables(assessment)]


def write_assessment_xlsx(path: str | os.PathLike[str], assessment: Assessment) -> None:
    """Write the assessment workbook; `SaveError` (an existing file unchanged) on failure."""
    write_workbook(path, assessment_sheets(assessment))


def assessment_workbook_bytes(assessment: Assessment) -> bytes:
    """Return the same workbook in memory, for a download button."""
    return workbook_bytes(assessment_sheets(assessment))


def write_assessment_json(path: str | os.PathLike[str], assessment: Assessment) -> None:
    """Write `assessment_document` as UTF-8 JSON; `SaveError` on failure."""
    write_json(path, assessment_document(assessment))
