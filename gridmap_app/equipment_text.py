"""Texts of the Equipment page (Chinese, English), on top of `gridmap.i18n`.

`t` looks a key up here first and then in `gridmap.i18n.TEXT`, so shared
texts stay in one place. These keys belong in `gridmap.i18n.TEXT`; they live
here until the owner of that table merges them.
"""

from __future__ import annotations

from gridmap import i18n

TEXT: dict[str, tuple[str, str]] = {
    "page.equipment": ("消防器材存放点", "Equipment storage points"),
    "eq.tab.siting": ("选址", "Siting"),
    "eq.tab.kit": ("物资清单与缺额", "Bill of materials and shortfalls"),
    "eq.model": ("模型", "Model"),
    "eq.model.mclp": ("最大覆盖（给定点数）", "Maximal coverage (given count)"),
    "eq.model.lscp": ("集合覆盖（最少点数）", "Set cover (fewest points)"),
    "eq.count": ("新增器材点数", "New points"),
    "eq.radius": ("服务半径（米）", "Service radius (m)"),
    "eq.demand": ("需求", "Demand"),
    "eq.demand.households": ("住户", "Households"),
    "eq.demand.units": ("社会单位（按类别加权）", "Social units (weighted by category)"),
    "eq.demand.both": ("住户和单位", "Both"),
    "eq.candidates": ("候选点", "Candidates"),
    "eq.candidates.auto": ("自动（楼栋代表点）", "Automatic (building points)"),
    "eq.candidates.lattice": ("网格内规则格点", "Regular lattice in the grids"),
    "eq.keep": ("保留并计入现有器材点", "Keep and count existing points"),
    "eq.pilot_min": (
        "每个试点社区至少一个器材点",
        "At least one point in every pilot community",
    ),
    "eq.run": ("计算选址", "Compute sites"),
    "eq.hint": ("选择参数后点击“计算选址”。", "Choose the options, then Compute sites."),
    "eq.before": ("现状覆盖", "Covered before"),
    "eq.after": ("新增后覆盖", "Covered after"),
    "eq.new_points": ("新增器材点", "New points"),
    "eq.solver": (
        "求解状态：{status}，最优性间隙 {gap}，用时 {time:.2f} 秒（{distance}）",
        "Solver: {status}, gap {gap}, {time:.2f} s ({distance})",
    ),
    "eq.sites": ("选址结果", "Chosen sites"),
    "eq.accept": ("将选址加入规划（保存）", "Accept the sites into the plan (save)"),
    "eq.user": ("操作人", "Your name"),
    "eq.saved": ("已加入规划：{ids}", "Added to the plan: {ids}"),
    "eq.conflict": (
        "文件已被他人修改，未保存。请重新加载后再试。",
        "Someone else saved the file meanwhile; nothing was saved. Reload and try again.",
    ),
    "eq.map.new": ("新增器材点", "New points"),
    "eq.map.existing": ("现有器材点", "Existing points"),
    "eq.map.area_new": ("新增服务范围", "Service areas (new)"),
    "eq.map.area_existing": ("现有服务范围", "Service areas (existing)"),
    "eq.map.uncovered": ("未覆盖需求", "Uncovered demand"),
    "eq.map.outlines": ("社区/村", "Communities / villages"),
    "eq.map.complete": ("配备达标", "Fully stocked"),
    "eq.map.short": ("配备不足", "Short of the standard"),
    "eq.bom.community": ("物资清单（按社区）", "Bill of materials by community"),
    "eq.bom.total": ("物资汇总", "Totals"),
    "eq.short.title": ("已建器材点配备缺额", "Shortfalls of existing points"),
    "eq.short.count": (
        "已建器材点 {n} 个，其中 {short} 个配备不足",
        "{n} existing points, {short} short of the standard",
    ),
    "eq.download": ("下载器材台帐（Excel）", "Download the equipment ledger (Excel)"),
}


def t(key: str, lang: str = i18n.DEFAULT_LANG, **values: object) -> str:
    pair = TEXT.get(key)
    if pair is None:
        return i18n.t(key, lang, **values)
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**values) if values else text
