"""The Chinese font of printed maps: Noto Sans SC from the `pylopdf-fonts-zh-cn` package.

GridMap never relies on the fonts a machine happens to have, nor on
matplotlib's font cache: the font file is found inside the installed package
(``importlib.resources``) and registered with matplotlib's font manager
explicitly (`register_cjk_font`). Every page is laid out with it
(`page_style`).

The package ships the font as CFF-flavoured OpenType (``.otf``). matplotlib
embeds a Type 42 font as a TrueType program (``FontFile2``), so a CFF font
would be written as a font file whose type does not match its dictionary,
which strict readers reject. `embed_truetype` therefore converts the glyphs a
document actually uses to TrueType outlines (fontTools: subset, then cubic to
quadratic curves; advances and metrics unchanged, so the layout does not
move) and points every text of the figures at that file just before saving.
The converted subset is cached by its characters in memory and in a font
store (`FontStore`) the caller passes in: the CLI passes the disk cache kept
between runs (`gridmap.io.font_cache`); without one, the subset is kept in a
temporary folder of this process (`process_font_store`). Either way an atlas
converts once, and nothing here imports `gridmap.io`.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import importlib.resources
import io
import os
import tempfile
import threading
import warnings
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol

import matplotlib as mpl
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.typing import RcKeyType

from gridmap.errors import GridmapError, GridmapWarning

FONT_PACKAGE = "pylopdf_fonts_zh_cn"
FONT_FILE = "NotoSansSC-Regular.otf"
FONT_FAMILY = "Noto Sans SC"
#: Always in the embedded subset, so numbers and Latin text never miss a glyph.
_BASE_CHARS = "".join(chr(c) for c in range(0x20, 0x7F)) + "·—–×°²，。：；（）、《》“”‘’…"


class FontError(GridmapError):
    """The CJK font package is missing or unusable."""


class FontStore(Protocol):
    """Where converted font subsets are kept: ``store(name, make)`` returns the file `name`.

    The store calls ``make()`` for the file's bytes only when it does not hold
    `name` yet. Names are content addresses (they include a hash of what the
    file holds), so a file once stored never needs to change.
    `gridmap.io.font_cache` is the store on disk kept between runs.
    """

    def __call__(self, name: str, make: Callable[[], bytes], /) -> Path:
        """Return the path of the stored file `name`, made by ``make()`` when absent."""
        ...

    def __hash__(self) -> int: ...  # `truetype_subset` caches on (chars, store)


@functools.cache
def _process_folder() -> tempfile.TemporaryDirectory[str]:
    # Held by the cache for the life of the process; its finaliser removes it at exit.
    return tempfile.TemporaryDirectory(prefix="gridmap-fonts-")


def process_font_store(name: str, make: Callable[[], bytes]) -> Path:
    """Return the default `FontStore`: a temporary folder of this process (matplotlib needs one)."""
    target = Path(_process_folder().name) / name
    if not target.is_file():
        partial = target.with_name(f"{name}.{os.getpid()}.{threading.get_ident()}.part")
        partial.write_bytes(make())
        partial.replace(target)  # another thread never reads half a font
    return target


def cjk_font_path() -> Path:
    """Return the Noto Sans SC file inside the installed `pylopdf-fonts-zh-cn` package."""
    try:
        root = importlib.resources.files(FONT_PACKAGE)
    except ModuleNotFoundError as exc:
        raise FontError(
            "the Chinese font package is not installed, so maps cannot be printed with Chinese "
            "text. Fix: pip install pylopdf-fonts-zh-cn"
        ) from exc
    path = Path(str(root.joinpath(FONT_FILE)))
    if not path.is_file():
        raise FontError(
            f"{FONT_FILE} is missing from the package {FONT_PACKAGE} ({path}). "
            "Fix: pip install --force-reinstall pylopdf-fonts-zh-cn"
        )
    return path


@functools.cache
def register_cjk_font() -> str:
    """Register the packaged font with matplotlib (once) and return its family name.

    Raises `FontError` if matplotlib would resolve the family to another file.
    """
    path = cjk_font_path()
    font_manager.fontManager.addfont(str(path))
    found = font_manager.findfont(
        font_manager.FontProperties(family=FONT_FAMILY),
        fallback_to_default=False,
        rebuild_if_missing=False,
    )
    if Path(found).resolve() != path.resolve():
        raise FontError(
            f"matplotlib resolves {FONT_FAMILY!r} to {found}, not to the packaged "
            f"{path}; remove the other font or matplotlib's font cache."
        )
    return FONT_FAMILY


def page_rc() -> dict[RcKeyType, Any]:
    """RcParams of every printed page: the packaged font, TrueType embedding, no hinting."""
    return {
        "font.family": [register_cjk_font()],
        "font.size": 8.0,
        "axes.unicode_minus": False,
        "pdf.fonttype": 42,
        "ps.fonttype": 42,
        "svg.fonttype": "none",
        "pdf.compression": 6,
        "text.hinting": "none",
        "path.simplify": True,
        "lines.scale_dashes": False,
        "hatch.linewidth": 0.6,
        "hatch.color": "#d62728",
    }


@contextlib.contextmanager
def page_style() -> Iterator[None]:
    """Lay out and save pages inside this context (font and embedding settings)."""
    with mpl.rc_context(page_rc()):
        yield


def _texts(figures: Iterable[Figure]) -> list[Text]:
    out: list[Text] = []
    for fig in figures:
        out += [t for t in fig.findobj(Text) if t.get_visible() and t.get_text()]
    return out


@functools.cache
def _cmap() -> frozenset[int]:
    return frozenset(font_manager.get_font(str(cjk_font_path())).get_charmap())


def _convert(chars: str) -> bytes:
    """Subset the packaged font to `chars` and convert its outlines to TrueType."""
    from fontTools import subset
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import newTable

    options = subset.Options()
    options.layout_features = []
    options.notdef_outline = True
    options.name_IDs = ["*"]
    options.drop_tables += ["FFTM", "VORG", "vhea", "vmtx", "GSUB", "GPOS", "GDEF"]
    font = subset.load_font(str(cjk_font_path()), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=chars)
    subsetter.subset(font)
    order = font.getGlyphOrder()
    glyphs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyphs)
        glyphs[name].draw(Cu2QuPen(pen, max_err=1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    for name in order:
        glyf.glyphs[name].recalcBounds(glyf)
    del font["CFF "]
    font["glyf"], font["loca"] = glyf, newTable("loca")
    font.sfntVersion = "\x00\x01\x00\x00"
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in (
        "maxPoints",
        "maxContours",
        "maxCompositePoints",
        "maxCompositeContours",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
        "maxComponentDepth",
    ):
        setattr(maxp, attr, 0)
    maxp.maxZones = 1
    maxp.recalc(font)
    post = font["post"]
    post.formatType, post.extraNames, post.mapping = 2.0, [], {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


@functools.lru_cache(maxsize=8)
def truetype_subset(chars: str, store: FontStore = process_font_store) -> Path:
    """Return a TrueType file holding the glyphs of `chars` (sorted, unique), kept by `store`."""
    source = cjk_font_path()
    stamp = f"{source.stat().st_size}:{source.stat().st_mtime_ns}:{chars}"
    key = hashlib.sha256(stamp.encode("utf-8")).hexdigest()[:24]
    return store(f"NotoSansSC-{key}.ttf", lambda: _convert(chars))


def document_chars(figures: Iterable[Figure]) -> str:
    """Every character the figures' visible texts use, plus ASCII (sorted, unique)."""
    used = set(_BASE_CHARS)
    for text in _texts(figures):
        used.update(text.get_text())
    used.discard("\n")
    return "".join(sorted(used))


def embed_truetype(
    figures: Iterable[Figure],
    *,
    chars: str | None = None,
    fonts: FontStore = process_font_store,
) -> Path:
    """Point every text of `figures` at a TrueType subset of the packaged font.

    Call it just before saving PDFs; `chars` (default: the figures' own
    characters) may be a superset shared by several documents; `fonts` keeps
    the converted subset. Characters the font does not have are reported once
    with a `GridmapWarning`.
    """
    figures = list(figures)
    chars = chars if chars is not None else document_chars(figures)
    covered = _cmap()
    missing = sorted({c for c in chars if ord(c) not in covered and not c.isspace()})
    if missing:
        warnings.warn(
            f"the font {FONT_FAMILY} has no glyph for {''.join(missing[:20])!r}; "
            "those characters print as empty boxes.",
            GridmapWarning,
            stacklevel=2,
        )
    path = truetype_subset("".join(c for c in chars if ord(c) in covered or c.isspace()), fonts)
    for text in _texts(figures):
        size = text.get_fontsize()
        text.set_fontproperties(font_manager.FontProperties(fname=str(path), size=size))
    return path
