"""No unmasked phone number reaches a viewer (issue 16): page texts, tables, map HTML, every
download (PDF text via pdftotext, xlsx cells, CSV, the atlas zip) and the audit log.

Every phone of the sample's personal fields is searched for, and so is any mobile number
(``1[3-9]`` and nine digits standing alone). The administrator's atlas is made too, as the
control: it does carry full phones, so the search would find them.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest
from _app_support import ROOT, SITING, run_page
from streamlit.testing.v1 import AppTest

from gridmap.analysis.access import PHONE_FIELDS, personal_fields
from gridmap.io import read_district, read_edit_log
from gridmap.io.audit import AuditLog

PAGES = ROOT / "pages"
TOWN, COMMUNITY = "410106001", "410106001001"
MOBILE = re.compile(r"(?<![\d.])1[3-9]\d{9}(?!\d)")


@pytest.fixture(scope="module")
def phones(sample: Path) -> set[str]:
    district = read_district(sample)
    found: set[str] = set()
    for name, frame in district.layers.items():
        for field in personal_fields(name):
            if field in PHONE_FIELDS and field in frame:
                found |= {str(p) for p in frame[field].dropna() if len(str(p)) >= 7}
    assert len(found) > 1000, "the sample has phones to look for"
    return found


@pytest.fixture
def downloads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bytes]]:
    """Every file a download button offers, caught on its way to the button; each is then
    "clicked" (its audit callback run, as the browser's click runs it)."""
    from gridmap_app.auth import guard

    caught: list[tuple[str, bytes]] = []
    offer = guard.download

    def catch(user, label, data, *, file_name, **kwargs):
        caught.append((file_name, data if isinstance(data, bytes) else str(data).encode()))
        guard.exported(user, file_name, public=kwargs.get("public", False))
        return offer(user, label, data, file_name=file_name, **kwargs)

    monkeypatch.setattr(guard, "download", catch)
    return caught


def page_text(at: AppTest) -> str:
    assert not at.exception, [e.value for e in at.exception]
    kinds = ("markdown", "caption", "info", "error", "success", "warning", "text", "code")
    parts = [str(e.value) for kind in kinds for e in getattr(at, kind)]
    parts += [f"{m.label} {m.value} {m.help}" for m in at.metric]
    parts += [d.value.to_csv() for d in at.dataframe]
    parts += [" ".join(map(str, s.options)) for s in at.selectbox]
    for component in at.get("component_instance"):
        script = json.loads(component.proto.json_args).get("script", "")
        parts.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1], 16)), script))
    return "\n".join(parts)


def file_text(name: str, data: bytes) -> str:
    if name.endswith(".pdf"):
        done = subprocess.run(
            ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
        )
        return done.stdout.decode("utf-8", "replace")
    if name.endswith(".xlsx"):
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        return "\n".join(
            " ".join("" if v is None else str(v) for v in row)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if name.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(file_text(n, archive.read(n)) for n in archive.namelist())
    if name.endswith((".csv", ".json", ".txt")):
        return data.decode("utf-8-sig", "replace")
    return ""  # images: no text to search


def leaks(text: str, phones: set[str]) -> list[str]:
    found = sorted({m.group() for m in MOBILE.finditer(text)})
    digits = set(re.findall(r"\d{7,}", text))
    return found + sorted(p for p in phones if p in digits or (len(p) > 11 and p in text))


def viewer_pages():
    """Each page as a viewer: (file, session state, buttons clicked in turn)."""
    coverage = {"sel_large": TOWN, "sel_medium": COMMUNITY}
    yield "coverage_map.py", coverage, ()
    yield "coverage_map.py", {**coverage, "sel_small": f"{COMMUNITY}001"}, ()
    yield "edit_grids.py", {}, ()
    for view in ("heat", "missing", "tallies", "compliance", "hazards", "record"):
        yield "inspections.py", {"insp_view": view}, ()
    yield "equipment.py", {"eq_result": SITING}, ()
    for view in ("trainings", "drills", "meetings", "fire_teams"):
        yield "plan_records.py", {"plan_view": view}, ()
    yield "assessment.py", {}, ()
    yield "export.py", {"export_scope": "medium", "export_grid": COMMUNITY}, ("export_go",)
    atlas = {
        "export_mode": "atlas",
        "export_atlas_level": "medium",
        "export_within": True,
        "export_large": TOWN,
    }
    yield "export.py", atlas, ("export_go",)


@pytest.mark.parametrize(
    ("name", "state", "clicks"), list(viewer_pages()), ids=lambda v: str(v)[:30]
)
def test_no_unmasked_phone_reaches_a_viewer(
    sample: Path, phones: set[str], downloads, name: str, state: dict, clicks: tuple
) -> None:
    at = run_page(PAGES / name, user="viewer", **state)
    for key in clicks:
        at.button(key=key).click().run()
    text = page_text(at)
    assert text.strip()
    assert not leaks(text, phones), leaks(text, phones)[:5]
    for file_name, data in downloads:
        found = leaks(file_text(file_name, data), phones)
        assert not found, (file_name, found[:5])
    if name == "export.py":
        assert downloads and any(f.endswith(".pdf") for f, _ in downloads)


def test_the_control_an_administrators_atlas_has_full_phones(
    sample: Path, phones: set[str], downloads
) -> None:
    atlas = {
        "export_mode": "atlas",
        "export_atlas_level": "medium",
        "export_within": True,
        "export_large": TOWN,
    }
    at = run_page(PAGES / "export.py", user="admin", **atlas)
    at.button(key="export_go").click().run()
    pdf = next(data for name, data in downloads if name == "gridmap_atlas.pdf")
    assert leaks(file_text("gridmap_atlas.pdf", pdf), phones), "the search finds full phones"
    public = run_page(PAGES / "export.py", user="admin", export_public=True, **atlas)
    downloads.clear()
    public.button(key="export_go").click().run()
    pdf = next(data for name, data in downloads if name == "gridmap_atlas.pdf")
    assert not leaks(file_text("gridmap_atlas.pdf", pdf), phones), "the public version has none"


def test_no_log_line_holds_an_unmasked_phone(sample: Path, phones: set[str]) -> None:
    log = AuditLog().read()
    assert (log["action"] == "export").any(), "the downloads above were audited"
    assert not leaks(log.to_csv(), phones)
    edits = read_edit_log(sample)
    shown = edits.drop(columns=[c for c in ("before", "after") if c in edits]).to_csv()
    assert not leaks(shown, phones)


def test_pdftotext_is_debians() -> None:
    assert shutil.which("pdftotext") == "/usr/bin/pdftotext"
