"""AppTest of the Inspections page on the sample district: every view, and the recording form."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path

import pandas as pd
import pytest
from _app_support import ROOT, sign_in
from _app_support import run_page as run_page_at
from pyproj import Transformer
from streamlit.testing.v1 import AppTest

from gridmap.io import read_district

PAGE = ROOT / "pages" / "inspections.py"
TIMEOUT = 600
RECORD_MAP = "inspection_record_map"


run_page = partial(run_page_at, PAGE, timeout=TIMEOUT)


def maps(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.json_args) for c in at.get("component_instance")]


@pytest.mark.parametrize("view", ["heat", "missing", "tallies", "compliance", "hazards"])
def test_every_view_runs_on_the_sample(sample: Path, view: str) -> None:
    at = run_page(insp_view=view)
    assert not at.error, [e.value for e in at.error]
    shown = maps(at)
    assert len(shown) == (0 if view == "tallies" else 1)
    for args in shown:
        assert not [link for link in args["js_links"] if "cdn" in link and "leaflet" in link] or (
            not (ROOT / "static" / "vendor" / "leaflet@1.9.4").is_dir()
        ), "the maps are served from the vendored assets when installed"
    for args in shown:  # the offline map loads no jQuery: nothing may call it
        assert "$(" not in args["script"]
    if view == "heat":
        assert "HeatLayer" in shown[0]["script"] or "heatLayer" in shown[0]["script"]
    if view in ("missing", "tallies", "compliance"):
        assert at.dataframe, "a table is shown"


def test_heat_by_week_has_a_slider(sample: Path) -> None:
    at = run_page(insp_view="heat", insp_by_week=True)
    slider = at.select_slider(key="insp_week")
    assert slider.options[0] <= slider.options[-1]
    assert len(slider.options) >= 52


def test_english(sample: Path) -> None:
    at = run_page(insp_view="compliance", lang="en")
    assert not at.error
    assert "Inspections and hazards" in at.markdown[0].value


def _lonlat_in(district) -> tuple[float, float]:
    point = district["grid_small"].geometry.iloc[0].representative_point()
    lon, lat = Transformer.from_crs(district.crs, 4326, always_xy=True).transform(point.x, point.y)
    return lon, lat


def _submit(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:record_form-保存").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_the_form_refuses_a_record_without_location(writable: Path) -> None:
    at = run_page(insp_view="record")
    _submit(at)
    assert any("no location" in e.value for e in at.error)


def _shanghai_today() -> dt.date:
    """Today where the records are kept (the machine's own clock may be on UTC)."""
    return pd.Timestamp.now(tz="Asia/Shanghai").date()


def test_the_form_refuses_a_future_date_and_an_unknown_unit(writable: Path) -> None:
    district = read_district(writable)
    lon, lat = _lonlat_in(district)
    at = run_page(
        insp_view="record",
        rec_kind="hazard",
        **{RECORD_MAP: {"last_clicked": {"lat": lat, "lng": lon}}},
    )
    at.date_input(key="rec_date").set_value(_shanghai_today() + dt.timedelta(days=3))
    at.text_input(key="rec_unit").set_value("NO-SUCH-UNIT")
    _submit(at)
    text = " ".join(e.value for e in at.error)
    assert "in the future" in text and "unknown unit id 'NO-SUCH-UNIT'" in text
    assert len(read_district(writable)["hazards"]) == len(district["hazards"])  # nothing saved


def test_the_form_saves_a_valid_inspection_through_the_edit_log(writable: Path) -> None:
    district = read_district(writable)
    lon, lat = _lonlat_in(district)
    unit = str(district["units"]["unit_id"].iloc[0])
    at = run_page(insp_view="record", **{RECORD_MAP: {"last_clicked": {"lat": lat, "lng": lon}}})
    yesterday = _shanghai_today() - dt.timedelta(days=1)
    at.date_input(key="rec_date").set_value(yesterday)
    at.selectbox(key="rec_role").set_value("police")
    at.text_input(key="rec_target").set_value(unit)
    sign_in(at, "测试员")  # the author is the signed-in user
    _submit(at)
    assert not at.error, [e.value for e in at.error]
    assert at.success and "I" in at.success[0].value
    after = read_district(writable)
    assert len(after["inspections"]) == len(district["inspections"]) + 1
    new = after["inspections"].iloc[-1]
    assert (new["inspector_role"], new["target_id"]) == ("police", unit)
    assert new["inspected_at"].date() == yesterday
    from gridmap.io import read_edit_log

    log = read_edit_log(writable)
    assert log.iloc[-1]["layer"] == "inspections" and log.iloc[-1]["user"] == "测试员"


# ---------------------------------------------------------------------------
# A fixed clock: the form's default time, early in the Shanghai morning

#: 07:15:42 in Shanghai is still 23:15 of the day before in UTC, and before the old 09:00 default.
EARLY = pd.Timestamp("2030-03-10 07:15:42", tz="Asia/Shanghai")


@pytest.fixture
def early_clock(monkeypatch: pytest.MonkeyPatch) -> pd.Timestamp:
    import gridmap.clock

    monkeypatch.setattr(gridmap.clock, "now_in_shanghai", lambda: EARLY)
    return EARLY


def test_the_default_time_is_now_rounded_down_and_is_accepted(
    writable: Path, early_clock: pd.Timestamp
) -> None:
    district = read_district(writable)
    lon, lat = _lonlat_in(district)
    at = run_page(insp_view="record", **{RECORD_MAP: {"last_clicked": {"lat": lat, "lng": lon}}})
    assert at.date_input(key="rec_date").value == dt.date(2030, 3, 10)
    assert at.time_input(key="rec_time").value == dt.time(7, 15)
    _submit(at)  # the defaults as they are
    assert not at.error, [e.value for e in at.error]
    new = read_district(writable)["inspections"].iloc[-1]
    assert str(new["inspected_at"]) == "2030-03-10 07:15:00+08:00"


# ---------------------------------------------------------------------------
# Closing the loop: a hazard's status


def _status_submit(at: AppTest) -> AppTest:
    at.button(key="FormSubmitter:hazard_status_form-更新状态").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _open_hazard(district) -> pd.Series:
    hazards = district["hazards"]
    return hazards[hazards["status"] == "open"].sort_values("found_at").iloc[-1]


def test_the_status_form_refuses_an_unknown_hazard(writable: Path) -> None:
    before = read_district(writable)["hazards"]
    at = run_page(insp_view="hazards")
    at.text_input(key="hz_status_id").set_value("HZ-NO-SUCH")
    _status_submit(at)
    assert any("unknown hazard id 'HZ-NO-SUCH'" in e.value for e in at.error)
    after = read_district(writable)["hazards"]
    assert after["status"].tolist() == before["status"].tolist()  # nothing saved


def test_the_status_form_refuses_a_rectification_before_the_hazard_was_found(
    writable: Path,
) -> None:
    hazard = _open_hazard(read_district(writable))
    at = run_page(insp_view="hazards")
    at.text_input(key="hz_status_id").set_value(hazard["hazard_id"])
    at.date_input(key="hz_rect_date").set_value(hazard["found_at"].date() - dt.timedelta(days=1))
    _status_submit(at)
    assert any("before the hazard was found" in e.value for e in at.error)


def test_the_status_form_refuses_a_rectification_in_the_future(writable: Path) -> None:
    hazard = _open_hazard(read_district(writable))
    at = run_page(insp_view="hazards")
    at.text_input(key="hz_status_id").set_value(hazard["hazard_id"])
    at.date_input(key="hz_rect_date").set_value(_shanghai_today() + dt.timedelta(days=2))
    _status_submit(at)
    assert any("in the future" in e.value for e in at.error)


def test_the_status_form_saves_a_rectification_through_the_edit_log(writable: Path) -> None:
    from gridmap.io import read_edit_log

    hazard = _open_hazard(read_district(writable))
    at = run_page(insp_view="hazards")
    at.text_input(key="hz_status_id").set_value(hazard["hazard_id"])
    sign_in(at, "测试员")  # the author is the signed-in user
    _status_submit(at)  # rectified, now (the defaults)
    assert not at.error, [e.value for e in at.error]
    assert at.success and hazard["hazard_id"] in at.success[0].value
    row = read_district(writable)["hazards"].set_index("hazard_id").loc[hazard["hazard_id"]]
    assert row["status"] == "rectified" and row["rectified_at"] >= hazard["found_at"]
    log = read_edit_log(writable).iloc[-1]
    assert (log["layer"], log["operation"], log["user"]) == ("hazards", "status", "测试员")
    assert json.loads(log["ids"]) == [hazard["hazard_id"]]


def test_the_status_form_records_a_transfer_to_the_police(writable: Path) -> None:
    hazard = _open_hazard(read_district(writable))
    at = run_page(insp_view="hazards")
    at.text_input(key="hz_status_id").set_value(hazard["hazard_id"])
    at.selectbox(key="hz_status").set_value("transferred")
    _status_submit(at)
    assert not at.error, [e.value for e in at.error]
    row = read_district(writable)["hazards"].set_index("hazard_id").loc[hazard["hazard_id"]]
    assert row["status"] == "transferred" and pd.isna(row["rectified_at"])


def test_the_result_filter_shows_the_schema_labels(sample: Path) -> None:
    at = run_page(insp_view="heat")
    results = at.multiselect(key="insp_results@zh")
    assert results.options == ["正常", "发现隐患"]
    english = run_page(insp_view="heat", lang="en")
    assert english.multiselect(key="insp_results@en").options == ["ok", "hazard"]
