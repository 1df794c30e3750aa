"""Checked input for recording an inspection or a hazard (the app's form, without the app)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import X0, Y0, make_tiny_layers, write_gpkg
from inspection_cases import district_with, hazard
from pyproj import Transformer

from gridmap.analysis.inspections import (
    hazard_edit,
    hazard_states,
    hazard_status_edit,
    inspection_edit,
)
from gridmap.errors import DataError
from gridmap.io import read_district, read_edit_log, save_edit, undo
from gridmap.layers import apply_edit

TO_WEB = Transformer.from_crs(4547, 4326, always_xy=True)
IN_S1 = TO_WEB.transform(X0 + 50, Y0 + 25)
OUTSIDE = TO_WEB.transform(X0 + 900, Y0 + 900)


def test_a_valid_inspection_becomes_an_append_edit() -> None:
    district = district_with()
    edit = inspection_edit(
        district,
        at="2025-06-03 10:00",
        role="police",
        lonlat=IN_S1,
        now="2025-06-04 08:00",
        target_id=" U1 ",
        user="王芳",
    )
    assert (edit.layer, edit.operation, len(edit.removed), len(edit.added)) == (
        "inspections",
        "append",
        0,
        1,
    )
    row = edit.added.iloc[0]
    assert row["target_id"] == "U1" and str(row["inspected_at"].tz) == "Asia/Shanghai"
    assert edit.added.crs == district.crs and edit.user == "王芳"
    assert row.geometry.distance(district["grid_small"].geometry.iloc[0].centroid) < 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"lonlat": None}, "no location"),
        ({"lonlat": OUTSIDE}, "outside every grid"),
        ({"at": "2025-06-05 10:00"}, "in the future"),
        ({"target_id": "X9"}, "unknown target 'X9'"),
        ({"role": "firefighter"}, "unknown inspector role"),
    ],
)
def test_bad_inspections_are_refused(kwargs: dict, message: str) -> None:
    args = {
        "at": "2025-06-03 10:00",
        "role": "community",
        "lonlat": IN_S1,
        "now": "2025-06-04 08:00",
        **kwargs,
    }
    with pytest.raises(DataError, match=message):
        inspection_edit(district_with(), **args)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(DataError) as caught:
        inspection_edit(
            district_with(),
            at="2030-01-01",
            role="community",
            lonlat=None,
            now="2025-06-04",
            target_id="X9",
        )
    assert len(caught.value.problems) == 3


def test_hazards_need_a_known_unit_and_a_deadline_after_finding() -> None:
    district = district_with()
    edit = hazard_edit(
        district,
        found_at="2025-06-03",
        severity="major",
        deadline="2025-06-30",
        lonlat=IN_S1,
        now="2025-06-04",
        unit_id="U2",
    )
    # recorded open: supervision is due until someone records it (inspections.hazards)
    assert edit.added.iloc[0]["status"] == "open"
    with pytest.raises(DataError, match="unknown unit id 'S1'"):  # a grid is not a unit
        hazard_edit(
            district,
            found_at="2025-06-03",
            severity="general",
            deadline="2025-06-30",
            lonlat=IN_S1,
            now="2025-06-04",
            unit_id="S1",
        )
    with pytest.raises(DataError, match="before the day the hazard was found"):
        hazard_edit(
            district,
            found_at="2025-06-03",
            severity="general",
            deadline="2025-06-02",
            lonlat=IN_S1,
            now="2025-06-04",
        )


# ---------------------------------------------------------------------------
# Updating a hazard's status: rectified, transferred, supervised


def _with_hazards():
    return district_with(
        hazards=[
            hazard("2025-06-08 09:30", deadline="2025-06-22", hazard_id="HZ-A"),
            hazard(
                "2025-06-02",
                deadline="2025-06-30",
                severity="major",
                hazard_id="HZ-B",
            ),
            hazard(
                "2025-06-01",
                deadline="2025-06-10",
                status="rectified",
                rectified="2025-06-05",
                hazard_id="HZ-C",
            ),
        ]
    )


def test_a_rectification_changes_the_row_and_keeps_the_old_one_for_undo() -> None:
    district = _with_hazards()
    edit = hazard_status_edit(
        district,
        hazard_id=" HZ-A ",
        status="rectified",
        rectified_at="2025-06-20 15:00",
        now="2025-06-21 08:00",
        user="王芳",
    )
    assert (edit.layer, edit.operation, edit.user) == ("hazards", "status", "王芳")
    assert edit.removed["status"].tolist() == ["open"] and pd.isna(
        edit.removed["rectified_at"].iloc[0]
    )
    row = edit.added.iloc[0]
    assert (row["hazard_id"], row["status"]) == ("HZ-A", "rectified")
    assert str(row["rectified_at"]) == "2025-06-20 15:00:00+08:00"
    assert row.geometry.equals(edit.removed.geometry.iloc[0])  # nothing else changes
    states = hazard_states(
        type(district)(
            layers={**district.layers, "hazards": apply_edit(district["hazards"], edit)},
            crs=district.crs,
        ),
        as_of="2025-06-21",
    ).set_index("hazard_id")
    assert (states.loc["HZ-A", "state"], states.loc["HZ-A", "rectified_in_time"]) == (
        "rectified",
        True,
    )


def test_supervision_recorded_ends_the_supervision_due() -> None:
    district = _with_hazards()
    edit = hazard_status_edit(district, hazard_id="HZ-B", status="supervised", now="2025-06-03")
    assert edit.added["status"].tolist() == ["supervised"]
    layers = {**district.layers, "hazards": apply_edit(district["hazards"], edit)}
    states = hazard_states(type(district)(layers=layers, crs=district.crs), as_of="2025-06-03")
    row = states.set_index("hazard_id").loc["HZ-B"]
    assert (row["state"], row["escalation"]) == ("supervised", None)


@pytest.mark.parametrize(
    ("kwargs", "field", "text"),
    [
        ({"hazard_id": "HZ-9"}, "hazard_id", "unknown hazard id 'HZ-9'"),
        ({"hazard_id": None}, "hazard_id", "unknown hazard id"),
        ({"rectified_at": "2025-06-08 09:00"}, "rectified_at", "before the hazard was found"),
        ({"rectified_at": "2025-06-21 08:01"}, "rectified_at", "in the future"),
        ({"rectified_at": None}, "rectified_at", "needs the time it was rectified"),
        ({"rectified_at": "soon"}, "rectified_at", "cannot read"),
        ({"status": "transferred"}, "rectified_at", "only a rectified hazard"),
        ({"status": "lost"}, "status", "unknown status 'lost'"),
        ({"hazard_id": "HZ-C"}, "status", "already rectified"),
    ],
)
def test_a_bad_status_update_is_refused_with_the_reason(kwargs, field, text) -> None:
    args = {
        "hazard_id": "HZ-A",
        "status": "rectified",
        "rectified_at": "2025-06-20 15:00",
        "now": "2025-06-21 08:00",
        **kwargs,
    }
    with pytest.raises(DataError) as caught:
        hazard_status_edit(_with_hazards(), **args)
    found = {p.field: p.message for p in caught.value.problems}
    assert text in found[field], found


def test_the_same_minute_as_found_and_now_are_accepted() -> None:
    edit = hazard_status_edit(
        _with_hazards(),
        hazard_id="HZ-A",
        status="rectified",
        rectified_at="2025-06-08 09:30",
        now="2025-06-08 09:30",
    )
    assert edit.added["status"].tolist() == ["rectified"]


def test_a_status_update_is_saved_through_the_edit_log_and_undone(tmp_path) -> None:
    """The tiny file's hazards layer has no rectified_at column: the first rectification adds it."""
    path = write_gpkg(tmp_path / "tiny.gpkg", make_tiny_layers())
    district = read_district(path)
    assert "rectified_at" not in district["hazards"].columns
    edit = hazard_status_edit(
        district,
        hazard_id="HZ1",
        status="rectified",
        rectified_at=pd.Timestamp("2025-06-20 15:00"),
        now=pd.Timestamp("2025-06-21 08:00", tz="Asia/Shanghai"),
        user="李强",
    )
    saved = save_edit(district, edit)
    again = read_district(path)
    row = again["hazards"].set_index("hazard_id").loc["HZ1"]
    assert row["status"] == "rectified"
    assert str(row["rectified_at"]) == "2025-06-20 15:00:00+08:00"
    assert again.problems == ()
    log = read_edit_log(path)
    assert (log.iloc[-1]["operation"], log.iloc[-1]["layer"], log.iloc[-1]["user"]) == (
        "status",
        "hazards",
        "李强",
    )
    undo(saved, user="李强")
    back = read_district(path)["hazards"].set_index("hazard_id").loc["HZ1"]
    assert back["status"] == "open" and pd.isna(back["rectified_at"])
