"""`gridmap assess` as a user runs it: the printed ranking, JSON and the Excel workbook."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest
from assessment_cases import case_layers
from conftest import write_gpkg

from gridmap.cli import main


@pytest.fixture(scope="module")
def case_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_gpkg(tmp_path_factory.mktemp("cli") / "case.gpkg", case_layers())


def test_assess_writes_json_and_xlsx(
    case_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, xlsx = tmp_path / "考核.json", tmp_path / "考核.xlsx"
    code = main(
        [
            "assess",
            str(case_file),
            "--period",
            "2026H1",
            "--as-of",
            "2026-11-28",
            "--json",
            str(out),
            "--xlsx",
            str(xlsx),
        ]
    )
    assert code == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["period"], doc["start"], doc["end"]) == ("2026H1", "2026-01-01", "2026-06-30")
    grids = {g["grid_id"]: g for g in doc["grids"]}
    # the default frequency table asks for daily patrols nobody recorded: inspections fail, so
    # M1 keeps coverage 15, leaders 10, trainings 5, drills 10, equipment 5 of 85 and falls
    # behind M2 (62.5, which failed inspections anyway)
    assert grids["M1"]["score"] == pytest.approx(100 * 45 / 85, abs=0.005)
    assert [g["grid_id"] for g in doc["grids"]] == ["L1", "L2", "M2", "M1", "M3"]
    assert grids["L2"]["vetoed_by"] == ["coverage"] and grids["L2"]["score"] == 0
    assert grids["L2"]["indicators"]["meetings"]["value"] == 62
    assert grids["L1"]["indicators"]["meetings"]["passed"] is True
    printed = capsys.readouterr().out
    assert "Assessment 2026H1 (2026-01-01 .. 2026-06-30), 5 grids" in printed
    assert "否决 vetoed: coverage" in printed and "每月消防宣传日" in printed
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["考核排名", "考核明细", "考核指标", "预案演练", "联席会议"]
    ranking = book["考核排名"]
    assert "2026H1" in ranking["A1"].value
    headers = [c.value for c in ranking[3]]
    assert headers[:6] == ["排名", "层级", "网格编码", "网格名称", "所属镇（街道）", "得分"]
    assert [ranking.cell(row=r, column=3).value for r in range(4, 9)] == [
        "L1",
        "L2",
        "M2",
        "M1",
        "M3",
    ]
    meetings = book["联席会议"]
    rows = {r[0]: r for r in meetings.iter_rows(min_row=4, values_only=True)}
    assert rows["L2"][3] == 62 and rows["L2"][6] == "未达标"
    plans = {r[0]: r for r in book["预案演练"].iter_rows(min_row=4, values_only=True)}
    assert plans["P2"][4] == "否" and plans["P4"][3].startswith("否")


def test_a_running_period_is_assessed_up_to_as_of(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    args = ["assess", str(case_file), "--period", "2026", "--as-of", "2026-03-15"]
    assert main([*args, "--json", str(out)]) == 0
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["start"], doc["end"]) == ("2026-01-01", "2026-03-15")
    m1 = next(g for g in doc["grids"] if g["grid_id"] == "M1")
    assert m1["indicators"]["publicity"]["required"] == 2  # January and February


def test_vetoes_and_fires_are_options(case_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.json"
    base = ["assess", str(case_file), "--period", "2026H1", "--as-of", "2026-07-01"]
    assert main([*base, "--veto", "serious_fire", "--fire", "M2", "--json", str(out)]) == 0
    grids = {g["grid_id"]: g for g in json.loads(out.read_text(encoding="utf-8"))["grids"]}
    assert grids["M2"]["vetoed_by"] == ["serious_fire"] and grids["L1"]["score"] == 0
    assert not grids["M3"]["vetoed"] and grids["M3"]["score"] > 0


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--period", "2026H3"], "not an assessment period"),
        (["--period", "2026H1", "--as-of", "soon"], "not a date"),
        (["--period", "2027", "--as-of", "2026-06-30"], "starts on 2027-01-01"),
        (["--period", "2026H1", "--veto", "luck"], "no indicator luck"),
        (["--period", "2026H1", "--fire", "X9"], "X9"),
    ],
)
def test_misuse_exits_2_with_the_reason(
    case_file: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    assert main(["assess", str(case_file), *extra]) == 2
    assert message in capsys.readouterr().err


def test_a_missing_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(tmp_path / "none.gpkg"), "--period", "2026H1"]) == 2
    assert "file not found" in capsys.readouterr().err
