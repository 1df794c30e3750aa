"""AppTest of the Equipment page on the sample district: siting, accepting sites, BOM."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from _app_support import ROOT, SITING
from _app_support import run_page as run_page_at
from streamlit.testing.v1 import AppTest

from gridmap.io import read_district, read_edit_log

PAGE = ROOT / "pages" / "equipment.py"
TIMEOUT = 600
OPTIONS = SITING


run_page = partial(run_page_at, PAGE, timeout=TIMEOUT)


def maps(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]


def test_page_before_a_run_shows_the_kit(sample: Path) -> None:
    at = run_page()
    assert not at.error, [e.value for e in at.error]
    assert any("计算选址" in i.value for i in at.info)
    assert len(maps(at)) == 1  # the inventory map
    assert len(at.dataframe) >= 3  # totals, per community, shortfalls
    assert at.get("download_button")


def test_siting_run_shows_map_metrics_and_sites(sample: Path) -> None:
    at = run_page(eq_result=OPTIONS)
    assert not at.error, [e.value for e in at.error]
    shown = maps(at)
    assert len(shown) == 2
    assert "circlemarker" in shown[0]["script"].lower()  # sites, points and uncovered demand
    labels = [m.label for m in at.metric]
    assert "现状覆盖" in labels and "新增后覆盖" in labels
    assert at.metric[2].value == "2"
    assert "optimal" in " ".join(c.value for c in at.caption)


def test_english(sample: Path) -> None:
    at = run_page(eq_result={**OPTIONS, "model": "lscp"}, lang="en")
    assert not at.error
    assert "Equipment storage points" in at.markdown[0].value


def test_accept_saves_planned_points_through_the_edit_log(writable: Path) -> None:
    at = run_page(eq_result=OPTIONS)
    at.button(key="FormSubmitter:eq_accept-将选址加入规划（保存）").click().run()
    assert not at.exception, [e.value for e in at.exception]
    points = read_district(writable)["equipment_points"]
    assert (points["status"] == "planned").sum() >= 2
    log = read_edit_log(writable)
    assert log["operation"].tolist()[-1] == "append"
    assert any("已加入规划" in s.value for s in at.success)


def test_service_distance_in_walking_minutes(sample: Path) -> None:
    """The form takes the distance as minutes at a walking speed, as `gridmap site --minutes`."""
    at = run_page()
    at.radio(key="eq_reach").set_value("minutes")
    at.number_input(key="eq_minutes").set_value(3.0)
    at.number_input(key="eq_speed").set_value(4.0)
    at.number_input(key="eq_count").set_value(2)
    at.button(key="FormSubmitter:eq_form-计算选址").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["eq_result"]["minutes"] == 3.0
    # 3 minutes at 4 km/h: 200 m
    assert "服务范围：步行 3 分钟（4 公里/小时）= 200 米" in [c.value for c in at.caption]
