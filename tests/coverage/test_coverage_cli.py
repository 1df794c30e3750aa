"""`gridmap check` as a user runs it: summary, exit codes, JSON and the ledger workbook."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import write_gpkg
from coverage_cases import EXPECTED, district, make_defective_layers

from gridmap.analysis.coverage import CHECKS, check_coverage, ledger_sheets
from gridmap.cli import main
from gridmap.errors import SaveError
from gridmap.io import write_ledger

FINDING_KEYS = {
    "check",
    "severity",
    "layer",
    "ids",
    "area_m2",
    "large_id",
    "medium_id",
    "message",
    "geometry",
}
SUMMARY_KEYS = {*CHECKS, "errors", "warnings", "ok", "per_large"}
SHEETS = ["汇总", "按大网格统计", "按中网格统计", *(info.zh for info in CHECKS.values())]


@pytest.fixture
def defective_gpkg(tmp_path: Path) -> Path:
    return write_gpkg(tmp_path / "defective.gpkg", make_defective_layers())


def test_clean_file_exits_0(tiny_gpkg: Path, tmp_path: Path, capsys) -> None:
    out_json = tmp_path / "report.json"
    assert main(["check", str(tiny_gpkg), "--json", str(out_json)]) == 0
    printed = capsys.readouterr().out
    assert "Errors: 0, warnings: 0 -> OK" in printed
    assert "济源路街道" in printed  # large grids by name
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(document) == {"summary", "findings"}
    assert set(document["summary"]) == SUMMARY_KEYS
    assert document["findings"] == [] and document["summary"]["ok"] is True


def test_defective_file_exits_1_with_every_finding(
    defective_gpkg: Path, tmp_path: Path, capsys
) -> None:
    out_json = tmp_path / "report.json"
    assert main(["check", str(defective_gpkg), "--json", str(out_json)]) == 1
    lines = capsys.readouterr().out.splitlines()
    counts = {"gap": 2, "household_missed": 3}  # every other check finds 1
    assert lines[0] == f"Coverage check {defective_gpkg} (min_area 1 m²)"
    for line, (check, info) in zip(lines[1:13], CHECKS.items(), strict=True):
        flag = "  <- error" if info.severity == "error" else "  <- warning"
        assert line == f"  {check:<23}{counts.get(check, 1):>8}  {info.zh}{flag}"
    assert lines[13:] == [
        "Errors: 13, warnings: 2 -> NOT OK",
        "Findings per large grid (大网格):",
        f"  {'L1':<23}{10:>8}  济源路街道",
        f"  {'L2':<23}{2:>8}  峡窝镇",
        f"  {'(none)':<23}{3:>8}  不在任何大网格 / in no large grid",
    ]
    document = json.loads(out_json.read_text(encoding="utf-8"))
    assert set(document) == {"summary", "findings"}
    assert set(document["summary"]) == SUMMARY_KEYS
    assert document["summary"]["ok"] is False
    assert document["summary"]["per_large"] == {"L1": 10, "L2": 2}
    findings = document["findings"]
    assert all(set(f) == FINDING_KEYS for f in findings)
    got = [
        (f["check"], f["layer"], f["ids"], f["area_m2"], f["large_id"], f["medium_id"])
        for f in findings
    ]
    assert got == [(c, la, i, a, lg, md) for c, la, i, a, lg, md in EXPECTED]
    gap = next(f for f in findings if f["check"] == "gap")
    assert gap["geometry"]["type"] in ("Polygon", "MultiPolygon")
    lon, lat = (
        gap["geometry"]["coordinates"][0][0][:2]
        if gap["geometry"]["type"] == "Polygon"
        else gap["geometry"]["coordinates"][0][0][0][:2]
    )
    assert 113.2 < lon < 113.3 and 34.7 < lat < 34.9  # GeoJSON in EPSG:4326
    unplaced = next(f for f in findings if f["ids"] == ["H4"])
    assert unplaced["geometry"] is None and unplaced["area_m2"] is None


def test_min_area_option(defective_gpkg: Path, tmp_path: Path) -> None:
    out_json = tmp_path / "report.json"
    main(["check", str(defective_gpkg), "--json", str(out_json), "--min-area", "5000"])
    summary = json.loads(out_json.read_text(encoding="utf-8"))["summary"]
    assert summary["gap"] == 1  # only M3's 10,000 m² remains
    assert summary["overlap"] == 0 and summary["outside_parent"] == 0


@pytest.mark.parametrize(("given", "shown"), [("-1", "-1.0"), ("nan", "nan"), ("-inf", "-inf")])
def test_a_bad_min_area_is_refused_before_reading(tmp_path: Path, capsys, given, shown) -> None:
    missing = tmp_path / "never-read.gpkg"  # the option is checked first
    assert main(["check", str(missing), f"--min-area={given}"]) == 2
    assert capsys.readouterr().err == (
        f"gridmap: error: --min-area must be a finite number of square metres, 0 or more, "
        f"not {shown}. Fix: give a tolerance such as 1 (the default) or 100; 0 reports every "
        "sliver.\n"
    )


def test_min_area_inf_exits_2_with_one_message_and_no_traceback(tiny_gpkg: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "gridmap.cli", "check", str(tiny_gpkg), "--min-area", "inf"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert done.stderr.startswith(
        "gridmap: error: --min-area must be a finite number of square metres, 0 or more, not inf."
    )


@pytest.mark.parametrize("content", [None, b"", b"not a geopackage at all"])
def test_unreadable_input_exits_2(tmp_path: Path, content: bytes | None, capsys) -> None:
    path = tmp_path / "broken.gpkg"
    if content is not None:
        path.write_bytes(content)
    assert main(["check", str(path)]) == 2
    assert "gridmap: error" in capsys.readouterr().err


def test_xlsx_ledger_opens_with_every_sheet(defective_gpkg: Path, tmp_path: Path) -> None:
    out_xlsx = tmp_path / "ledger.xlsx"
    assert main(["check", str(defective_gpkg), "--xlsx", str(out_xlsx)]) == 1
    book = openpyxl.load_workbook(out_xlsx)
    assert book.sheetnames == SHEETS
    summary = book["汇总"]
    assert "消防安全网格覆盖检查台帐" in summary["A1"].value
    assert [c.value for c in summary[3]] == [
        "序号",
        "检查项",
        "检查项（英文）",
        "代码",
        "级别",
        "问题数",
    ]
    counts = {row[3]: row[5] for row in summary.iter_rows(min_row=4, values_only=True)}
    assert counts["gap"] == 2 and counts["household_missed"] == 3
    missed = book[CHECKS["household_missed"].zh]
    rows = list(missed.iter_rows(min_row=4, values_only=True))
    assert len(rows) == 3
    header = [c.value for c in missed[3]]
    assert header[:3] == ["序号", "图层", "编号"] and "问题说明" in header
    assert rows[2][header.index("问题说明")] == "所属楼栋 B5 未入格（漏楼）"
    gaps = book[CHECKS["gap"].zh]
    header = [c.value for c in gaps[3]]
    areas = [r[header.index("面积（平方米）")] for r in gaps.iter_rows(min_row=4, values_only=True)]
    assert areas == [1000, 10000]
    large = book["按大网格统计"]
    assert [c.value for c in large[4]][:3] == ["L1", "济源路街道", "张伟"]


def test_ledger_sheets_are_pure_tables() -> None:
    report = check_coverage(district(make_defective_layers()))
    sheets = ledger_sheets(report, district="demo.gpkg", checked_at="2025-06-01")
    assert [s.name for s in sheets] == SHEETS
    assert all(len(s.name) <= 31 for s in sheets)
    assert "demo.gpkg · 2025-06-01" in sheets[0].title
    by_name = {s.name: s.table for s in sheets}
    overlap = by_name[CHECKS["overlap"].zh]
    assert overlap["编号"].tolist() == ["S2、S3"]
    assert overlap["整改责任人"].tolist() == ["王芳"]  # M1's leader
    medium = by_name["按中网格统计"].set_index("网格编码")
    # duplicate B1, S2 (no leader, outside, overlap), gap, B5, B6, H6, B7
    assert medium.loc["M1", "合计"] == 9 and medium.loc["M3", "合计"] == 2


def test_write_ledger_keeps_existing_file_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "ledger.xlsx"
    target.write_bytes(b"old")
    good = ledger_sheets(check_coverage(district(make_defective_layers())))[0]
    broken = type(good)("坏", "title", "not a table")  # type: ignore[arg-type]
    with pytest.raises(SaveError, match="to_excel"):
        write_ledger(target, [good, broken])
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.xlsx"]


def test_console_script_exit_status(defective_gpkg: Path, tiny_gpkg: Path) -> None:
    def run(path: Path) -> int:
        return subprocess.run(
            [sys.executable, "-m", "gridmap.cli", "check", str(path)],
            capture_output=True,
            text=True,
        ).returncode

    assert run(tiny_gpkg) == 0
    assert run(defective_gpkg) == 1
    assert run(tiny_gpkg.with_name("missing.gpkg")) == 2
