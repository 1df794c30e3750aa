"""Printed maps and the atlas, checked as PDF text, fonts, page counts and pixels.

Pages are rendered with the tiny hand-built district (tests/conftest.py), read
back with poppler-utils (pdfinfo, pdftotext, pdffonts, pdftoppm) and compared
with one reviewed golden image (tests/golden/tiny_map_a4.png, 40 dpi). Set
GRIDMAP_UPDATE_GOLDEN=1 to rewrite the golden image after reviewing a change.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import numpy as np
import pyproj
import pytest
from conftest import make_tiny_layers
from PIL import Image

from gridmap.analysis.coverage import check_coverage
from gridmap.district import District
from gridmap.errors import GridmapWarning, SaveError
from gridmap.io import write_bytes, write_zip
from gridmap.render.pdf import fonts as pdf_fonts
from gridmap.render.pdf.atlas import atlas_files, atlas_pdf, atlas_sheets
from gridmap.render.pdf.document import (
    PageOptions,
    PrintData,
    fits_landscape,
    map_sheet,
    pdf_bytes,
    png_bytes,
)
from gridmap.render.pdf.furniture import nice_length
from gridmap.render.pdf.labels import Label, place_labels

POPPLER = all(shutil.which(tool) for tool in ("pdftoppm", "pdftotext", "pdffonts", "pdfinfo"))
needs_poppler = pytest.mark.skipif(
    not POPPLER,
    reason="poppler-utils (pdftoppm, pdftotext, pdffonts, pdfinfo) not installed; "
    "apt-get install poppler-utils",
)
GOLDEN = Path(__file__).parents[1] / "golden" / "tiny_map_a4.png"
ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "boundaries" / "shangjie_demo.gpkg"
MADE = dt.date(2025, 6, 30)


def tiny_data() -> PrintData:
    district = District(layers=make_tiny_layers(), crs=pyproj.CRS(4547))
    return PrintData(
        district, check_coverage(district), source="tiny.gpkg", district_name="测试区", made=MADE
    )


@pytest.fixture(scope="module")
def data() -> PrintData:
    return tiny_data()


def _run(*args: str) -> str:
    return subprocess.run(args, check=True, capture_output=True, text=True).stdout


def pdf_file(tmp: Path, data: bytes, name: str = "out.pdf") -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


def pages(path: Path) -> int:
    return int(re.search(r"Pages:\s+(\d+)", _run("pdfinfo", str(path))).group(1))


def page_png(path: Path, page: int = 1, dpi: int = 40) -> np.ndarray:
    out = path.with_suffix("")
    _run(
        "pdftoppm",
        "-png",
        "-r",
        str(dpi),
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(path),
        str(out),
    )
    return np.asarray(Image.open(f"{out}.png").convert("RGB"), dtype=np.int16)


def assert_map_not_blank(pixels: np.ndarray, box: tuple[float, float, float, float]) -> None:
    """The map frame (fractions of the page: left, top, right, bottom) holds drawn data."""
    h, w, _ = pixels.shape
    crop = pixels[int(box[1] * h) : int(box[3] * h), int(box[0] * w) : int(box[2] * w)]
    inked = (np.abs(crop - 255).sum(axis=2) > 30).mean()
    assert crop.std() > 10 and inked > 0.03, (crop.std(), inked)


@pytest.fixture(scope="module")
def single_pdf(data: PrintData, tmp_path_factory: pytest.TempPathFactory) -> Path:
    options = PageOptions(layers=("buildings", "units", "equipment", "findings", "inspections"))
    figure = map_sheet(data, options=options)
    return pdf_file(tmp_path_factory.mktemp("single"), pdf_bytes([figure]))


@needs_poppler
def test_single_map_text_fonts_and_pixels(single_pdf: Path) -> None:
    assert pages(single_pdf) == 1
    text = _run("pdftotext", str(single_pdf), "-")
    expected_texts = (
        "测试区消防安全网格图",
        "金华社区",
        "图例",
        "比例尺",
        "EPSG:4547",
        "tiny.gpkg",
    )
    for expected in expected_texts:
        assert expected in text, expected
    fonts = _run("pdffonts", str(single_pdf))
    rows = [line for line in fonts.splitlines() if "NotoSansSC" in line]
    assert rows and all("CID TrueType" in row and " yes yes yes " in row for row in rows), fonts
    assert "Type 3" not in fonts
    assert_map_not_blank(page_png(single_pdf), (0.08, 0.12, 0.92, 0.7))


GOLDEN_DPI = 40
#: Tiles of 8 px at 40 dpi are 5 mm squares: about the size of the north arrow's head.
TILE = 8
#: Largest mean absolute difference (0-255, over a tile's pixels and channels) a tile may
#: show; anti-aliasing and font hinting between poppler/freetype builds stay well below it.
TILE_LIMIT = 18.0


def tile_differences(a: np.ndarray, b: np.ndarray, tile: int = TILE) -> np.ndarray:
    """Mean absolute difference of each `tile` x `tile` square of two images."""
    h, w = (d - d % tile for d in a.shape[:2])
    diff = np.abs(a[:h, :w] - b[:h, :w]).mean(axis=2)
    return diff.reshape(h // tile, tile, w // tile, tile).mean(axis=(1, 3))


def matches_golden(pixels: np.ndarray, golden: np.ndarray) -> tuple[bool, str]:
    """Whether `pixels` is the golden page: same size and no tile differing beyond the limit."""
    if golden.shape != pixels.shape:
        return False, f"size {pixels.shape} vs {golden.shape}"
    tiles = tile_differences(pixels, golden)
    worst = np.unravel_index(np.argmax(tiles), tiles.shape)
    where = f"tile at x={worst[1] * TILE} px, y={worst[0] * TILE} px"
    return bool(tiles.max() <= TILE_LIMIT), f"worst tile {tiles.max():.1f} ({where})"


def blank_mm(pixels: np.ndarray, x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """A copy with the paper rectangle (millimetres from the top left) painted white."""
    px = GOLDEN_DPI / 25.4
    out = pixels.copy()
    out[int(y0 * px) : int(y1 * px), int(x0 * px) : int(x1 * px)] = 255
    return out


@pytest.fixture(scope="module")
def golden_pixels(single_pdf: Path) -> tuple[np.ndarray, np.ndarray]:
    """(this run's page, the reviewed golden page) at 40 dpi."""
    pixels = page_png(single_pdf, dpi=GOLDEN_DPI)
    if os.environ.get("GRIDMAP_UPDATE_GOLDEN") or not GOLDEN.exists():
        GOLDEN.parent.mkdir(exist_ok=True)
        Image.fromarray(pixels.astype(np.uint8)).save(GOLDEN, optimize=True)
        pytest.skip(f"golden image written to {GOLDEN}; review it and commit")
    return pixels, np.asarray(Image.open(GOLDEN).convert("RGB"), dtype=np.int16)


@needs_poppler
def test_golden_image(golden_pixels: tuple[np.ndarray, np.ndarray]) -> None:
    pixels, golden = golden_pixels
    same, detail = matches_golden(pixels, golden)
    assert same, f"the page differs from {GOLDEN.name}: {detail}"


@needs_poppler
@pytest.mark.parametrize(
    ("element", "rect_mm"),
    [
        # the A4 portrait district sheet: legend, scale bar and north arrow in the bottom band
        ("north arrow", (182.0, 236.0, 198.0, 258.0)),
        ("scale bar", (152.0, 238.0, 180.0, 254.0)),
        ("legend", (12.0, 238.0, 147.0, 279.0)),
        ("the large-grid label 济源路街道", (32.0, 125.0, 51.0, 131.0)),
        ("the medium-grid label 金华社区", (77.0, 125.5, 90.0, 130.5)),
    ],
)
def test_golden_comparison_sees_a_missing_element(
    golden_pixels: tuple[np.ndarray, np.ndarray], element: str, rect_mm: tuple[float, ...]
) -> None:
    """Blanking one page element is caught, though the whole page barely changes."""
    pixels, golden = golden_pixels
    blanked = blank_mm(pixels, *rect_mm)
    assert np.abs(blanked - pixels).mean() < 1.5, "the element is small on the page"
    same, detail = matches_golden(blanked, golden)
    assert not same, f"blanking the {element} went unnoticed ({detail})"


@needs_poppler
def test_map_is_vector(single_pdf: Path) -> None:
    """Offline, the page holds no raster image: grids, overlays and text are PDF paths/text."""
    listing = _run("pdfimages", "-list", str(single_pdf)).splitlines()
    assert len(listing) == 2, listing  # the two header lines only
    content = _run("pdftotext", str(single_pdf), "-")
    assert "金华社区" in content


@needs_poppler
@pytest.mark.parametrize(
    ("paper", "landscape", "size"),
    [
        ("A4", False, (595, 842)),
        ("A4", True, (842, 595)),
        ("A3", False, (842, 1191)),
        ("A3", True, (1191, 842)),
    ],
)
def test_paper_and_orientation(
    data: PrintData, tmp_path: Path, paper: str, landscape: bool, size: tuple[int, int]
) -> None:
    figure = map_sheet(
        data, level="medium", grid_id="M2", options=PageOptions(paper=paper, landscape=landscape)
    )
    path = pdf_file(tmp_path, pdf_bytes([figure]))
    info = _run("pdfinfo", str(path))
    w, h = (round(float(v)) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert (w, h) == size
    text = _run("pdftotext", str(path), "-")
    assert "金华社区消防安全网格图" in text and "金华第1片区" in text and "位置示意" in text
    pixels = page_png(path, dpi=30)
    box = (0.08, 0.15, 0.6, 0.8) if landscape else (0.08, 0.12, 0.92, 0.6)
    assert_map_not_blank(pixels, box)


@needs_poppler
def test_english_page(data: PrintData, tmp_path: Path) -> None:
    figure = map_sheet(data, level="grid_small", grid_id="S1", options=PageOptions(lang="en"))
    text = _run("pdftotext", str(pdf_file(tmp_path, pdf_bytes([figure]))), "-")
    assert "Fire-safety grid map: 朝阳第1片区" in text and "Legend" in text


@needs_poppler
def test_atlas_tiny(data: PrintData, tmp_path: Path) -> None:
    messages: list[str] = []
    book = atlas_sheets(data, level="medium", progress=messages.append)
    assert len(book.figures) == 1 + 1 + 3 and book.front == 2
    assert [e.page for e in book.entries] == [3, 4, 5]
    assert messages[0] == "sheet 1/3: M1 朝阳社区"
    path = pdf_file(tmp_path, atlas_pdf(book))
    assert pages(path) == 5
    text = _run("pdftotext", str(path), "-")
    for name in (
        "测试区消防安全网格图集",
        "目录",
        "朝阳社区",
        "金华社区",
        "东林村",
        "责任人员",
        "王芳",
        "赵磊",
        "朝阳第2片区",
        "第 4 / 5 页",
    ):
        assert name in text, name
    first_sheet = _run("pdftotext", "-f", "3", "-l", "3", str(path), "-")
    assert "赵磊" in first_sheet and "孙丽" in first_sheet and "周强" not in first_sheet
    assert_map_not_blank(page_png(path, page=3), (0.08, 0.12, 0.92, 0.5))
    files = atlas_files(book)
    assert sorted(files) == ["003_M1_朝阳社区.pdf", "004_M2_金华社区.pdf", "005_M3_东林村.pdf"]
    archive = tmp_path / "atlas.zip"
    write_zip(archive, files)
    with zipfile.ZipFile(archive) as z:
        assert len(z.namelist()) == 3
        one = pdf_file(tmp_path, z.read("004_M2_金华社区.pdf"), "one.pdf")
    assert pages(one) == 1 and "NotoSansSC" in _run("pdffonts", str(one))


@needs_poppler
def test_atlas_lists_open_findings(tmp_path: Path) -> None:
    layers = make_tiny_layers()
    layers["grid_small"].loc[layers["grid_small"]["grid_id"] == "S4", "leader"] = None
    district = District(layers=layers, crs=pyproj.CRS(4547))
    data = PrintData(district, check_coverage(district), source="broken.gpkg", made=MADE)
    book = atlas_sheets(data, level="grid_medium", only=["M3"])
    assert len(book.figures) == 3
    text = _run("pdftotext", str(pdf_file(tmp_path, atlas_pdf(book))), "-")
    assert "未明确负责人" in text and "S4" in text


def _sample_district() -> District:
    from gridmap.io import read_district

    if SAMPLE.is_file():
        return read_district(SAMPLE)
    pytest.skip(f"the sample {SAMPLE} is absent; create it with: gridmap demo {SAMPLE}")


@needs_poppler
def test_atlas_of_sample_town(tmp_path: Path) -> None:
    district = _sample_district()
    data = PrintData(
        district, check_coverage(district), source=SAMPLE.name, district_name="上街区", made=MADE
    )
    town = district["grid_large"].iloc[0]
    medium = district["grid_medium"]
    mine = medium.loc[medium["parent_id"] == town["grid_id"]]
    book = atlas_sheets(data, level="medium", only=mine["grid_id"].tolist())
    path = pdf_file(tmp_path, atlas_pdf(book))
    assert pages(path) == 2 + len(mine)
    text = _run("pdftotext", str(path), "-")
    for name in mine["name"]:
        assert name in text
    assert "NotoSansSC" in _run("pdffonts", str(path))
    assert_map_not_blank(page_png(path, page=3), (0.08, 0.12, 0.92, 0.5))


def test_png_bytes(data: PrintData) -> None:
    figure = map_sheet(data)
    image = Image.open(io.BytesIO(png_bytes(figure, dpi=30)))
    assert image.size == (248, 350)
    with pytest.raises(ValueError, match="dpi"):
        png_bytes(figure, dpi=5)


def test_fits_landscape(data: PrintData) -> None:
    assert fits_landscape(data)  # 400 m x 100 m
    assert not fits_landscape(data, "grid_medium", "M2")  # 100 m x 100 m


def test_options_reject_unknown_layer() -> None:
    with pytest.raises(ValueError, match="unknown layer"):
        PageOptions(layers=("roads",))


def test_unknown_grid(data: PrintData) -> None:
    with pytest.raises(KeyError, match="no grid_medium grid with id 'M9'"):
        map_sheet(data, level="medium", grid_id="M9")


def test_labels_never_overlap(data: PrintData) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from shapely.geometry import box

    with pdf_fonts.page_style():
        figure = Figure(figsize=(2, 2))
        FigureCanvasAgg(figure)
        ax = figure.add_axes((0, 0, 1, 1))
        ax.set_xlim(0, 100)
        ax.set_ylim(0, 100)
        square = box(0, 0, 100, 100)
        dropped = place_labels(
            ax,
            [
                Label("第一片区", square, 8),
                Label("第一片区", square, 8),
                Label("很长很长很长很长的名字", box(40, 40, 45, 45), 8),
            ],
        )
    assert dropped == ["很长很长很长很长的名字"]
    texts = [t for t in ax.texts if not t.get_path_effects()]  # not the halos
    assert len(texts) == 2 and len(ax.texts) == 4
    renderer = figure.canvas.get_renderer()
    a, b = (t.get_window_extent(renderer) for t in texts)
    assert not a.overlaps(b)


@pytest.mark.filterwarnings("ignore:Glyph .* missing from font:UserWarning")
def test_missing_glyph_warns(data: PrintData) -> None:
    figure = map_sheet(data, options=PageOptions(title="测试 \U0001f525"))
    with pytest.warns(GridmapWarning, match="no glyph"):
        pdf_bytes([figure])


def test_font_package_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    def missing(name: str) -> None:
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(pdf_fonts.importlib.resources, "files", missing)
    with pytest.raises(pdf_fonts.FontError, match="pip install pylopdf-fonts-zh-cn"):
        pdf_fonts.cjk_font_path()


def test_font_is_the_packaged_one() -> None:
    assert pdf_fonts.register_cjk_font() == "Noto Sans SC"
    assert pdf_fonts.cjk_font_path().name == "NotoSansSC-Regular.otf"
    assert "pylopdf_fonts_zh_cn" in str(pdf_fonts.cjk_font_path())


def test_write_bytes_is_atomic(tmp_path: Path) -> None:
    target = tmp_path / "map.pdf"
    write_bytes(target, b"%PDF-old")
    with pytest.raises(SaveError, match="is a folder"):
        write_bytes(tmp_path, b"x")
    with pytest.raises(SaveError, match="does not exist"):
        write_bytes(tmp_path / "nowhere" / "map.pdf", b"x")
    write_bytes(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert [p.name for p in tmp_path.iterdir()] == ["map.pdf"]


@pytest.mark.parametrize(
    ("limit", "expected"), [(1, 1.0), (7.9, 5.0), (26, 25.0), (999, 500.0), (2400, 2000.0)]
)
def test_nice_length(limit: float, expected: float) -> None:
    assert nice_length(limit) == expected


@needs_poppler
def test_cli_export_pdf(tiny_gpkg: Path, tmp_path: Path) -> None:
    from gridmap.cli import main

    out = tmp_path / "map.pdf"
    assert (
        main(
            [
                "export-pdf",
                str(tiny_gpkg),
                "--out",
                str(out),
                "--grid",
                "M1",
                "--layers",
                "buildings,units",
                "--layers",
                "findings",
                "--png",
                "30",
                "--paper",
                "A3",
                "--landscape",
            ]
        )
        == 0
    )
    assert pages(out) == 1 and (tmp_path / "map.png").is_file()
    assert "朝阳社区" in _run("pdftotext", str(out), "-")
    atlas = tmp_path / "atlas.pdf"
    assert (
        main(
            [
                "export-pdf",
                str(tiny_gpkg),
                "--out",
                str(atlas),
                "--atlas",
                "--zip",
                "--name",
                "测试区",
            ]
        )
        == 0
    )
    assert pages(atlas) == 5
    with zipfile.ZipFile(tmp_path / "atlas.zip") as z:
        assert len(z.namelist()) == 3
    assert main(["export-pdf", str(tiny_gpkg), "--out", str(out), "--layers", "roads"]) == 2
    assert main(["export-pdf", str(tiny_gpkg), "--out", str(out), "--grid", "X9"]) == 2


def _page_size(path: Path) -> tuple[int, int]:
    info = _run("pdfinfo", str(path))
    return tuple(
        round(float(v)) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups()
    )


@needs_poppler
def test_cli_orientation_follows_the_extent_unless_given(
    tiny_gpkg: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The tiny district is 400 m x 100 m: landscape by default; M2 (100 m square) portrait."""
    from gridmap.cli import main

    out = tmp_path / "map.pdf"
    assert main(["export-pdf", str(tiny_gpkg), "--out", str(out)]) == 0
    assert _page_size(out) == (842, 595) and "A4 landscape" in capsys.readouterr().out
    assert main(["export-pdf", str(tiny_gpkg), "--out", str(out), "--grid", "M2"]) == 0
    assert _page_size(out) == (595, 842) and "A4 portrait" in capsys.readouterr().out
    assert main(["export-pdf", str(tiny_gpkg), "--out", str(out), "--portrait"]) == 0
    assert _page_size(out) == (595, 842)


@needs_poppler
def test_cli_titles_the_district_by_the_name_its_file_records(tmp_path: Path) -> None:
    from gridmap.cli import main
    from gridmap.io import read_district, write_layers

    path = tmp_path / "named.gpkg"
    write_layers(path, make_tiny_layers(), name="测试区")
    assert read_district(path).name == "测试区"
    out = tmp_path / "map.pdf"
    assert main(["export-pdf", str(path), "--out", str(out)]) == 0
    assert "测试区消防安全网格图" in _run("pdftotext", str(out), "-")
    unnamed = tmp_path / "plain.gpkg"
    write_layers(unnamed, make_tiny_layers())
    assert main(["export-pdf", str(unnamed), "--out", str(out)]) == 0
    assert "plain消防安全网格图" in _run("pdftotext", str(out), "-")
