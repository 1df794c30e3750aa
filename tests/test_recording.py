"""Checked input for recording an inspection or a hazard (the app's form, without the app)."""

from __future__ import annotations

import pytest
from conftest import X0, Y0
from inspection_cases import district_with
from pyproj import Transformer

from gridmap.analysis.recording import hazard_edit, inspection_edit
from gridmap.errors import DataError

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
    assert edit.added.iloc[0]["status"] == "supervised"  # major hazards go under supervision
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
