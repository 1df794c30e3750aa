"""The Inspections page's maps (gridmap.render.web.inspections) on awkward input."""

from __future__ import annotations

import json

import pandas as pd
import shapely
from conftest import X0, Y0, make_tiny_layers

from gridmap.render.web import inspections as rm
from gridmap.render.web.elements import GMLayer


def _with_bow_tie():
    small = make_tiny_layers()["grid_small"].copy()
    bow_tie = shapely.Polygon(
        [(X0, Y0), (X0 + 100, Y0 + 100), (X0 + 100, Y0), (X0, Y0 + 100), (X0, Y0)]
    )
    small.loc[small.index[0], "geometry"] = bow_tie
    assert not shapely.is_valid(bow_tie)
    return small


def test_to_web_keeps_an_invalid_zone() -> None:
    """A bow-tie zone (loading keeps it, flagged) is drawn, not an exception."""
    small = _with_bow_tie()
    web = rm.to_web(small)
    assert len(web) == len(small) and web.crs.to_epsg() == 4326
    assert not web.geometry.is_empty.any()


def test_compliance_map_of_a_file_with_a_bow_tie() -> None:
    small = _with_bow_tie()
    worst = pd.DataFrame(
        {"status": ["late", "on_schedule", "never", "late"], "rate": [0.5, 1.0, 0.0, 0.25]},
        index=small["grid_id"].tolist(),
    )
    labels = {"late": "未按频次", "on_schedule": "按频次", "never": "从未巡查"}
    fields = {"grid_id": "编码", "name": "名称", "status": "最差状态", "rate": "完成率"}
    m = rm.compliance_map(small, worst, labels=labels, fields=fields)
    (layer,) = [c for c in m._children.values() if isinstance(c, GMLayer)]
    spec = json.loads(layer.spec_json)
    assert spec["p"]["grid_id"] == small["grid_id"].tolist()
    assert all(spec["g"]), "every zone is drawn, the bow-tie too"
    colours = [spec["palette"][k] for k in spec["p"]["c"]]
    assert colours == [rm.STATUS_COLOURS[s] for s in worst["status"]]
    assert spec["p"]["status"] == ["未按频次", "按频次", "从未巡查", "未按频次"]
    assert spec["labels"] == list(fields.values())
    html = m.get_root().render()
    assert "GM.layer(" in html and "未按频次" in html and "cdn.jsdelivr" not in html


def test_a_grid_without_requirements_is_drawn_as_no_data() -> None:
    small = make_tiny_layers()["grid_small"]
    worst = pd.DataFrame({"status": ["late"], "rate": [0.5]}, index=[small["grid_id"].iloc[0]])
    m = rm.compliance_map(small, worst, labels={"late": "未按频次"}, fields={"grid_id": "编码"})
    (layer,) = [c for c in m._children.values() if isinstance(c, GMLayer)]
    spec = json.loads(layer.spec_json)
    colours = [spec["palette"][k] for k in spec["p"]["c"]]
    assert colours == [rm.STATUS_COLOURS["late"]] + [rm.NO_DATA] * (len(small) - 1)
    assert spec["p"]["status"][1:] == [None] * (len(small) - 1)
