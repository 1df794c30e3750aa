"""Scope over the grid subtree and masking, on the tiny district with known answers.

The tiny district (tests/conftest.py): town L1 holds communities M1 (zones S1,
S2) and M2 (zone S3); town L2 holds M3 (zone S4). Households H1, H2 sit in S1
(building B1), H3 in S2 (B2); unit U1 in M2, U2 in M3.
"""

from __future__ import annotations

import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from conftest import make_tiny_layers, pt
from hypothesis import given
from hypothesis import strategies as st

from gridmap.analysis.access import (
    FULL,
    NONE,
    Scope,
    mask_district,
    mask_name,
    mask_phone,
    mask_text,
    rows_in_scope,
    scope_of,
    subtree,
)
from gridmap.district import District
from gridmap.identity import Role, User

PHONES = {"H1": "13911112222", "H2": "13733334444", "H3": "18655556666"}


@pytest.fixture
def district() -> District:
    layers = make_tiny_layers()
    hh = layers["households"]
    hh["head"] = ["张三", "李四", "王五"]
    hh["phone"] = [PHONES[h] for h in hh["household_id"]]
    layers["units"]["manager"] = ["赵六", "钱七"]
    layers["units"]["phone"] = ["13800138000", "13900139000"]
    layers["grid_medium"]["phone"] = ["13512345678", "13612345678", "13712345678"]
    return District(layers, layers["grid_small"].crs)


def leader(*grids: str) -> User:
    return User("zhang", Role.GRID_LEADER, grids=grids)


def test_subtree_follows_parent_ids_down_every_level(district: District) -> None:
    assert subtree(district, ["L1"]) == {"L1", "M1", "M2", "S1", "S2", "S3"}
    assert subtree(district, ["M1"]) == {"M1", "S1", "S2"}
    assert subtree(district, ["S4"]) == {"S4"}
    assert subtree(district, ["X9"]) == {"X9"}  # unknown ids cover nothing, and are kept


def test_scope_of_each_role(district: District) -> None:
    assert scope_of(User("a", Role.ADMINISTRATOR), district).full
    assert scope_of(User("p", Role.PLANNER), district).full
    assert scope_of(User("s", Role.STAFF), district).full  # staff for the whole district
    assert scope_of(User("v", Role.VIEWER, grids=("M1",)), district).empty  # a viewer sees none
    assert scope_of(None, district).empty
    community = scope_of(leader("M1"), district)
    assert community.grids == {"M1", "S1", "S2"} and not community.full
    staff = scope_of(User("s", Role.STAFF, grids=("M3",)), district)
    assert staff.grids == {"M3", "S4"}


def test_rows_in_scope_by_id_place_and_building(district: District) -> None:
    scope = scope_of(leader("M1"), district)
    shown = {
        name: district[name].loc[rows_in_scope(district, name, district[name], scope)]
        for name in ("grid_large", "grid_medium", "grid_small", "households", "units")
    }
    assert shown["grid_large"]["grid_id"].tolist() == []  # the town above is not the leader's
    assert shown["grid_medium"]["grid_id"].tolist() == ["M1"]
    assert shown["grid_small"]["grid_id"].tolist() == ["S1", "S2"]
    assert shown["households"]["household_id"].tolist() == ["H1", "H2", "H3"]
    assert shown["units"]["unit_id"].tolist() == []


def test_a_household_without_a_point_is_placed_by_its_building(district: District) -> None:
    hh = district["households"].copy()
    hh.loc[hh["household_id"] == "H3", "geometry"] = None
    d = district.with_layers(households=hh)
    inside = rows_in_scope(d, "households", hh, scope_of(leader("S2"), d))
    assert hh.loc[inside, "household_id"].tolist() == ["H3"]


def test_a_row_that_cannot_be_placed_is_outside(district: District) -> None:
    hh = district["households"].copy()
    hh.loc[hh["household_id"] == "H3", ["geometry", "building_id"]] = [None, "B404"]
    d = district.with_layers(households=hh)
    inside = rows_in_scope(d, "households", hh, scope_of(leader("M1"), d))
    assert hh.loc[inside, "household_id"].tolist() == ["H1", "H2"]


def test_records_naming_a_grid_follow_it(district: District) -> None:
    scope = scope_of(leader("M1"), district)
    eq = district["equipment_points"]
    assert eq.loc[rows_in_scope(district, "equipment_points", eq, scope), "point_id"].tolist() == [
        "E1"
    ]
    meetings = pd.DataFrame({"meeting_id": ["T1", "T2"], "large_id": ["L1", "L2"]})
    town = scope_of(leader("L1"), district)
    assert rows_in_scope(district, "meetings", meetings, town).tolist() == [True, False]


def test_mask_district_for_a_community_leader(district: District) -> None:
    shown = mask_district(district, scope_of(leader("M1"), district))
    assert shown.masked
    hh = shown["households"].set_index("household_id")
    assert hh.loc["H1", "phone"] == "13911112222" and hh.loc["H1", "head"] == "张三"
    units = shown["units"].set_index("unit_id")
    assert units.loc["U1", "phone"] == "138****8000" and units.loc["U1", "manager"] == "赵*"
    medium = shown["grid_medium"].set_index("grid_id")
    assert medium.loc["M1", "leader"] == "王芳" and medium.loc["M1", "phone"] == "13512345678"
    assert medium.loc["M2", "leader"] == "刘*" and medium.loc["M2", "phone"] == "136****5678"
    large = shown["grid_large"].set_index("grid_id")
    assert large.loc["L1", "leader"] == "张*" and large.loc["L1", "phone"] == "138****0001"
    assert pd.isna(large.loc["L2", "phone"])  # missing stays missing
    # Everything else is what was loaded: ids, names of places, geometry, counts.
    for name in district:
        assert len(shown[name]) == len(district[name])
    assert shown["grid_small"].geometry.equals(district["grid_small"].geometry)
    assert shown["grid_medium"]["name"].tolist() == district["grid_medium"]["name"].tolist()
    # The loaded district itself is not touched.
    assert district["households"]["phone"].tolist() == list(PHONES.values())


def test_a_viewer_sees_no_personal_value_and_a_planner_sees_all(district: District) -> None:
    viewer = mask_district(district, scope_of(User("v", Role.VIEWER), district))
    text = " ".join(
        str(v)
        for name in viewer
        for v in viewer[name].drop(columns="geometry", errors="ignore").values.ravel()
    )
    assert not re.search(r"1[3-9]\d{9}", text)
    assert mask_district(district, scope_of(User("p", Role.PLANNER), district)) is district


def test_public_version_has_no_personal_field(district: District) -> None:
    public = mask_district(district, FULL, public=True)
    assert "phone" not in public["households"] and "head" not in public["households"]
    assert "leader" not in public["grid_small"] and "members" not in public["grid_small"]
    assert "name" in public["grid_small"]  # a place's name is not personal


def test_free_text_and_unknown_columns_lose_phone_and_id_numbers(district: District) -> None:
    hz = gpd.GeoDataFrame(
        {
            "hazard_id": ["Z1"],
            "description": ["楼道堆物，联系人电话13912345678，身份证410102198001011234"],
            "note_extra": ["call 0371-67123456"],
        },
        geometry=[pt(15, 15)],
        crs=district.crs,
    )
    shown = mask_district(district.with_layers(hazards=hz), NONE)
    row = shown["hazards"].iloc[0]
    assert "13912345678" not in row["description"] and "139****5678" in row["description"]
    assert "4101**********1234" in row["description"]
    assert row["note_extra"] == "call 037****3456"
    assert row["hazard_id"] == "Z1"  # ids are never rewritten


def test_ids_that_look_like_phones_are_left_alone(district: District) -> None:
    b = district["buildings"].copy()
    b["building_id"] = ["13900000001", "B2", "B3", "B4"]
    shown = mask_district(district.with_layers(buildings=b), NONE)
    assert shown["buildings"]["building_id"].iloc[0] == "13900000001"


@given(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))
def test_a_masked_mobile_keeps_its_ends_and_hides_the_middle(phone: str) -> None:
    masked = mask_phone(phone)
    assert masked == phone[:3] + "****" + phone[-4:]
    assert mask_text(f"电话：{phone}。") == f"电话：{masked}。"


@given(
    st.text(
        alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5), min_size=1, max_size=6
    )
)
def test_a_masked_name_keeps_only_its_first_character(name: str) -> None:
    masked = mask_name(name)
    assert isinstance(masked, str) and len(masked) == len(name)
    if len(name) == 1:
        assert masked == "*"  # a one-character name shown would be the whole name
    else:
        assert masked[0] == name[0] and set(masked[1:]) == {"*"}


@given(st.text(max_size=40))
def test_mask_text_never_leaves_a_mobile_number(text: str) -> None:
    assert not re.search(r"(?<!\d)1[3-9]\d{9}(?!\d)", str(mask_text(text)))


def test_scope_of_unknown_grid_covers_nothing(district: District) -> None:
    scope = Scope(everything=False, grids=frozenset({"X1"}))
    assert not rows_in_scope(district, "households", district["households"], scope).any()
    assert np.all(~rows_in_scope(district, "grid_small", district["grid_small"], scope))
