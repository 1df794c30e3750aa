"""The type checker is the contract: mypy passes on gridmap/ with the config in pyproject.toml."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.skipif(
    importlib.util.find_spec("mypy") is None,
    reason="mypy is not installed (pip install -e '.[test]' brings it)",
)
def test_mypy_passes_on_the_package() -> None:
    # No arguments: [tool.mypy] in pyproject.toml names the files (gridmap) and the options.
    done = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    output = (done.stdout + done.stderr).strip()
    if done.returncode != 0:
        pytest.fail(f"mypy exited {done.returncode}:\n{output}", pytrace=False)
