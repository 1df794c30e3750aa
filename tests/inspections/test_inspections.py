"""Schedule compliance on hand-built timelines with answers worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from inspection_cases import district_with, inspection

from gridmap.analysis.inspections import (
    COMPLIANCE_COLUMNS,
    as_date,
    assign_inspections,
    compliance,
    compliance_records,
    compliance_summary,
    period_numbers,
    select_inspections,
    worst_status,
)
from gridmap.standards.inspections import DEFAULT_FREQUENCIES, InspectionRequirement


def row(result: pd.DataFrame, grid: str, role: str) -> dict:
    hit = result[(result["grid_id"] == grid) & (result["role"] == role)]
    assert len(hit) == 1, hit
    return hit.iloc[0].to_dict()


def test_columns_and_one_row_per_requirement_and_grid() -> None:
    result = compliance(district_with(), start="2025-06-01", end="2025-06-30")
    assert tuple(result.columns) == COMPLIANCE_COLUMNS
    # 2 large x 2 rules + 3 medium x 2 rules + 4 small x 1 rule
    assert len(result) == 14
    assert result["level"].tolist()[:4] == ["grid_large"] * 4


def test_zone_with_no_inspections_at_all_is_never() -> None:
    result = compliance(district_with(), start="2025-06-01", end="2025-06-30")
    s4 = row(result, "S4", "community")
    # June 2025 holds 4 whole ISO weeks (2-8, 9-15, 16-22, 23-29); 1 and 30 June are cut off.
    assert (s4["required"], s4["done"], s4["status"]) == (4, 0, "never")
    assert s4["longest_gap_days"] == 30  # the whole range
    due = result["required"] > 0
    assert set(result.loc[due, "status"]) == {"never"}
    # No whole half year lies in June: the supervision rule asks nothing of it.
    assert set(result.loc[~due, "role"]) == {"safety_office"}
    assert set(result.loc[~due, "status"]) == {"on_schedule"}


@pytest.mark.parametrize(
    ("at", "day", "done"),
    [
        ("2025-06-02 00:00:00", "2025-06-01", 0),  # midnight starts 2 June
        ("2025-06-02 00:00:00", "2025-06-02", 1),
        ("2025-06-01 23:59:59", "2025-06-01", 1),
        ("2025-06-01 23:59:59", "2025-06-02", 0),
    ],
)
def test_an_inspection_at_midnight_belongs_to_the_day_it_starts(
    at: str, day: str, done: int
) -> None:
    district = district_with([inspection(at, "patrol", "S1")])
    assert row(compliance(district, start=day, end=day), "M1", "patrol")["done"] == done


@pytest.mark.parametrize(
    ("at", "day", "done"),
    [
        ("2025-05-31T16:30:00Z", "2025-06-01", 1),  # 00:30 on 1 June in Shanghai
        ("2025-05-31T16:30:00Z", "2025-05-31", 0),
        ("2025-05-31T15:59:59Z", "2025-05-31", 1),  # 23:59:59 on 31 May in Shanghai
        ("2025-06-01T00:30:00+08:00", "2025-06-01", 1),
        ("2025-06-01T01:30:00+09:00", "2025-06-01", 1),  # Tokyo 01:30 = Shanghai 00:30
    ],
)
def test_time_zones_are_compared_in_shanghai(at: str, day: str, done: int) -> None:
    district = district_with([inspection(at, "patrol", "S2")])
    assert row(compliance(district, start=day, end=day), "M1", "patrol")["done"] == done


def test_stored_times_are_shanghai_times() -> None:
    district = district_with([inspection("2025-05-31T16:30:00Z", "patrol", "S2")])
    stamp = district["inspections"]["inspected_at"].iloc[0]
    assert str(stamp.tz) == "Asia/Shanghai"
    assert stamp == pd.Timestamp("2025-06-01 00:30", tz="Asia/Shanghai")


def test_iso_week_boundary_sunday_night_and_monday_midnight() -> None:
    # Sunday 8 June 23:59 is week 2-8 June; Monday 9 June 00:00 starts week 9-15 June.
    both_weeks = district_with(
        [
            inspection("2025-06-08 23:59", "community", "S1"),
            inspection("2025-06-09 00:00", "community", "S1"),
        ]
    )
    s1 = row(compliance(both_weeks, start="2025-06-02", end="2025-06-15"), "S1", "community")
    assert (s1["required"], s1["done"], s1["status"]) == (2, 2, "on_schedule")
    assert s1["longest_gap_days"] == 7  # 2 -> 8 June (6), 8 -> 9 (1), 9 -> 16 June (7)

    one_week = district_with(
        [
            inspection("2025-06-02 08:00", "community", "S1"),
            inspection("2025-06-08 23:59", "community", "S1"),
        ]
    )
    s1 = row(compliance(one_week, start="2025-06-02", end="2025-06-15"), "S1", "community")
    assert (s1["required"], s1["done"], s1["status"]) == (2, 1, "late")
    assert s1["longest_gap_days"] == 8  # 8 June -> 16 June


def test_daily_patrol_every_day_is_on_schedule_and_one_missing_day_is_late() -> None:
    days = [
        f"2025-06-0{d} {h:02d}:15"
        for d, h in zip(range(1, 8), (8, 23, 0, 12, 6, 19, 9), strict=True)
    ]
    full = district_with([inspection(d, "patrol", "S1") for d in days])
    m1 = row(compliance(full, start="2025-06-01", end="2025-06-07"), "M1", "patrol")
    assert (m1["required"], m1["done"], m1["longest_gap_days"], m1["status"]) == (
        7,
        7,
        1,
        "on_schedule",
    )
    gap = district_with([inspection(d, "patrol", "S1") for d in days if "06-04" not in d])
    m1 = row(compliance(gap, start="2025-06-01", end="2025-06-07"), "M1", "patrol")
    assert (m1["required"], m1["done"], m1["longest_gap_days"], m1["status"]) == (7, 6, 2, "late")


def test_extra_inspections_in_one_period_do_not_make_up_for_another() -> None:
    district = district_with([inspection(f"2025-06-01 0{h}:00", "patrol", "S1") for h in (8, 9)])
    m1 = row(compliance(district, start="2025-06-01", end="2025-06-03"), "M1", "patrol")
    assert (m1["required"], m1["done"], m1["status"]) == (3, 1, "late")
    assert m1["longest_gap_days"] == 3


def test_longest_gap_counts_from_the_start_and_up_to_the_day_after_the_end() -> None:
    district = district_with(
        [
            inspection("2025-06-01 10:00", "community", "S1"),
            inspection("2025-06-05 10:00", "community", "S1"),
        ]
    )
    s1 = row(compliance(district, start="2025-06-01", end="2025-06-07"), "S1", "community")
    assert s1["longest_gap_days"] == 4  # 1 -> 5 June; 5 -> 8 June is 3
    late_start = district_with([inspection("2025-06-06 10:00", "community", "S1")])
    s1 = row(compliance(late_start, start="2025-06-01", end="2025-06-07"), "S1", "community")
    assert s1["longest_gap_days"] == 5


def test_only_whole_periods_inside_the_range_are_required() -> None:
    district = district_with(
        [
            inspection("2025-06-20 10:00", "safety_office", "S3"),
            inspection("2025-07-05 10:00", "safety_office", "S3"),
        ]
    )
    m2 = row(compliance(district, start="2025-06-01", end="2025-07-14"), "M2", "safety_office")
    assert (m2["required"], m2["done"], m2["status"]) == (1, 1, "on_schedule")  # June only
    # No whole month between 15 June and 14 July: nothing is due.
    m2 = row(compliance(district, start="2025-06-15", end="2025-07-14"), "M2", "safety_office")
    assert (m2["required"], m2["done"], m2["status"]) == (0, 0, "on_schedule")


def test_a_visit_on_a_cut_off_weekend_is_inspected_but_not_counted() -> None:
    # Saturday 1 November 2025 .. Friday 14 November: one whole ISO week (3-9 November).
    district = district_with([inspection("2025-11-01 10:00", "community", "S1")])
    s1 = row(compliance(district, start="2025-11-01", end="2025-11-14"), "S1", "community")
    assert (s1["required"], s1["done"], s1["status"]) == (1, 0, "late")
    assert s1["longest_gap_days"] == 14


def test_police_spot_checks_count_only_when_they_target_a_unit() -> None:
    district = district_with(
        [
            inspection("2025-06-03 10:00", "police", "S3", target="U1"),  # U1 is in L1
            inspection("2025-06-10 10:00", "police", "S1", target="S1"),  # a grid, not a unit
            inspection("2025-06-04 10:00", "police", "S4", target="U2"),  # L2
            inspection("2025-06-11 10:00", "police", "S1", target="U2"),  # place of the unit wins
        ]
    )
    result = compliance(district, start="2025-06-02", end="2025-06-15")
    l1, l2 = row(result, "L1", "police"), row(result, "L2", "police")
    assert (l1["required"], l1["done"], l1["status"]) == (2, 1, "late")
    assert (l2["required"], l2["done"], l2["status"]) == (2, 2, "on_schedule")


def test_half_yearly_supervision_needs_the_large_grid_as_target() -> None:
    district = district_with(
        [
            inspection("2025-03-10 10:00", "safety_office", "S1", target="L1"),
            inspection("2025-08-10 10:00", "safety_office", "S1", target="M1"),
        ]
    )
    result = compliance(district, start="2025-01-01", end="2025-12-31")
    l1 = row(result, "L1", "safety_office")
    assert (l1["required"], l1["done"], l1["status"]) == (2, 1, "late")
    assert row(result, "L2", "safety_office")["status"] == "never"
    m1 = row(result, "M1", "safety_office")  # both visits are in M1: 2 of 12 months
    assert (m1["required"], m1["done"]) == (12, 2)


def test_assignment_uses_the_target_and_the_point_below_it() -> None:
    district = district_with(
        [
            inspection("2025-06-01 10:00", "patrol", "S2", target="M1"),  # point S2 is in M1
            inspection("2025-06-01 10:00", "patrol", "S4", target="M1"),  # point outside M1
            inspection("2025-06-01 10:00", "unit", "S1", target="U1"),  # unit U1 is in S3
            inspection("2025-06-01 10:00", "patrol", "S4", target="nope"),  # unknown: the point
            inspection("2025-06-01 10:00", "patrol", "S1", target="B2"),  # building B2 is in S2
            inspection("2025-06-01 10:00", "patrol", "S4", target="H3"),  # household of B2
        ]
    )
    got = assign_inspections(district)
    assert got["small_id"].tolist() == ["S2", None, "S3", "S4", "S2", "S2"]
    assert got["medium_id"].tolist() == ["M1", "M1", "M2", "M3", "M1", "M1"]
    assert got["large_id"].tolist() == ["L1", "L1", "L1", "L2", "L1", "L1"]
    assert got["target_kind"].tolist() == [
        "grid_medium",
        "grid_medium",
        "units",
        None,
        "buildings",
        "households",
    ]
    assert got["unit_id"].tolist() == [None, None, "U1", None, None, None]


def test_custom_table_as_keyword() -> None:
    table = (InspectionRequirement("community", "grid_small", "daily", "每日", "daily", times=2),)
    district = district_with(
        [
            inspection("2025-06-01 08:00", "community", "S1"),
            inspection("2025-06-01 18:00", "community", "S1"),
            inspection("2025-06-02 18:00", "community", "S1"),
        ]
    )
    result = compliance(district, start="2025-06-01", end="2025-06-02", table=table)
    assert len(result) == 4
    s1 = row(result, "S1", "community")
    assert (s1["required"], s1["done"], s1["status"]) == (4, 3, "late")


@pytest.mark.parametrize(
    "kwargs",
    [
        {"role": "firefighter", "level": "grid_small", "period": "daily"},
        {"role": "patrol", "level": "grid_tiny", "period": "daily"},
        {"role": "patrol", "level": "grid_small", "period": "hourly"},
        {"role": "patrol", "level": "grid_small", "period": "daily", "times": 0},
        {"role": "patrol", "level": "grid_small", "period": "daily", "scope": "people"},
    ],
)
def test_bad_requirements_are_refused(kwargs: dict) -> None:
    with pytest.raises(ValueError, match="invalid inspection requirement"):
        InspectionRequirement(zh="x", en="x", **kwargs)


def test_a_role_twice_at_one_level_is_refused() -> None:
    twice = (*DEFAULT_FREQUENCIES, DEFAULT_FREQUENCIES[0])
    with pytest.raises(ValueError, match="two requirements"):
        compliance(district_with(), start="2025-06-01", end="2025-06-02", table=twice)


def test_a_range_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="before it starts"):
        compliance(district_with(), start="2025-06-02", end="2025-06-01")
    with pytest.raises(ValueError, match="2025-06-01"):
        as_date("June first")


def test_inputs_are_not_changed() -> None:
    district = district_with([inspection("2025-06-01 08:00", "community", "S1", target="S1")])
    before = {name: layer.copy() for name, layer in district.layers.items()}
    compliance(district, start="2025-06-01", end="2025-06-30")
    for name, layer in district.layers.items():
        pd.testing.assert_frame_equal(layer, before[name])


def test_records_are_plain_json_values() -> None:
    district = district_with([inspection("2025-06-01 08:00", "community", "S1")])
    records = compliance_records(compliance(district, start="2025-06-01", end="2025-06-07"))
    assert set(records[0]) == set(COMPLIANCE_COLUMNS)
    assert all(type(r["required"]) is int and type(r["done"]) is int for r in records)


def test_summary_and_worst_status() -> None:
    district = district_with([inspection(f"2025-06-0{d} 08:00", "community", "S1") for d in (2, 9)])
    result = compliance(district, start="2025-06-02", end="2025-06-15")
    summary = compliance_summary(result)
    small = summary[summary["level"] == "grid_small"].iloc[0]
    assert (small["grids"], small["on_schedule"], small["late"], small["never"]) == (4, 1, 0, 3)
    worst = worst_status(result, "grid_small").set_index("grid_id")
    assert worst.loc["S1", "status"] == "on_schedule" and worst.loc["S1", "rate"] == 1.0
    assert worst.loc["S2", "status"] == "never"


def test_select_inspections_filters_range_role_and_result() -> None:
    district = district_with(
        [
            inspection("2025-06-01 08:00", "community", "S1"),
            inspection("2025-06-02 08:00", "patrol", "S1", result="hazard"),
            inspection("2025-07-01 08:00", "patrol", "S1"),
        ]
    )
    assert select_inspections(district, start="2025-06-01", end="2025-06-30").tolist() == [
        True,
        True,
        False,
    ]
    assert select_inspections(district, roles=["patrol"], results=["hazard"]).tolist() == [
        False,
        True,
        False,
    ]


def test_period_numbers_by_hand() -> None:
    days = np.array(
        [
            pd.Timestamp(d).toordinal() - pd.Timestamp("1970-01-01").toordinal()
            for d in ("2024-12-29", "2024-12-30", "2025-06-30", "2025-07-01")
        ]
    )
    weeks = period_numbers(days, "weekly")
    assert weeks[1] - weeks[0] == 1  # Sunday 29 Dec, Monday 30 Dec 2024
    months = period_numbers(days, "monthly")
    assert months[3] - months[2] == 1
    halves = period_numbers(days, "half_yearly")
    assert halves[3] - halves[2] == 1 and halves[2] - halves[1] == 1
