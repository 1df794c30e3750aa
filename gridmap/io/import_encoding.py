"""Text encodings of imported files: CSV/GeoJSON text and Shapefile attribute tables.

`detect_encoding` guesses the encoding of legacy text (UTF-8, else GBK/GB18030,
else CP1252). `shapefile_encoding` decides how a Shapefile's .dbf is read:
as the user says, else as its .cpg says (unless the text does not decode in
it, or it is a Western code page and the text reads as Chinese), else from the
.dbf header's code page, with the same exception (ArcGIS writes 0x57, "ANSI",
whatever the machine's code page was, so a survey bureau's GBK file often
claims CP1252), else detected from the bytes.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from gridmap.errors import DataError, Problem

_HIGH_RUNS = re.compile(rb"[\x80-\xff]+")
#: dBase language driver ids (byte 29 of a .dbf) GDAL honours when there is no .cpg.
LDID = {
    0x01: "CP437",
    0x02: "CP850",
    0x03: "CP1252",
    0x4D: "CP936 (GBK)",
    0x4F: "CP950",
    0x57: "CP1252",
    0x58: "CP1252",
    0x59: "CP1252",
    0x64: "CP852",
    0x7A: "CP936 (GBK)",
    0x7D: "CP1255",
    0x7E: "CP1256",
}
#: The ids of single-byte Western code pages: a Chinese file that claims one reads as mojibake.
WESTERN_LDID = frozenset({0x01, 0x02, 0x03, 0x57, 0x58, 0x59, 0x64})
#: What is tried when a Western code page does not fit the text, in this order.
CJK_CANDIDATES = ("UTF-8", "GBK", "GB18030")
#: Share of the non-ASCII characters that must be everyday Chinese for a decoding to be taken.
PLAUSIBLE_SHARE = 0.8


def source_error(message: str, file: str, fix: str | None = None) -> DataError:
    """Return the error for a source file that cannot be read as it is."""
    return DataError(Problem("error", message, file=file, fix=fix))


def detect_encoding(data: bytes) -> str | None:
    r"""Return the encoding of legacy text: UTF-8, else GBK/GB18030, else CP1252; None if none fits.

    GBK accepts almost any byte string, so Western text (``Montr\xe9al``)
    would decode as GBK gibberish; real Chinese text pairs two high bytes,
    so GBK is chosen only when at least 90 % of the runs of high bytes have
    an even length.

    >>> detect_encoding("网格".encode("gbk")), detect_encoding("网格".encode("utf-8"))
    ('GBK', 'UTF-8')
    >>> detect_encoding("Montréal-Nord".encode("cp1252"))
    'CP1252'
    """
    try:
        data.decode("utf-8")
        return "UTF-8"
    except UnicodeDecodeError:
        pass
    runs = [len(r) for r in _HIGH_RUNS.findall(data)]
    paired = sum(1 for n in runs if n % 2 == 0) >= 0.9 * len(runs)
    for name in ("gbk", "gb18030"):
        if not paired:
            break
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name.upper()
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return "CP1252"


def decode_text(data: bytes, file: str) -> tuple[str, str]:
    """Return the text of a CSV or GeoJSON file and the encoding it was read with."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "UTF-8 (with BOM)"
    found = detect_encoding(data)
    if found is None:
        raise source_error(
            "the text is neither UTF-8 nor GBK/GB18030.",
            file,
            fix="save it as UTF-8 (Excel: Save As > CSV UTF-8).",
        )
    return data.decode(found.lower()), found


def _everyday_chinese(char: str) -> bool:
    """Return True for a CJK ideograph, CJK punctuation or full-width form of GB 2312 (everyday)."""
    code = ord(char)
    cjk = 0x3000 <= code <= 0x303F or 0x4E00 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF
    if not cjk:
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def chinese_share(data: bytes, encoding: str) -> float:
    """Share of the non-ASCII characters of `data`, read as `encoding`, that are everyday Chinese.

    0.0 when the bytes do not decode, or hold no non-ASCII text. Western
    bytes read as GBK give rare characters outside GB 2312 (``é`` followed
    by a letter is one GBK character), so their share stays low.

    >>> chinese_share("朝阳社区".encode("gbk"), "GBK")
    1.0
    >>> chinese_share("Montréal-Nord".encode("cp1252"), "GBK")
    0.0
    """
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return 0.0
    wide = [c for c in text if ord(c) > 0x7F]
    if not wide:
        return 0.0
    return sum(map(_everyday_chinese, wide)) / len(wide)


def chinese_encoding(data: bytes) -> str | None:
    """Return the first of UTF-8, GBK, GB18030 that reads `data` as plausible Chinese, or None."""
    for name in CJK_CANDIDATES:
        if chinese_share(data, name) >= PLAUSIBLE_SHARE:
            return name
    return None


def dbf_text(dbf: bytes) -> bytes:
    """Return the bytes of a .dbf that hold text: field names and records (not binary headers)."""
    if len(dbf) < 32:
        return b""
    records = int.from_bytes(dbf[4:8], "little")
    header = int.from_bytes(dbf[8:10], "little")
    width = int.from_bytes(dbf[10:12], "little")
    names = []
    for start in range(32, header - 31, 32):
        if dbf[start] == 0x0D:
            break
        names.append(dbf[start : start + 11].split(b"\x00", 1)[0])
    return b" ".join(names) + b" " + dbf[header : header + records * width]


@dataclass(frozen=True)
class ShapefileEncoding:
    """How to read a Shapefile's attributes: `encoding` None lets GDAL decide (.cpg or header)."""

    encoding: str | None
    notes: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


def _cpg_text(cpg: Path) -> str:
    return cpg.read_text(errors="replace").strip()


def _companion(path: Path, suffix: str) -> Path | None:
    return next((p for p in path.parent.glob(path.stem + ".*") if p.suffix.lower() == suffix), None)


def cpg_codec(said: str) -> str | None:
    """Return the Python codec a .cpg file's text names, or None when Python does not know it.

    For example ``936`` -> gbk, ``ANSI 1252`` -> cp1252, ``UTF-8``.

    >>> cpg_codec("936"), cpg_codec("ANSI 1252"), cpg_codec(" utf8 "), cpg_codec("88591")
    ('gbk', 'cp1252', 'utf-8', 'iso8859-1')
    """
    name = said.strip().upper().removeprefix("ANSI").strip()
    name = {"88591": "ISO-8859-1", "8859-1": "ISO-8859-1"}.get(name, name)
    if name.isdigit():
        name = f"cp{name}"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_CJK_CODECS = frozenset({"utf-8", "gbk", "gb2312", "gb18030", "cp936", "big5", "cp950"})


def _checked_cpg(said: str, text: bytes) -> ShapefileEncoding:
    """Trust the .cpg unless the text contradicts it (see the module's docstring)."""
    trusted = ShapefileEncoding(None, (f"encoding {said} (from the .cpg file)",))
    codec = cpg_codec(said)
    if codec is None or text.isascii():
        return trusted
    try:
        text.decode(codec)
        decodes = True
    except UnicodeDecodeError:
        decodes = False
    if decodes and codec in _CJK_CODECS:
        return trusted
    found = chinese_encoding(text) or (None if decodes else detect_encoding(text))
    if found is None or (decodes and codecs.lookup(found).name == codec):
        return trusted
    why = "the text does not decode in it" if not decodes else "the text reads as Chinese"
    warning = (
        f"the .cpg file names {said}, but {why} in {found}: read as {found}. If names still look "
        "wrong, pass --encoding (for example --encoding GB18030) or correct the .cpg file"
    )
    note = f"encoding {found} detected (the .cpg file's {said} does not fit the text)"
    return ShapefileEncoding(found, (note,), (warning,))


def shapefile_encoding(path: Path, told: str | None = None) -> ShapefileEncoding:
    """Decide the encoding of the Shapefile `path`'s attributes (see the module's docstring)."""
    if told:
        return ShapefileEncoding(told, (f"encoding {told} (as told)",))
    cpg, dbf = _companion(path, ".cpg"), _companion(path, ".dbf")
    if cpg is not None and dbf is None:
        return ShapefileEncoding(None, (f"encoding {_cpg_text(cpg)} (from the .cpg file)",))
    if dbf is None:
        return ShapefileEncoding(None)
    raw = dbf.read_bytes()
    text = dbf_text(raw)
    if cpg is not None:
        return _checked_cpg(_cpg_text(cpg), text)
    ldid = raw[29] if len(raw) > 29 else 0
    if text.isascii():
        return ShapefileEncoding(None, ("no .cpg file; the attributes are plain ASCII",))
    if not ldid:
        found = detect_encoding(text) or "latin-1"
        note = f"no .cpg file; encoding detected as {found} (UTF-8, GBK, CP1252 tried)"
        return ShapefileEncoding(found, (note,))
    label = LDID.get(ldid, f"code page id 0x{ldid:02X}")
    cjk = chinese_encoding(text) if ldid in WESTERN_LDID else None
    if cjk is None:
        return ShapefileEncoding(None, (f"no .cpg file; encoding {label} from the .dbf header",))
    ansi = (
        ", the id ArcGIS writes for 'ANSI' whatever the machine's code page" if ldid == 0x57 else ""
    )
    warning = (
        f"the .dbf header names code page {label} (language driver id 0x{ldid:02X}{ansi}), "
        f"but the text reads as Chinese in {cjk}: read as {cjk}. If names still look wrong, "
        "pass --encoding (for example --encoding GB18030) or add a .cpg file naming the encoding"
    )
    note = f"no .cpg file; encoding {cjk} detected (the header's {label} does not fit the text)"
    return ShapefileEncoding(cjk, (note,), (warning,))
