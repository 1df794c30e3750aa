"""Saving a reviewed edit: refused without acceptance and reason when it adds errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridmap import read_district
from gridmap.analysis.editing import delete_grid, merge_grids, review_edit
from gridmap.errors import EditRefused
from gridmap.io import read_edit_log
from gridmap.tasks import commit_edits


def test_a_clean_edit_is_saved_with_its_user_and_reason(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    edit = merge_grids(district, "grid_small", ["S1", "S2"], keep="S1")
    saved, review = commit_edits(
        district, edit, review=review_edit(district, edit), user="规划员", reason="两片合并"
    )
    assert not review.blocking
    assert sorted(saved["grid_small"]["grid_id"]) == ["S1", "S3", "S4"]
    row = read_edit_log(tiny_gpkg).iloc[-1]
    assert (row["user"], row["operation"], row["reason"]) == ("规划员", "merge", "两片合并")


@pytest.mark.parametrize(
    ("accept", "reason"), [(False, "开发区"), (True, ""), (True, "   "), (False, None)]
)
def test_an_edit_that_leaves_a_gap_needs_acceptance_and_a_reason(
    tiny_gpkg: Path, accept: bool, reason: str | None
) -> None:
    district = read_district(tiny_gpkg)
    edit = delete_grid(district, "grid_small", "S2", reason="划出")
    before = tiny_gpkg.read_bytes()
    with pytest.raises(EditRefused, match=r"gap M1 \(5,000.0 m²\)"):
        commit_edits(
            district,
            edit,
            review=review_edit(district, edit),
            user="规划员",
            reason=reason,
            accept_findings=accept,
        )
    assert tiny_gpkg.read_bytes() == before


def test_an_accepted_gap_is_saved_and_logged_with_the_reason(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    edit = delete_grid(district, "grid_small", "S2", reason="划出")
    saved, review = commit_edits(
        district,
        edit,
        review=review_edit(district, edit),
        user="规划员",
        reason="划归开发区管理",
        accept_findings=True,
    )
    assert review.blocking and "S2" not in set(saved["grid_small"]["grid_id"])
    assert read_edit_log(tiny_gpkg).iloc[-1]["reason"] == "划归开发区管理"


def test_an_edit_needs_a_name(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    edit = merge_grids(district, "grid_small", ["S1", "S2"])
    with pytest.raises(EditRefused, match="name of the person"):
        commit_edits(district, edit, review=review_edit(district, edit), user=" ")
