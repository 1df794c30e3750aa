"""Every CLI test gets its own, empty GridMap home: the audit lines and accounts a test
makes never reach the real ``~/.gridmap``, nor the session home the app tests share.

pytest imports every ``conftest.py`` as the module ``conftest``, so inside tests/cli
``from conftest import make_tiny_layers`` names this file: the shared helpers of
tests/conftest.py are re-exported here (loaded under another name; its fixtures stay
registered from tests/conftest.py itself).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "_tests_shared_conftest", Path(__file__).resolve().parents[1] / "conftest.py"
)
assert _spec is not None and _spec.loader is not None
_shared = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_shared)

CRS = _shared.CRS
X0, Y0 = _shared.X0, _shared.Y0
make_tiny_layers = _shared.make_tiny_layers
write_gpkg = _shared.write_gpkg
rect, pt = _shared.rect, _shared.pt


@pytest.fixture(autouse=True)
def gridmap_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty GridMap home (``$GRIDMAP_HOME``) for the test."""
    home = tmp_path_factory.mktemp("gridmap_home")
    monkeypatch.setenv("GRIDMAP_HOME", str(home))
    return home
