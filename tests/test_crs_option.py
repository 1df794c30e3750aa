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
