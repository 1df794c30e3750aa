"""Hostile district files: every broken input is exit 2 with one readable message, nothing else.

Each fixture is made at run time from a copy of the bundled sample (or the tiny
hand-built district), broken with sqlite3 or byte edits: NaN and infinite
coordinates written as GeoPackage geometry blobs, blobs that are not geometry,
random bytes over pages, a truncated file, an empty file, a text file named
.gpkg, an .xlsx that is a zip without a workbook. For each: the exit status,
a message naming the file, layer and field, no traceback, and every input file
byte-for-byte unchanged (SHA-256). A hypothesis test mutates the bytes of a
small GeoPackage and asserts `read_district` loads it or raises `GridmapError`.
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import shutil
import sqlite3
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import make_tiny_layers, write_gpkg
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gridmap.cli import main
from gridmap.errors import GridmapError
from gridmap.io import read_district

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
NAN, INF = float("nan"), float("inf")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def gpkg_blob(srs_id: int, wkb: bytes) -> bytes:
    """A GeoPackage geometry: 'GP', version 0, flags (little endian, no envelope), srs id, WKB."""
    return b"GP\x00\x01" + struct.pack("<i", srs_id) + wkb


def point_wkb(x: float, y: float) -> bytes:
    return struct.pack("<BIdd", 1, 1, x, y)


def polygon_wkb(ring: list[tuple[float, float]]) -> bytes:
    points = b"".join(struct.pack("<dd", x, y) for x, y in ring)
    return struct.pack("<BIII", 1, 3, 1, len(ring)) + points


def connect(path: Path) -> sqlite3.Connection:
    """A connection that can update features: the R-tree triggers call GeoPackage functions."""
    db = sqlite3.connect(path)
    db.create_function("ST_IsEmpty", 1, lambda blob: 1)  # leave the edited feature unindexed
    for name in ("ST_MinX", "ST_MaxX", "ST_MinY", "ST_MaxY"):
        db.create_function(name, 1, lambda blob: 0.0)
    return db


def set_first_geometry(path: Path, layer: str, blob: bytes | Callable[[int], bytes]) -> str:
    """Replace the geometry of the layer's first feature; return that feature's id."""
    with connect(path) as db:
        srs_id, column = db.execute(
            "SELECT srs_id, column_name FROM gpkg_geometry_columns WHERE table_name = ?", (layer,)
        ).fetchone()
        fid = db.execute(f'SELECT min(fid) FROM "{layer}"').fetchone()[0]
        data = blob(srs_id) if callable(blob) else blob
        db.execute(f'UPDATE "{layer}" SET "{column}" = ? WHERE fid = ?', (data, fid))
        id_field = {"grid_small": "grid_id", "units": "unit_id", "buildings": "building_id"}.get(
            layer, "point_id"
        )
        feature_id = db.execute(f'SELECT "{id_field}" FROM "{layer}" WHERE fid = ?', (fid,))
        return str(feature_id.fetchone()[0])


def first_vertex(path: Path, layer: str) -> tuple[float, float]:
    import pyogrio

    frame = pyogrio.read_dataframe(path, layer=layer, max_features=1)
    x, y = frame.geometry.iloc[0].exterior.coords[0]
    return x, y


def overwrite_page(path: Path, table: str) -> None:
    """Random bytes over the root page of `table` (its b-tree header and first cells)."""
    with sqlite3.connect(path) as db:
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
    data = bytearray(path.read_bytes())
    start = (root[0] - 1) * page_size
    data[start : start + 200] = random.Random(14).randbytes(200)
    path.write_bytes(bytes(data))


@pytest.fixture
def district(tmp_path: Path) -> Path:
    copy = tmp_path / "上街区 copy.gpkg"  # a space and Chinese characters in the name
    shutil.copy(SAMPLE, copy)
    return copy


def run_check(path: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, str]:
    before = sha256(path) if path.is_file() else None
    code = main(["check", str(path), *extra])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    if before is not None:
        assert sha256(path) == before, "a read changed the input file"
    return code, err


# ---------------------------------------------------------------------------
# Geometry blobs


def test_nan_coordinate_names_layer_field_and_id(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    x, y = first_vertex(district, "grid_small")
    ring = [(x, y), (x + 50, y), (NAN, y + 50), (x, y)]
    grid_id = set_first_geometry(
        district, "grid_small", lambda srs: gpkg_blob(srs, polygon_wkb(ring))
    )
    code, err = run_check(district, capsys)
    assert code == 2
    assert f"file {district}" in err
    assert "layer 'grid_small', field 'geometry'" in err
    assert "not finite" in err and grid_id in err


def test_infinite_coordinate_of_a_point(district: Path, capsys: pytest.CaptureFixture[str]) -> None:
    point_id = set_first_geometry(
        district, "equipment_points", lambda srs: gpkg_blob(srs, point_wkb(INF, 3_855_000.0))
    )
    code, err = run_check(district, capsys)
    assert code == 2
    assert "layer 'equipment_points', field 'geometry'" in err
    assert "NaN or infinity" in err and point_id in err


def test_unknown_wkb_type_is_an_error_not_a_geos_exception(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    unit_id = set_first_geometry(district, "units", lambda srs: gpkg_blob(srs, b"\x01\x19\x01" * 9))
    code, err = run_check(district, capsys)
    assert code == 2
    assert "layer 'units', field 'geom'" in err
    assert "cannot be decoded" in err and f"unit_id {unit_id}" in err


def test_a_blob_that_is_no_geometry_is_not_read_as_an_empty_feature(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """GDAL turns such a blob into a feature without geometry: a later save would lose it."""
    building_id = set_first_geometry(district, "buildings", random.Random(1).randbytes(40))
    code, err = run_check(district, capsys)
    assert code == 2
    assert "layer 'buildings', field 'geom'" in err and building_id in err


# ---------------------------------------------------------------------------
# Damaged bytes


def test_a_damaged_table_page_names_the_layer(
    district: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    overwrite_page(district, "households")
    code, err = run_check(district, capsys)
    assert code == 2
    assert f"file {district}, layer 'households'" in err
    assert "damaged" in err and ".bak" in err and ".recover" in err


@pytest.mark.parametrize("share", [0.1, 0.33, 0.5, 0.75, 0.97])
def test_random_bytes_in_the_middle(
    district: Path, capsys: pytest.CaptureFixture[str], share: float
) -> None:
    data = bytearray(district.read_bytes())
    offset = int(len(data) * share)
    data[offset : offset + 4096] = random.Random(offset).randbytes(4096)
    district.write_bytes(bytes(data))
    code, err = run_check(district, capsys)
    assert code == 2
    assert err.startswith(f"gridmap: error: file {district}")
    assert "damaged" in err or "cannot be" in err


def test_a_truncated_file(district: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = district.read_bytes()
    district.write_bytes(data[: len(data) // 3])
    code, err = run_check(district, capsys)
    assert code == 2 and f"file {district}" in err and "damaged" in err


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        ("网格数据\nnot a database\n".encode(), "is not a GeoPackage"),
        (b"SQLite format 3\x00" + bytes(500), "cannot be read as a GeoPackage"),
    ],
)
def test_files_that_are_no_geopackage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, expected: str
) -> None:
    path = tmp_path / "district.gpkg"
    path.write_bytes(content)
    code, err = run_check(path, capsys)
    assert code == 2 and f"file {path}" in err and expected in err


def test_an_xlsx_that_is_a_zip_without_a_workbook(
    district: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    ledger = tmp_path / "units.xlsx"
    with zipfile.ZipFile(ledger, "w") as archive:
        archive.writestr("notes.txt", "no workbook here")
    inputs = {path: sha256(path) for path in (ledger, district)}
    code = main(["import", str(ledger), "--into", str(district), "--layer", "units"])
    out, err = capsys.readouterr()  # the import prints its report, errors included, on stdout
    assert code == 2 and "Traceback" not in out + err
    assert f"file {ledger}: the file is not a readable Excel workbook" in out
    assert {path: sha256(path) for path in inputs} == inputs


# ---------------------------------------------------------------------------
# A real terminal: no traceback reaches it


@pytest.mark.parametrize("damage", ["unknown_wkb", "page"])
def test_no_traceback_reaches_a_real_terminal(district: Path, damage: str) -> None:
    if damage == "unknown_wkb":
        set_first_geometry(district, "units", lambda srs: gpkg_blob(srs, b"\x01\xff\x00" * 9))
    else:
        overwrite_page(district, "buildings")
    before = sha256(district)
    result = subprocess.run(
        [sys.executable, "-m", "gridmap.cli", "check", str(district)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 2, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("... ")]
    assert errors[0].startswith(f"gridmap: error: file {district}")
    assert sha256(district) == before


# ---------------------------------------------------------------------------
# Any bytes: read_district loads or raises GridmapError, never anything else


@pytest.fixture(scope="module")
def small_gpkg(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("small") / "small.gpkg"
    layers = make_tiny_layers()
    keep = ("grid_large", "grid_medium", "grid_small", "buildings", "units", "equipment_points")
    write_gpkg(path, {name: layers[name] for name in keep if name in layers})
    with sqlite3.connect(path) as db:
        db.execute("VACUUM")  # no free pages: every mutation lands in something that is read
    return path.read_bytes()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_mutated_bytes_load_or_raise_gridmap_error(
    small_gpkg: bytes, tmp_path: Path, data: st.DataObject
) -> None:
    content = bytearray(small_gpkg)
    edits = data.draw(st.integers(1, 4), label="edits")
    for _ in range(edits):
        offset = data.draw(st.integers(0, len(content) - 1), label="offset")
        chunk = data.draw(st.binary(min_size=1, max_size=64), label="bytes")
        content[offset : offset + len(chunk)] = chunk
    if data.draw(st.booleans(), label="truncate"):
        content = content[: data.draw(st.integers(0, len(content)), label="length")]
    path = tmp_path / "mutated.gpkg"
    path.write_bytes(bytes(content))
    with contextlib.suppress(GridmapError):  # anything else fails the test
        read_district(path, partial=True)
