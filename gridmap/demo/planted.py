"""The defects planted in the sample district of the default seed (generated: do not edit).

Regenerate with `gridmap.demo.defects.planted_source` after any change to the generator;
``tests/cli/test_demo.py`` checks that this list matches a fresh build of `DEFAULT_SEED`.
"""

from __future__ import annotations

from gridmap.demo.defects import PlantedDefect

PLANTED_DEFECTS: list[PlantedDefect] = [
    PlantedDefect(
        "gap",
        "grid_medium",
        ("410106005001",),
        "About 522 m² of medium grid 410106005001 belongs to no small grid: a sliver was cut off "
        "zone 410106005001001 along its border with zone 410106005001003.",
        "中网格 410106005001 内约 522 平方米不属于任何小网格：小网格 410106005001001 与 "
        "410106005001003 交界处被切去一条。",
    ),
    PlantedDefect(
        "overlap",
        "grid_small",
        ("410106005003002", "410106005003005"),
        "Zone 410106005003002 reaches about 250 m² into its neighbour 410106005003005.",
        "小网格 410106005003002 越界约 250 平方米，与相邻小网格 410106005003005 重叠。",
    ),
    PlantedDefect(
        "building_split",
        "buildings",
        ("B004624",),
        "Building B004624 (a market hall) straddles the border of zones 410106100204003 and "
        "410106100204004.",
        "楼栋 B004624（农贸市场）跨越小网格 410106100204003 与 410106100204004 的边界。",
    ),
    PlantedDefect(
        "no_leader",
        "grid_small",
        ("410106004001002",),
        "Zone 410106004001002 has no named leader (blank leader and phone).",
        "小网格 410106004001002 未明确网格负责人（负责人、电话为空）。",
    ),
    PlantedDefect(
        "household_missed",
        "households",
        (
            "H0040166",
            "H0040167",
            "H0040168",
            "H0040169",
            "H0040170",
            "H0040171",
            "H0040172",
            "H0040173",
        ),
        "8 households belong to building B004532, which is missing from the building ledger.",
        "8 户住户所属楼栋 B004532 未登记在楼栋台帐中。",
    ),
    PlantedDefect(
        "building_no_households",
        "buildings",
        ("B002055",),
        "Residential building B002055 should hold 20 households but none is registered.",
        "住宅楼 B002055 应有 20 户，但未登记任何住户。",
    ),
    PlantedDefect(
        "no_community_inspection",
        "grid_small",
        ("410106004004001",),
        "Zone 410106004004001 was never inspected by community staff (weekly visits required, 52 "
        "expected).",
        "小网格 410106004004001 全年无社区（村）人员巡查记录。",
    ),
    PlantedDefect(
        "community_inspection_gap",
        "grid_small",
        (
            "410106001002002",
            "410106001005004",
            "410106002004002",
            "410106003001001",
            "410106003001005",
            "410106003002005",
            "410106003004002",
            "410106004004004",
            "410106005003003",
            "410106005202002",
            "410106100202004",
            "410106100204001",
        ),
        "12 zones missed their weekly community visit: 410106003001001 from the week of "
        "2025-12-29, 4 weeks; 410106003002005 from the week of 2026-08-17, 6 weeks; "
        "410106100204001 from the week of 2026-02-23, 6 weeks running; the others a single week.",
        "12 个小网格有漏周巡查，其中 410106003001001、410106003002005、410106100204001 连续 4-7 周"
        "无社区（村）人员巡查，其余各漏 1 周。",
    ),
    PlantedDefect(
        "patrol_missed_days",
        "grid_medium",
        (
            "410106002001",
            "410106003001",
            "410106004004",
            "410106005202",
            "410106100204",
            "410106100205",
            "410106100207",
        ),
        "7 patrol teams missed days: 410106004004 2026-02-15 to 2026-02-23; 410106100204 "
        "2026-02-15 to 2026-02-23; 410106100205 2026-07-20 to 2026-07-29 running; the others one "
        "to three single days.",
        "7 个社区（村）巡防队有缺巡，其中 410106004004、410106100204、410106100205 连续 8-10 天无"
        "巡查记录，其余零星缺巡 1-3 天。",
    ),
    PlantedDefect(
        "hazard_overdue",
        "hazards",
        (
            "HZ0032",
            "HZ0079",
            "HZ0081",
            "HZ0118",
            "HZ0174",
            "HZ0207",
            "HZ0244",
            "HZ0264",
            "HZ0295",
            "HZ0297",
            "HZ0313",
            "HZ0315",
            "HZ0329",
            "HZ0351",
        ),
        "14 open hazards are past their deadline on 2026-10-31.",
        "截至 2026-10-31，14 处隐患逾期未整改。",
    ),
    PlantedDefect(
        "equipment_short",
        "equipment_points",
        (
            "E005",
            "E006",
            "E009",
            "E013",
            "E024",
            "E025",
            "E026",
            "E030",
            "E032",
            "E037",
            "E040",
            "E061",
            "E063",
        ),
        "13 equipment storage points hold less than the standard kit.",
        "13 个消防器材存放点器材未按标准配齐。",
    ),
    PlantedDefect(
        "publicity_day_missed",
        "grid_medium",
        ("410106001004", "410106002003", "410106002004"),
        "3 communities skipped the monthly publicity day: 410106001004 in 2026-04 and 2026-08; "
        "410106002003 in 2025-12; 410106002004 in 2026-02.",
        "3 个社区（村）有月份未开展消防宣传日：410106001004（汇丰社区）2026-04、2026-08；"
        "410106002003（龙翔社区）2025-12；410106002004（锦绣社区）2026-02。",
    ),
    PlantedDefect(
        "training_missing",
        "grid_medium",
        ("410106002002",),
        "Community 410106002002 logged no training besides its publicity days in 2026H1 (two per "
        "half year required).",
        "社区（村）410106002002（和平社区）2026 年上半年除消防宣传日外无宣传培训记录（每半年应不少"
        "于 2 次）。",
    ),
    PlantedDefect(
        "drill_never",
        "emergency_plans",
        ("EP029",),
        "Plan EP029 (东岭村火灾事故应急处置预案) has never been drilled (one drill per plan per "
        "year required).",
        "预案 EP029（东岭村火灾事故应急处置预案）从未组织演练（每个预案每年至少演练一次）。",
    ),
    PlantedDefect(
        "meeting_interval_long",
        "grid_large",
        ("410106004",),
        "Town 410106004 held no joint meeting for 77 days, from 2026-02-23 to 2026-05-11 (at most "
        "61 days between meetings).",
        "镇（街道）410106004 自 2026-02-23 至 2026-05-11 间隔 77 天未召开联席会议（间隔不得超过 "
        "61 天）。",
    ),
]
