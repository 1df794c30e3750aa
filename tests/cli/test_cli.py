"""The `gridmap` command line as a user runs it: exit codes and readable messages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import make_tiny_layers, write_gpkg
from coverage_cases import bow_tie

from gridmap.cli import main


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert "info" in out and "demo" in out


def test_info_on_a_good_file(tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tiny_gpkg)]) == 0
    out = capsys.readouterr().out
    assert "EPSG:4547" in out
    assert "grid_small" in out and "小网格" in out
    assert "Problems found at load: 0" in out


def test_info_json(tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["info", str(tiny_gpkg), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["layers"]["grid_medium"]["features"] == 3
    assert summary["crs"] == "EPSG:4547"


def test_info_reports_load_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layers = make_tiny_layers()
    layers["grid_small"].loc[2, "geometry"] = bow_tie(100, 0, 200, 100)  # S3 crosses itself
    path = write_gpkg(tmp_path / "w.gpkg", layers)
    assert main(["info", str(path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    at = lines.index("Problems found at load: 1")
    assert lines[at + 1 :] == [
        f"  [warning] file {path}, layer 'grid_small': invalid geometries (kept; the coverage "
        "check repairs and reports them), e.g. S3."
    ]


@pytest.mark.parametrize("content", [b"", b"not a geopackage"])
def test_info_on_a_broken_file_exits_2_with_one_message(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.gpkg"
    path.write_bytes(content)
    result = subprocess.run(
        [sys.executable, "-m", "gridmap.cli", "info", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("gridmap: error:")
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    assert result.stdout == ""


def test_info_missing_layer_lists_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layers = make_tiny_layers()
    path = write_gpkg(tmp_path / "m.gpkg", {"grid_large": layers["grid_large"]})
    assert main(["info", str(path)]) == 2
    err = capsys.readouterr().err
    assert "grid_medium" in err and "grid_small" in err


def test_unknown_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["frobnicate"]) == 2


def test_demo_refuses_to_overwrite_without_force(tiny_gpkg: Path, capsys) -> None:
    before = tiny_gpkg.read_bytes()
    assert main(["demo", str(tiny_gpkg)]) == 2
    assert "--force" in capsys.readouterr().err
    assert tiny_gpkg.read_bytes() == before
