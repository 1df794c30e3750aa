"""`gridmap inspections` and `gridmap hazards` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from conftest import make_tiny_layers, write_gpkg

from gridmap.analysis.inspections import COMPLIANCE_COLUMNS
from gridmap.cli import main


def test_inspections_json_has_exactly_the_record_keys(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "compliance.json"
    xlsx = tmp_path / "巡查.xlsx"
    code = main(
        [
            "inspections",
            str(tiny_gpkg),
            "--from",
            "2025-06-01",
            "--to",
            "2025-06-30",
            "--json",
            str(out),
            "--xlsx",
            str(xlsx),
        ]
    )
    assert code == 0
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 14
    assert all(list(r) == list(COMPLIANCE_COLUMNS) for r in records)
    s1 = next(r for r in records if r["grid_id"] == "S1")
    # conftest: one community inspection of S1 at 2025-06-01 00:00, a Sunday whose ISO week
    # is cut off by the range: 4 whole weeks required, none done, inspected so not "never".
    assert s1 == {
        "grid_id": "S1",
        "level": "grid_small",
        "role": "community",
        "required": 4,
        "done": 0,
        "longest_gap_days": 30,
        "status": "late",
    }
    printed = capsys.readouterr().out
    assert "Inspection compliance 2025-06-01 .. 2025-06-30" in printed
    assert "community" in printed and "巡防队员" in printed
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["汇总", "明细"]
    headers = [c.value for c in book["明细"][3]]
    assert headers[:4] == ["网格编码", "网格名称", "网格层级", "巡查人员类别"]
    assert "最长间隔天数" in headers


@pytest.mark.parametrize(
    "args",
    [
        ["--from", "2025-06-31", "--to", "2025-07-01"],
        ["--from", "2025-07-01", "--to", "2025-06-01"],
        ["--from", "2025-06-01"],
    ],
)
def test_inspections_bad_dates_are_usage_errors(tiny_gpkg: Path, args: list[str]) -> None:
    assert main(["inspections", str(tiny_gpkg), *args]) == 2


def test_unreadable_input_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a geopackage")
    assert main(["inspections", str(bad), "--from", "2025-06-01", "--to", "2025-06-30"]) == 2
    assert "not a GeoPackage" in capsys.readouterr().err
    assert main(["hazards", str(tmp_path / "missing.gpkg")]) == 2


def test_hazards_ledger_per_community(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layers = make_tiny_layers()
    hazards = layers["hazards"]
    second = hazards.copy()
    second["hazard_id"], second["unit_id"], second["severity"] = "HZ2", "U2", "major"
    layers["hazards"] = pd.concat([hazards, second], ignore_index=True)
    path = write_gpkg(tmp_path / "two.gpkg", layers)
    xlsx = tmp_path / "隐患台帐.xlsx"
    assert main(["hazards", str(path), "--as-of", "2025-06-23", "--xlsx", str(xlsx)]) == 0
    printed = capsys.readouterr().out
    assert "Hazards as of 2025-06-23: 2" in printed
    assert "Escalations due: 2 (1 new today)" in printed
    book = openpyxl.load_workbook(xlsx)
    assert book.sheetnames == ["全部隐患", "金华社区", "东林村"]
    assert [c.value for c in book["东林村"][3]][:3] == ["隐患编号", "镇（街道）", "社区（村）"]
    assert book["东林村"]["A4"].value == "HZ2"


def test_hazards_bad_day_is_a_usage_error(tiny_gpkg: Path) -> None:
    assert main(["hazards", str(tiny_gpkg), "--as-of", "tomorrow"]) == 2
