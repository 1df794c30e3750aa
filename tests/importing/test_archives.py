"""Hostile archives are refused, naming the archive and the member; nothing is written."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest
from import_cases import write_shapefile

from gridmap.errors import ArchiveError
from gridmap.io.archives import ArchiveLimits, check_archive, extract_archive
from gridmap.tasks.importing import import_layer, read_source


def zipped(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    """50 MB of zeros in a 50 kB zip: over a 10 MB limit and a 1000x ratio."""
    bomb = zipped(tmp_path / "grids.zip", {"grids.dbf": b"\0" * (50 << 20)})
    assert bomb.stat().st_size < 100_000
    limits = ArchiveLimits(max_total_bytes=10 << 20)
    with pytest.raises(ArchiveError) as caught:
        extract_archive(bomb, tmp_path / "out", limits=limits)
    text = str(caught.value)
    assert "grids.zip" in text and "'grids.dbf' inflates" in text and "zip bomb" in text
    assert not (tmp_path / "out").exists()


def test_zip_bomb_by_total_size(tmp_path: Path) -> None:
    members = {f"part{i}.csv": bytes(range(256)) * 4096 for i in range(6)}  # 1 MB each
    archive = zipped(tmp_path / "ledger.zip", members)
    with pytest.raises(ArchiveError, match="inflates to 6,291,456 bytes, more than the limit"):
        check_archive(archive, limits=ArchiveLimits(max_total_bytes=5 << 20))


def test_member_whose_header_lies_about_its_size_is_refused(tmp_path: Path) -> None:
    """A header that lies about the size gets no more bytes out than it declares."""
    archive = zipped(tmp_path / "liar.zip", {"a.csv": b"x" * 100_000})
    with zipfile.ZipFile(archive) as zf:
        info = zf.infolist()[0]
    data = bytearray(archive.read_bytes())
    # patch the declared size (local header offset 22, central directory entry +24) to 10
    for offset in (info.header_offset + 22, data.rfind(b"PK\x01\x02") + 24):
        data[offset : offset + 4] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    with pytest.raises(ArchiveError, match="'a.csv' (is corrupt|inflates past its declared)"):
        extract_archive(archive, tmp_path / "out")
    assert not (tmp_path / "out" / "a.csv").exists()


@pytest.mark.parametrize(
    "name",
    [
        "../evil.shp",
        "数据/../../evil.shp",
        "/etc/cron.d/evil.csv",
        "C:/Windows/evil.csv",
        "..\\evil.shp",
    ],
)
def test_path_traversal_is_refused(name: str, tmp_path: Path) -> None:
    archive = zipped(tmp_path / "grids.zip", {"ok.csv": b"a,b\n", name: b"x"})
    with pytest.raises(ArchiveError) as caught:
        extract_archive(archive, tmp_path / "out")
    assert "path traversal" in str(caught.value) and "grids.zip" in str(caught.value)
    assert not (tmp_path / "evil.shp").exists() and not (tmp_path / "out" / "ok.csv").exists()


def test_unexpected_files_and_links_are_refused(tmp_path: Path) -> None:
    archive = tmp_path / "grids.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("grids.shp", b"x")
        zf.writestr("setup.exe", b"MZ")
        zf.writestr("inner.zip", b"PK")
        link = zipfile.ZipInfo("link.shp")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(link, "/etc/passwd")
    with pytest.raises(ArchiveError) as caught:
        check_archive(archive)
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 3
    assert any("'setup.exe' is not a kind of file an import expects (.exe)" in p for p in problems)
    assert any("'inner.zip'" in p for p in problems)
    assert any("'link.shp' is a symbolic link" in p for p in problems)


def test_kmz_holds_only_kml_and_images(tmp_path: Path) -> None:
    kmz = zipped(tmp_path / "grids.kmz", {"doc.kml": b"<kml/>", "files/run.sh": b"rm -rf /"})
    with pytest.raises(ArchiveError, match="'files/run.sh' is not a kind of file"):
        read_source(kmz)


def test_macos_companions_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "shp"
    folder.mkdir()
    shp = write_shapefile(folder)
    members = {p.name: p.read_bytes() for p in folder.glob(shp.stem + ".*")}
    members["__MACOSX/._small_grids.shp"] = b"\0\5\26\7"
    members["._small_grids.dbf"] = b"\0\5\26\7"
    table = read_source(zipped(tmp_path / "mac.zip", members))
    assert len(table.frame) == 4 and table.format == "zipped Shapefile"


def test_a_refused_archive_writes_nothing(tiny_gpkg: Path, tmp_path: Path) -> None:
    before = tiny_gpkg.read_bytes()
    archive = zipped(tmp_path / "grids.zip", {"../grids.geojson": b"{}"})
    report = import_layer([archive], tiny_gpkg, "grid_small")
    assert not report.ok and not report.written
    assert "'../grids.geojson' has an absolute or '..' path" in str(report.problems[0])
    assert tiny_gpkg.read_bytes() == before
    assert not (tmp_path / "grids.geojson").exists()


def test_xlsx_is_checked_as_an_archive(tmp_path: Path) -> None:
    bomb = zipped(tmp_path / "ledger.xlsx", {"xl/worksheets/sheet1.xml": b" " * (20 << 20)})
    report = import_layer(
        [bomb],
        tmp_path / "d.gpkg",
        "units",
        limits=ArchiveLimits(max_total_bytes=1 << 20),
    )
    assert "inflates" in str(report.problems[0]) and "ledger.xlsx" in str(report.problems[0])


def test_several_data_files_in_a_zip_need_a_choice(tmp_path: Path) -> None:
    archive = zipped(tmp_path / "two.zip", {"a.geojson": b"[]", "b.csv": b"x,y\n"})
    with pytest.raises(Exception, match="holds 2 data files"):
        read_source(archive)
