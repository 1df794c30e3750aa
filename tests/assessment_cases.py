"""The tiny district (tests/conftest.py) with half a year of the plan's records, scored by hand.

Period 2026H1 (2026-01-01 .. 2026-06-30). Zone S4 has no leader, so the coverage
check finds an error in M3 and L2 (a veto). Frequency table: the safety office
once a month in every community and the half-yearly supervision of each town.

=========  ==========================================================  =======
grid       passed (weight) / failed / not applicable                   score
=========  ==========================================================  =======
L1         coverage 15, leaders 10, meetings 10 (61 days),             45.0
           supervision 5, equipment 5, serious_fire 0;
           failed: inspections 11/12, hazards 2/3, publicity 11/12,
           trainings 3/4, drills 1/2                                    /100
L2         leaders fail 2/3, coverage fail (veto); inspections 15,     0 (50.0
           publicity 10, trainings 5, drills 10 pass; meetings fail    = 40/80)
           (62 days), supervision fail; hazards, equipment n/a
M1         coverage 15, leaders 10, inspections 15 (6/6), trainings    70.59
           5 (3 counted 2), drills 10, equipment 5; failed: hazards    (60/85)
           1/2, publicity 5/6 (no March)
M2         coverage 15, leaders 10, hazards 15 (1/1), publicity 10;    62.5
           failed: inspections 5/6, trainings 1/2, drills 0/1;         (50/80)
           equipment n/a
M3         inspections 15, publicity 10, trainings 5; failed:          0 (54.55
           coverage (veto), leaders 1/2; hazards, drills, equipment    = 30/55)
           n/a (its plan was approved in March 2026: not due)
=========  ==========================================================  =======
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from conftest import CRS, make_tiny_layers, pt

from gridmap.standards.inspections import InspectionRequirement, supervision_requirement

PERIOD = "2026H1"
#: The frequency table of the case: the safety office monthly in every community, and the
#: plan's half-yearly supervision of each town (the rule of the scorecard's supervision).
FREQUENCIES = (
    InspectionRequirement(
        "safety_office", "grid_medium", "monthly", "安监办每月检查", "safety office monthly"
    ),
    supervision_requirement(),
)
#: Expected scores: grid -> (score, raw score, rank, vetoed by).
EXPECTED = {
    "L1": (45.0, 45.0, 1, None),
    "L2": (0.0, 50.0, 2, "coverage"),
    "M1": (70.59, 70.59, 1, None),
    "M2": (62.5, 62.5, 2, None),
    "M3": (0.0, 54.55, 3, "coverage"),
}
MONTHS = ("01", "02", "03", "04", "05", "06")
_INSIDE = {"M1": pt(50, 25), "M2": pt(150, 50), "M3": pt(300, 50), "L1": pt(50, 75)}


def _inspections() -> gpd.GeoDataFrame:
    rows = []
    for grid, months in (("M1", MONTHS), ("M2", MONTHS[:5]), ("M3", MONTHS)):
        rows += [(f"2026-{m}-10 10:00", grid) for m in months]
    rows.append(("2026-05-12 10:00", "L1"))  # the town's half-yearly supervision
    return gpd.GeoDataFrame(
        {
            "inspection_id": [f"I{i}" for i in range(len(rows))],
            "inspected_at": [r[0] for r in rows],
            "inspector_role": "safety_office",
            "target_id": [r[1] for r in rows],
            "result": "ok",
        },
        geometry=[_INSIDE[r[1]] for r in rows],
        crs=CRS,
    )


def _hazards() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "hazard_id": ["H1", "H2", "H3", "H4"],
            "found_at": ["2026-01-20", "2026-02-20", "2026-03-10", "2026-06-20"],
            "severity": "general",
            "status": ["rectified", "rectified", "rectified", "open"],
            "deadline": ["2026-02-10", "2026-03-10", "2026-04-01", "2026-08-01"],
            "rectified_at": ["2026-02-08", "2026-03-15", "2026-03-20", None],
        },
        geometry=[pt(20, 20), pt(30, 30), pt(150, 50), pt(300, 50)],
        crs=CRS,
    )


def _trainings() -> pd.DataFrame:
    rows = [(f"2026-{m}-09", "M1", "publicity_day", "community") for m in MONTHS if m != "03"]
    rows += [(f"2026-{m}-09", "M2", "publicity_day", "community") for m in MONTHS]
    rows += [
        (f"2026-{m}-09", "M3" if m != "04" else "S4", "publicity_day", "village") for m in MONTHS
    ]
    rows += [
        ("2026-02-15", "M1", "five_into", "school"),
        ("2026-03-15", "S2", "resident_training", "household"),
        ("2026-05-15", "M1", "unit_training", "enterprise"),
        ("2026-04-15", "M2", "five_into", "enterprise"),
        ("2026-01-20", "M3", "five_into", "village"),
        ("2026-06-20", "S4", "resident_training", "household"),
    ]
    return pd.DataFrame(
        {
            "training_id": [f"T{i}" for i in range(len(rows))],
            "date": [r[0] for r in rows],
            "grid_id": [r[1] for r in rows],
            "kind": [r[2] for r in rows],
            "target": [r[3] for r in rows],
            "participants": 30,
        }
    )


def plan_layers() -> dict[str, pd.DataFrame]:
    """The plan's record layers of the case."""
    return {
        "trainings": _trainings(),
        "emergency_plans": pd.DataFrame(
            {
                "plan_id": ["P1", "P2", "P3", "P4"],
                "grid_id": ["M1", "M2", "L2", "M3"],
                "title": ["朝阳社区预案", "金华社区预案", "峡窝镇预案", "东林村预案"],
                "approved_at": ["2024-01-01", "2024-05-01", "2024-01-01", "2026-03-01"],
                "last_drill_at": [None, None, "2025-09-01", None],
            }
        ),
        "drills": pd.DataFrame(
            {"drill_id": ["D1"], "plan_id": ["P1"], "date": ["2025-11-20"], "participants": [40]}
        ),
        "meetings": pd.DataFrame(
            {
                "meeting_id": [f"MT{i}" for i in range(7)],
                "large_id": ["L1"] * 4 + ["L2"] * 3,
                "date": [
                    "2025-12-20",
                    "2026-02-10",
                    "2026-04-12",  # 61 days after 10 February: on time
                    "2026-06-01",
                    "2026-01-15",
                    "2026-03-17",  # 61 days after 15 January
                    "2026-05-18",  # 62 days after 17 March: late
                ],
                "attendees": 12,
            }
        ),
        "fire_teams": gpd.GeoDataFrame(
            {"team_id": ["F1"], "name": ["朝阳社区微型消防站"], "kind": ["micro_station"]},
            geometry=[pt(60, 60)],
            crs=CRS,
        ),
    }


def case_layers() -> dict[str, pd.DataFrame]:
    """Every layer of the case, as a file would hold them."""
    layers = make_tiny_layers()
    small = layers["grid_small"]
    small.loc[small["grid_id"] == "S4", "leader"] = None
    layers["equipment_points"]["signage"] = [2]  # the pilot kit is complete
    layers["inspections"] = _inspections()
    layers["hazards"] = _hazards()
    layers.update(plan_layers())
    return layers
