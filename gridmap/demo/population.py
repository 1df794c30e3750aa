"""Households and social units of the sample district, placed in their buildings."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeAlias

import geopandas as gpd
import numpy as np
import shapely

from gridmap.demo import names
from gridmap.demo.grids import CRS

#: Members per household: 1..6 people.
MEMBERS_P = np.array([0.14, 0.30, 0.26, 0.18, 0.08, 0.04])
PHONE_SHARE = 0.92  # households that left a phone number
UNIT_TARGET = 1500


def points_in_buildings(rng: np.random.Generator, geoms: np.ndarray, margin: float = 0.15):
    """One random point inside each rectangular footprint (kept ``margin`` from its walls)."""
    corners = shapely.get_coordinates(geoms).reshape(len(geoms), 5, 2)
    s = rng.uniform(margin, 1 - margin, (len(geoms), 1))
    t = rng.uniform(margin, 1 - margin, (len(geoms), 1))
    xy = corners[:, 0] + s * (corners[:, 1] - corners[:, 0]) + t * (corners[:, 3] - corners[:, 0])
    return shapely.points(np.round(xy, 2))


def build_households(
    rng: np.random.Generator, buildings: gpd.GeoDataFrame, skip: tuple[str, ...] = ()
) -> gpd.GeoDataFrame:
    """``households_expected`` households in every residential or mixed building.

    Buildings whose id is in ``skip`` get none (a planted defect).
    """
    count = buildings["households_expected"].to_numpy().copy()
    count[buildings["building_id"].isin(skip).to_numpy()] = 0
    owner = np.repeat(np.arange(len(buildings)), count)
    n = owner.size
    phone = names.phones(rng, n)
    phone[rng.random(n) > PHONE_SHARE] = None
    return gpd.GeoDataFrame(
        {
            "household_id": names.format_ids("H", np.arange(1, n + 1), 7),
            "building_id": buildings["building_id"].to_numpy()[owner],
            "members": (rng.choice(6, size=n, p=MEMBERS_P) + 1).astype(np.int64),
            "head": names.person_names(rng, n),
            "phone": phone,
        },
        geometry=points_in_buildings(rng, buildings.geometry.values[owner]),
        crs=CRS,
    )


# ---------------------------------------------------------------------------
# Social units
def _pick(r: float, *options: tuple[float, str]) -> list[str]:
    """Return the first option whose threshold ``r`` is below, as a one-item list (or none)."""
    return next(([kind] for limit, kind in options if r < limit), [])


def _mixed(rng: np.random.Generator, n: int, p_shop: float) -> list[str]:
    return ["shop" if x < p_shop else "venue" for x in rng.random(n)]


#: f(rng, r, length, floors) -> the kinds of the units (slots) a building holds.
SlotRule: TypeAlias = Callable[[np.random.Generator, float, float, int], list[str]]


def _itself(tag: str) -> SlotRule:
    """Return the rule of a public building (a school, a clinic ...): one unit of its own kind."""
    return lambda rng, r, length, fl: [tag]


#: Units a building holds, by building tag.
SLOT_RULES: dict[str, SlotRule] = {
    "frontage": lambda rng, r, length, fl: _mixed(rng, max(1, round(length / 12)), 0.55),
    "village_shop": lambda rng, r, length, fl: _pick(r, (0.75, "village_shop"), (1, "workshop")),
    "shops": lambda rng, r, length, fl: [
        str(k)
        for k in rng.choice(["shop", "venue", "office"], int(rng.integers(2, 5)), p=[0.5, 0.4, 0.1])
    ],
    "mall": lambda rng, r, length, fl: ["mall", *_mixed(rng, int(rng.integers(2, 6)), 0.6)],
    "market": lambda rng, r, length, fl: ["market", *_mixed(rng, int(rng.integers(2, 6)), 0.6)],
    "office": lambda rng, r, length, fl: ["office"] * int(rng.integers(2, 6)),
    "hotel": lambda rng, r, length, fl: ["hotel" if fl >= 10 else "venue"],
    "big_shed": lambda rng, r, length, fl: _pick(r, (0.45, "big_plant"), (1, "plant")),
    "shed": lambda rng, r, length, fl: _pick(r, (0.7, "plant"), (0.9, "workshop")),
    "workshop": lambda rng, r, length, fl: _pick(r, (0.6, "workshop")),
    **{tag: _itself(tag) for tag in names.PUBLIC_SUFFIXES},
}


def _slots(
    rng: np.random.Generator, tags: np.ndarray, lengths: np.ndarray, floors: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Candidate units: (building index, pattern) pairs, by what kind of building it is."""
    b_idx: list[int] = []
    kinds: list[str] = []
    r = rng.random(len(tags))
    for i, (tag, length, fl) in enumerate(zip(tags.tolist(), lengths, floors, strict=True)):
        rule = SLOT_RULES.get(tag)
        if rule is not None:
            got = rule(rng, r[i], length, fl)
            b_idx += [i] * len(got)
            kinds += got
    return np.array(b_idx, int), np.array(kinds)


def _stem(address: str) -> str:
    m = re.match(r"^(.+?(?:路|街|村|社区))", address)
    return m.group(1) if m else address[:3]


def _unit_name(rng: np.random.Generator, kind: str, stem: str) -> tuple[str, str]:
    """(category, name) for a slot of the given pattern."""
    trade = names.trade_name(rng, small_shop=kind in ("shop", "venue", "workshop", "village_shop"))
    if kind in names.PUBLIC_SUFFIXES:
        suffix = names.PUBLIC_SUFFIXES[kind]
        category = "general" if kind == "gov" else "key"
        return category, (f"上街区{stem}{suffix}" if kind != "gov" else f"{stem}{suffix}")
    if kind == "market":
        return "key", f"{stem}{rng.choice(['农贸市场', '批发市场'])}"
    if kind == "mall":
        return "key", f"{trade}{rng.choice(['购物广场', '商场', '百货大楼'])}"
    if kind == "hotel":
        return "key", f"{trade}大酒店"
    if kind == "big_plant":
        return "key", f"郑州{trade}{rng.choice(names.UNIT_PATTERNS['big_plant'][1])}"
    category, suffixes = names.UNIT_PATTERNS[kind]
    suffix = str(rng.choice(suffixes))
    if kind == "workshop" and rng.random() < 0.5:
        return category, f"{rng.choice(names.SURNAMES)}记{suffix}"
    if kind in ("office", "plant"):
        return category, f"郑州{trade}{suffix}" if rng.random() < 0.5 else f"{trade}{suffix}"
    return category, f"{trade}{suffix}"


def build_units(
    rng: np.random.Generator, buildings: gpd.GeoDataFrame, tags: np.ndarray
) -> gpd.GeoDataFrame:
    """About ``UNIT_TARGET`` social units in commercial, mixed, public and industrial buildings."""
    geoms = buildings.geometry.values
    corners = shapely.get_coordinates(geoms).reshape(len(geoms), 5, 2)
    lengths = np.hypot(*(corners[:, 1] - corners[:, 0]).T)
    tags = np.where(
        (buildings["use"].to_numpy() == "mixed") & (tags == "old_house"), "village_shop", tags
    )
    b_idx, kinds = _slots(rng, tags, lengths, buildings["floors"].to_numpy())
    big = np.isin(kinds, ["mall", "market", "hotel", "big_plant", *names.PUBLIC_SUFFIXES])
    others = np.flatnonzero(~big)
    room = max(0, UNIT_TARGET - int(big.sum()))
    chosen = np.sort(
        np.r_[np.flatnonzero(big), rng.choice(others, size=min(room, others.size), replace=False)]
    )
    b_idx, kinds = b_idx[chosen], kinds[chosen]
    addresses = buildings["address"].to_numpy()
    cats: list[str] = []
    unit_names: list[str] = []
    seen: set[str] = set()
    for i, kind in zip(b_idx.tolist(), kinds.tolist(), strict=True):
        stem = _stem(addresses[i])
        cat, name = _unit_name(rng, kind, stem)
        cats.append(cat)
        unit_names.append(_unique(name, kind, stem, seen))
    n = len(b_idx)
    return gpd.GeoDataFrame(
        {
            "unit_id": names.format_ids("U", np.arange(1, n + 1), 5),
            "name": np.array(unit_names, object),
            "category": np.array(cats, object),
            "manager": names.person_names(rng, n),
            "phone": names.phones(rng, n),
            "building_id": buildings["building_id"].to_numpy()[b_idx],
        },
        geometry=points_in_buildings(rng, geoms[b_idx], margin=0.2),
        crs=CRS,
    )


def _cn(k: int) -> str:
    return "一二三四五六七八九十"[k - 1] if k <= 10 else str(k)


def _unique(name: str, kind: str, stem: str, seen: set[str]) -> str:
    """``name``, or a branch name like 某某超市金屏路店 / 上街区某路第二小学 if it is taken."""
    cand, k = name, 1
    while cand in seen:
        k += 1
        if kind in names.PUBLIC_SUFFIXES or kind == "market":
            suffix = names.PUBLIC_SUFFIXES.get(kind, name[-4:])
            cand = f"{name[: -len(suffix)]}第{_cn(k)}{suffix}"
        elif kind in ("office", "plant", "big_plant"):
            cand = f"{name}{stem}{'' if k == 2 else _cn(k - 1)}分公司"
        else:
            cand = f"{name}{stem}{'' if k == 2 else _cn(k - 1)}店"
    seen.add(cand)
    return cand
