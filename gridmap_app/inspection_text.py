"""Texts of the Inspections page (Chinese, English), on top of `gridmap.i18n`.

`t` looks a key up here first and then in `gridmap.i18n.TEXT`, so shared
texts (sidebar, errors) stay in one place. These keys belong in
`gridmap.i18n.TEXT`; they live here until the owner of that table merges them.
"""

from __future__ import annotations

from gridmap import i18n

TEXT: dict[str, tuple[str, str]] = {
    "page.inspections": ("巡查与隐患", "Inspections and hazards"),
    "insp.view": ("视图", "View"),
    "insp.view.heat": ("巡查热力图", "Inspection heat map"),
    "insp.view.missing": ("漏检分析", "Missing inspections"),
    "insp.view.tallies": ("分类统计", "Tallies by role"),
    "insp.view.compliance": ("频次达标", "Schedule compliance"),
    "insp.view.hazards": ("隐患闭环", "Hazard closed loop"),
    "insp.view.record": ("登记巡查/隐患", "Record an inspection or hazard"),
    "insp.period": ("时间范围", "Period"),
    "insp.roles": ("巡查人员类别", "Inspector roles"),
    "insp.results": ("巡查结果", "Results"),
    "insp.grid": ("网格", "Grid"),
    "insp.level": ("统计层级", "Level"),
    "insp.no_layer": ("该文件没有巡查记录图层。", "The file has no inspections layer."),
    "insp.count": ("范围内巡查 {n} 次", "{n} inspections in the range"),
    "insp.by_week": ("按周查看（时间滑块）", "By week (time slider)"),
    "insp.week": ("周（周一）", "Week (Monday)"),
    "insp.heat": ("巡查密度", "Inspection density"),
    "insp.cells": ("{n} 个六边形（边长约 {size:g} 米）", "{n} hexagons ({size:g} m across)"),
    "insp.outlines": ("社区/村", "Communities / villages"),
    "insp.missing.colour": ("着色", "Colour by"),
    "insp.missing.inspected": ("是否巡查", "Inspected or not"),
    "insp.missing.per_unit": ("每单位巡查次数", "Inspections per unit"),
    "insp.missing.per_household": ("每户巡查次数", "Inspections per household"),
    "insp.missing.zones": ("未巡查片区 {n} 个", "{n} zones not inspected"),
    "insp.missing.units": ("未巡查单位 {n} 家", "{n} units not inspected"),
    "insp.last_inspected": ("上次巡查", "Last inspected"),
    "insp.yes": ("已巡查", "inspected"),
    "insp.no": ("未巡查", "not inspected"),
    "insp.compliance.summary": ("达标情况汇总", "Summary"),
    "insp.compliance.download": ("下载频次台帐（Excel）", "Download the ledger (Excel)"),
    "insp.compliance.worst": ("最差状态", "Worst status"),
    "insp.as_of": ("统计日期", "As of"),
    "insp.hazards.escalations": (
        "待办升级 {n} 项（今日新增 {new} 项）",
        "{n} escalations due ({new} new today)",
    ),
    "insp.hazards.ledger": ("隐患台帐", "Hazard ledger"),
    "insp.hazards.download": ("下载隐患台帐（Excel）", "Download the hazard ledger (Excel)"),
    "insp.hazards.none": ("没有隐患记录。", "No hazards recorded."),
    "insp.hazards.severity": ("隐患等级", "Severity"),
    "insp.hazards.state": ("状态", "State"),
    "insp.record.hint": (
        "先在地图上点击位置，再填写表单。",
        "Click the map first, then fill in the form.",
    ),
    "insp.record.where": ("位置：{lat:.5f}, {lon:.5f}", "Location: {lat:.5f}, {lon:.5f}"),
    "insp.record.nowhere": ("尚未选择位置。", "No location chosen yet."),
    "insp.record.kind": ("登记类型", "Record"),
    "insp.record.inspection": ("巡查记录", "Inspection"),
    "insp.record.hazard": ("火灾隐患", "Hazard"),
    "insp.record.date": ("日期", "Date"),
    "insp.record.time": ("时间", "Time"),
    "insp.record.role": ("巡查人员类别", "Inspector role"),
    "insp.record.target": (
        "巡查对象编号（网格/单位/楼栋/住户，可空）",
        "Target id (grid, unit, building or household; optional)",
    ),
    "insp.record.result": ("巡查结果", "Result"),
    "insp.record.inspector": ("巡查人", "Inspector"),
    "insp.record.note": ("备注/隐患描述", "Note / description"),
    "insp.record.unit": ("单位编号（可空）", "Unit id (optional)"),
    "insp.record.severity": ("隐患等级", "Severity"),
    "insp.record.deadline": ("整改期限", "Deadline"),
    "insp.record.user": ("登记人", "Recorded by"),
    "insp.record.submit": ("保存", "Save"),
    "insp.record.saved": ("已保存 {id}。", "Saved {id}."),
    "insp.record.refused": ("未保存：", "Not saved:"),
    "insp.record.conflict": (
        "文件已被他人修改，请重新加载后再保存：",
        "The file was changed by someone else; reload and save again:",
    ),
}


def t(key: str, lang: str = i18n.DEFAULT_LANG, **values: object) -> str:
    """The text for `key` in `lang` (this table first, then `gridmap.i18n`)."""
    if key not in TEXT:
        return i18n.t(key, lang, **values)
    zh, en = TEXT[key]
    text = en if lang == "en" else zh
    return text.format(**values) if values else text
