"""The hazard closed loop: deadlines, escalation rules and the ledger, on hand-built hazards."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from inspection_cases import district_with, hazard

from gridmap.analysis.inspections import (
    LEDGER_COLUMNS,
    escalations_due,
    hazard_ledger,
    hazard_states,
    state_counts,
)

D = dt.date.fromisoformat


def one(as_of: str, **kwargs) -> dict:
    states = hazard_states(district_with(hazards=[hazard(**kwargs)]), as_of=as_of)
    assert len(states) == 1
    return states.iloc[0].to_dict()


@pytest.mark.parametrize(
    ("as_of", "state", "overdue", "days_overdue", "escalation", "new_today"),
    [
        ("2025-06-10", "open", False, 0, None, False),
        ("2025-06-22", "open", False, 0, None, False),  # the deadline day is still in time
        ("2025-06-23", "overdue", True, 1, "transfer", True),  # the transfer is due today
        ("2025-06-30", "overdue", True, 8, "transfer", False),
    ],
)
def test_a_general_hazard_crossing_its_deadline(
    as_of, state, overdue, days_overdue, escalation, new_today
) -> None:
    got = one(as_of, found="2025-06-08 09:30", deadline="2025-06-22")
    assert (got["state"], got["overdue"], got["days_overdue"]) == (state, overdue, days_overdue)
    assert (got["escalation"], got["new_today"]) == (escalation, new_today)
    assert got["age_days"] == (D(as_of) - D("2025-06-08")).days
    if escalation:
        assert got["due_since"] == D("2025-06-23")


def test_a_hazard_found_after_the_day_is_left_out() -> None:
    district = district_with(hazards=[hazard("2025-06-08 09:30", deadline="2025-06-22")])
    assert hazard_states(district, as_of="2025-06-07").empty
    assert len(hazard_states(district, as_of="2025-06-08")) == 1


def test_found_in_utc_counts_on_the_shanghai_day() -> None:
    district = district_with(hazards=[hazard("2025-06-07T16:30:00Z", deadline="2025-06-22")])
    assert hazard_states(district, as_of="2025-06-07").empty  # 00:30 on 8 June in Shanghai
    assert hazard_states(district, as_of="2025-06-08").iloc[0]["found_date"] == D("2025-06-08")


@pytest.mark.parametrize(
    ("rectified", "in_time", "days_overdue", "age"),
    [
        ("2025-06-22 18:00", True, 0, 14),
        ("2025-06-23 08:00", False, 1, 15),
        ("2025-06-12 08:00", True, 0, 4),
    ],
)
def test_rectified_in_time_or_late(rectified, in_time, days_overdue, age) -> None:
    got = one(
        "2025-07-31",
        found="2025-06-08",
        deadline="2025-06-22",
        rectified=rectified,
        status="rectified",
    )
    assert got["state"] == "rectified" and got["escalation"] is None and not got["overdue"]
    assert (got["rectified_in_time"], got["days_overdue"], got["age_days"]) == (
        in_time,
        days_overdue,
        age,
    )


def test_a_rectification_after_the_day_does_not_count_yet() -> None:
    got = one(
        "2025-06-25",
        found="2025-06-08",
        deadline="2025-06-22",
        rectified="2025-06-28",
        status="rectified",
    )
    assert (got["state"], got["escalation"], got["rectified_date"]) == ("overdue", "transfer", None)
    assert pd.isna(got["rectified_in_time"])


def test_rectified_without_a_date_is_rectified_with_unknown_timing() -> None:
    got = one("2025-06-25", found="2025-06-08", deadline="2025-06-22", status="rectified")
    assert got["state"] == "rectified" and pd.isna(got["rectified_in_time"])


def test_a_recorded_transfer_is_transferred_and_needs_no_escalation() -> None:
    got = one("2025-06-25", found="2025-06-08", deadline="2025-06-22", status="transferred")
    assert (got["state"], got["overdue"], got["escalation"]) == ("transferred", True, None)


def test_a_major_hazard_needs_supervision_from_the_day_it_is_found() -> None:
    # Recorded open: supervision is due, not done (no 挂牌督办 next to 应挂牌督办).
    got = one("2025-06-08", found="2025-06-08 09:00", deadline="2025-07-08", severity="major")
    assert (got["state"], got["escalation"], got["due_since"], got["new_today"]) == (
        "supervision_due",
        "supervise",
        D("2025-06-08"),
        True,
    )
    later = one("2025-07-20", found="2025-06-08", deadline="2025-07-08", severity="major")
    # Overdue as well, but supervision takes precedence over the transfer.
    assert (later["state"], later["escalation"], later["overdue"]) == (
        "supervision_due",
        "supervise",
        True,
    )
    handed = one(
        "2025-07-20",
        found="2025-06-08",
        deadline="2025-07-08",
        severity="major",
        status="transferred",
    )  # handed to the police, still not under supervision
    assert (handed["state"], handed["escalation"]) == ("supervision_due", "supervise")
    done = one(
        "2025-06-09",
        found="2025-06-08",
        deadline="2025-07-08",
        severity="major",
        status="supervised",
    )
    assert (done["state"], done["escalation"]) == ("supervised", None)
    fixed = one(
        "2025-07-09",
        found="2025-06-08",
        deadline="2025-07-08",
        severity="major",
        status="rectified",
        rectified="2025-07-01",
    )
    assert (fixed["state"], fixed["escalation"]) == ("rectified", None)


def test_the_ledger_never_shows_supervised_next_to_supervision_due() -> None:
    district = district_with(
        hazards=[
            hazard("2025-06-02", deadline="2025-06-30", severity="major", hazard_id="HZ-B"),
            hazard(
                "2025-06-02",
                deadline="2025-06-30",
                severity="major",
                status="supervised",
                hazard_id="HZ-S",
            ),
        ]
    )
    ledger = hazard_ledger(hazard_states(district, as_of="2025-06-11"), district)
    rows = ledger.set_index("隐患编号")[["当前状态", "待办升级"]]
    assert rows.loc["HZ-B"].tolist() == ["待挂牌督办", "应挂牌督办"]
    assert rows.loc["HZ-S"].tolist() == ["挂牌督办", None]


def test_a_hazard_without_deadline_is_flagged() -> None:
    got = one("2025-06-25", found="2025-06-08", deadline=None)
    assert (got["state"], got["no_deadline"], got["escalation"]) == ("open", True, None)


def test_hazards_are_placed_by_their_unit_else_their_point() -> None:
    district = district_with(
        hazards=[
            hazard("2025-06-08", deadline="2025-06-22", unit="U2", where="S1"),  # U2 is in S4
            hazard("2025-06-08", deadline="2025-06-22", unit=None, where="S2"),
        ]
    )
    states = hazard_states(district, as_of="2025-06-30")
    assert states["small_id"].tolist() == ["S4", "S2"]
    assert states["medium_id"].tolist() == ["M3", "M1"]


def test_escalations_counts_and_ledger() -> None:
    district = district_with(
        hazards=[
            hazard("2025-06-01", deadline="2025-06-10", where="S1", unit=None, hazard_id="HZ-A"),
            hazard("2025-06-02", deadline="2025-06-30", severity="major", hazard_id="HZ-B"),
            hazard(
                "2025-06-03",
                deadline="2025-06-05",
                status="rectified",
                rectified="2025-06-04",
                hazard_id="HZ-C",
            ),
            hazard("2025-06-04", deadline="2025-06-06", unit="U2", hazard_id="HZ-D"),
        ]
    )
    states = hazard_states(district, as_of="2025-06-11")
    due = escalations_due(states)
    assert due["hazard_id"].tolist() == ["HZ-B", "HZ-D", "HZ-A"]  # oldest due first
    assert due["escalation"].tolist() == ["supervise", "transfer", "transfer"]
    assert due["new_today"].tolist() == [False, False, True]
    counts = state_counts(states).set_index("medium_id")
    assert counts.loc[
        "M2", ["supervision_due", "supervised", "rectified", "total", "escalations"]
    ].tolist() == [1, 0, 1, 2, 1]
    assert counts.loc["M1", "overdue"] == 1 and counts.loc["M3", "overdue_now"] == 1

    ledger = hazard_ledger(states, district)
    assert list(ledger.columns) == [zh for zh, _ in LEDGER_COLUMNS.values()]
    # Ordered by town, community, date: L1/M1 (A), L1/M2 (B, C), L2/M3 (D).
    assert ledger["隐患编号"].tolist() == ["HZ-A", "HZ-B", "HZ-C", "HZ-D"]
    assert ledger["社区（村）"].tolist() == ["朝阳社区", "金华社区", "金华社区", "东林村"]
    assert ledger["当前状态"].tolist() == ["逾期未整改", "待挂牌督办", "已整改", "逾期未整改"]
    assert ledger["隐患等级"].tolist()[:2] == ["一般隐患", "重大火灾隐患"]
    assert ledger["待办升级"].tolist() == ["应移交派出所", "应挂牌督办", None, "应移交派出所"]
    assert ledger["是否按期整改"].tolist() == [None, None, "是", None]
    assert ledger["单位名称"].tolist()[1] == "金华超市"
    english = hazard_ledger(states, district, lang="en")
    assert english["State"].tolist()[0] == "overdue"


def test_hazard_states_do_not_change_the_district() -> None:
    district = district_with(hazards=[hazard("2025-06-01", deadline="2025-06-10")])
    before = district["hazards"].copy()
    hazard_states(district, as_of="2025-06-30")
    pd.testing.assert_frame_equal(district["hazards"], before)


def test_a_district_without_hazards_layer_gives_an_empty_ledger() -> None:
    district = district_with()
    layers = {k: v for k, v in district.layers.items() if k != "hazards"}
    empty = type(district)(layers=layers, crs=district.crs)
    states = hazard_states(empty, as_of="2025-06-30")
    assert states.empty
    assert list(hazard_ledger(states, empty).columns)[0] == "隐患编号"
