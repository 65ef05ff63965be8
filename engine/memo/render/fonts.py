"""Font files for the PDF memo and the charts: the faces a government PC has when this machine has
them, the bundled Noto faces otherwise, and small per-memo fonts built from them.

Roles follow the 公文 conventions: ``body`` 仿宋, ``heading`` 黑体, ``kai`` 楷体 (（一） headings),
``title`` 方正小标宋, ``latin``/``latin_bold`` the Times-like face for Latin text, ``mono`` for
code. Each role lists the family names to look for (through ``fc-list`` where fontconfig exists,
and the usual Windows and macOS font folders otherwise), then a fallback that always exists:
Noto Serif SC and Noto Sans SC from ``pylopdf-fonts-zh-cn``, STIX and DejaVu Sans Mono from
matplotlib's own data. A role that falls back to a face without a bold weight is drawn with a
thin outline instead (``synthetic_bold``), as Word does for 仿宋.

A CJK font is 8-27 MB; parsing one with fontTools costs a second or more, and fpdf2 parses every
font it is given and subsets it again when it writes the file. So each render hands fpdf2 small
TrueType fonts of the characters the memo uses (:func:`truetype`), drawn from the full face by
HarfBuzz (the file is memory-mapped once per process, each glyph converted once).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import shutil
import subprocess
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class FontFile:
    """A face inside a font file (``index`` picks one out of a .ttc collection)."""

    path: Path
    index: int = 0
    synthetic_bold: bool = False  # draw with a thin outline: the face stands in for a bold one


_REGULAR = ("regular", "normal", "book", "roman", "常规", "标准")
_BOLD = ("bold", "粗体", "black", "heavy")

# Family names as fontconfig reports them (any of the localised names matches).
_FAMILIES: dict[str, tuple[str, ...]] = {
    "body": ("仿宋_GB2312", "FangSong_GB2312", "仿宋", "FangSong", "STFangsong", "华文仿宋", "方正仿宋_GBK"),
    "heading": ("黑体", "SimHei", "方正黑体_GBK", "STHeiti", "Heiti SC"),
    "kai": (
        "楷体_GB2312",
        "KaiTi_GB2312",
        "楷体",
        "KaiTi",
        "STKaiti",
        "华文楷体",
        "方正楷体_GBK",
        "AR PL UKai CN",
    ),
    "title": ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "FZXiaoBiaoSong-B05"),
    "title_bold": ("Noto Serif CJK SC", "Source Han Serif SC", "思源宋体"),
    "latin": ("Times New Roman", "Liberation Serif", "TeX Gyre Termes", "Nimbus Roman", "Nimbus Roman No9 L"),
    "mono": ("Consolas", "Courier New", "Liberation Mono", "DejaVu Sans Mono"),
}
# Where Windows and macOS keep the same faces (no fontconfig there).
_FILES: dict[str, tuple[str, ...]] = {
    "body": ("simfang.ttf", "FangSong_GB2312.ttf", "STFANGSO.TTF", "Songti.ttc"),
    "heading": ("simhei.ttf", "STHeiti Medium.ttc"),
    "kai": ("simkai.ttf", "KaiTi_GB2312.ttf", "STKAITI.TTF", "Kaiti.ttc"),
    "title": ("FZXBSJW.TTF", "方正小标宋简体.ttf"),
    "latin": ("times.ttf", "Times New Roman.ttf"),
    "latin_bold": ("timesbd.ttf", "Times New Roman Bold.ttf"),
    "mono": ("consola.ttf", "cour.ttf", "Courier New.ttf"),
}
_FOLDERS = (
    Path(os.environ.get("WINDIR", "C:/Windows")) / "Fonts",
    Path.home() / "AppData/Local/Microsoft/Windows/Fonts",
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path("/System/Library/Fonts/Supplemental"),
    Path.home() / "Library/Fonts",
)


@functools.cache
def bundled() -> tuple[Path, Path]:
    """(Noto Serif SC, Noto Sans SC) as shipped by ``pylopdf-fonts-zh-cn``."""
    import pylopdf_fonts_zh_cn as fonts

    serif, sans = Path(fonts.serif_path()), Path(fonts.sans_path())
    for path in (serif, sans):
        if not path.is_file():
            raise FileNotFoundError(f"the CJK font {path} is missing; reinstall pylopdf-fonts-zh-cn")
    return serif, sans


def _matplotlib_font(name: str) -> Path | None:
    """A font file from matplotlib's data folder, found without importing matplotlib."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        path = Path(folder) / "mpl-data" / "fonts" / "ttf" / name
        if path.is_file():
            return path
    return None


@functools.cache
def _fontconfig() -> dict[str, list[tuple[str, Path, int]]]:
    """Installed faces by lower-cased family name: (style, file, index in the collection)."""
    found: dict[str, list[tuple[str, Path, int]]] = {}
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return found
    try:
        listing = subprocess.run(
            [fc_list, "--format", "%{family}\t%{style}\t%{file}\t%{index}\n"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return found
    for line in listing.splitlines():
        parts = line.split("\t")
        if len(parts) != 4:
            continue
        families, style, file, index = parts
        path = Path(file)
        if path.suffix.lower() not in (".ttf", ".otf", ".ttc", ".otc"):
            continue
        for family in families.split(","):
            found.setdefault(family.strip().lower(), []).append(
                (style.lower(), path, int(index) if index.isdigit() else 0)
            )
    return found


def _installed(families: Iterable[str], *, bold: bool) -> FontFile | None:
    faces = _fontconfig()
    for family in families:
        upright = []
        for style, path, index in faces.get(family.lower(), []):
            if any(word in style for word in ("italic", "oblique", "斜")):
                continue
            if any(word in style for word in _BOLD) == bold:
                upright.append((style, path, index))
        # "Regular" before "Light" or "SemiBold" when a family has several weights
        upright.sort(key=lambda face: not any(s.strip() in _REGULAR + _BOLD for s in face[0].split(",")))
        if upright:
            _, path, index = upright[0]
            return FontFile(path, index)
    return None


def _in_folders(names: Iterable[str]) -> FontFile | None:
    for name in names:
        for folder in _FOLDERS:
            path = folder / name
            if path.is_file():
                return FontFile(path)
    return None


@functools.cache
def face(role: str) -> FontFile:
    """The font for one role (see the module docstring); always returns a file that exists."""
    if role == "latin_bold":
        return (
            _installed(_FAMILIES["latin"], bold=True)
            or _in_folders(_FILES["latin_bold"])
            or _mpl("STIXGeneralBol.ttf")
            or FontFile(bundled()[0], synthetic_bold=True)
        )
    if role == "title":
        found = _installed(_FAMILIES["title"], bold=False) or _in_folders(_FILES["title"])
        return (
            found
            or _installed(_FAMILIES["title_bold"], bold=True)
            or FontFile(bundled()[0], synthetic_bold=True)
        )
    if role in ("body", "heading", "kai", "latin", "mono"):
        found = _installed(_FAMILIES[role], bold=False) or _in_folders(_FILES[role])
        if found is not None:
            return found
    serif, sans = bundled()
    fallbacks = {
        "body": FontFile(serif),
        "heading": FontFile(sans),
        "kai": FontFile(serif, synthetic_bold=True),  # a heavier 宋 sets （一） headings apart
        "latin": _mpl("STIXGeneral.ttf") or FontFile(serif),
        "mono": _mpl("DejaVuSansMono.ttf") or FontFile(sans),
    }
    if role not in fallbacks:
        raise ValueError(f"unknown font role {role!r}")
    return fallbacks[role]


def _mpl(name: str) -> FontFile | None:
    path = _matplotlib_font(name)
    return FontFile(path) if path is not None else None


def chart_font() -> Path:
    """The face chart labels are drawn in: Noto Sans SC (CJK and Latin in one sans face)."""
    return bundled()[1]


# ------------------------------------------------------------------------------ small fonts


@functools.lru_cache(maxsize=16)
def _hb_font(path: Path, index: int):  # type: ignore[no-untyped-def]
    import uharfbuzz as hb

    return hb.Font(hb.Face(hb.Blob.from_file_path(str(path)), index))


@functools.lru_cache(maxsize=16)
def coverage(font: FontFile) -> frozenset[int]:
    """The code points the face has glyphs for."""
    return frozenset(_hb_font(font.path, font.index).face.unicodes)


@functools.lru_cache(maxsize=65536)
def advance(font: FontFile, code: int) -> float:
    """A character's advance width in ems (that of .notdef when the face lacks it)."""
    hb_font = _hb_font(font.path, font.index)
    return float(hb_font.get_glyph_h_advance(hb_font.get_nominal_glyph(code) or 0)) / hb_font.face.upem


@dataclass(frozen=True)
class _Glyph:
    data: bytes  # a compiled TrueType glyph
    advance: int
    bounds: tuple[int, int, int, int]  # xMin, yMin, xMax, yMax; all 0 for a blank


_GLYPHS: dict[tuple[FontFile, int], _Glyph] = {}
_GLYPH_LIMIT = 40_000  # about 40 MB: forget them all rather than grow without bound
_LOCK = threading.Lock()


def _glyph(font: FontFile, code: int) -> _Glyph:
    """One character's outline as a TrueType glyph, drawn by HarfBuzz (cached for the process)."""
    key = (font, code)
    found = _GLYPHS.get(key)
    if found is not None:
        return found
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    hb_font = _hb_font(font.path, font.index)
    gid = hb_font.get_nominal_glyph(code) or 0
    pen = TTGlyphPen(None)
    hb_font.draw_glyph_with_pen(gid, Cu2QuPen(pen, max_err=0.5, reverse_direction=True))
    glyph = pen.glyph()
    glyph.recalcBounds(None)  # a simple glyph: the glyf table is not needed
    bounds = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax) if glyph.numberOfContours > 0 else (0, 0, 0, 0)
    found = _Glyph(glyph.compile(None, recalcBBoxes=False), hb_font.get_glyph_h_advance(gid), bounds)
    if len(_GLYPHS) >= _GLYPH_LIMIT:
        _GLYPHS.clear()
    _GLYPHS[key] = found
    return found


@functools.lru_cache(maxsize=32)
def truetype(font: FontFile, codepoints: frozenset[int]) -> bytes:
    """A TrueType font holding only ``codepoints`` (those the face has) from any face.

    CJK faces are CFF (Noto) or TrueType (Windows); either way the characters are drawn with
    HarfBuzz and set into a small TrueType font, which fpdf2 embeds quickly: fontTools needs a few
    milliseconds per CFF glyph each time it subsets one, and a memo holds many hundreds of them.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    hb_font = _hb_font(font.path, font.index)
    codes = sorted((codepoints | {0x20}) & coverage(font))
    with _LOCK:
        glyphs = {code: _glyph(font, code) for code in codes}
    names = {code: f"uni{code:04X}" if code <= 0xFFFF else f"u{code:X}" for code in codes}
    order = [".notdef", *names.values()]
    upem = hb_font.face.upem
    extents = hb_font.get_font_extents("ltr")
    builder = FontBuilder(upem, isTTF=True)
    builder.setupGlyphOrder(order)
    builder.setupCharacterMap(names)
    # the glyf table by hand: FontBuilder.setupGlyf expects expanded glyphs, these stay compiled
    builder.font["loca"] = newTable("loca")
    builder.font["glyf"] = glyf = newTable("glyf")
    glyf.glyphs = {".notdef": Glyph(), **{names[c]: Glyph(glyphs[c].data) for c in codes}}
    glyf.glyphOrder = order
    metrics = {
        ".notdef": (upem // 2, 0),
        **{names[c]: (glyphs[c].advance, glyphs[c].bounds[0]) for c in codes},
    }
    builder.setupHorizontalMetrics(metrics)
    builder.setupHorizontalHeader(ascent=extents.ascender, descent=extents.descender)
    family = f"{font.path.stem}-{font.index}"
    builder.setupNameTable({"familyName": family, "styleName": "Regular"})
    builder.setupOS2(
        sTypoAscender=extents.ascender,
        sTypoDescender=extents.descender,
        usWinAscent=extents.ascender,
        usWinDescent=-extents.descender,
        sCapHeight=round(upem * 0.7),
    )
    builder.setupPost()
    drawn = [g.bounds for g in glyphs.values() if g.bounds != (0, 0, 0, 0)] or [(0, 0, 0, 0)]
    head = builder.font["head"]
    head.xMin, head.yMin = min(b[0] for b in drawn), min(b[1] for b in drawn)
    head.xMax, head.yMax = max(b[2] for b in drawn), max(b[3] for b in drawn)
    # each glyph is compiled already: re-measuring would decode and re-encode every one
    builder.font.recalcBBoxes = False
    buffer = io.BytesIO()
    builder.save(buffer)
    return buffer.getvalue()


def describe() -> dict[str, str]:
    """Which file each role uses on this machine (for ``policyrank`` diagnostics and tests)."""
    return {
        role: f"{face(role).path}#{face(role).index}" + (" (outlined)" if face(role).synthetic_bold else "")
        for role in ("body", "heading", "kai", "title", "latin", "latin_bold", "mono")
    }
