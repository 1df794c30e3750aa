"""May this user do this, here? Roles, scoped changes and the action an edit needs."""

from __future__ import annotations

import geopandas as gpd
import pytest
from conftest import make_tiny_layers, pt

from gridmap.analysis.access import action_of_edit, authorize, authorize_edit
from gridmap.district import District
from gridmap.errors import AccessDenied
from gridmap.identity import PERMISSIONS, Action, Role, User
from gridmap.layers.edits import Edit


@pytest.fixture
def district() -> District:
    layers = make_tiny_layers()
    return District(layers, layers["grid_small"].crs)


LEADER = User("zhang", Role.GRID_LEADER, grids=("M1",), display="张三")


def _inspection(district: District, x: float, y: float, iid: str = "I9") -> Edit:
    added = gpd.GeoDataFrame(
        {"inspection_id": [iid], "target_id": ["U1"]}, geometry=[pt(x, y)], crs=district.crs
    )
    return Edit("inspections", "append", added.iloc[:0], added, user=LEADER.label)


def test_the_table_of_the_issue() -> None:
    assert PERMISSIONS[Role.ADMINISTRATOR] == frozenset(Action)
    assert Role.PLANNER.can(Action.EDIT_BOUNDARIES) and not Role.PLANNER.can(Action.RECORD_HAZARDS)
    for role in (Role.GRID_LEADER, Role.STAFF):
        assert role.can(Action.RECORD_INSPECTIONS) and role.can(Action.RECORD_HAZARDS)
        assert role.can(Action.RECORD_PLAN) and not role.can(Action.EDIT_BOUNDARIES)
    assert Role.STAFF.can(Action.SITE_EQUIPMENT) and not Role.GRID_LEADER.can(Action.SITE_EQUIPMENT)
    assert Role.GRID_LEADER.can(Action.EDIT_CONTACTS)
    assert PERMISSIONS[Role.VIEWER] == {Action.VIEW, Action.EXPORT}
    assert not any(Role(r).can(Action.MANAGE_USERS) for r in Role if r is not Role.ADMINISTRATOR)


def test_a_refusal_names_the_user_the_role_and_the_grids(district: District) -> None:
    with pytest.raises(AccessDenied, match=r"张三 \(zhang\) \(网格负责人 grid leader\) may not"):
        authorize(LEADER, Action.EDIT_BOUNDARIES)
    with pytest.raises(AccessDenied, match="in M2: outside the user's grids"):
        authorize(LEADER, Action.RECORD_HAZARDS, district, ["S1", "M2"])
    authorize(LEADER, Action.RECORD_HAZARDS, district, ["S1", "S2", "M1"])


def test_a_leader_records_inside_the_community_only(district: District) -> None:
    authorize_edit(LEADER, _inspection(district, 15, 15), district)  # in S1 of M1
    with pytest.raises(AccessDenied, match="inspections I9: outside"):
        authorize_edit(LEADER, _inspection(district, 130, 20), district)  # in M2
    authorize_edit(
        User("s", Role.STAFF), _inspection(district, 130, 20), district
    )  # district staff
    with pytest.raises(AccessDenied):
        authorize_edit(User("v", Role.VIEWER), _inspection(district, 15, 15), district)


def test_contact_change_versus_boundary_change(district: District) -> None:
    small = district["grid_small"]
    before = small[small["grid_id"] == "S1"]
    phone = before.assign(phone="13900001111", leader="新负责人")
    contact = Edit("grid_small", "attributes", before, phone)
    assert action_of_edit(contact) is Action.EDIT_CONTACTS
    authorize_edit(LEADER, contact, district)
    renamed = Edit("grid_small", "attributes", before, before.assign(name="新名"))
    assert action_of_edit(renamed) is Action.EDIT_BOUNDARIES
    with pytest.raises(AccessDenied, match="may not change grid boundaries"):
        authorize_edit(LEADER, renamed, district)
    moved = Edit("grid_small", "reshape", before, before.assign(geometry=before.buffer(1)))
    assert action_of_edit(moved) is Action.EDIT_BOUNDARIES
    authorize_edit(User("p", Role.PLANNER), moved, district)
    other = small[small["grid_id"] == "S3"]
    with pytest.raises(AccessDenied, match="grid_small S3: outside"):
        authorize_edit(
            LEADER, Edit("grid_small", "attributes", other, other.assign(phone="1")), district
        )


def test_layers_without_a_recording_action_are_for_administrators(district: District) -> None:
    hh = district["households"]
    edit = Edit("households", "delete", hh.iloc[:1], hh.iloc[:0])
    assert action_of_edit(edit) is Action.IMPORT_ANY
    with pytest.raises(AccessDenied):
        authorize_edit(User("p", Role.PLANNER), edit, district)
    authorize_edit(User("a", Role.ADMINISTRATOR), edit, district)


def test_a_grid_leader_needs_a_grid() -> None:
    with pytest.raises(ValueError, match="bound to no grid"):
        User("li", Role.GRID_LEADER)


def test_a_masked_view_is_never_saved(tiny_gpkg) -> None:
    from gridmap.analysis.access import NONE, mask_district
    from gridmap.errors import SaveError
    from gridmap.io import read_district, save_edit

    loaded = read_district(tiny_gpkg)
    before = tiny_gpkg.read_bytes()
    shown = mask_district(loaded, NONE)
    edit = _inspection(shown, 15, 15)
    with pytest.raises(SaveError, match="personal data masked"):
        save_edit(shown, edit)
    assert tiny_gpkg.read_bytes() == before
    save_edit(loaded, edit)  # the district as loaded saves
    assert "I9" in read_district(tiny_gpkg)["inspections"]["inspection_id"].tolist()
