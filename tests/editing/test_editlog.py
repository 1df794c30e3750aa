"""Saving edits: the edit log, optimistic locking, undo and past versions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from conftest import pt, rect
from geopandas.testing import assert_geodataframe_equal

from gridmap import read_district
from gridmap.errors import ConflictError, DataError, GridmapError, SaveError
from gridmap.io import export_version, read_edit_log, save_edit, undo, write_district
from gridmap.io.locking import file_lock
from gridmap.layers import Edit, apply_edit


def _sorted(frame: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    return frame.sort_values(key).reset_index(drop=True)


def _append_inspection(district, inspection_id: str = "I9", user: str = "王芳"):
    like = district["inspections"]
    added = like.iloc[[0]].copy()
    added["inspection_id"] = inspection_id
    added["geometry"] = [pt(150, 50)]
    return Edit("inspections", "append", removed=like.iloc[0:0], added=added, user=user)


def _split_s3(district) -> Edit:
    small = district["grid_small"]
    s3 = small[small["grid_id"] == "S3"]
    halves = gpd.GeoDataFrame(
        {
            "grid_id": ["S3a", "S3b"],
            "parent_id": ["M2", "M2"],
            "name": ["北", "南"],
            "leader": ["周强", "郑爽"],
        },
        geometry=[rect(100, 50, 200, 100), rect(100, 0, 200, 50)],
        crs=small.crs,
    )
    return Edit("grid_small", "split", removed=s3, added=halves, user="规划员", reason="人口增长")


def test_append_is_saved_and_logged(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    after = save_edit(district, _append_inspection(district))
    again = read_district(tiny_gpkg)
    assert "I9" in again["inspections"]["inspection_id"].tolist()
    assert after.fingerprint == again.fingerprint != district.fingerprint
    log = read_edit_log(tiny_gpkg)
    assert log[["edit_id", "user", "operation", "layer", "ids"]].values.tolist() == [
        [1, "王芳", "append", "inspections", '["I9"]']
    ]
    assert "edit_log" in again.extra_layers


def test_second_writer_is_refused_and_told_what_changed(tiny_gpkg: Path) -> None:
    first = read_district(tiny_gpkg)
    second = read_district(tiny_gpkg)
    save_edit(first, _split_s3(first))
    saved = tiny_gpkg.read_bytes()
    with pytest.raises(ConflictError) as info:
        save_edit(second, _append_inspection(second))
    assert info.value.changes["grid_small"]["added"] == ["S3a", "S3b"]
    assert info.value.changes["grid_small"]["removed"] == ["S3"]
    assert "Nothing was saved" in str(info.value)
    assert tiny_gpkg.read_bytes() == saved


def test_undo_after_several_edits_restores_exact_geometries(tiny_gpkg: Path) -> None:
    original = read_district(tiny_gpkg)
    district = save_edit(original, _split_s3(original))
    district = save_edit(district, _append_inspection(district, "I9"))
    district = save_edit(district, _append_inspection(district, "I10"))
    district = undo(district, steps=3, user="规划员")
    again = read_district(tiny_gpkg)
    for name in ("grid_small", "inspections"):
        key = "grid_id" if name == "grid_small" else "inspection_id"
        assert_geodataframe_equal(
            _sorted(again[name], key), _sorted(original[name], key), check_dtype=False
        )
    log = read_edit_log(tiny_gpkg)
    assert log["operation"].tolist() == ["split", "append", "append", "undo", "undo", "undo"]
    assert log["undoes"].dropna().tolist() == [3, 2, 1]
    with pytest.raises(Exception, match="only 0 edits"):
        undo(district)


def test_undo_one_step_at_a_time(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    district = save_edit(district, _split_s3(district))
    district = save_edit(district, _append_inspection(district))
    district = undo(district)
    assert "I9" not in district["inspections"]["inspection_id"].tolist()
    assert "S3a" in district["grid_small"]["grid_id"].tolist()
    district = undo(district)
    assert sorted(read_district(tiny_gpkg)["grid_small"]["grid_id"]) == ["S1", "S2", "S3", "S4"]


def test_export_a_past_version(tiny_gpkg: Path, tmp_path: Path) -> None:
    original = read_district(tiny_gpkg)
    district = save_edit(original, _split_s3(original))
    export_version(district, 0, tmp_path / "v0.gpkg")
    export_version(district, 1, tmp_path / "v1.gpkg")
    v0, v1 = read_district(tmp_path / "v0.gpkg"), read_district(tmp_path / "v1.gpkg")
    assert sorted(v0["grid_small"]["grid_id"]) == ["S1", "S2", "S3", "S4"]
    assert sorted(v1["grid_small"]["grid_id"]) == ["S1", "S2", "S3a", "S3b", "S4"]


def test_apply_edit_refuses_unknown_and_duplicate_ids(tiny_layers) -> None:
    small = tiny_layers["grid_small"]
    ghost = small.iloc[[0]].assign(grid_id="S99")
    with pytest.raises(DataError, match="S99"):
        apply_edit(small, Edit("grid_small", "delete", removed=ghost, added=small.iloc[0:0]))
    with pytest.raises(DataError, match="already exist"):
        apply_edit(
            small, Edit("grid_small", "draw", removed=small.iloc[0:0], added=small.iloc[[1]])
        )
    unchanged = apply_edit(
        small, Edit("grid_small", "noop", removed=small.iloc[0:0], added=small.iloc[0:0])
    )
    assert_geodataframe_equal(unchanged, small)


def _reassign_leader(district, grid_id: str, leader: str, user: str = "规划员") -> Edit:
    small = district["grid_small"]
    row = small[small["grid_id"] == grid_id]
    return Edit("grid_small", "reassign", removed=row, added=row.assign(leader=leader), user=user)


def test_the_log_row_holds_who_when_why_and_both_states(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    save_edit(district, _split_s3(district))
    row = read_edit_log(tiny_gpkg).iloc[0]
    assert (row["user"], row["operation"], row["reason"]) == ("规划员", "split", "人口增长")
    assert str(row["at"].tz) == "Asia/Shanghai"
    assert abs(pd.Timestamp.now(tz="UTC") - row["at"]) < pd.Timedelta(minutes=5)
    before, after = json.loads(row["before"]), json.loads(row["after"])
    assert [r["grid_id"] for r in before] == ["S3"]
    assert [r["grid_id"] for r in after] == ["S3a", "S3b"]
    assert shapely.from_wkb(before[0]["__wkb__"]).equals(rect(100, 0, 200, 100))
    assert row["crs"] == "EPSG:4547"


def test_a_second_writer_who_changed_only_an_attribute_is_detected(tiny_gpkg: Path) -> None:
    mine = read_district(tiny_gpkg)
    theirs = read_district(tiny_gpkg)
    save_edit(theirs, _reassign_leader(theirs, "S1", "别人"))
    with pytest.raises(ConflictError) as info:
        save_edit(mine, _reassign_leader(mine, "S1", "我"))
    assert info.value.changes["grid_small"]["changed"] == ["S1"]
    assert read_district(tiny_gpkg)["grid_small"].set_index("grid_id").loc["S1", "leader"] == "别人"


def test_export_a_version_after_an_undo(tiny_gpkg: Path, tmp_path: Path) -> None:
    district = read_district(tiny_gpkg)
    district = save_edit(district, _split_s3(district))  # edit 1
    district = save_edit(district, _reassign_leader(district, "S1", "新组长"))  # edit 2
    district = undo(district)  # edit 3 undoes edit 2
    export_version(district, 2, tmp_path / "v2.gpkg")
    export_version(district, 3, tmp_path / "v3.gpkg")
    leader = {
        v: read_district(tmp_path / f"v{v}.gpkg")["grid_small"].set_index("grid_id").loc["S1"]
        for v in (2, 3)
    }
    assert leader[2]["leader"] == "新组长"  # the state right after edit 2, before its undo
    assert leader[3]["leader"] == "赵磊"
    with pytest.raises(GridmapError, match="has no edit 7"):
        export_version(district, 7, tmp_path / "v7.gpkg")


def test_undo_refuses_to_overwrite_a_change_made_outside_the_log(tiny_gpkg: Path) -> None:
    district = read_district(tiny_gpkg)
    district = save_edit(district, _reassign_leader(district, "S1", "新组长"))
    # a planner then changes S1 in QGIS: the layer is rewritten without a log entry
    outside = district["grid_small"].copy()
    outside.loc[outside["grid_id"] == "S1", "leader"] = "QGIS里改的"
    write_district(district.with_layers(grid_small=outside), layers=["grid_small"])
    reloaded = read_district(tiny_gpkg)
    saved = tiny_gpkg.read_bytes()
    with pytest.raises(ConflictError, match="S1 changed after edit 1"):
        undo(reloaded)
    assert tiny_gpkg.read_bytes() == saved


def test_a_save_that_fails_mid_write_leaves_file_and_log_unchanged(
    tiny_gpkg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from gridmap.io import gpkg

    district = read_district(tiny_gpkg)
    saved = tiny_gpkg.read_bytes()
    real = gpkg._write_one

    def fail_on_the_log(path, name, layer):
        if name == "edit_log":
            raise OSError("disk full")
        return real(path, name, layer)

    monkeypatch.setattr(gpkg, "_write_one", fail_on_the_log)
    with pytest.raises(SaveError):
        save_edit(district, _split_s3(district))
    assert tiny_gpkg.read_bytes() == saved
    assert read_edit_log(tiny_gpkg).empty
    assert not list(tiny_gpkg.parent.glob(".*.tmp.gpkg"))


def test_a_held_lock_makes_a_second_save_wait_then_give_up(tiny_gpkg: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time\n"
            "from gridmap.io.locking import file_lock\n"
            f"with file_lock({str(tiny_gpkg)!r}):\n"
            "    print('locked', flush=True)\n"
            "    time.sleep(30)\n",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        with (
            pytest.raises(SaveError, match="being saved by someone else"),
            file_lock(tiny_gpkg, timeout=0.3),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with file_lock(tiny_gpkg, timeout=5):  # free again once the holder is gone
        pass
