"""The coverage walkthrough notebook runs top to bottom (nbclient, the venv kernel, offline)."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "coverage_walkthrough.ipynb"
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """The shipped sample district, or a freshly generated one when it is not there."""
    if SAMPLE.exists():
        return SAMPLE
    from gridmap.demo import build_demo_district
    from gridmap.io import write_layers

    path = tmp_path / "shangjie_demo.gpkg"
    write_layers(path, build_demo_district())
    return path


def test_coverage_walkthrough_runs(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRIDMAP_SAMPLE", str(sample))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not cell.get("outputs") for cell in notebook.cells if cell.cell_type == "code"), (
        "commit the notebook without outputs"
    )
    client = NotebookClient(
        notebook,
        timeout=600,
        kernel_name="python3",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    client.execute()
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    text = "\n".join(o.get("text", "") for o in outputs if o.output_type == "stream")
    assert "errors" in text and "['汇总'" in text
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(images) >= 2  # the overview map and the zoom on the largest gap
    html = [o["data"]["text/html"] for o in outputs if "text/html" in o.get("data", {})]
    assert any("leaflet" in h.lower() or "folium" in h.lower() for h in html)
