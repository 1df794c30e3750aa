"""The plan's equipment standard (消防器材配置标准) and the default demand weights of units.

`EQUIPMENT_STANDARD` is the plan's attachment as one table: what every
equipment storage point (消防器材存放点) holds and what every pilot community
(试点社区) holds in addition. Each line names the inventory field of the
``equipment_points`` layer it is counted in (`gridmap.layers.equipment.INVENTORY_FIELDS`).

Reading of the signage line. The plan says a pilot community gets "signage
(沿街门面店 and the four-abilities sign)". GridMap reads that as two signs per
pilot community: one 沿街门面店消防安全标识牌 (the fire-safety sign for street-front
shops) and one "四个能力"标识牌 (the sign of the four abilities: checking and
removing hazards, fighting an initial fire, organising evacuation, and fire-safety
publicity and education). Both are counted in the single ``signage`` field of the
layer, so a pilot community needs ``signage >= 2``. A district that reads the plan
differently passes its own table.

`UNIT_DEMAND_WEIGHTS` gives the siting demand of one social unit per category,
in households: a key unit (重点单位) weighs as much as ten households.

>>> per_point = standard_per_point()
>>> per_point["extinguishers"], per_point["hoses"]
(4, 2)
>>> standard_per_pilot_community()["signage"]
2
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from gridmap.layers import INVENTORY_FIELDS
from gridmap.schema import UNIT_CATEGORIES


@dataclass(frozen=True)
class EquipmentItem:
    """One line of the standard: an item, its unit, and how many of it the plan requires.

    Parameters
    ----------
    key
        Identifier of the line (stable, English).
    field
        Inventory field of ``equipment_points`` in which the item is counted.
    zh, en
        Item name in Chinese and English.
    unit_zh, unit_en
        Counting unit in Chinese (具, 个, 支 ...) and English.
    per_point
        Number required at every equipment storage point.
    per_pilot_community
        Number required once per pilot community.
    """

    key: str
    field: str
    zh: str
    en: str
    unit_zh: str
    unit_en: str
    per_point: int = 0
    per_pilot_community: int = 0

    @property
    def label_zh(self) -> str:
        """Column header for ledgers, e.g. ``灭火器（具）``."""
        return f"{self.zh}（{self.unit_zh}）"


#: The plan's attachment: the kit of one equipment point and of one pilot community.
EQUIPMENT_STANDARD: tuple[EquipmentItem, ...] = (
    EquipmentItem(
        "extinguishers", "extinguishers", "灭火器", "fire extinguishers", "具", "units", 4
    ),
    EquipmentItem("gas_masks", "gas_masks", "防毒面具", "gas masks", "个", "pieces", 2),
    EquipmentItem("water_guns", "water_guns", "水枪", "water guns", "支", "pieces", 1),
    EquipmentItem("hoses", "hoses", "水带及接口", "hose reels with couplings", "盘", "reels", 2),
    EquipmentItem("wrenches", "wrenches", "消防扳手", "fire wrenches", "把", "pieces", 1),
    EquipmentItem(
        "mist_units",
        "mist_units",
        "细水雾灭火装置",
        "water-mist fire-fighting units",
        "台",
        "units",
        per_pilot_community=1,
    ),
    EquipmentItem(
        "boxes", "boxes", "器材箱", "equipment boxes", "个", "pieces", per_pilot_community=3
    ),
    EquipmentItem(
        "sign_street_shop",
        "signage",
        "沿街门面店消防安全标识牌",
        "fire-safety sign for street-front shops",
        "块",
        "signs",
        per_pilot_community=1,
    ),
    EquipmentItem(
        "sign_four_abilities",
        "signage",
        "“四个能力”标识牌",
        "four-abilities sign",
        "块",
        "signs",
        per_pilot_community=1,
    ),
)

#: Siting demand of one social unit by category, in households (key units heaviest).
UNIT_DEMAND_WEIGHTS: Mapping[str, float] = {
    "key": 10.0,
    "small_venue": 3.0,
    "family_workshop": 3.0,
    "general": 2.0,
    "street_shop": 2.0,
}

#: Siting demand of one household.
HOUSEHOLD_WEIGHT = 1.0


def _per_field(items: Iterable[EquipmentItem], attribute: str) -> dict[str, int]:
    out = dict.fromkeys(INVENTORY_FIELDS, 0)
    for item in items:
        out[item.field] = out.get(item.field, 0) + int(getattr(item, attribute))
    return out


def standard_per_point(
    standard: Iterable[EquipmentItem] = EQUIPMENT_STANDARD,
) -> dict[str, int]:
    """Return required count per inventory field at every equipment point."""
    return _per_field(standard, "per_point")


def standard_per_pilot_community(
    standard: Iterable[EquipmentItem] = EQUIPMENT_STANDARD,
) -> dict[str, int]:
    """Return required count per inventory field once per pilot community."""
    return _per_field(standard, "per_pilot_community")


def check_standard(standard: Iterable[EquipmentItem]) -> None:
    """Raise `ValueError` if a table line counts in an unknown field or has a negative count."""
    bad = [
        f"{item.key}: field {item.field!r} is not an inventory field of equipment_points"
        for item in standard
        if item.field not in INVENTORY_FIELDS
    ]
    bad += [
        f"{item.key}: negative count"
        for item in standard
        if item.per_point < 0 or item.per_pilot_community < 0
    ]
    if bad:
        raise ValueError("; ".join(bad) + f". Inventory fields: {', '.join(INVENTORY_FIELDS)}.")


def check_unit_weights(weights: Mapping[str, float]) -> None:
    """Raise `ValueError` unless every unit category has a non-negative weight."""
    missing = [c for c in UNIT_CATEGORIES if c not in weights]
    negative = [c for c, w in weights.items() if w < 0]
    if missing or negative:
        raise ValueError(
            f"unit demand weights: missing {missing}, negative {negative}; "
            f"give a weight >= 0 for each of {', '.join(UNIT_CATEGORIES)}."
        )
