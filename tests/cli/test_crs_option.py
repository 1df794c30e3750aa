"""A CRS named by the caller that PROJ cannot read is one readable error, not a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from gridmap import read_district
from gridmap.errors import CRSError


@pytest.mark.parametrize("option", ["crs", "working_crs"])
@pytest.mark.parametrize("value", ["garbage", "EPSG:999999"])
def test_an_unreadable_crs_option_is_a_crs_error(tiny_gpkg: Path, option: str, value: str) -> None:
    with pytest.raises(CRSError, match=rf"the {option} given \('{value}'\) cannot be read") as info:
        read_district(tiny_gpkg, **{option: value})
    assert info.value.problems[0].file == str(tiny_gpkg)
    assert "EPSG:4547" in str(info.value)


@pytest.mark.parametrize("command", ["info", "check"])
def test_the_cli_exits_2_with_one_message(tiny_gpkg: Path, command: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gridmap.cli", command, str(tiny_gpkg), "--crs", "garbage"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert "the crs given ('garbage') cannot be read by PROJ" in done.stderr


# ---------------------------------------------------------------------------
# No working CRS can be chosen: the error names the layer and the file


def _arctic_square(lat: float = 86.0):
    import geopandas as gpd
    from shapely.geometry import box

    return gpd.GeoDataFrame(
        {"grid_id": ["N1"], "name": ["北极"], "leader": ["张伟"]},
        geometry=[box(10.0, lat, 10.5, lat + 0.5)],
        crs="EPSG:4326",
    )


def test_latitude_above_84_names_layer_and_file() -> None:
    from gridmap.geo.crs import metric_crs_for

    with pytest.raises(CRSError) as info:
        metric_crs_for(10.0, 86.0, layer="grid_large", file="arctic.gpkg")
    (problem,) = info.value.problems
    assert (problem.file, problem.layer) == ("arctic.gpkg", "grid_large")
    assert str(info.value).startswith(
        "file arctic.gpkg, layer 'grid_large': cannot choose a metric working CRS: the data's "
        "centre (10.0000, 86.0000) is beyond 84° of latitude, where no UTM zone holds it."
    )
    assert "Fix: check that the layer's CRS is right" in str(info.value)
    assert "working_crs='EPSG:3413'" in str(info.value)


def test_a_centre_that_is_not_a_number_is_said_so() -> None:
    from gridmap.geo.crs import metric_crs_for

    with pytest.raises(CRSError, match=r"layer 'units': .*\(nan, 30.0000\) is not a number"):
        metric_crs_for(float("nan"), 30.0, layer="units")


def test_frame_errors_name_the_layer() -> None:
    from shapely.geometry import Point

    from gridmap.geo.crs import metric_crs_for_frame

    frame = _arctic_square()
    with pytest.raises(CRSError, match=r"^file a.geojson, layer 'grid_small': .*beyond 84°"):
        metric_crs_for_frame(frame, layer="grid_small", file="a.geojson")
    with pytest.raises(CRSError, match=r"^layer 'grid_small': .*without a CRS\. Fix: set"):
        metric_crs_for_frame(frame.set_crs(None, allow_override=True), layer="grid_small")
    empty = frame.set_geometry([Point()], crs="EPSG:4326")  # an empty point is no geometry
    with pytest.raises(CRSError, match=r"^layer 'units': .*with no geometry\. Fix: "):
        metric_crs_for_frame(empty, layer="units")
    # Without a name the message is as before, and the choice itself is unchanged.
    with pytest.raises(CRSError, match=r"^cannot choose a metric working CRS"):
        metric_crs_for_frame(frame)
    assert metric_crs_for_frame(_arctic_square(45.0)).to_epsg() == 32632


def test_import_of_arctic_data_names_file_and_layer(tmp_path: Path) -> None:
    from gridmap.tasks.importing import import_layer

    source = tmp_path / "arctic.geojson"
    _arctic_square().to_file(source, driver="GeoJSON")
    with pytest.raises(CRSError) as info:
        import_layer([source], tmp_path / "arctic.gpkg", "grid_large")
    (problem,) = info.value.problems
    assert (problem.layer, problem.file) == ("grid_large", str(source))
    assert "beyond 84° of latitude" in problem.message
    assert not (tmp_path / "arctic.gpkg").exists()


def test_read_district_of_arctic_data_names_file_and_layer(tmp_path: Path) -> None:
    import pyogrio

    path = tmp_path / "arctic.gpkg"
    large = _arctic_square()
    medium = large.assign(parent_id="N1", kind="village")
    small = large.assign(parent_id="N1")
    for name, layer in (("grid_large", large), ("grid_medium", medium), ("grid_small", small)):
        pyogrio.write_dataframe(layer, path, layer=name, driver="GPKG")
    with pytest.raises(CRSError) as info:
        read_district(path)
    (problem,) = info.value.problems
    assert (problem.layer, problem.file) == ("grid_large", str(path))
