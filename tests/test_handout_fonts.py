"""Client handouts print every character: no simplified Chinese as boxes (issue 9, item 11).

The Chinese handout once printed 永住⊠可申⊠ (许, 请 … are not in the Japanese IPAex fonts) and the tests
passed, because the text extracted from the PDF still reads Chinese: LibreOffice draws every missing
character with one box glyph, names it after the first of them in the ToUnicode map and says in /ActualText
which character each box stands for. So these tests read the fonts embedded in the PDF: for every character
drawn, the glyph the font program holds for its code must be a real one, not the .notdef box. The box is
copied into the subset under a new glyph id, so "not glyph 0" is not enough: a glyph whose outline is the
.notdef outline is a box too.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from tests.conftest import EXAMPLES, needs_libreoffice

SIMPLIFIED = "许请证书"  # 永住许可申请书, 证明书 …: none of them is in IPAex
ZH_HANDOUT = ("checklist", "keiei_kanri", "--date", "2027-02-10", "--lang", "zh")  # the handout of the report


# ---------------------------------------------------------------- reading the embedded fonts


class UnreadableFont(AssertionError):
    """A font format these checks do not read: fail loudly rather than pass without looking."""


def _to_unicode(font: pikepdf.Dictionary) -> dict[int, str]:
    if "/ToUnicode" not in font:
        raise UnreadableFont(f"{font.get('/BaseFont')} has no ToUnicode map, so its text cannot be checked")
    cmap = font.ToUnicode.read_bytes().decode("latin-1")
    out: dict[int, str] = {}

    def text(hexa: str) -> str:
        return bytes.fromhex(hexa).decode("utf-16-be")

    for block in re.findall(r"beginbfchar(.*?)endbfchar", cmap, re.S):
        for code, uni in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>", block):
            out[int(code, 16)] = text(uni)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dest in re.findall(r"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*(<[0-9A-Fa-f]*>|\[[^\]]*\])", block):
            codes = range(int(lo, 16), int(hi, 16) + 1)
            if dest.startswith("["):
                out.update(zip(codes, map(text, re.findall(r"<([0-9A-Fa-f]*)>", dest)), strict=False))
            else:
                first = int(dest[1:-1], 16)
                out.update((c, chr(first + c - codes.start)) for c in codes)
    return out


def _sfnt_tables(data: bytes) -> dict[str, bytes]:
    count = struct.unpack(">H", data[4:6])[0]
    tables = {}
    for i in range(count):
        tag, _, offset, length = struct.unpack(">4sIII", data[12 + 16 * i : 28 + 16 * i])
        tables[tag.decode("latin-1")] = data[offset : offset + length]
    return tables


def _sfnt_cmaps(cmap: bytes) -> dict[tuple[int, int], dict[int, int]]:
    """(platform, encoding) -> {code: glyph id}, for the subtable formats 0, 4, 6 and 12."""
    out: dict[tuple[int, int], dict[int, int]] = {}
    for i in range(struct.unpack(">H", cmap[2:4])[0]):
        platform, encoding, o = struct.unpack(">HHI", cmap[4 + 8 * i : 12 + 8 * i])
        fmt = struct.unpack(">H", cmap[o : o + 2])[0]
        m: dict[int, int] = {}
        if fmt == 0:
            m = dict(enumerate(cmap[o + 6 : o + 262]))
        elif fmt == 4:
            n2 = struct.unpack(">H", cmap[o + 6 : o + 8])[0]
            n = n2 // 2
            ends = struct.unpack(f">{n}H", cmap[o + 14 : o + 14 + n2])
            starts = struct.unpack(f">{n}H", cmap[o + 16 + n2 : o + 16 + 2 * n2])
            deltas = struct.unpack(f">{n}h", cmap[o + 16 + 2 * n2 : o + 16 + 3 * n2])
            range_at = o + 16 + 3 * n2
            ranges = struct.unpack(f">{n}H", cmap[range_at : range_at + n2])
            for k in range(n):
                for c in range(starts[k], min(ends[k], 0xFFFE) + 1):
                    if ranges[k] == 0:
                        m[c] = (c + deltas[k]) & 0xFFFF
                    else:
                        at = range_at + 2 * k + ranges[k] + 2 * (c - starts[k])
                        g = struct.unpack(">H", cmap[at : at + 2])[0]
                        m[c] = (g + deltas[k]) & 0xFFFF if g else 0
        elif fmt == 6:
            first, count = struct.unpack(">HH", cmap[o + 6 : o + 10])
            m = {first + k: g for k, g in enumerate(struct.unpack(f">{count}H", cmap[o + 10 : o + 10 + 2 * count]))}
        elif fmt == 12:
            for k in range(struct.unpack(">I", cmap[o + 12 : o + 16])[0]):
                lo, hi, g = struct.unpack(">III", cmap[o + 16 + 12 * k : o + 28 + 12 * k])
                m.update((c, g + c - lo) for c in range(lo, hi + 1))
        else:
            continue
        out[(platform, encoding)] = m
    return out


class _TrueTypeGlyphs:
    """Glyph outlines of an embedded TrueType program (FontFile2)."""

    def __init__(self, data: bytes) -> None:
        t = _sfnt_tables(data)
        count = struct.unpack(">H", t["maxp"][4:6])[0]
        short = struct.unpack(">h", t["head"][50:52])[0] == 0
        loca = (
            [2 * v for v in struct.unpack(f">{count + 1}H", t["loca"][: 2 * (count + 1)])]
            if short
            else list(struct.unpack(f">{count + 1}I", t["loca"][: 4 * (count + 1)]))
        )
        self.outlines = [t["glyf"][loca[g] : loca[g + 1]] for g in range(count)]
        self.cmaps = _sfnt_cmaps(t["cmap"])

    def real(self, gid: int | None) -> bool:
        """Drawn with ink of its own: not glyph 0, not empty, not a copy of the .notdef box."""
        return gid is not None and 0 < gid < len(self.outlines) and self.outlines[gid] not in (b"", self.outlines[0])


def _eexec(data: bytes, key: int, skip: int) -> bytes:
    out = bytearray()
    for byte in data:
        out.append(byte ^ (key >> 8))
        key = ((byte + key) * 52845 + 22719) & 0xFFFF
    return bytes(out[skip:])


def _type1_glyphs(font: pikepdf.Dictionary) -> dict[int, bool]:
    """Code -> real glyph, for an embedded Type 1 program (FontFile; LibreOffice writes CFF fonts this way)."""
    stream = font.FontDescriptor.FontFile
    data = stream.read_bytes()
    clear_len, crypt_len = int(stream.Length1), int(stream.Length2)
    clear = data[:clear_len].decode("latin-1")
    encoding = {int(code): name for code, name in re.findall(r"dup (\d+) */([^\s/]+) put", clear)}
    if "/Encoding" in font and "/Differences" in font.Encoding:
        code = 0
        for entry in font.Encoding.Differences:
            if isinstance(entry, pikepdf.Name):
                encoding[code] = str(entry)[1:]
                code += 1
            else:
                code = int(entry)
    if not encoding:
        raise UnreadableFont(f"{font.BaseFont}: a Type 1 font without its own encoding")
    crypt = data[clear_len : clear_len + crypt_len]
    if re.fullmatch(rb"[0-9A-Fa-f\s]+", crypt[:64]):
        crypt = bytes.fromhex(re.sub(rb"\s", b"", crypt).decode())
    private = _eexec(crypt, 55665, 4)
    len_iv = int(m.group(1)) if (m := re.search(rb"/lenIV\s+(-?\d+)", private)) else 4
    pos = private.index(b"/CharStrings")
    entry = re.compile(rb"/([^\s/\[\]{}()<>]+)\s+(\d+)\s+(?:RD|-\|)\s")
    charstrings: dict[str, bytes] = {}
    while m := entry.search(private, pos):
        start = m.end()
        raw = private[start : start + int(m.group(2))]
        charstrings[m.group(1).decode("latin-1")] = raw if len_iv < 0 else _eexec(raw, 4330, len_iv)
        pos = start + int(m.group(2))
    box = charstrings.get(".notdef")
    return {
        code: name != ".notdef" and name in charstrings and charstrings[name] != box for code, name in encoding.items()
    }


@dataclass(frozen=True)
class Drawn:
    text: str  # what was drawn, by the ToUnicode map or an /ActualText span
    font: str  # BaseFont, e.g. CAAAAA+NotoSerifCJKjp-Regular
    real: bool  # the glyph is a real one (not the .notdef box)


class _Font:
    def __init__(self, font: pikepdf.Dictionary) -> None:
        self.name = str(font.get("/BaseFont", "?"))[1:]
        self.to_unicode = _to_unicode(font)
        subtype = font.Subtype
        self.two_bytes = subtype == "/Type0"
        if subtype == "/TrueType" and "/FontFile2" in font.FontDescriptor:
            program = _TrueTypeGlyphs(font.FontDescriptor.FontFile2.read_bytes())
            symbolic = program.cmaps.get((3, 0)) or {}
            mac = program.cmaps.get((1, 0)) or {}
            self.real = lambda code: program.real(symbolic.get(code, symbolic.get(0xF000 + code, mac.get(code))))
        elif subtype == "/Type1" and "/FontFile" in font.FontDescriptor:
            glyphs = _type1_glyphs(font)
            self.real = lambda code: glyphs.get(code, False)
        elif self.two_bytes and font.DescendantFonts[0].Subtype == "/CIDFontType2":
            cid_font = font.DescendantFonts[0]
            if "/FontFile2" not in cid_font.FontDescriptor or str(font.get("/Encoding")) != "/Identity-H":
                raise UnreadableFont(f"{self.name}: a CID font these checks do not read")
            program = _TrueTypeGlyphs(cid_font.FontDescriptor.FontFile2.read_bytes())
            cid_map = cid_font.get("/CIDToGIDMap", pikepdf.Name.Identity)
            gids = (
                None
                if isinstance(cid_map, pikepdf.Name)
                else struct.unpack(f">{len(cid_map.read_bytes()) // 2}H", cid_map.read_bytes())
            )
            self.real = lambda cid: program.real(cid if gids is None else (gids[cid] if cid < len(gids) else 0))
        else:
            raise UnreadableFont(f"{self.name}: font type {subtype} is not read by these checks")

    def codes(self, shown: bytes) -> list[int]:
        if self.two_bytes:
            return [int.from_bytes(shown[i : i + 2], "big") for i in range(0, len(shown) - 1, 2)]
        return list(shown)


def drawn_characters(pdf_path: Path) -> list[Drawn]:
    """Every code shown on every page (text operators, also inside form XObjects), with its font and glyph.

    Text inside a marked-content span with /ActualText is that text: LibreOffice draws every character a
    font lacks with one shared box code (its ToUnicode entry names only the first such character, 请) and
    says which character each box stands for in an ActualText span.
    """
    out: list[Drawn] = []
    with pikepdf.open(pdf_path) as pdf:
        fonts: dict[tuple[int, int], _Font] = {}

        def font_of(resources: pikepdf.Dictionary, name: pikepdf.Name) -> _Font:
            obj = resources.Font[name]
            key = obj.objgen if obj.is_indirect else (id(obj), 0)
            if key not in fonts:
                fonts[key] = _Font(obj)
            return fonts[key]

        def walk(content: pikepdf.Object, resources: pikepdf.Dictionary) -> None:
            font: _Font | None = None
            saved: list[_Font | None] = []
            marked: list[str | None] = []  # the ActualText of each open marked-content sequence
            span: list[Drawn] = []  # what is drawn inside the outermost ActualText span
            for operands, operator in pikepdf.parse_content_stream(content):
                op = str(operator)
                if op == "q":
                    saved.append(font)
                elif op == "Q" and saved:
                    font = saved.pop()
                elif op == "Tf":
                    font = font_of(resources, operands[0])
                elif op in ("BMC", "BDC"):
                    props = operands[1] if op == "BDC" else None
                    if isinstance(props, pikepdf.Name):
                        props = resources.Properties[props]
                    actual = props.get("/ActualText") if isinstance(props, pikepdf.Dictionary) else None
                    marked.append(str(actual) if actual is not None else None)
                elif op == "EMC" and marked:
                    actual = marked.pop()
                    if actual is not None and not any(m is not None for m in marked):
                        fonts_used = ", ".join(sorted({d.font for d in span}))
                        out.append(Drawn(actual, fonts_used, bool(span) and all(d.real for d in span)))
                        span = []
                elif op in ("Tj", "'", '"', "TJ"):
                    assert font is not None, "text shown before a font was set"
                    shown = operands[-1]
                    strings = [s for s in shown if isinstance(s, pikepdf.String)] if op == "TJ" else [shown]
                    for string in strings:
                        for code in font.codes(bytes(string)):
                            drawn = Drawn(font.to_unicode.get(code, ""), font.name, font.real(code))
                            (span if any(m is not None for m in marked) else out).append(drawn)
                elif op == "Do":
                    xobject = resources.XObject[operands[0]]
                    if xobject.Subtype == "/Form":
                        walk(xobject, xobject.get("/Resources", resources))

        for page in pdf.pages:
            walk(page.obj, page.Resources)
    return out


def boxes(drawn: list[Drawn]) -> str:
    """The visible characters printed as the .notdef box."""
    return "".join(sorted({c for d in drawn if not d.real for c in d.text if not c.isspace()}))


def _han(c: str) -> bool:
    return unicodedata.name(c, "").startswith("CJK UNIFIED IDEOGRAPH")


def assert_every_character_prints(pdf: Path) -> tuple[str, set[str]]:
    """All visible characters drawn, and all of the extracted text, have real glyphs.

    Returns the extracted text (pypdf) and the characters printed."""
    drawn = drawn_characters(pdf)
    assert drawn, "no text drawn"
    assert not boxes(drawn), f"printed as boxes (.notdef): {boxes(drawn)}"
    printed = {c for d in drawn if d.real for c in d.text}
    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    unprinted = {c for c in text if not c.isspace()} - printed
    assert not unprinted, f"in the text but drawn with no glyph: {''.join(sorted(unprinted))}"
    return text, printed


# ---------------------------------------------------------------- the handouts


def docgen(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line, as staff run it."""
    return subprocess.run(
        [sys.executable, "-m", "docgen", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
    )


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_chinese_handout_prints_every_character_in_a_chinese_font(tmp_path):
    out = docgen(*ZH_HANDOUT, "--format", "pdf", "--out", "zh.pdf", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    text, printed = assert_every_character_prints(tmp_path / "zh.pdf")
    assert set(SIMPLIFIED) <= printed
    assert all(c in text for c in SIMPLIFIED)
    assert "永住许可申请" in text  # in reading order: search and copy in the PDF work
    # Set in Noto CJK SC (docgen/fonts/fonts.conf), not in the Japanese IPAex with borrowed glyphs for what it
    # lacks: shared characters (令, 关 …) get their Chinese forms too. (The embedded name reads NotoSerifCJKjp for
    # every region: the Noto CJK collection shares one CFF program, and the SC face's cmap picks the glyphs.)
    han_fonts = {d.font for d in drawn_characters(tmp_path / "zh.pdf") if any(map(_han, d.text))}
    assert han_fonts and not [f for f in han_fonts if "NotoSerifCJK" not in f and "NotoSansCJK" not in f], han_fonts


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_english_handout_prints_a_name_in_simplified_chinese(tmp_path):
    """The English handout stays in the Japanese fonts (its 令和 年度 are Japanese); a client's kanji name in
    simplified Chinese falls back to Noto CJK, which converting it therefore requires."""
    profile = tmp_path / "case.yaml"
    source = (EXAMPLES / "hsp-points-80.yaml").read_text(encoding="utf-8")
    assert "name_kanji: 陳 玲" in source
    profile.write_text(source.replace("name_kanji: 陳 玲", "name_kanji: 陈 晓玲"), encoding="utf-8")
    out = docgen(
        "checklist",
        "hsp_points_80",
        "--profile",
        str(profile),
        "--lang",
        "en",
        "--format",
        "pdf",
        "--out",
        "en.pdf",
        cwd=tmp_path,
    )
    assert out.returncode == 0, out.stderr
    text, printed = assert_every_character_prints(tmp_path / "en.pdf")
    assert set("陈晓玲") <= printed and "documents to collect" in text  # pypdf reorders the name across fonts
    noto = {d.font for d in drawn_characters(tmp_path / "en.pdf") if d.text in ("陈", "晓")}
    assert noto and all("CJK" in f for f in noto), noto  # IPAex lacks them


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_japanese_handout_keeps_the_ipaex_fonts(tmp_path):
    out = docgen("checklist", "keiei_kanri", "--date", "2027-02-10", "--format", "pdf", "--out", "ja.pdf", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert_every_character_prints(tmp_path / "ja.pdf")
    fonts = {re.sub(r"^[A-Z]{6}\+", "", d.font) for d in drawn_characters(tmp_path / "ja.pdf")}
    assert fonts == {"IPAexMincho", "IPAexGothic"}


@needs_libreoffice()
@pytest.mark.libreoffice
def test_the_glyph_check_sees_the_boxes_of_issue_9(tmp_path):
    """The check above would pass on anything if it could not see a box: convert the Chinese handout where
    only the IPAex fonts exist (the office PC of the report) and expect the boxes it printed."""
    out = docgen(*ZH_HANDOUT, "--format", "docx", "--out", "zh.docx", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    from docgen.pdf.convert import soffice_path
    from docgen.resources import FONTS_CONF

    only_ipaex = tmp_path / "only-ipaex.conf"
    only_ipaex.write_text(
        f"""<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
        <include>{FONTS_CONF}</include>
        <selectfont><acceptfont><glob>*ipaex*</glob><glob>*fonts-japanese-*</glob></acceptfont>
        <rejectfont><glob>*.tt?</glob><glob>*.otf</glob><glob>*.otc</glob><glob>*.pf?</glob></rejectfont></selectfont>
        </fontconfig>""",
        encoding="utf-8",
    )
    profile = tmp_path / "lo-profile"
    subprocess.run(
        [
            soffice_path(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(tmp_path / "zh.docx"),
        ],
        env={**os.environ, "HOME": str(profile), "FONTCONFIG_FILE": str(only_ipaex)},
        capture_output=True,
        timeout=180,
        check=True,
    )
    drawn = drawn_characters(tmp_path / "zh.pdf")
    assert {re.sub(r"^[A-Z]{6}\+", "", d.font) for d in drawn} <= {"IPAexMincho", "IPAexGothic"}
    assert set(SIMPLIFIED) <= set(boxes(drawn))
    assert "申" not in boxes(drawn)  # in IPAex: printed
    with pytest.raises(AssertionError, match="boxes"):
        assert_every_character_prints(tmp_path / "zh.pdf")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="fontconfig is not installed")
def test_without_noto_cjk_a_chinese_handout_is_a_clear_error_not_boxes(tmp_path, monkeypatch):
    no_noto = tmp_path / "no-noto.conf"
    no_noto.write_text(
        """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
        <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
        <selectfont><rejectfont>
          <pattern><patelt name="family"><string>Noto Sans CJK SC</string></patelt></pattern>
          <pattern><patelt name="family"><string>Noto Serif CJK SC</string></patelt></pattern>
        </rejectfont></selectfont></fontconfig>""",
        encoding="utf-8",
    )
    env = {"FONTCONFIG_FILE": str(no_noto)}  # what fc-list sees: the check runs before LibreOffice starts
    out = docgen(*ZH_HANDOUT, "--format", "pdf", "--out", "zh.pdf", cwd=tmp_path, env=env)
    assert out.returncode != 0 and "Traceback" not in out.stderr
    assert "Noto Serif CJK SC" in out.stderr and "sudo apt-get install fonts-noto-cjk" in out.stderr, out.stderr
    assert not (tmp_path / "zh.pdf").exists()

    from docgen.packet.handout import HANDOUT_FONTS
    from docgen.pdf.convert import ConversionError, check_fonts

    monkeypatch.setenv("FONTCONFIG_FILE", str(no_noto))
    check_fonts(HANDOUT_FONTS["ja"])  # Japanese handouts and documents do not need Noto CJK
    check_fonts()
    with pytest.raises(ConversionError, match="simplified Chinese"):
        check_fonts(HANDOUT_FONTS["en"])
