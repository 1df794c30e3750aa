"""Every CLI test gets its own, empty GridMap home: the audit lines and accounts a test
makes never reach the real ``~/.gridmap``, nor the session home the app tests share.

tests/cli is a package (``__init__.py``), so this file is ``cli.conftest`` and
``from conftest import make_tiny_layers`` in the CLI tests still names tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def gridmap_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, empty GridMap home (``$GRIDMAP_HOME``) for the test."""
    home = tmp_path_factory.mktemp("gridmap_home")
    monkeypatch.setenv("GRIDMAP_HOME", str(home))
    return home
