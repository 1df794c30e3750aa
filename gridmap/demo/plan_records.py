"""A year of the plan's other records (2025-11-01 to 2026-10-31), with realistic lapses.

Every community and village holds a publicity day each month and a few "five
into", unit and resident trainings; every town and community has an emergency
plan drilled in November (消防宣传月) and again during 2026; every town holds its
joint meeting every 45-60 days; every community has a micro fire station or a
volunteer team, every town a patrol team, and the district one professional
station. Planted lapses: three communities skip a month's publicity day, one
logs no training in the first half of 2026, one plan is never drilled, one
town goes 75-90 days without a joint meeting in spring 2026.

The records come from their own random stream, so adding them leaves every
other layer of the sample exactly as it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import cast

import geopandas as gpd
import numpy as np
import pandas as pd

from gridmap.demo import names
from gridmap.demo.defects import PlantedDefect
from gridmap.demo.equipment import random_points
from gridmap.demo.grids import CRS
from gridmap.demo.records import DAYS, YEAR_START, _month_starts, _weekday

H1_2026 = (61, 241)  # day indices of 2026-01-01 and 2026-06-30
PUBLICITY_TOPICS = (
    "冬季防火",
    "春节烟花爆竹安全",
    "电动自行车安全充电",
    "家庭用火用电安全",
    "燃气安全",
    "夏季防火",
    "高层建筑逃生自救",
    "119 消防宣传月",
)
DRILL_NOTES = ("疏散逃生演练", "初起火灾扑救演练", "消火栓出水演练", "燃气泄漏处置演练")
MEETING_TOPICS = (
    "部署冬春火灾防控工作",
    "通报隐患整改情况",
    "研究重大隐患挂牌督办",
    "部署夏季消防检查",
    "总结半年网格化管理工作",
    "部署消防宣传月活动",
)
TEAM_EQUIPMENT = {
    "professional": "水罐消防车 2 辆、抢险救援车 1 辆、空气呼吸器 12 具",
    "micro_station": "灭火器 10 具、水枪 2 支、水带 4 盘、消防摩托车 1 辆",
    "volunteer": "灭火器 8 具、水枪 1 支、水带 2 盘、手抬机动泵 1 台",
    "patrol": "灭火器 6 具、巡逻电动车 2 辆、对讲机 4 部",
}


@dataclass(frozen=True)
class PlanLapses:
    """The planted gaps in the plan's records."""

    publicity_missed: dict[str, tuple[int, ...]]  # community -> months (0 = 2025-11) skipped
    no_training: str  # community without trainings in 2026H1
    never_drilled: str  # plan id
    meeting_gap: tuple[str, int, int]  # town, first and last day index of the long interval


def _day(index: int) -> str:
    return str((YEAR_START + pd.Timedelta(days=int(index))).date())


def _times(days: np.ndarray, rng: np.random.Generator, lo: int = 9, hi: int = 17) -> pd.Series:
    minutes = np.asarray(days, np.int64) * 1440 + rng.integers(lo * 60, hi * 60, len(days))
    return pd.Series(YEAR_START + pd.to_timedelta(minutes, unit="min")).dt.as_unit("ns")


def _lapses(rng: np.random.Generator, medium: gpd.GeoDataFrame, n_plans: int) -> dict:
    picked = [medium["grid_id"].iat[i] for i in rng.choice(len(medium), 4, replace=False)]
    return {
        "publicity_missed": dict(
            sorted({picked[0]: (3,), picked[1]: (5, 9), picked[2]: (1,)}.items())
        ),
        "no_training": picked[3],
        "never_drilled": int(rng.integers(n_plans)),
    }


def _trainings(rng, medium, small, lapses) -> pd.DataFrame:
    months = _month_starts()
    rows: dict[str, list] = {k: [] for k in ("day", "grid_id", "kind", "target", "note", "n")}

    def add(days, grid, kind, *, target, note, n):
        rows["day"] += list(days)
        rows["grid_id"] += [grid] * len(days) if isinstance(grid, str) else list(grid)
        rows["kind"] += [kind] * len(days) if isinstance(kind, str) else list(kind)
        rows["target"] += list(target)
        rows["note"] += list(note)
        rows["n"] += list(n)

    for gid, kind in zip(medium["grid_id"], medium["kind"], strict=True):
        held = np.setdiff1d(np.arange(12), lapses["publicity_missed"].get(gid, ()))
        days = _weekday(months[held] + rng.integers(0, 20, held.size))
        topics = rng.choice(PUBLICITY_TOPICS, held.size)
        add(
            days,
            gid,
            "publicity_day",
            target=[kind] * held.size,
            note="消防宣传日：" + topics,
            n=rng.integers(30, 151, held.size),
        )
        zones = small.loc[small["parent_id"] == gid, "grid_id"].to_numpy(object)
        first = rng.integers(H1_2026[0], H1_2026[1] - 20, int(rng.integers(2, 4)))
        rest = rng.choice(np.r_[0 : H1_2026[0], H1_2026[1] + 1 : DAYS - 5], int(rng.integers(2, 4)))
        days = _weekday(np.sort(np.r_[rest, first] if gid != lapses["no_training"] else rest))
        kinds = rng.choice(
            ("five_into", "five_into", "unit_training", "resident_training"), days.size
        )
        five = rng.choice(("school", "enterprise", "household", kind), days.size)
        target = np.where(
            kinds == "five_into",
            five,
            np.where(kinds == "unit_training", "enterprise", "household"),
        )
        where = np.where(
            (kinds == "resident_training") & (zones.size > 0),
            rng.choice(zones, days.size) if zones.size else gid,
            gid,
        )
        note = np.select(
            [kinds == "five_into", kinds == "unit_training"],
            ["“五进”消防宣传", "单位消防安全培训"],
            "居民消防知识培训",
        )
        add(days, where, kinds, target=target, note=note, n=rng.integers(20, 121, days.size))
    frame = pd.DataFrame(rows).sort_values(["day", "grid_id"], kind="stable").reset_index(drop=True)
    return pd.DataFrame(
        {
            "training_id": names.format_ids("T", np.arange(1, len(frame) + 1), 5),
            "date": _times(frame["day"].to_numpy(), rng),
            "grid_id": frame["grid_id"].astype(object),
            "kind": frame["kind"].astype(object),
            "target": frame["target"].astype(object),
            "participants": frame["n"].astype(np.int64),
            "note": frame["note"].astype(object),
        }
    )


def _plans(rng, large, medium) -> pd.DataFrame:
    towns = pd.DataFrame(
        {"grid_id": large["grid_id"], "title": large["name"] + "消防安全应急处置预案"}
    )
    comms = pd.DataFrame(
        {"grid_id": medium["grid_id"], "title": medium["name"] + "火灾事故应急处置预案"}
    )
    extra = medium.iloc[rng.choice(len(medium), 2, replace=False)]
    new = pd.DataFrame(
        {"grid_id": extra["grid_id"], "title": extra["name"] + "电动自行车火灾专项预案"}
    )
    plans = pd.concat([towns, comms], ignore_index=True)
    approved = pd.Timestamp("2023-03-01", tz=YEAR_START.tz) + pd.to_timedelta(
        rng.integers(0, 820, len(plans)), unit="D"
    )  # 2023-03 to 2025-05
    new_approved = YEAR_START + pd.to_timedelta(
        rng.integers(125, 170, len(new)), unit="D"
    )  # 2026-03/04
    out = pd.concat([plans, new], ignore_index=True)
    # np.r_ of two DatetimeIndex is an object array of Timestamps (the stubs: of anything).
    stamps = cast("pd.Series[pd.Timestamp]", pd.Series(np.r_[approved, new_approved]))
    out["approved_at"] = stamps.dt.normalize().dt.as_unit("ns")
    out.insert(0, "plan_id", names.format_ids("EP", np.arange(1, len(out) + 1), 3))
    out["new"] = np.r_[np.zeros(len(plans), bool), np.ones(len(new), bool)]
    return out


def _drills(rng, plans: pd.DataFrame, never: str) -> pd.DataFrame:
    rows = []
    for plan_id, new in zip(plans["plan_id"], plans["new"], strict=True):
        if plan_id == never:
            continue
        days = [] if new else [int(_weekday(np.array([rng.integers(1, 28)]))[0])]  # November
        days.append(int(_weekday(np.array([rng.integers(175 if new else 120, DAYS - 10)]))[0]))
        rows += [(plan_id, d) for d in days]
    frame = pd.DataFrame(rows, columns=["plan_id", "day"]).sort_values(["day", "plan_id"])
    return pd.DataFrame(
        {
            "drill_id": names.format_ids("D", np.arange(1, len(frame) + 1), 4),
            "plan_id": frame["plan_id"].to_numpy(object),
            "date": _times(frame["day"].to_numpy(), rng).to_numpy(),
            "participants": rng.integers(15, 121, len(frame)).astype(np.int64),
            "note": rng.choice(DRILL_NOTES, len(frame)).astype(object),
        }
    )


def _meetings(rng, large) -> tuple[pd.DataFrame, str]:
    """Date the joint meetings: every 45-60 days per town (a weekend date moves to Monday).

    One town, after its first meeting from February 2026, waits 72-87 days (all inside
    2026H1).
    """
    towns = large["grid_id"].tolist()
    late = towns[int(rng.integers(len(towns)))]
    rows = []
    for town in towns:
        day, long_done = int(rng.integers(5, 21)), town != late
        while day < DAYS:
            rows.append((town, day))
            step = int(rng.integers(45, 59))
            if not long_done and day >= H1_2026[0] + 31:
                step, long_done = int(rng.integers(72, 86)), True
            day += step
            if day < DAYS - 2:
                day = int(_weekday(np.array([day]))[0])
    frame = pd.DataFrame(rows, columns=["large_id", "day"]).sort_values(["day", "large_id"])
    meetings = pd.DataFrame(
        {
            "meeting_id": names.format_ids("MT", np.arange(1, len(frame) + 1), 3),
            "large_id": frame["large_id"].to_numpy(object),
            "date": _times(frame["day"].to_numpy(), rng, 9, 11).to_numpy(),
            "attendees": rng.integers(8, 21, len(frame)).astype(np.int64),
            "topics": rng.choice(MEETING_TOPICS, len(frame)).astype(object),
        }
    )
    return meetings, late


def _longest_gap(meetings: pd.DataFrame, town: str) -> tuple[int, int]:
    days = np.sort(
        (meetings.loc[meetings["large_id"] == town, "date"] - YEAR_START).dt.days.to_numpy()
    )
    i = int(np.argmax(np.diff(days)))
    return int(days[i]), int(days[i + 1])


def _fire_teams(rng, large, medium) -> gpd.GeoDataFrame:
    kinds = np.where(medium["kind"].to_numpy() == "village", "volunteer", "micro_station")
    suffix = np.where(kinds == "volunteer", "志愿消防队", "微型消防站")
    grids = pd.concat(
        [medium[["grid_id", "name", "geometry"]], large[["grid_id", "name", "geometry"]]]
    )
    kinds = np.r_[kinds, np.full(len(large), "patrol")]
    suffix = np.r_[suffix, np.full(len(large), "消防巡防队")]
    station = int(rng.integers(len(large)))
    grids = pd.concat([grids, large.iloc[[station]][["grid_id", "name", "geometry"]]])
    kinds, suffix = np.append(kinds, "professional"), np.append(suffix, "消防救援站")
    names_ = grids["name"].to_numpy(object) + suffix
    names_[-1] = "上街区消防救援站"
    size = {
        "professional": (25, 41),
        "micro_station": (6, 11),
        "volunteer": (10, 31),
        "patrol": (8, 16),
    }
    xy = np.vstack([random_points(rng, g, 1) for g in grids.geometry])
    return gpd.GeoDataFrame(
        {
            "team_id": names.format_ids("FT", np.arange(1, len(grids) + 1), 3),
            "name": names_,
            "kind": kinds.astype(object),
            "grid_id": grids["grid_id"].to_numpy(object),
            "members": np.array([rng.integers(*size[k]) for k in kinds], np.int64),
            "leader": names.person_names(rng, len(grids)),
            "phone": names.phones(rng, len(grids)),
            "equipment": np.array([TEAM_EQUIPMENT[k] for k in kinds], object),
        },
        geometry=gpd.points_from_xy(np.round(xy[:, 0], 2), np.round(xy[:, 1], 2)),
        crs=CRS,
    )


def build_plan_records(
    rng: np.random.Generator, layers: dict[str, gpd.GeoDataFrame]
) -> tuple[dict[str, pd.DataFrame], PlanLapses]:
    """Return the five record layers (tables but the fire teams) and their planted lapses."""
    large, medium, small = layers["grid_large"], layers["grid_medium"], layers["grid_small"]
    plans = _plans(rng, large, medium)
    lapse = _lapses(rng, medium, int((~plans["new"]).sum()))
    never = str(plans["plan_id"].iat[lapse["never_drilled"]])
    trainings = _trainings(rng, medium, small, lapse)
    drills = _drills(rng, plans, never)
    latest = drills.groupby("plan_id")["date"].max()
    plans["last_drill_at"] = plans["plan_id"].map(latest)
    meetings, late = _meetings(rng, large)
    teams = _fire_teams(rng, large, medium)
    gap = (late, *_longest_gap(meetings, late))
    lapses = PlanLapses(lapse["publicity_missed"], lapse["no_training"], never, gap)
    return {
        "trainings": trainings,
        "fire_teams": teams,
        "emergency_plans": plans.drop(columns="new"),
        "drills": drills,
        "meetings": meetings,
    }, lapses


def _month(k: int) -> str:
    return (YEAR_START + pd.DateOffset(months=k)).strftime("%Y-%m")


def plan_defects(
    lapses: PlanLapses, records: dict[str, pd.DataFrame], layers: dict[str, gpd.GeoDataFrame]
) -> list[PlantedDefect]:
    """Return the planted lapses as `PlantedDefect` rows (found by `gridmap assess`)."""
    medium = layers["grid_medium"].set_index("grid_id")["name"]
    missed = lapses.publicity_missed
    en = "; ".join(f"{c} in {' and '.join(_month(k) for k in ks)}" for c, ks in missed.items())
    zh = "；".join(
        f"{c}（{medium[c]}）{'、'.join(_month(k) for k in ks)}" for c, ks in missed.items()
    )
    plans = records["emergency_plans"].set_index("plan_id")
    never = lapses.never_drilled
    never_title = str(plans.at[never, "title"])
    town, a, b = lapses.meeting_gap
    c = lapses.no_training
    return [
        PlantedDefect(
            "publicity_day_missed",
            "grid_medium",
            tuple(missed),
            f"{len(missed)} communities skipped the monthly publicity day: {en}.",
            f"{len(missed)} 个社区（村）有月份未开展消防宣传日：{zh}。",
        ),
        PlantedDefect(
            "training_missing",
            "grid_medium",
            (c,),
            f"Community {c} logged no training besides its publicity days in 2026H1 "
            "(two per half year required).",
            f"社区（村）{c}（{medium[c]}）2026 年上半年除消防宣传日外无宣传培训记录"
            "（每半年应不少于 2 次）。",
        ),
        PlantedDefect(
            "drill_never",
            "emergency_plans",
            (never,),
            f"Plan {never} ({never_title}) has never been drilled "
            "(one drill per plan per year required).",
            f"预案 {never}（{never_title}）从未组织演练（每个预案每年至少演练一次）。",
        ),
        PlantedDefect(
            "meeting_interval_long",
            "grid_large",
            (town,),
            f"Town {town} held no joint meeting for {b - a} days, from {_day(a)} to {_day(b)} "
            "(at most 61 days between meetings).",
            f"镇（街道）{town} 自 {_day(a)} 至 {_day(b)} 间隔 {b - a} 天未召开联席会议"
            "（间隔不得超过 61 天）。",
        ),
    ]
