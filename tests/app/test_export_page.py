"""AppTest of the export page (pages/export.py) on the tiny district: map preview and atlas."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from _app_support import sign_in
from conftest import make_tiny_layers, write_gpkg
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "pages" / "export.py"
if str(ROOT) not in sys.path:  # the page imports gridmap_app, as app.py in ROOT does
    sys.path.insert(0, str(ROOT))

from gridmap_app.context import Context  # noqa: E402


@pytest.fixture(scope="module")
def tiny_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gpkg(tmp_path_factory.mktemp("export") / "tiny.gpkg", make_tiny_layers())


def page(path: Path | None, lang: str = "zh", user: str = "admin", **state: object) -> AppTest:
    at = sign_in(AppTest.from_file(str(PAGE), default_timeout=300), user)
    for key, value in state.items():
        at.session_state[key] = value
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
    assert at.radio(key="export_mode@zh").value == "map"
    at.selectbox(key="export_scope@zh").set_value("medium").run()
    at.selectbox(key="export_grid").set_value("M2").run()
    at.multiselect(key="export_layers").set_value(["buildings", "units"]).run()
    at.radio(key="export_orientation@zh").set_value("portrait").run()
    at.button(key="export_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert downloads(at) == ["下载 PDF", "下载 PNG"]
    assert len(at.get("image")) == 1


def test_atlas_in_english(tiny_file: Path) -> None:
    at = page(tiny_file, "en")
    at.radio(key="export_mode@en").set_value("atlas").run()
    at.button(key="export_go").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "The atlas has 5 pages, 3 sheets." in [s.value for s in at.success]
    assert downloads(at) == ["Download PDF", "Download one PDF per grid (zip)"]


def test_no_file_yet() -> None:
    at = page(None)
    assert [i.value for i in at.info] == ["choose a file"]
    assert not at.button


def test_starts_from_the_coverage_selection_and_the_district_name(tiny_file: Path) -> None:
    """A grid drilled to on the coverage map (sel_*) is the first extent offered."""
    at = page(tiny_file, sel_large="L1", sel_medium="M2", sel_small="")
    assert at.selectbox(key="export_scope@zh").value == "medium"
    assert at.selectbox(key="export_grid").value == "M2"
    # two large grids and no name recorded in the file: the file's stem
    assert at.text_input(key="export_name").value == "tiny"


def test_no_coverage_selection_starts_with_the_whole_district(tiny_file: Path) -> None:
    at = page(tiny_file)
    assert at.selectbox(key="export_scope@zh").value == "district"
    assert "export_grid" not in [s.key for s in at.selectbox]


def test_the_sample_prints_under_its_recorded_name(sample: Path) -> None:
    """The bundled sample records 上街区 in its GeoPackage metadata."""
    at = page(sample)
    assert at.text_input(key="export_name").value == "上街区"
