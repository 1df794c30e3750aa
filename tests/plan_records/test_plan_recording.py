"""Recording trainings, drills and meetings: refused with every reason, or saved with history."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pyogrio
import pytest
from assessment_cases import case_layers
from conftest import make_tiny_layers, write_gpkg

from gridmap.analysis.plan_records import drill_edit, meeting_edit, training_edit
from gridmap.errors import DataError
from gridmap.io import read_district, read_edit_log, save_edit, undo

NOW = pd.Timestamp("2026-07-01 09:00", tz="Asia/Shanghai")


@pytest.fixture
def case_file(tmp_path: Path) -> Path:
    return write_gpkg(tmp_path / "case.gpkg", case_layers())


def problems(excinfo: pytest.ExceptionInfo[DataError]) -> dict[str, str]:
    return {p.field: p.message for p in excinfo.value.problems}


def test_a_training_with_every_mistake_is_refused_listing_all(case_file: Path) -> None:
    district = read_district(case_file)
    with pytest.raises(DataError) as excinfo:
        training_edit(
            district,
            date="2026-07-02",
            grid_id="M9",
            kind="five_into",
            participants=-5,
            now=NOW,
        )
    found = problems(excinfo)
    assert "in the future" in found["date"]
    assert "unknown grid id 'M9'" in found["grid_id"]
    assert "needs its target" in found["target"]
    assert "cannot be negative" in found["participants"]


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"date": None}, "date", "no date"),
        ({"date": "not a date"}, "date", "cannot read"),
        ({"kind": "party"}, "kind", "unknown kind"),
        ({"target": "moon"}, "target", "unknown target"),
        ({"participants": 2.5}, "participants", "not a whole number"),
    ],
)
def test_each_training_mistake_is_named(case_file: Path, kwargs: dict, field: str, text: str):
    district = read_district(case_file)
    args = {"date": "2026-06-20", "grid_id": "M1", "kind": "unit_training", "now": NOW, **kwargs}
    with pytest.raises(DataError) as excinfo:
        training_edit(district, **args)
    assert text in problems(excinfo)[field]


def test_today_is_not_the_future(case_file: Path) -> None:
    edit = meeting_edit(read_district(case_file), date="2026-07-01", large_id="L1", now=NOW)
    assert str(edit.added["date"].iloc[0]) == "2026-07-01 00:00:00+08:00"


def test_drills_and_meetings_check_their_references(case_file: Path) -> None:
    district = read_district(case_file)
    with pytest.raises(DataError) as excinfo:
        drill_edit(district, date="2026-06-01", plan_id="P9", participants=3, now=NOW)
    assert "unknown plan id 'P9'" in problems(excinfo)["plan_id"]
    with pytest.raises(DataError) as excinfo:
        meeting_edit(district, date="2026-06-01", large_id="M1", attendees=-1, now=NOW)
    assert set(problems(excinfo)) == {"large_id", "attendees"}


def test_a_district_without_plans_refuses_any_drill(tmp_path: Path) -> None:
    district = read_district(write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers()))
    with pytest.raises(DataError, match="no emergency plan"):
        drill_edit(district, date="2026-06-01", plan_id="P1", now=NOW)


def test_records_are_saved_through_the_edit_log_and_undone(case_file: Path) -> None:
    district = read_district(case_file)
    edits = [
        training_edit(
            district,
            date="2026-06-30",
            grid_id="S1",
            kind="five_into",
            target="学校",
            participants=45,
            note="进校园",
            now=NOW,
            user="王芳",
        ),
        drill_edit(district, date="2026-06-28", plan_id="P2", participants=30, now=NOW),
        meeting_edit(district, date="2026-06-29", large_id="L2", attendees=15, now=NOW),
    ]
    assert [e.operation for e in edits] == ["append"] * 3
    assert all(len(e.removed) == 0 for e in edits)
    assert edits[0].added["target"].iloc[0] == "school"  # the Chinese label is read
    saved = district
    for edit in edits:
        saved = save_edit(saved, edit)
    again = read_district(case_file)
    assert len(again["trainings"]) == len(district["trainings"]) + 1
    new = again["trainings"].set_index("training_id").loc["T20260630-1"]
    assert (new["grid_id"], new["kind"], new["target"], new["participants"]) == (
        "S1",
        "five_into",
        "school",
        45,
    )
    assert str(again["drills"]["date"].iloc[-1].date()) == "2026-06-28"
    log = read_edit_log(case_file)
    assert list(log["layer"]) == ["trainings", "drills", "meetings"]
    assert log["user"].iloc[0] == "王芳"
    second = drill_edit(again, date="2026-06-28", plan_id="P2", now=NOW)
    assert second.added["drill_id"].iloc[0] == "D20260628-2"
    undone = undo(again, steps=3)
    assert len(undone["trainings"]) == len(district["trainings"])
    assert len(read_district(case_file)["meetings"]) == len(district["meetings"])


def test_the_first_record_of_a_layer_creates_it(tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    district = read_district(path)
    edit = training_edit(
        district, date="2026-06-30", grid_id="M2", kind="publicity_day", participants=12, now=NOW
    )
    saved = save_edit(district, edit)
    save_edit(saved, meeting_edit(saved, date="2026-06-29", large_id="L1", attendees=9, now=NOW))
    # The schema's types, so GDAL reads the layers back without "Non-conformant content".
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = read_district(path)
    assert list(again["trainings"]["training_id"]) == ["T20260630-1"]
    assert again.problems == ()
    for layer, count in (("trainings", "participants"), ("meetings", "attendees")):
        info = pyogrio.read_info(path, layer=layer)
        types = dict(zip(info["fields"], info["dtypes"], strict=True))
        assert types[count] == "int64" and types["date"].startswith("datetime64"), types
    assert again["trainings"]["participants"].tolist() == [12]
    assert str(again["trainings"]["date"].iloc[0]) == "2026-06-30 00:00:00+08:00"
    assert str(again["meetings"]["date"].iloc[0]) == "2026-06-29 00:00:00+08:00"
