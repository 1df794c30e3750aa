"""Known answers for the plan's rules and the assessment scorecard (issue 10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyproj
import pytest
from assessment_cases import EXPECTED, FREQUENCIES, PERIOD, case_layers
from conftest import make_tiny_layers, write_gpkg

from gridmap.analysis.assessment import (
    assess,
    assessment_document,
    indicator_table,
    parse_period,
    scorecard_rules,
    scorecard_table,
)
from gridmap.analysis.plan_records import grid_tree, recurring_records
from gridmap.district import District
from gridmap.io import read_district
from gridmap.layers import validate_layer
from gridmap.schema import LAYERS
from gridmap.standards.assessment import SCORECARD, Indicator, indicator, with_vetoes
from gridmap.standards.inspections import DEFAULT_FREQUENCIES, supervision_requirement


def district_of(layers: dict[str, pd.DataFrame]) -> District:
    """Typed layers in memory, as read_district would give them (no disk)."""
    typed = {}
    for name, frame in layers.items():
        typed[name], problems = validate_layer(frame, LAYERS[name])
        assert not [p for p in problems if p.severity == "error"], problems
    return District(typed, crs=pyproj.CRS(4547))


def with_records(**records: pd.DataFrame) -> District:
    layers = make_tiny_layers()
    layers.update(records)
    return district_of(layers)


def result(assessment, grid: str, key: str) -> pd.Series:
    rows = assessment.results
    return rows[(rows["grid_id"] == grid) & (rows["indicator"] == key)].iloc[0]


# ---------------------------------------------------------------------------
# Periods


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2025H2", "2025H2", "2025-07-01", "2025-12-31"),
        ("2026h1", "2026H1", "2026-01-01", "2026-06-30"),
        (" 2026-H2 ", "2026H2", "2026-07-01", "2026-12-31"),
        ("2026", "2026", "2026-01-01", "2026-12-31"),
    ],
)
def test_parse_period(text: str, label: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert (period.label, str(period.start), str(period.end)) == (label, start, end)


@pytest.mark.parametrize("text", ["2026H3", "H1", "26H1", "2026Q1", ""])
def test_bad_periods_say_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError, match="2025H2"):
        parse_period(text)


def test_a_running_period_is_cut_at_the_day_of_assessment() -> None:
    period = parse_period("2026H2")
    assert period.window(as_of="2026-11-28") == (dt.date(2026, 7, 1), dt.date(2026, 11, 28))
    assert period.window(as_of="2027-03-01") == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    assert period.window() == (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    with pytest.raises(ValueError, match="starts on 2026-07-01"):
        period.window(as_of="2026-06-30")


def _publicity(*dates: str, grid: str = "M1") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "training_id": [f"T{i}" for i in range(len(dates))],
            "date": list(dates),
            "grid_id": grid,
            "kind": "publicity_day",
        }
    )


@pytest.mark.parametrize(
    ("stamp", "counts"),
    [
        ("2025-12-31T16:30:00Z", True),  # 1 January 00:30 in Shanghai
        ("2025-12-31T15:59:00Z", False),  # 31 December 23:59 in Shanghai
        ("2026-01-01 00:00", True),  # naive: Shanghai wall time
        ("2025-12-31 23:59:59", False),
        ("2026-06-30T16:00:00Z", False),  # 1 July 00:00 in Shanghai: 2026H2
    ],
)
def test_period_boundaries_are_in_shanghai(stamp: str, counts: bool) -> None:
    district = with_records(trainings=_publicity(stamp))
    tree = grid_tree(district)
    held = recurring_records(
        district,
        tree,
        first=dt.date(2026, 1, 1),
        last=dt.date(2026, 6, 30),
        kinds=("publicity_day",),
        period="monthly",
    ).set_index("medium_id")
    assert held.loc["M1", "required"] == 6
    assert held.loc["M1", "done"] == int(counts)


# ---------------------------------------------------------------------------
# Publicity days and trainings


def test_a_month_without_a_publicity_day_fails_the_community_and_its_town() -> None:
    months = ["2026-01-09", "2026-02-09", "2026-04-09", "2026-05-09", "2026-06-09"]  # no March
    district = with_records(trainings=_publicity(*months))
    found = assess(district, period="2026H1", frequencies=FREQUENCIES)
    m1 = result(found, "M1", "publicity")
    assert (m1["done"], m1["required"], m1["passed"]) == (5, 6, False)
    assert m1["value"] == pytest.approx(5 / 6) and m1["detail_zh"] == "5/6 个月"
    l1 = result(found, "L1", "publicity")
    assert (l1["done"], l1["required"], l1["passed"]) == (5, 12, False)  # M2 held none
    held = recurring_records(
        district,
        grid_tree(district),
        first=dt.date(2026, 1, 1),
        last=dt.date(2026, 6, 30),
        kinds=("publicity_day",),
        period="monthly",
    ).set_index("medium_id")
    assert held.loc["M1", "periods_missed"] == 1 and held.loc["M2", "periods_missed"] == 6


def test_two_publicity_days_in_one_month_do_not_make_up_for_another() -> None:
    months = ["2026-01-05", "2026-01-20", "2026-02-09", "2026-03-09", "2026-04-09", "2026-05-09"]
    found = assess(with_records(trainings=_publicity(*months)), period="2026H1")
    assert result(found, "M1", "publicity")["done"] == 5


def test_a_zone_s_publicity_day_counts_for_its_community() -> None:
    found = assess(with_records(trainings=_publicity("2026-03-09", grid="S2")), period="2026H1")
    assert result(found, "M1", "publicity")["done"] == 1


def test_months_cut_by_the_window_are_not_required() -> None:
    found = assess(
        with_records(trainings=_publicity("2026-07-09")), period="2026H2", as_of="2026-08-20"
    )
    row = result(found, "M1", "publicity")
    assert (row["done"], row["required"]) == (1, 1)  # July only; August is still running
    early = assess(with_records(), period="2026H2", as_of="2026-07-15")
    assert not result(early, "M1", "publicity")["applicable"]


# ---------------------------------------------------------------------------
# Drills


def _plans(**columns) -> pd.DataFrame:
    base = {"plan_id": ["P1"], "grid_id": ["M1"], "title": ["朝阳社区预案"]}
    return pd.DataFrame({**base, **columns})


def test_a_plan_never_drilled_fails() -> None:
    district = with_records(emergency_plans=_plans(approved_at=["2024-01-01"]))
    found = assess(district, period="2026H1")
    plan = found.plans.iloc[0]
    assert plan["due"] and not plan["drilled"] and plan["last_drill"] is None
    row = result(found, "M1", "drills")
    assert (row["done"], row["required"], row["passed"]) == (0, 1, False)
    assert not result(found, "L2", "drills")["applicable"]


@pytest.mark.parametrize(
    ("drilled_on", "drilled"),
    [
        ("2025-07-01", True),  # first day of the year ending 2026-06-30
        ("2025-06-30", False),  # a year and a day before the window's end
        ("2026-06-30", True),
        ("2026-07-01", False),  # after the window
    ],
)
def test_a_drill_counts_within_the_year_ending_with_the_window(
    drilled_on: str, drilled: bool
) -> None:
    drills = pd.DataFrame({"drill_id": ["D1"], "plan_id": ["P1"], "date": [drilled_on]})
    district = with_records(emergency_plans=_plans(approved_at=["2024-01-01"]), drills=drills)
    found = assess(district, period="2026H1")
    assert bool(found.plans.iloc[0]["drilled"]) is drilled
    assert bool(result(found, "M1", "drills")["passed"]) is drilled


def test_last_drill_at_counts_without_a_drill_record() -> None:
    plans = _plans(approved_at=["2024-01-01"], last_drill_at=["2026-03-01"])
    found = assess(with_records(emergency_plans=plans), period="2026H1")
    assert result(found, "M1", "drills")["passed"]
    assert str(found.plans.iloc[0]["last_drill"]) == "2026-03-01"


@pytest.mark.parametrize(("approved", "due"), [("2025-07-01", True), ("2025-07-02", False)])
def test_a_plan_is_due_once_it_has_had_a_whole_year(approved: str, due: bool) -> None:
    found = assess(with_records(emergency_plans=_plans(approved_at=[approved])), period="2026H1")
    assert bool(found.plans.iloc[0]["due"]) is due
    assert bool(result(found, "M1", "drills")["applicable"]) is due


def test_a_drill_of_an_unknown_plan_is_reported_not_counted() -> None:
    drills = pd.DataFrame({"drill_id": ["D1"], "plan_id": ["NOPE"], "date": ["2026-03-01"]})
    found = assess(with_records(drills=drills), period="2026H1")
    assert [p.layer for p in found.problems] == ["drills"]
    assert "NOPE" in found.problems[0].message


# ---------------------------------------------------------------------------
# Joint meetings: at most 61 days between meetings


def _meetings(*dates: str, town: str = "L1") -> pd.DataFrame:
    return pd.DataFrame(
        {"meeting_id": [f"MT{i}" for i in range(len(dates))], "large_id": town, "date": list(dates)}
    )


@pytest.mark.parametrize(
    ("second", "interval", "passed"),
    [("2026-03-07", 61, True), ("2026-03-08", 62, False)],
)
def test_a_meeting_interval_of_61_days_passes_and_62_fails(
    second: str, interval: int, passed: bool
) -> None:
    district = with_records(meetings=_meetings("2026-01-05", second, "2026-05-01", "2026-06-20"))
    found = assess(district, period="2026H1")
    row = result(found, "L1", "meetings")
    assert (row["value"], bool(row["passed"])) == (interval, passed)
    town = found.meetings.set_index("large_id").loc["L1"]
    assert str(town["longest_from"]) == "2026-01-05" and str(town["longest_to"]) == second


@pytest.mark.parametrize(
    ("dates", "longest"),
    [
        (("2026-03-02", "2026-05-01"), 61),  # from 31 Dec: the first meeting is due by 2 March
        (("2026-03-03", "2026-05-01"), 62),
        (("2025-11-20", "2026-01-20", "2026-03-20", "2026-05-01"), 61),  # from a prior meeting
        (("2026-01-10", "2026-03-01", "2026-05-01"), 61),  # to the day after the window
        (("2026-01-10", "2026-03-01", "2026-04-30"), 62),  # one was due on 30 June
        ((), 182),
    ],
)
def test_meeting_intervals_run_from_before_the_window_to_after_it(
    dates: tuple[str, ...], longest: int
) -> None:
    found = assess(with_records(meetings=_meetings(*dates)), period="2026H1")
    assert result(found, "L1", "meetings")["value"] == longest


def test_meetings_are_scored_for_towns_only() -> None:
    found = assess(with_records(meetings=_meetings("2026-02-01")), period="2026H1")
    assert set(found.results.loc[found.results["indicator"] == "meetings", "grid_id"]) == {
        "L1",
        "L2",
    }


# ---------------------------------------------------------------------------
# The scorecard on the hand-built district (tests/assessment_cases.py)


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gpkg(tmp_path_factory.mktemp("case") / "case.gpkg", case_layers())


@pytest.fixture(scope="module")
def scored(case_file: Path):
    return assess(read_district(case_file), period=PERIOD, frequencies=FREQUENCIES)


def test_scores_computed_by_hand(scored) -> None:
    scores = scored.scores.set_index("grid_id")
    for grid, (score, raw, rank, vetoed_by) in EXPECTED.items():
        row = scores.loc[grid]
        assert row["score"] == pytest.approx(score, abs=0.005), grid
        assert row["raw_score"] == pytest.approx(raw, abs=0.005), grid
        assert row["rank"] == rank, grid
        assert (row["vetoed_by"] if row["vetoed"] else None) == vetoed_by, grid
    assert list(scored.scores["grid_id"]) == ["L1", "L2", "M1", "M2", "M3"]


@pytest.mark.parametrize(
    ("grid", "key", "done", "required", "passed"),
    [
        ("L1", "inspections", 11, 12, False),
        ("L1", "hazards", 2, 3, False),
        ("L1", "publicity", 11, 12, False),
        ("L1", "trainings", 3, 4, False),
        ("L1", "drills", 1, 2, False),
        ("L1", "supervision", 1, 1, True),
        ("L1", "equipment", 1, 1, True),
        ("L2", "leaders", 2, 3, False),
        ("L2", "supervision", 0, 1, False),
        ("M1", "hazards", 1, 2, False),
        ("M1", "trainings", 2, 2, True),
        ("M2", "inspections", 5, 6, False),
        ("M3", "publicity", 6, 6, True),
    ],
)
def test_indicator_counts_computed_by_hand(scored, grid, key, done, required, passed) -> None:
    row = result(scored, grid, key)
    assert (row["done"], row["required"], bool(row["passed"])) == (done, required, passed)


def test_what_does_not_apply_leaves_the_score(scored) -> None:
    na = scored.results[~scored.results["applicable"]]
    assert set(zip(na["grid_id"], na["indicator"], strict=True)) == {
        ("L2", "hazards"),
        ("L2", "equipment"),
        ("M2", "equipment"),
        ("M3", "hazards"),
        ("M3", "drills"),
        ("M3", "equipment"),
    }
    assert result(scored, "L1", "meetings")["value"] == 61
    assert result(scored, "L2", "meetings")["value"] == 62
    assert not result(scored, "M3", "coverage")["passed"]


def test_a_serious_fire_vetoes_its_community_and_town(case_file: Path) -> None:
    found = assess(
        read_district(case_file), period=PERIOD, frequencies=FREQUENCIES, serious_fires=["S2"]
    )
    scores = found.scores.set_index("grid_id")
    assert scores.loc["M1", "score"] == 0 and "serious_fire" in scores.loc["M1", "vetoed_by"]
    assert scores.loc["L1", "score"] == 0 and scores.loc["M2", "score"] == 62.5
    with pytest.raises(ValueError, match="NOWHERE"):
        assess(read_district(case_file), period=PERIOD, serious_fires=["NOWHERE"])


def test_coverage_veto_can_be_switched_off(case_file: Path) -> None:
    table = with_vetoes(["serious_fire"])
    found = assess(read_district(case_file), period=PERIOD, frequencies=FREQUENCIES, table=table)
    scores = found.scores.set_index("grid_id")
    assert scores.loc["M3", "score"] == pytest.approx(54.55, abs=0.005)
    assert scores.loc["L2", "score"] == 50.0 and not scores["vetoed"].any()
    assert list(found.scores["grid_id"]) == ["L2", "L1", "M1", "M2", "M3"]


def test_weights_and_targets_come_from_the_table(case_file: Path) -> None:
    table = tuple(
        replace(i, target=0.9)
        if i.key == "inspections"
        else replace(i, weight=0)
        if i.key == "hazards"
        else i
        for i in SCORECARD
    )
    found = assess(read_district(case_file), period=PERIOD, frequencies=FREQUENCIES, table=table)
    scores = found.scores.set_index("grid_id")
    # L1 now passes inspections (11/12 >= 90 %) and hazards weigh nothing: (45 + 15) / 85
    assert scores.loc["L1", "score"] == pytest.approx(100 * 60 / 85, abs=0.005)
    with pytest.raises(ValueError, match="more than once"):
        assess(read_district(case_file), period=PERIOD, table=(*SCORECARD, SCORECARD[0]))


def test_supervision_is_the_frequency_table_s_supervision_row(case_file: Path) -> None:
    """One home: changing the frequency table's supervision row changes the scorecard."""
    district = read_district(case_file)
    monthly, supervision = FREQUENCIES
    assert supervision == supervision_requirement(DEFAULT_FREQUENCIES)
    twice = assess(district, period=PERIOD, frequencies=(monthly, replace(supervision, times=2)))
    l1 = result(twice, "L1", "supervision")
    assert (l1["done"], l1["required"], bool(l1["passed"])) == (1, 2, False)  # one visit, in May
    assert (
        result(twice, "L1", "inspections")["done"],
        result(twice, "L1", "inspections")["required"],
    ) == (11, 12)  # the supervision row stays out of the inspections indicator
    # L1 passed 45 of 100 with supervision (5); without it 40 of 100
    assert twice.scores.set_index("grid_id").loc["L1", "score"] == 40.0
    rules = scorecard_rules(twice).set_index("考核指标")
    assert rules.loc["每半年督导检查", "频次"] == "每半年 2 次"
    quarterly = assess(
        district, period=PERIOD, frequencies=(monthly, replace(supervision, period="monthly"))
    )
    l1 = result(quarterly, "L1", "supervision")
    assert (l1["done"], l1["required"]) == (1, 6)


def test_without_a_supervision_row_supervision_does_not_apply(case_file: Path) -> None:
    monthly, _ = FREQUENCIES
    found = assess(read_district(case_file), period=PERIOD, frequencies=(monthly,))
    l1 = result(found, "L1", "supervision")
    assert not l1["applicable"] and found.supervision is None
    # L1 passed 40 of the 95 that apply
    assert found.scores.set_index("grid_id").loc["L1", "score"] == pytest.approx(
        100 * 40 / 95, abs=0.005
    )


def test_the_scorecard_keeps_no_second_supervision_rule() -> None:
    assert indicator("supervision").period is None
    with pytest.raises(ValueError, match="frequency table"):
        Indicator("supervision", "督导", "supervision", 5, 1.0, period="half_yearly")


def test_indicator_rows_are_checked() -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        Indicator("leaders", "负责人", "leaders", 10, 2.0)
    with pytest.raises(ValueError, match="not one of"):
        Indicator("luck", "运气", "luck", 10, 1.0)
    assert indicator("meetings").target == 61
    with pytest.raises(ValueError, match="no indicator"):
        with_vetoes(["charm"])


def test_tables_have_chinese_headers_and_are_ranked(scored) -> None:
    table = scorecard_table(scored)
    assert list(table.columns[:9]) == [
        "排名",
        "层级",
        "网格编码",
        "网格名称",
        "所属镇（街道）",
        "得分",
        "否决前得分",
        "一票否决",
        "达标指标数",
    ]
    assert list(table["网格编码"]) == ["L1", "L2", "M1", "M2", "M3"]
    assert table.loc[1, "一票否决"] == "网格全覆盖（覆盖检查无错误）"
    assert table.loc[2, "每月消防宣传日"] == "5/6 个月（未达标）"
    assert table.loc[4, "器材存放点配备达标"] == "无需考核（不适用）"
    assert table.loc[0, "联席会议每两个月一次（间隔天数）"].startswith("最长间隔 61 天")
    assert table.loc[2, "联席会议每两个月一次（间隔天数）"] == "—"
    detail = indicator_table(scored)
    assert {"考核指标", "目标", "实际", "结果", "权重"} <= set(detail.columns)
    english = scorecard_table(scored, lang="en")
    assert english.columns[0] == "Rank" and "passed" in english.iloc[0, -2] + english.iloc[0, -3]


def test_document_is_plain_json(scored) -> None:
    import json

    doc = json.loads(json.dumps(assessment_document(scored)))
    assert doc["period"] == PERIOD and doc["start"] == "2026-01-01"
    grids = {g["grid_id"]: g for g in doc["grids"]}
    assert grids["M3"]["vetoed_by"] == ["coverage"] and grids["M1"]["score"] == 70.59
    assert grids["L1"]["indicators"]["meetings"]["value"] == 61
    assert grids["M3"]["indicators"]["drills"] == {
        **grids["M3"]["indicators"]["drills"],
        "applicable": False,
        "value": None,
    }
    assert [i["key"] for i in doc["scorecard"]] == [i.key for i in SCORECARD]


def test_assess_does_not_change_the_district(case_file: Path) -> None:
    district = read_district(case_file)
    before = {name: layer.copy() for name, layer in district.layers.items()}
    assess(district, period=PERIOD, frequencies=FREQUENCIES)
    for name, layer in district.layers.items():
        pd.testing.assert_frame_equal(layer, before[name])
