"""The transcript PDF (fpdf2).

Korean text needs a TrueType font with Hangul. PyPI ships no maintained one,
so the font comes from the system: INTERVIEWD_REPORT_FONT_PATH, else Nanum
Gothic (Debian's fonts-nanum), else DejaVu Sans (Latin, Greek, Cyrillic),
else the PDF core font Helvetica, which can show Latin-1 only (other
characters become "?")."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothic.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
)
CODE_FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/nanum/NanumGothicCoding.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf",
)

# A document is a list of (kind, text) blocks.
KINDS = ("h1", "h2", "h3", "p", "li", "code", "small", "rule")


@lru_cache(maxsize=8)
def find_font(configured: str | None, candidates: tuple[str, ...] = FONT_CANDIDATES) -> str | None:
    for path in ((configured,) if configured else ()) + candidates:
        if path and Path(path).is_file():
            return path
    return None


def render(blocks: list[tuple[str, str]], *, title: str, font_path: str | None = None) -> bytes:
    """Lay the blocks out on A4 pages; returns the PDF's bytes."""
    from fpdf import FPDF
    from fpdf.enums import WrapMode, XPos, YPos

    body_font = find_font(font_path, FONT_CANDIDATES)
    code_font = find_font(None, CODE_FONT_CANDIDATES) if body_font else None
    pdf = FPDF(format="A4")
    pdf.set_title(title)
    pdf.set_creator("interviewd")
    pdf.set_auto_page_break(auto=True, margin=15)
    if body_font:
        pdf.add_font("Body", fname=body_font)
        family = "Body"
        if code_font:
            pdf.add_font("Code", fname=code_font)
        code_family = "Code" if code_font else family
    else:
        family, code_family = "Helvetica", "Courier"
    pdf.add_page()

    def text_of(value: str) -> str:
        value = value.replace("\t", "    ").replace("\r\n", "\n")
        return value if body_font else value.encode("latin-1", "replace").decode("latin-1")

    styles = {"h1": (family, 18, 9), "h2": (family, 14, 8), "h3": (family, 12, 7), "p": (family, 10.5, 5.5),
              "li": (family, 10.5, 5.5), "code": (code_family, 9, 4.6), "small": (family, 8.5, 4.5)}
    for kind, value in blocks:
        if kind == "rule":
            pdf.ln(2)
            y = pdf.get_y()
            pdf.line(pdf.l_margin, y, pdf.w - pdf.r_margin, y)
            pdf.ln(3)
            continue
        font, size, height = styles.get(kind, styles["p"])
        pdf.set_font(font, size=size)
        if kind in ("h1", "h2"):
            pdf.ln(2)
        text = text_of(("• " if body_font else "- ") + value if kind == "li" else value)
        if kind == "small":
            pdf.set_text_color(90, 90, 90)
        pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)
        pdf.set_text_color(0, 0, 0)
        if kind in ("p", "code", "h3"):
            pdf.ln(1.5)
    return bytes(pdf.output())
