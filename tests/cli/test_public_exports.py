"""``--public`` on every export command: no phone number or name of the sample district's
personal fields in the output, and (where the export carries them at all) they are there
without ``--public``, so the check is not vacuous.

PDFs are read as text with pdftotext, workbooks cell by cell with openpyxl, JSON as text.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from gridmap.analysis.access import personal_fields
from gridmap.cli import main
from gridmap.io import read_district

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext")

_NUMBER = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def text_of(path: Path) -> str:
    """Everything a reader of `path` sees, as text."""
    if path.suffix == ".pdf":
        result = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=120
        )
        return result.stdout
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    if path.suffix == ".zip":
        parts = []
        with zipfile.ZipFile(path) as archive:
            for member in archive.namelist():
                page = path.parent / f"_member_{Path(member).name}"
                page.write_bytes(archive.read(member))
                parts.append(text_of(page))
        return "\n".join(parts)
    return path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def personal(sample: Path) -> tuple[set[str], set[str]]:
    """The sample's phone numbers and its personal names of two characters or more.

    Names that are also part of a place's name (金华: 金华社区) are left out.
    """
    district = read_district(sample)
    phones, names = set(), set()
    places = " ".join(
        str(v)
        for frame in district.layers.values()
        for column in ("name", "address", "title", "description")
        if column in frame
        for v in frame[column].dropna()
    )
    for layer, frame in district.layers.items():
        for field in personal_fields(layer):
            if field not in frame:
                continue
            values = {str(v).strip() for v in frame[field].dropna() if str(v).strip()}
            if field == "phone":
                phones |= values
            else:
                names |= {v for v in values if len(v) > 1 and not v.isdigit() and v not in places}
    assert len(phones) > 1000 and len(names) > 100
    return phones, names


def found(text: str, personal: tuple[set[str], set[str]]) -> tuple[set[str], set[str]]:
    phones, names = personal
    return {n for n in _NUMBER.findall(text) if n in phones}, {n for n in names if n in text}


#: command -> (arguments after the file, the outputs it writes, what it carries without --public)
EXPORTS: dict[str, tuple[list[str], list[str], str]] = {
    "atlas": (
        [
            "export-pdf",
            "{file}",
            "-o",
            "{out}/atlas.pdf",
            "--atlas",
            "--level",
            "small",
            "--grid",
            "410106004001",
            "--zip",
        ],
        ["atlas.pdf", "atlas.zip"],
        "phones and names",
    ),
    "map": (["export-pdf", "{file}", "-o", "{out}/map.pdf"], ["map.pdf"], "nothing"),
    "check": (
        ["check", "{file}", "--json", "{out}/report.json", "--xlsx", "{out}/ledger.xlsx"],
        ["report.json", "ledger.xlsx"],
        "names",
    ),
    "inspections": (
        [
            "inspections",
            "{file}",
            "--from",
            "2025-01-01",
            "--to",
            "2025-12-31",
            "--json",
            "{out}/compliance.json",
            "--xlsx",
            "{out}/compliance.xlsx",
        ],
        ["compliance.json", "compliance.xlsx"],
        "nothing",
    ),
    "hazards": (["hazards", "{file}", "--xlsx", "{out}/hazards.xlsx"], ["hazards.xlsx"], "nothing"),
    "assess": (
        [
            "assess",
            "{file}",
            "--period",
            "2025H2",
            "--json",
            "{out}/score.json",
            "--xlsx",
            "{out}/score.xlsx",
        ],
        ["score.json", "score.xlsx"],
        "nothing",
    ),
    "bom": (["bom", "{file}", "--xlsx", "{out}/bom.xlsx"], ["bom.xlsx"], "nothing"),
    "site": (
        ["site", "{file}", "--count", "2", "--json", "{out}/site.json"],
        ["site.json"],
        "nothing",
    ),
}


def run_export(name: str, file: Path, out: Path, *, public: bool) -> list[Path]:
    argv, files, _ = EXPORTS[name]
    out.mkdir(parents=True, exist_ok=True)
    args = [a.format(file=file, out=out) for a in argv] + (["--public"] if public else [])
    assert main(args) in (0, 1)  # 1: the sample's planted coverage errors
    return [out / f for f in files]


@pytest.mark.parametrize("name", list(EXPORTS))
def test_public_export_has_no_personal_data(
    name: str, sample: Path, tmp_path: Path, personal: tuple[set[str], set[str]]
) -> None:
    carries = EXPORTS[name][2]
    for path in run_export(name, sample, tmp_path / "public", public=True):
        phones, names = found(text_of(path), personal)
        assert not phones, f"{path.name}: phone numbers {sorted(phones)[:3]}"
        assert not names, f"{path.name}: names {sorted(names)[:3]}"
    full = [
        found(text_of(p), personal)
        for p in run_export(name, sample, tmp_path / "full", public=False)
    ]
    phones = set().union(*(p for p, _ in full))
    names = set().union(*(n for _, n in full))
    assert bool(phones) == ("phones" in carries), f"{name} without --public: phones {len(phones)}"
    assert bool(names) == ("names" in carries), f"{name} without --public: names {len(names)}"


def test_public_check_counts_as_the_full_one(
    sample: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The public version leaves the leaders out, yet no grid is reported without one."""
    full = main(["check", str(sample), "--json", str(tmp_path / "full.json")])
    full_out = capsys.readouterr().out
    public = main(["check", str(sample), "--json", str(tmp_path / "public.json"), "--public"])
    assert (public, capsys.readouterr().out) == (full, full_out)
    assert (tmp_path / "public.json").read_bytes() == (tmp_path / "full.json").read_bytes()


def test_public_scorecard_is_the_full_one(sample: Path, tmp_path: Path) -> None:
    """The scorecard's named-leader indicator still counts the leaders in a public version."""
    run_export("assess", sample, tmp_path / "full", public=False)
    run_export("assess", sample, tmp_path / "public", public=True)
    full, public = (tmp_path / d / "score.json" for d in ("full", "public"))
    assert full.read_text(encoding="utf-8") == public.read_text(encoding="utf-8")


def test_phone_numbers_in_free_text_are_masked(tmp_path: Path) -> None:
    """A hazard's description naming a phone: in the full ledger, masked in the public one."""
    from conftest import make_tiny_layers, write_gpkg

    layers = make_tiny_layers()
    layers["hazards"]["description"] = ["通道堵塞，联系人电话 13912345678"]
    file = write_gpkg(tmp_path / "t.gpkg", layers)
    full, public = tmp_path / "full.xlsx", tmp_path / "public.xlsx"
    assert main(["hazards", str(file), "--as-of", "2025-07-01", "--xlsx", str(full)]) == 0
    argv = ["hazards", str(file), "--as-of", "2025-07-01", "--xlsx", str(public), "--public"]
    assert main(argv) == 0
    assert "13912345678" in text_of(full)
    assert "13912345678" not in text_of(public) and "139****5678" in text_of(public)


def test_public_atlas_leaves_the_persons_columns_out(tmp_path: Path) -> None:
    """The atlas' responsible-persons table of a public version has no leader or phone column."""
    from conftest import make_tiny_layers, write_gpkg

    file = write_gpkg(tmp_path / "t.gpkg", make_tiny_layers())
    argv = ["export-pdf", str(file), "--atlas", "--level", "large", "--lang", "en"]
    assert main([*argv, "-o", str(tmp_path / "full.pdf")]) == 0
    assert main([*argv, "-o", str(tmp_path / "public.pdf"), "--public"]) == 0
    full, public = text_of(tmp_path / "full.pdf"), text_of(tmp_path / "public.pdf")
    assert "13800000001" in full and "张伟" in full
    assert "13800000001" not in public and "张伟" not in public and "王芳" not in public
    assert "Phone" in full and "Phone" not in public
