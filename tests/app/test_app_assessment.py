"""AppTest of the Assessment and Plan records pages on the sample district (issue 10)."""

from __future__ import annotations

import datetime as dt
import json
from functools import partial
from pathlib import Path

import pytest
from _app_support import ROOT, sign_in
from _app_support import run_page as run_page_at
from streamlit.testing.v1 import AppTest

from gridmap.io import read_district, read_edit_log

ASSESSMENT = ROOT / "pages" / "assessment.py"
RECORDS = ROOT / "pages" / "plan_records.py"
TIMEOUT = 600


run = partial(run_page_at, timeout=TIMEOUT)


def map_args(at: AppTest) -> dict:
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# ---------------------------------------------------------------------------
# Assessment


def test_assessment_page_ranks_the_sample(sample: Path) -> None:
    at = run(ASSESSMENT)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="assess_period").value == "2026H1"  # the last half year that ended
    ranking = at.dataframe[0].value
    assert list(ranking.columns[:6]) == [
        "排名",
        "层级",
        "网格编码",
        "网格名称",
        "所属镇（街道）",
        "得分",
    ]
    assert len(ranking) == 6 + 32
    assert ranking["得分"].iloc[0] >= ranking["得分"].iloc[5]
    assert metrics(at)["一票否决"] == "7"  # the grids holding the planted coverage errors
    assert [b.label for b in at.get("download_button")] == ["下载考核台帐（Excel）"]
    args = map_args(at)
    assert "410106001001" in args["script"] and args["returned_objects"] == []
    vendored = (ROOT / "static" / "vendor" / "leaflet@1.9.4").is_dir()
    cdn = [link for link in args["js_links"] if "cdn" in link and "leaflet" in link]
    assert not cdn or not vendored, "the map is served from the vendored assets when installed"


def test_towns_on_the_map_and_options_change_the_scores(sample: Path) -> None:
    at = run(
        ASSESSMENT,
        assess_level="grid_large",
        assess_vetoes=["serious_fire"],
        assess_fires=["410106002001"],
    )
    assert not at.error
    script = map_args(at)["script"]
    assert "410106002" in script and "410106002001" not in script
    ranking = at.dataframe[0].value.set_index("网格编码")
    assert ranking.loc["410106002", "得分"] == 0 and ranking.loc["410106002001", "得分"] == 0
    assert ranking.loc["410106002", "一票否决"] == "发生较大火灾且责任未落实"
    assert metrics(at)["一票否决"] == "2"  # coverage no longer vetoes: only the fire's grids


def test_assessment_in_english_and_another_period(sample: Path) -> None:
    at = run(ASSESSMENT, lang="en", assess_period="2026")
    assert not at.error
    assert "Assessment" in at.markdown[0].value
    assert at.dataframe[0].value.columns[0] == "Rank"
    assert "2026-01-01" in " ".join(c.value for c in at.caption)


# ---------------------------------------------------------------------------
# Plan records


@pytest.mark.parametrize("view", ["trainings", "drills", "meetings", "fire_teams"])
def test_every_ledger_view_runs(sample: Path, view: str) -> None:
    at = run(RECORDS, plan_view=view)
    assert not at.error, [e.value for e in at.error]
    assert at.dataframe, "the latest records are shown"
    assert len(at.get("form")) == (0 if view == "fire_teams" else 1)


def submit(at: AppTest, form: str) -> AppTest:
    at.button(key=f"FormSubmitter:{form}-保存").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_training_with_mistakes_is_refused(writable: Path) -> None:
    before = len(read_district(writable)["trainings"])
    at = run(RECORDS)
    at.text_input(key="tr_grid_code").set_value("NO-SUCH-GRID")
    at.date_input(key="tr_date").set_value(dt.date.today() + dt.timedelta(days=3))
    at.number_input(key="tr_count").set_value(-4)
    text = " ".join(e.value for e in submit(at, "training_form").error)
    assert "unknown grid id 'NO-SUCH-GRID'" in text
    assert "in the future" in text and "cannot be negative" in text
    assert len(read_district(writable)["trainings"]) == before  # nothing saved


def test_a_training_is_saved_through_the_edit_log(writable: Path) -> None:
    at = run(RECORDS)
    at.selectbox(key="tr_grid").set_value("410106001001")
    at.selectbox(key="tr_kind").set_value("five_into")
    at.selectbox(key="tr_target").set_value("school")
    at.date_input(key="tr_date").set_value(dt.date(2026, 11, 20))
    at.number_input(key="tr_count").set_value(45)
    sign_in(at, "王芳")  # the author is the signed-in user
    at = submit(at, "training_form")
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success] == ["已保存：T20261120-1"]
    saved = read_district(writable)["trainings"].set_index("training_id").loc["T20261120-1"]
    assert (saved["grid_id"], saved["kind"], saved["target"], saved["participants"]) == (
        "410106001001",
        "five_into",
        "school",
        45,
    )
    log = read_edit_log(writable)
    assert list(log["layer"]) == ["trainings"] and log["user"].iloc[0] == "王芳"


def test_a_drill_and_a_meeting_are_saved_or_refused(writable: Path) -> None:
    at = run(RECORDS, plan_view="drills")
    at.selectbox(key="dr_plan").set_value("EP029")  # the plan never drilled
    at.date_input(key="dr_date").set_value(dt.date(2026, 11, 2))
    at.number_input(key="dr_count").set_value(30)
    at = submit(at, "drill_form")
    assert [s.value for s in at.success] == ["已保存：D20261102-1"]
    assert "EP029" in set(read_district(writable)["drills"]["plan_id"])
    at = run(RECORDS, plan_view="meetings")
    at.text_input(key="mt_town_code").set_value("410106001001")  # a community, not a town
    text = " ".join(e.value for e in submit(at, "meeting_form").error)
    assert "unknown town '410106001001'" in text
