"""Options are checked before any work, outputs go where they are asked, failures leave nothing.

Every misuse is exit 2 with one message naming the option (and the fix) before
the district is read: a missing file would otherwise be the first complaint,
so these tests pass a path that does not exist and expect the option's error.
"""

from __future__ import annotations

import io
import json
import zipfile
from importlib.metadata import version
from pathlib import Path

import pytest

from gridmap.cli import main, outputs
from gridmap.cli.options import date_range, png_dpi, positive_distance
from gridmap.errors import OptionError
from gridmap.i18n import require_lang


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


@pytest.fixture
def nowhere(tmp_path: Path) -> Path:
    return tmp_path / "never-read.gpkg"


# ---------------------------------------------------------------------------
# Numbers


@pytest.mark.parametrize("radius", ["inf", "nan", "-5", "0", "-inf"])
def test_site_radius_must_be_a_finite_distance(
    nowhere: Path, capsys: pytest.CaptureFixture[str], radius: str
) -> None:
    code, _, err = run(["site", str(nowhere), "--count", "1", "--radius", radius], capsys)
    assert code == 2
    assert "--radius must be a finite number of metres above 0" in err
    assert "file not found" not in err  # refused before the file was opened


@pytest.mark.parametrize(
    ("option", "value"),
    [("--minutes", "nan"), ("--capacity", "inf"), ("--time-limit", "nan"), ("--share", "nan")],
)
def test_other_site_numbers(
    nowhere: Path, capsys: pytest.CaptureFixture[str], option: str, value: str
) -> None:
    argv = ["site", str(nowhere), "--model", "lscp", option, value]
    code, _, err = run(argv, capsys)
    assert code == 2 and option in err and "file not found" not in err


@pytest.mark.parametrize("dpi", ["-5", "100000", "nan", "0"])
def test_png_dpi_is_checked_before_the_pdf_is_written(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], dpi: str
) -> None:
    before = sorted(tmp_path.iterdir())
    out = tmp_path / "map.pdf"
    code, _, err = run(["export-pdf", str(tiny_gpkg), "--out", str(out), "--png", dpi], capsys)
    assert code == 2
    assert "--png must be a resolution between 10 and 1200 dpi" in err
    assert sorted(tmp_path.iterdir()) == before  # no PDF, no PNG, no temporary file


def test_the_helpers_return_what_the_command_uses() -> None:
    assert positive_distance(300, "--radius") == 300.0
    assert png_dpi(150) == 150.0
    with pytest.raises(OptionError, match="--radius"):
        positive_distance(True, "--radius")


# ---------------------------------------------------------------------------
# Languages and dates


def test_unknown_language_is_refused_with_the_accepted_ones(
    nowhere: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["export-pdf", str(nowhere), "--out", str(tmp_path / "m.pdf"), "--lang", "xx"]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert "--lang 'xx' is not a language" in err and "zh (中文)" in err and "en (English)" in err
    assert require_lang("EN") == "en"


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        ("2025-06-30", "2025-06-01", "--from 2025-06-30 is after --to 2025-06-01"),
        ("1900-01-01", "2025-01-01", "outside the years 1949..2100"),
        ("2025-01-01", "2205-01-01", "outside the years 1949..2100"),
        ("1990-01-01", "2025-01-01", "spans more than 20 years"),
        ("2025-13-01", "2025-12-31", "is not a date"),
    ],
)
def test_inverted_or_absurd_date_ranges(
    nowhere: Path, capsys: pytest.CaptureFixture[str], start: str, end: str, expected: str
) -> None:
    argv = ["inspections", str(nowhere), "--from", start, "--to", end]
    code, _, err = run(argv, capsys)
    assert code == 2 and expected in err and "file not found" not in err
    if "after" in expected or "spans" in expected:
        assert "--from" in err and "--to" in err


def test_a_hazard_day_in_another_century(nowhere: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["hazards", str(nowhere), "--as-of", "2999-01-01"], capsys)
    assert code == 2 and "--as-of 2999-01-01 is outside the years" in err


def test_date_range_helper() -> None:
    assert [d.isoformat() for d in date_range("2025-01-01", "2025-12-31")] == [
        "2025-01-01",
        "2025-12-31",
    ]


# ---------------------------------------------------------------------------
# --version


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"gridmap {version('gridmap')}"


# ---------------------------------------------------------------------------
# '-' for standard output


def test_json_to_standard_output_keeps_the_summary_on_stderr(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(["check", str(tiny_gpkg), "--json", "-"], capsys)
    assert code == 0
    document = json.loads(out)  # nothing else on stdout
    assert document["summary"]["ok"] is True
    assert "Coverage check" in err
    assert not (tmp_path / "-").exists()


def test_site_json_to_standard_output(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = ["site", str(tiny_gpkg), "--model", "lscp", "--radius", "60", "--straight"]
    code, out, err = run([*argv, "--json", "-"], capsys)
    assert code == 0 and json.loads(out)["radius_m"] == 60
    assert "Model lscp" in err and not (tmp_path / "-").exists()


def test_a_workbook_to_a_pipe(
    tiny_gpkg: Path, capsysbinary: pytest.CaptureFixture[bytes], monkeypatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["check", str(tiny_gpkg), "--xlsx", "-"]) == 0
    data = capsysbinary.readouterr().out
    assert zipfile.ZipFile(io.BytesIO(data)).namelist()  # a whole xlsx, nothing else
    assert not (tmp_path / "-").exists()


def test_a_workbook_is_not_written_to_a_terminal(
    nowhere: Path, capsys: pytest.CaptureFixture[str], monkeypatch
) -> None:
    monkeypatch.setattr(outputs, "_terminal", lambda: True)
    code, _, err = run(["check", str(nowhere), "--xlsx", "-"], capsys)
    assert code == 2 and "binary and would garble the terminal" in err


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["check", "{f}", "--json", "-", "--xlsx", "-"], "--json - and --xlsx - would both"),
        (["demo", "-"], "cannot be written to standard output"),
        (["export-pdf", "{f}", "--out", "-", "--png", "30"], "--png writes files beside --out"),
        (["bom", "{f}", "--json", "--xlsx", "-"], "--json - and --xlsx - would both"),
    ],
)
def test_standard_output_misuse(
    nowhere: Path, capsys: pytest.CaptureFixture[str], argv: list[str], expected: str
) -> None:
    code, _, err = run([a.replace("{f}", str(nowhere)) for a in argv], capsys)
    assert code == 2 and expected in err


# ---------------------------------------------------------------------------
# A failed command leaves no output behind


def test_a_failed_second_output_removes_the_first(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = tmp_path / "report.json"
    argv = [
        "check",
        str(tiny_gpkg),
        "--json",
        str(report),
        "--xlsx",
        str(tmp_path / "no" / "x.xlsx"),
    ]
    code, _, err = run(argv, capsys)
    assert code == 2 and "does not exist" in err
    assert not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.gpkg"]


def test_a_replaced_output_is_kept_when_a_later_one_fails(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Only files the run created are removed: an existing report stays a whole file."""
    report = tmp_path / "report.json"
    report.write_text("{}", encoding="utf-8")
    argv = [
        "check",
        str(tiny_gpkg),
        "--json",
        str(report),
        "--xlsx",
        str(tmp_path / "no" / "x.xlsx"),
    ]
    assert run(argv, capsys)[0] == 2
    assert json.loads(report.read_text(encoding="utf-8")) is not None
