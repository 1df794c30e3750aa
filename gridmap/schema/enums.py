"""Enumerated values: the codes each enumerated field accepts, with their labels.

Each enumeration is a tuple of `Choice` records (code, Chinese and English
label, and the other Chinese names found in real ledgers). Those names are
accepted on load for their own field only: 一般单位 is a unit category and
一般隐患 a hazard severity, both ``general``; 社区 is a medium grid's kind, a
training's target and, as an inspector, the community staff. The tuples of
codes (`UNIT_CATEGORIES`, ...) and the flat `CHOICE_LABELS_ZH` (one label per
code, for display where the field is not known) are derived from them.

>>> UNIT_CATEGORIES
('key', 'general', 'small_venue', 'street_shop', 'family_workshop')
>>> CHOICE_LABELS_ZH["major"], INSPECTOR_ROLE_LABELS["community"]
('重大隐患', ('社区/村工作人员', 'community staff'))
"""

from __future__ import annotations

from gridmap.schema.fields import Choice

GRID_KIND_CHOICES = (
    Choice("community", "社区", "community", ("社区居委会", "居委会", "居民委员会")),
    Choice("village", "行政村", "village", ("村", "村委会", "村民委员会")),
)
BUILDING_USE_CHOICES = (
    Choice("residential", "住宅", "residential", ("住宅楼", "居住", "民用住宅")),
    Choice("commercial", "商业", "commercial", ("商业用房", "商铺", "商用")),
    Choice("industrial", "工业", "industrial", ("工业厂房", "厂房")),
    Choice("public", "公共建筑", "public", ("公建", "公共")),
    Choice("mixed", "商住混合", "mixed", ("商住", "商住楼", "综合")),
    Choice("other", "其他", "other", ("其它",)),
)
UNIT_CATEGORY_CHOICES = (
    Choice("key", "重点单位", "key units", ("消防安全重点单位", "重点")),
    Choice("general", "一般", "general", ("一般单位",)),
    Choice("small_venue", "九小场所", "nine small venues", ("“九小”场所", "九小")),
    Choice("street_shop", "沿街门店", "street shops", ("沿街商铺", "门店")),
    Choice("family_workshop", "家庭工厂", "family workshops", ("家庭作坊",)),
)
INSPECTOR_ROLE_CHOICES = (
    Choice("patrol", "巡防队员", "patrol team", ("巡防队", "巡逻队员", "治安巡防队员")),
    Choice(
        "community",
        "社区/村工作人员",
        "community staff",
        ("社区", "社区工作人员", "村工作人员", "村（社区）工作人员", "网格员"),
    ),
    Choice("safety_office", "安监办", "safety office", ("安全生产监督管理办公室", "安监站")),
    Choice("police", "派出所", "police station", ("公安派出所", "社区民警", "民警")),
    Choice("unit", "单位自查", "unit self-inspection", ("自查",)),
)
INSPECTION_RESULT_CHOICES = (
    Choice("ok", "正常", "ok", ("合格", "无隐患", "未发现隐患")),
    Choice("hazard", "发现隐患", "hazard", ("有隐患", "存在隐患", "不合格")),
)
HAZARD_SEVERITY_CHOICES = (
    Choice("general", "一般", "general", ("一般隐患", "一般火灾隐患")),
    Choice("major", "重大隐患", "major", ("重大火灾隐患", "重大")),
)
HAZARD_STATUS_CHOICES = (
    Choice("open", "待整改", "open", ("未整改", "整改中", "待处理")),
    Choice("rectified", "已整改", "rectified", ("整改完成", "已完成整改", "已销号")),
    Choice("transferred", "已移交派出所", "transferred", ("移交派出所", "已移交")),
    Choice("supervised", "挂牌督办", "supervised", ("已挂牌督办", "督办")),
)
EQUIPMENT_STATUS_CHOICES = (
    Choice("existing", "已建", "existing", ("已建成", "现有", "在用")),
    Choice("planned", "规划", "planned", ("拟建", "规划新建", "待建")),
)
TRAINING_KIND_CHOICES = (
    Choice(
        "publicity_day", "消防宣传日", "publicity day", ("119消防宣传日", "119宣传日", "宣传日")
    ),
    Choice("five_into", "五进宣传", "five into", ("消防宣传五进", "五进")),
    Choice("unit_training", "单位培训", "unit training", ("单位消防培训",)),
    Choice("resident_training", "居民培训", "resident training", ("居民消防培训", "群众培训")),
)
#: Whom a training reached: the "five into" publicity (进社区、进学校、进企业、进农村、进家庭).
TRAINING_TARGET_CHOICES = (
    Choice("community", "社区", "community", ("进社区",)),
    Choice("school", "学校", "school", ("进学校",)),
    Choice("enterprise", "企业", "enterprise", ("进企业",)),
    Choice("village", "行政村", "village", ("农村", "进农村", "村")),
    Choice("household", "家庭", "household", ("进家庭",)),
)
FIRE_TEAM_KIND_CHOICES = (
    Choice("professional", "专职消防队", "professional", ("专职队", "政府专职消防队")),
    Choice("volunteer", "志愿消防队", "volunteer", ("志愿队", "义务消防队")),
    Choice("patrol", "巡防队员", "patrol", ("巡防队", "治安巡防队", "巡逻队")),
    Choice("micro_station", "微型消防站", "micro station", ("微站", "社区微型消防站")),
)

#: Every enumeration, in the order its codes take their flat label (first wins).
ENUMERATIONS: dict[str, tuple[Choice, ...]] = {
    "grid_kind": GRID_KIND_CHOICES,
    "building_use": BUILDING_USE_CHOICES,
    "unit_category": UNIT_CATEGORY_CHOICES,
    "inspector_role": INSPECTOR_ROLE_CHOICES,
    "inspection_result": INSPECTION_RESULT_CHOICES,
    "hazard_severity": HAZARD_SEVERITY_CHOICES,
    "hazard_status": HAZARD_STATUS_CHOICES,
    "equipment_status": EQUIPMENT_STATUS_CHOICES,
    "training_kind": TRAINING_KIND_CHOICES,
    "training_target": TRAINING_TARGET_CHOICES,
    "fire_team_kind": FIRE_TEAM_KIND_CHOICES,
}


def codes(choices: tuple[Choice, ...]) -> tuple[str, ...]:
    """Return the codes of an enumeration, in order."""
    return tuple(c.code for c in choices)


GRID_KINDS = codes(GRID_KIND_CHOICES)
BUILDING_USES = codes(BUILDING_USE_CHOICES)
UNIT_CATEGORIES = codes(UNIT_CATEGORY_CHOICES)
INSPECTOR_ROLES = codes(INSPECTOR_ROLE_CHOICES)
INSPECTION_RESULTS = codes(INSPECTION_RESULT_CHOICES)
HAZARD_SEVERITIES = codes(HAZARD_SEVERITY_CHOICES)
HAZARD_STATUSES = codes(HAZARD_STATUS_CHOICES)
EQUIPMENT_STATUSES = codes(EQUIPMENT_STATUS_CHOICES)
TRAINING_KINDS = codes(TRAINING_KIND_CHOICES)
TRAINING_TARGETS = codes(TRAINING_TARGET_CHOICES)
FIRE_TEAM_KINDS = codes(FIRE_TEAM_KIND_CHOICES)


def _flat(lang: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for choices in ENUMERATIONS.values():
        for c in choices:
            out.setdefault(c.code, c.label_en if lang == "en" else c.zh)
    return out


#: One Chinese label per code, for display where the field is not known (a code
#: shared by two enumerations takes the first one's label: community 社区).
#: Loading reads each field's own labels (`Field.choice_codes`), not this table.
CHOICE_LABELS_ZH: dict[str, str] = _flat("zh")
#: One English label per code, likewise.
CHOICE_LABELS_EN: dict[str, str] = _flat("en")
#: The inspector roles' labels (Chinese, English) as inspectors.
INSPECTOR_ROLE_LABELS: dict[str, tuple[str, str]] = {
    c.code: (c.zh, c.label_en) for c in INSPECTOR_ROLE_CHOICES
}
