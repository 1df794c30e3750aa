"""AppTest of the export page (pages/export.py) on the tiny district: map preview and atlas."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import make_tiny_layers, write_gpkg
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "pages" / "export.py"
if str(ROOT) not in sys.path:  # the page imports gridmap_app, as app.py in ROOT does
    sys.path.insert(0, str(ROOT))

from gridmap_app.context import Context  # noqa: E402


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gpkg(tmp_path_factory.mktemp("export") / "tiny.gpkg", make_tiny_layers())


def page(path: Path | None, lang: str = "zh") -> AppTest:
    at = AppTest.from_file(str(PAGE), default_timeout=300)
    note = None if path else "choose a file"
    at.session_state["_context"] = Context(
        lang, "path", str(path) if path else None, note, "none", None
    )
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def downloads(at: AppTest) -> list[str]:
    return [e.proto.label for e in at.get("download_button")]


def test_map_preview_and_downloads(tiny_file: Path) -> None:
    at = page(tiny_file)
    assert at.radio(key="export_mode").value == "map"
    at.selectbox(key="export_scope").set_value("medium").run()
    at.selectbox(key="export_grid").set_value("M2").run()
    at.multiselect(key="export_layers").set_value(["buildings", "units"]).run()
    at.radio(key="export_orientation").set_value("portrait").run()
    at.button(key="export_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert downloads(at) == ["下载 PDF", "下载 PNG"]
    assert len(at.get("image")) == 1


def test_atlas_in_english(tiny_file: Path) -> None:
    at = page(tiny_file, "en")
    at.radio(key="export_mode").set_value("atlas").run()
    at.button(key="export_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The atlas has 5 pages, 3 sheets." in [s.value for s in at.success]
    assert downloads(at) == ["Download PDF", "Download one PDF per grid (zip)"]


def test_no_file_yet() -> None:
    at = page(None)
    assert [i.value for i in at.info] == ["choose a file"]
    assert not at.button
