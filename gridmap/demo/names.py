"""Chinese name tables for the sample district: people, places, units, hazards.

Every name here is fictional. Person names are drawn from common surnames and
given names; phone numbers have 0000 as their middle four digits (``13800001234``) so they read as
placeholders, not as somebody's real number.
"""

from __future__ import annotations

import numpy as np


def _words(text: str) -> np.ndarray:
    return np.array(text.split())


# ---------------------------------------------------------------------------
# People
SURNAMES = np.array(
    list(
        "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡"
        "贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段"
    )
)
# Rough frequency weights: the first surnames are far more common.
_SURNAME_W = 1.0 / np.sqrt(np.arange(1, len(SURNAMES) + 1))
SURNAME_P = _SURNAME_W / _SURNAME_W.sum()

GIVEN_NAMES = _words(
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 霞 平 刚 辉 鹏 华 飞 鑫 波 斌 宇 "
    "浩 凯 健 琳 秀英 秀兰 桂英 建国 建华 志强 海燕 红梅 玉兰 国强 文静 晓东 建军 志刚 "
    "春梅 丽娟 俊杰 子涵 欣怡 梓萱 浩然 宇轩 雨桐 一诺 金凤 永生 新民 国庆 卫东 振华 "
    "秋菊 淑珍 瑞芳 佳琪 思远 博文 红霞 素芬 保国 长青 德胜 海涛 玉珍 晓燕 建伟 少华 "
    "立新 雪莲"
)

#: Prefixes of mobile numbers; the middle four digits are always 0000 (placeholders).
PHONE_PREFIXES = _words("138 139 137 136 150 151 158 186 187 189")


def person_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` fictional Chinese person names (surname + given name)."""
    s = rng.choice(len(SURNAMES), size=n, p=SURNAME_P)
    g = rng.integers(0, len(GIVEN_NAMES), size=n)
    return np.char.add(SURNAMES[s], GIVEN_NAMES[g]).astype(object)


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """Return ``n`` placeholder mobile numbers like ``13800001234``."""
    pre = PHONE_PREFIXES[rng.integers(0, len(PHONE_PREFIXES), size=n)]
    tail = np.char.zfill(rng.integers(0, 10_000, size=n).astype(str), 4)
    return np.char.add(np.char.add(pre, "0000"), tail).astype(object)


def format_ids(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """Format integer ids as text.

    >>> format_ids("B", [1, 23], 6).tolist()
    ['B000001', 'B000023']
    """
    digits = np.char.zfill(np.asarray(numbers, dtype=np.int64).astype(str), width)
    return np.char.add(prefix, digits).astype(object)


# ---------------------------------------------------------------------------
# Places. Community and village names are fictional; the six towns are real.
COMMUNITY_NAMES: dict[str, tuple[str, ...]] = {
    "410106001": ("金华", "桂园", "安平", "汇丰", "明珠"),
    "410106002": ("朝阳", "和平", "龙翔", "锦绣", "中原"),
    "410106003": ("新华", "兴华", "丽景", "同心", "长安"),
    "410106004": ("振兴", "铝城", "昌盛", "东苑"),
    "410106005": ("矿苑", "阳光", "西苑"),
    "410106100": ("峡窝",),
}
VILLAGE_NAMES: dict[str, tuple[str, ...]] = {
    "410106005": ("东岭", "南坡"),
    "410106100": ("柳林", "槐树庄", "枣园", "杏花", "龙泉", "孙庄", "李寨"),
}

#: Names of the east-west roads of the urban street grid, south to north (they repeat).
ROADS_EW = _words(
    "济源路 中心路 新安路 工业路 登封路 淮阳路 金屏路 汝南路 商城路 嵩山路 洛阳路 长江路 "
    "黄河路 许昌路 开封路 安阳路 孟津路 新密路 荥阳路 巩义路 宜阳路 偃师路 伊川路 汝州路 "
    "鲁山路 郏县路 舞钢路 叶县路 宝丰路 洛宁路 栾川路 嵩县路"
)

# ---------------------------------------------------------------------------
# Social units
TRADE_NAMES = _words(
    "鑫源 宏达 金鼎 福满 永盛 华联 百佳 惠民 兴隆 顺发 恒通 天和 瑞丰 嘉禾 聚福 益民 润泽 "
    "安康 金诚 万家 佳和 红星 东方 富源 昌隆 汇通 利民 德兴 鸿运 好运来 味之源 老街坊 乐购 "
    "悦来 如意 吉祥 明达 正阳 万顺 美佳 盛世 豫兴 中州 金穗 丰泽 家和 喜洋洋 大众 宜家乐 "
    "天天 四季 双福 春晖 金秋 同福 长乐 君悦 锦程 腾飞"
)
TRADE_FIRST = np.array(
    list("鑫宏金福永华百惠兴顺恒天瑞嘉聚益润安万佳红东富昌汇利德鸿祥盛隆泰丰新美和康旺")
)
TRADE_SECOND = np.array(list("源达鼎满盛联佳民隆发通和丰禾福泽康诚家星方信辉旺顺悦兴荣晟茂"))


def trade_name(rng: np.random.Generator, *, small_shop: bool = True) -> str:
    """Make a trade name (字号): an auspicious pair like 鑫源, a set phrase like 好运来, or 老王."""
    r = rng.random()
    if r < 0.2:
        return str(rng.choice(TRADE_NAMES))
    if r < 0.3 and small_shop:
        return f"老{rng.choice(SURNAMES[:30])}"
    return f"{rng.choice(TRADE_FIRST)}{rng.choice(TRADE_SECOND)}"


# fmt: skip below keeps it a table, one row per kind (ruff would split each row over 6 lines).
#: (category, name suffixes) per kind of unit slot: a name is a trade name plus a suffix.
UNIT_PATTERNS: dict[str, tuple[str, np.ndarray]] = {
    "shop": ("street_shop", _words(
        "超市 便利店 五金店 服装店 水果店 药店 烟酒店 家电维修部 手机店 花店 眼镜店 母婴店 "
        "建材店 粮油店 文具店 干洗店 面包房 电动车行")),
    "venue": ("small_venue", _words(
        "餐馆 饭店 面馆 火锅店 烧烤店 宾馆 旅馆 网吧 歌厅 足疗店 美容院 浴池 诊所 托管班 "
        "棋牌室 快捷酒店")),
    "office": ("general", _words(
        "商贸有限公司 科技有限公司 建筑工程有限公司 物业服务有限公司 物流有限公司 汽车维修中心 "
        "广告有限公司 保险代理有限公司 装饰工程有限公司")),
    "plant": ("general", _words(
        "机械制造有限公司 新材料有限公司 仓储中心 印刷厂 耐火材料有限公司 铝制品有限公司 "
        "建材有限公司 物流园")),
    "workshop": ("family_workshop", _words(
        "加工厂 服装加工坊 木器加工厂 豆腐坊 塑料制品加工厂 五金加工厂 食品加工坊 纸箱加工厂 "
        "铝型材加工点")),
    "village_shop": ("street_shop", _words("小卖部 便民超市 农资店 理发店")),
    "big_plant": ("key", _words("铝业有限公司 化工有限公司 热电有限公司 耐材集团有限公司")),
}  # fmt: skip
#: Key public buildings get names from the street or community they stand in.
PUBLIC_SUFFIXES: dict[str, str] = {
    "school": "小学",
    "middle_school": "中学",
    "kindergarten": "幼儿园",
    "hospital": "医院",
    "clinic": "社区卫生服务中心",
    "nursing_home": "养老院",
    "gov": "便民服务中心",
}

# ---------------------------------------------------------------------------
# Hazards found by inspections.
HAZARDS_GENERAL = tuple(
    _words(
        "疏散通道堆放杂物 安全出口上锁 灭火器过期未检 电动车楼道内充电 私拉乱接电线 "
        "应急照明灯损坏 疏散指示标志缺失 消火栓被遮挡 违规使用大功率电器 厨房油烟管道未清洗 "
        "易燃物品靠近电源堆放 液化气瓶未固定 消防控制室无人值守 防火门常开 员工不会使用灭火器"
    ).tolist()
)
HAZARDS_MAJOR = (
    "生产、储存、住宿“三合一”违规住人",
    "大量易燃易爆物品违规存放",
    "自动消防设施瘫痪",
    "人员密集场所安全出口全部封堵",
)
