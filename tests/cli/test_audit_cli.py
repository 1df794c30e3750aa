"""`gridmap audit`, and the audit trail of the CLI's exports, saves and imports.

The CLI acts as the OS user, an administrator: it says so on stderr when it
exports or saves with full personal data, records that user as the author of
its edits and in the audit log, and refuses to export when the audit log
cannot be written.
"""

from __future__ import annotations

import getpass
import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from gridmap.cli import main
from gridmap.identity import cli_user, event
from gridmap.io import read_edit_log
from gridmap.io.audit import AuditLog

NOTICE_ZH = "以本机管理员身份运行"
NOTICE_EN = "running as the local administrator"


def _events() -> list[tuple[str, str, str, str]]:
    log = AuditLog().read()
    return list(zip(log["action"], log["user"], log["role"], log["outcome"], strict=True))


def test_an_export_is_audited_and_says_it_runs_as_the_os_user(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    assert main(["check", str(tiny_gpkg), "--json", str(report)]) == 0
    err = capsys.readouterr().err
    assert err.count(NOTICE_ZH) == 1 and err.count(NOTICE_EN) == 1
    assert f"OS user {getpass.getuser()}" in err
    assert _events() == [("export", getpass.getuser(), "administrator", "ok")]
    detail = AuditLog().read()["detail"].iloc[0]
    assert str(report) in detail and "full personal data" in detail


def test_public_exports_say_so_in_the_audit_and_print_no_notice(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tiny_gpkg), "--xlsx", str(tmp_path / "l.xlsx"), "--public"]) == 0
    assert NOTICE_EN not in capsys.readouterr().err
    assert "(public 公开版)" in AuditLog().read()["detail"].iloc[0]


def test_a_command_that_writes_nothing_audits_nothing(
    tiny_gpkg: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(tiny_gpkg)]) == 0
    assert NOTICE_EN not in capsys.readouterr().err
    assert _events() == []


def test_export_pdf_names_every_file_it_wrote(tiny_gpkg: Path, tmp_path: Path) -> None:
    out = tmp_path / "atlas.pdf"
    argv = ["export-pdf", str(tiny_gpkg), "-o", str(out), "--atlas", "--level", "small", "--zip"]
    assert main([*argv, "--grid", "M1"]) == 0
    row = AuditLog().read().iloc[0]
    assert row["action"] == "export" and row["grids"] == "M1"
    assert row["detail"].startswith("gridmap export-pdf --atlas: ")
    assert str(out) in row["detail"] and str(out.with_suffix(".zip")) in row["detail"]


def test_an_export_fails_before_writing_when_the_audit_log_cannot_be_written(
    tiny_gpkg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    home = tmp_path / "home"
    home.write_text("a file where the GridMap home should be")
    monkeypatch.setenv("GRIDMAP_HOME", str(home))
    out = tmp_path / "map.pdf"
    assert main(["export-pdf", str(tiny_gpkg), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert f"the audit log {home / 'audit.sqlite'} cannot be written" in err
    assert "nothing was written" in err and "Traceback" not in err
    assert not out.exists()


def test_a_damaged_audit_log_stops_the_export(
    tiny_gpkg: Path, gridmap_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (gridmap_home / "audit.sqlite").write_bytes(b"not a database at all" * 100)
    out = tmp_path / "ledger.xlsx"
    assert main(["check", str(tiny_gpkg), "--xlsx", str(out)]) == 2
    assert "audit.sqlite cannot be written" in capsys.readouterr().err
    assert not out.exists()


def test_an_audit_line_that_fails_after_the_write_removes_the_export(
    tiny_gpkg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    def refuse(self, line, *, at=None):  # noqa: ANN001, ANN202
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(AuditLog, "append", refuse)
    out = tmp_path / "report.json"
    assert main(["check", str(tiny_gpkg), "--json", str(out)]) == 2
    err = capsys.readouterr().err
    assert "cannot be written (disk I/O error)" in err and "were removed" in err
    assert not out.exists()


def test_import_records_the_os_user_as_author_and_audits(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import geopandas as gpd
    from conftest import CRS, rect

    source = tmp_path / "zones.geojson"
    zones = gpd.GeoDataFrame(
        {"grid_id": ["S1"], "parent_id": ["M1"], "name": ["朝阳第1片区"], "leader": ["赵磊"]},
        geometry=[rect(0, 0, 100, 50)],
        crs=CRS,
    )
    zones.to_file(source, driver="GeoJSON")
    argv = ["import", str(source), "--into", str(tiny_gpkg), "--layer", "grid_small"]
    assert main([*argv, "--user", "somebody else"]) == 2
    assert "records the OS user" in capsys.readouterr().err
    assert main([*argv, "--dry-run"]) == 0
    assert _events() == []  # a dry run changes nothing and is not audited
    assert main(argv) == 0
    assert NOTICE_EN in capsys.readouterr().err
    assert read_edit_log(tiny_gpkg)["user"].tolist() == [getpass.getuser()]
    row = AuditLog().read().iloc[-1]
    assert (row["action"], row["user"], row["role"]) == (
        "import",
        getpass.getuser(),
        "administrator",
    )
    assert "grid_small into" in row["detail"] and "updated 1" in row["detail"]


def test_site_save_is_audited_with_the_os_user(tiny_gpkg: Path, tmp_path: Path) -> None:
    argv = [
        "site",
        str(tiny_gpkg),
        "--model",
        "mclp",
        "--count",
        "1",
        "--radius",
        "60",
        "--demand",
        "both",
        "--save",
        "--json",
        str(tmp_path / "s.json"),
    ]
    assert main(argv) == 0
    assert read_edit_log(tiny_gpkg)["user"].tolist() == [getpass.getuser()]
    log = AuditLog().read()
    assert log["action"].tolist() == ["save", "export"]
    assert "equipment_points +" in log["detail"].iloc[0]
    assert log["grids"].iloc[0]  # the zone of the new point


# --- gridmap audit ----------------------------------------------------------------------------


@pytest.fixture
def some_events() -> AuditLog:
    log = AuditLog()
    admin = cli_user("root")
    log.append(event("user_add", admin, detail="zhang"), at=_at("2026-11-30 09:00"))
    log.append(event("export", admin, detail="a.pdf"), at=_at("2026-12-01 10:00"))
    log.append(event("sign_in_failed", None, outcome="denied", name="li"), at=_at("2026-12-02"))
    return log


def _at(text: str):  # noqa: ANN202
    import pandas as pd

    return pd.Timestamp(text, tz="Asia/Shanghai")


def test_audit_prints_and_filters(some_events: AuditLog, capsys) -> None:
    assert main(["audit"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and "user_add" in lines[0] and "(denied)" in lines[2]
    assert main(["audit", "--since", "2026-12-01", "--until", "2026-12-01"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert "export" in line and "a.pdf" in line
    assert main(["audit", "--user", "li"]) == 0
    assert "sign_in_failed" in capsys.readouterr().out
    assert main(["audit", "--action", "nonsense"]) == 2
    assert "is not one of" in capsys.readouterr().err
    assert main(["audit", "--since", "2026-12-02", "--until", "2026-12-01"]) == 2


def test_audit_exports_xlsx_with_headers_in_both_languages(
    some_events: AuditLog, tmp_path: Path
) -> None:
    out = tmp_path / "audit.xlsx"
    assert main(["audit", "-o", str(out), "--action", "export"]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    rows = [r for r in sheet.iter_rows(values_only=True) if any(r)]
    assert "审计日志 audit log" in rows[0][0]
    assert rows[1][:5] == ("序号 no.", "时间 time", "用户 user", "角色 role", "操作 action")
    assert rows[2][3:5] == ("系统管理员 administrator", "导出 export")
    assert len(rows) == 3
    last = AuditLog().read().iloc[-1]  # the export of the log is itself audited
    assert last["action"] == "export" and str(out) in last["detail"]
    assert last["detail"].startswith("gridmap audit: ")


def test_audit_exports_csv_to_a_file_and_to_standard_output(
    some_events: AuditLog, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "audit.csv"
    assert main(["audit", "-o", str(out)]) == 0
    text = out.read_bytes().decode("utf-8")
    assert text.startswith("\ufeff序号 no.,时间 time,")  # a BOM: Excel reads it as UTF-8
    assert "登录失败 failed sign-in" in text and "拒绝 denied" in text
    capsys.readouterr()
    assert main(["audit", "-o", "-", "--user", "li"]) == 0
    captured = capsys.readouterr()
    assert captured.out.startswith("序号 no.,") and len(captured.out.splitlines()) == 2
    assert "Wrote 1 event(s)" in captured.err
    assert main(["audit", "-o", str(tmp_path / "audit.txt")]) == 2


def test_audit_verify_finds_a_changed_row(
    some_events: AuditLog, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", "verify"]) == 0
    assert "3 event(s), the hash chain is intact" in capsys.readouterr().out
    with sqlite3.connect(some_events.path) as db:  # what someone with shell access could do
        db.execute("DROP TRIGGER events_no_update")
        db.execute("UPDATE events SET detail = 'b.pdf' WHERE seq = 2")
    assert main(["audit", "verify"]) == 1
    out = capsys.readouterr().out
    assert "1 of 3 event(s) break the hash chain" in out and "  row 2" in out


def test_exporting_the_log_is_audited_too(tiny_gpkg: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    assert main(["check", str(tiny_gpkg), "--json", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["summary"]
    assert main(["audit", "-o", str(tmp_path / "a.csv")]) == 0
    assert [a for a, *_ in _events()] == ["export", "export"]
