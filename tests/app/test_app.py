"""AppTest of every page: the coverage map on the sample, on broken files, in both languages.

KPI values are checked against the coverage report and `gridmap.analysis.coverage.scope`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import shapely
from _app_support import ROOT, ensure_sample, make_broken_layers, sign_in
from conftest import make_tiny_layers, write_gpkg
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

from gridmap.analysis.coverage import check_coverage, scope
from gridmap.io import read_district
from gridmap.io.vendor import missing_vendor_assets

APP = ROOT / "app.py"
TIMEOUT = 600  # the first run loads and checks the sample (a few seconds on a quiet machine)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ensure_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def checked(sample: Path):
    district = read_district(sample)
    return district, check_coverage(district)


def run_app(*, user: str | None = "admin", **state) -> AppTest:
    at = sign_in(AppTest.from_file(str(APP), default_timeout=TIMEOUT), user)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def metrics(at: AppTest) -> dict[str, tuple[str, str]]:
    return {m.label: (m.value, m.help) for m in at.metric}


def component_args(at: AppTest) -> dict:
    components = at.get("component_instance")
    assert len(components) == 1, "the page shows exactly one map"
    return json.loads(components[0].proto.json_args)


def open_path(at: AppTest, path: Path | str) -> AppTest:
    at.sidebar.radio(key="source@zh").set_value("path").run()
    at.sidebar.text_input(key="path_input").set_value(str(path))
    at.sidebar.button(key="path_open").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def share(covered: int, total: int) -> str:
    return f"{int(covered * 1000 // total) / 10:.1f}%"


def test_coverage_page_runs_on_the_sample(sample: Path) -> None:
    at = run_app()
    assert not at.error
    assert len(at.metric) == 6
    args = component_args(at)
    assert args["returned_objects"] == ["last_object_clicked"], "pan and zoom must not rerun"
    assert "GM.layer(" in args["script"] and "GM.labels(" in args["script"]
    links = args["js_links"] + args["css_links"]
    assert not missing_vendor_assets(ROOT / "static" / "vendor"), "static/vendor is committed"
    assert links and all(link.startswith("/app/static/vendor/") for link in links)
    assert not at.warning


def test_kpis_for_the_district_match_the_report(sample: Path, checked) -> None:
    district, report = checked
    shown = metrics(run_app())
    sizes = " / ".join(
        str(len(district[level])) for level in ("grid_large", "grid_medium", "grid_small")
    )
    assert shown["网格 大/中/小"][0] == sizes
    for label, table in (
        ("楼栋覆盖率", report.membership),
        ("住户覆盖率", report.household_membership),
        ("单位覆盖率", report.unit_membership),
    ):
        covered, total = int(table["small_id"].notna().sum()), len(table)
        assert shown[label] == (share(covered, total), f"{covered} / {total}")
    assert shown["错误问题"][0] == str(report.summary["errors"])
    assert shown["无负责人网格"][0] == str(report.summary["no_leader"])


def test_kpis_of_a_selection_match_the_analysis(sample: Path, checked) -> None:
    district, report = checked
    at = run_app()
    large = at.selectbox(key="sel_large@zh").options[1]
    large_id = large.rsplit("(", 1)[1].rstrip(")")
    at.selectbox(key="sel_large@zh").set_value(large_id).run()
    expected = scope.coverage_kpis(district, report, scope.Selection(large_id))
    shown = metrics(at)
    mediums = district["grid_medium"][district["grid_medium"]["parent_id"] == large_id]
    smalls = district["grid_small"]["parent_id"].isin(mediums["grid_id"]).sum()
    assert shown["网格 大/中/小"][0] == f"1 / {len(mediums)} / {smalls}"
    covered, total = expected["buildings"]
    assert shown["楼栋覆盖率"] == (share(covered, total), f"{covered} / {total}")
    assert shown["错误问题"][0] == str(expected["errors"])
    assert shown["无负责人网格"][0] == str(expected["no_leader"])


def test_drill_down_shows_leaders_and_children(sample: Path, checked) -> None:
    district, _ = checked
    at = run_app()
    large = district["grid_large"].iloc[0]
    at.selectbox(key="sel_large@zh").set_value(large["grid_id"]).run()
    children = district["grid_medium"][district["grid_medium"]["parent_id"] == large["grid_id"]]
    options = at.selectbox(key="sel_medium@zh").options
    assert len(options) == len(children) + 1
    panel = " ".join(m.value for m in at.markdown)
    assert large["leader"] in panel and large["name"] in panel
    medium = children.iloc[0]
    at.selectbox(key="sel_medium@zh").set_value(medium["grid_id"]).run()
    small = district["grid_small"][district["grid_small"]["parent_id"] == medium["grid_id"]].iloc[0]
    at.selectbox(key="sel_small@zh").set_value(small["grid_id"]).run()
    assert not at.exception
    panel = " ".join(m.value for m in at.markdown)
    assert small["name"] in panel
    assert at.selectbox(key="sel_large@zh").value == large["grid_id"]


def test_changing_the_large_grid_clears_the_levels_below(sample: Path, checked) -> None:
    district, _ = checked
    at = run_app()
    first, second = district["grid_large"]["grid_id"].iloc[:2]
    at.selectbox(key="sel_large@zh").set_value(first).run()
    medium = at.selectbox(key="sel_medium@zh").options[1].rsplit("(", 1)[1].rstrip(")")
    at.selectbox(key="sel_medium@zh").set_value(medium).run()
    at.selectbox(key="sel_large@zh").set_value(second).run()
    assert at.selectbox(key="sel_medium@zh").value == ""
    assert at.selectbox(key="sel_small@zh").value == ""


def test_a_click_on_the_map_drills_down(sample: Path, checked) -> None:
    district, _ = checked
    small = district["grid_small"].iloc[5]
    point = small.geometry.representative_point()
    lon, lat = Transformer.from_crs(district.crs, 4326, always_xy=True).transform(point.x, point.y)
    medium_id = small["parent_id"]
    large_id = district["grid_medium"].set_index("grid_id").loc[medium_id, "parent_id"]
    at = run_app()
    for k, expected in enumerate(
        (("sel_large", large_id), ("sel_medium", medium_id), ("sel_small", small["grid_id"]))
    ):
        at.session_state["coverage_map"] = {
            "last_object_clicked": {"lat": lat, "lng": lon + k * 1e-9}
        }
        at.run()
        assert not at.exception
        key, grid_id = expected
        assert at.selectbox(key=f"{key}@zh").value == grid_id


@pytest.mark.parametrize("indicator", ["households", "units", "findings"])
def test_choropleth_modes(sample: Path, indicator: str) -> None:
    at = run_app()
    at.selectbox(key="choropleth@zh").set_value(indicator).run()
    assert not at.exception
    script = component_args(at)["script"]
    name = {"households": "每片区住户数", "units": "每片区单位数", "findings": "每片区问题数"}
    assert (
        name[indicator] in script.encode().decode("unicode_escape", "ignore")
        or name[indicator] in script
    )


def test_language_switch(sample: Path) -> None:
    at = run_app()
    assert "一张图" in at.markdown[0].value
    large = at.selectbox(key="sel_large@zh").options[1]
    at.selectbox(key="sel_large@zh").set_value(large.rsplit("(", 1)[1].rstrip(")")).run()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception
    assert "Coverage map" in at.markdown[0].value
    assert "Error findings" in metrics(at)
    selector = at.selectbox(key="sel_large@en")
    assert selector.label.startswith("Large grid")
    assert selector.value == large.rsplit("(", 1)[1][:-1]
    assert at.selectbox(key="sel_medium@en").options[0] == "All"
    assert at.sidebar.radio(key="source@en").value == "sample"
    assert at.sidebar.radio(key="source@en").options[0] == "Sample district (Shangjie)"
    assert "large grid (town / subdistrict)" in component_args(at)["script"]  # legend
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert "错误问题" in metrics(at)


def _not_a_geopackage(folder: Path) -> Path:
    path = folder / "notes.gpkg"
    path.write_text("这不是 GeoPackage", encoding="utf-8")
    return path


def _missing_layer(folder: Path) -> Path:
    layers = make_tiny_layers()
    del layers["grid_small"]
    return write_gpkg(folder / "no_small.gpkg", layers)


@pytest.mark.parametrize(
    ("make", "text"),
    [
        (_not_a_geopackage, "is not a GeoPackage"),
        (_missing_layer, "required layer 'grid_small'"),
        (lambda folder: folder / "absent.gpkg", "not found"),
    ],
)
def test_a_broken_file_shows_a_readable_error(sample: Path, tmp_path: Path, make, text) -> None:
    at = open_path(run_app(), make(tmp_path))
    assert len(at.error) == 1
    message = at.error[0].value
    assert "无法打开数据" in message and text in message.replace("\\", "")
    assert "Traceback" not in message
    assert not at.metric and not at.get("component_instance")


def test_a_district_with_findings_opens_by_path(sample: Path, tmp_path: Path) -> None:
    path = write_gpkg(tmp_path / "broken.gpkg", make_broken_layers())
    at = open_path(run_app(), path)
    assert not at.error
    district = read_district(path)
    report = check_coverage(district)
    shown = metrics(at)
    assert shown["错误问题"][0] == str(report.summary["errors"])
    assert shown["无负责人网格"][0] == "1"
    script = component_args(at)["script"]
    assert "gm-hatch" in script  # gaps and overlaps drawn hatched
    for level in ("grid_large", "grid_medium", "grid_small"):
        ids = district[level]["grid_id"]
        assert all(f'"{gid}"' in script for gid in ids)


def test_missing_sample_says_how_to_make_it(sample: Path, monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("GRIDMAP_SAMPLE", str(tmp_path / "nothing.gpkg"))
    at = run_app()
    assert "gridmap demo" in at.info[0].value
    assert not at.metric


def test_store_upload_keeps_one_file_per_content(tmp_path: Path) -> None:
    from gridmap.io.uploads import store_upload

    first = store_upload(b"abc", "../../etc/区 1.gpkg", folder=tmp_path)
    again = store_upload(b"abc", "../../etc/区 1.gpkg", folder=tmp_path)
    other = store_upload(b"abd", "x.gpkg", folder=tmp_path)
    assert first == again and first.read_bytes() == b"abc"
    assert first.parent.parent == tmp_path and first.name == "区_1.gpkg"
    assert other.parent != first.parent


def test_map_point_falls_in_the_selected_grid(checked) -> None:
    district, _ = checked
    grid = district["grid_small"].iloc[0]
    point = grid.geometry.representative_point()
    lon, lat = Transformer.from_crs(district.crs, 4326, always_xy=True).transform(point.x, point.y)
    assert scope.grid_at(district, lon, lat, "grid_small") == grid["grid_id"]
    assert shapely.contains(grid.geometry, point)


def test_the_navigation_opens_every_page(sample: Path) -> None:
    import ast

    tree = ast.parse(APP.read_text())
    table = next(
        node.value
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PAGES"
    )
    names = [name for name, *_ in ast.literal_eval(table)]
    assert sorted(names) == sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
    at = run_app()
    for name in names:
        at.switch_page(f"pages/{name}.py").run()
        assert not at.exception, (name, [e.value for e in at.exception])
        assert not at.error, (name, [e.value for e in at.error])
