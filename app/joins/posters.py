"""One printable poster per village: its name, its group's name, the Official Account's parametric QR
and how to post a note. Pure rendering (Pillow + segno), no database and no network.

The QR is drawn from qrcode/create's `url` (MP-qrcode: the text the official image encodes), so the
poster needs no download. Chinese text is set in Noto Sans SC, shipped on PyPI by
`pylopdf-fonts-zh-cn` (SIL OFL), because a fresh machine may have no CJK font at all.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import segno
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont
from pylopdf_fonts_zh_cn import sans_path

# A4 portrait at 150 dpi: sharp enough for print, small enough for a 400-village batch.
PAGE = (1240, 1754)
DPI = 150
MARGIN = 90
ACCENT = (196, 30, 36)
INK = (34, 34, 34)
GREY = (96, 96, 96)
WHITE = (255, 255, 255)
QR_SIZE = 760


@dataclass(frozen=True)
class PosterText:
    village_name: str
    group_name: str
    township_name: str
    district_name: str


HEADLINE = "微信扫一扫 · 加入村里的求职群"
AFTER_SCAN = "关注后，村求职群的入群二维码会发给您"
HOW_TO_POST = "找活儿发一句话：技能 + 意向 + 联系方式"
EXAMPLE = "例：会开叉车 想在县城找仓库的活 电话138xxxx5678"


@lru_cache(maxsize=8)
def font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(sans_path()), size)


def render_poster(text: PosterText, qr_url: str) -> Image.Image:
    """The poster as an image in palette mode (few colours: small, lossless PNG and PDF pages)."""
    page = Image.new("RGB", PAGE, WHITE)
    draw = ImageDraw.Draw(page)
    width = PAGE[0]
    draw.rectangle((0, 0, width, 300), fill=ACCENT)
    y = _centered(draw, text.village_name, 60, size=_fit(draw, text.village_name, 110, width - 2 * MARGIN), fill=WHITE)
    _centered(draw, text.group_name, y + 30, size=_fit(draw, text.group_name, 56, width - 2 * MARGIN), fill=WHITE)
    y = _centered(draw, HEADLINE, 350, size=54, fill=INK)
    qr_top = y + 40
    page.paste(_qr_image(qr_url), ((width - QR_SIZE) // 2, qr_top))
    y = _centered(draw, AFTER_SCAN, qr_top + QR_SIZE + 30, size=40, fill=INK)
    draw.line((MARGIN, y + 40, width - MARGIN, y + 40), fill=ACCENT, width=4)
    y = _centered(draw, HOW_TO_POST, y + 80, size=46, fill=ACCENT)
    y = _centered(draw, EXAMPLE, y + 24, size=_fit(draw, EXAMPLE, 36, width - 2 * MARGIN), fill=GREY)
    footer = f"{text.district_name}人社局 · {text.township_name}"
    _centered(draw, footer, PAGE[1] - 110, size=34, fill=GREY)
    # Mapping to a fixed palette is ~10x faster than an adaptive quantize, and just as exact here.
    return page.quantize(palette=_palette(), dither=Image.Dither.NONE)


@lru_cache(maxsize=1)
def _palette() -> Image.Image:
    """White-to-colour ramps of every colour used: the antialiased edges of text land on them."""
    colours: list[tuple[int, int, int]] = []
    for colour in (INK, GREY, ACCENT, (0, 0, 0)):
        for step in range(9):
            colours.append(tuple(round(w + (c - w) * step / 8) for w, c in zip(WHITE, colour, strict=True)))  # type: ignore[misc]
    flat = [v for colour in dict.fromkeys(colours) for v in colour]
    palette = Image.new("P", (1, 1))
    palette.putpalette(flat + flat[:3] * (256 - len(flat) // 3))
    return palette


def _qr_image(url: str) -> Image.Image:
    """The QR at QR_SIZE pixels, whole modules only (no resampling blur), with its quiet zone."""
    rows = list(segno.make(url, error="m").matrix_iter(scale=1, border=4))
    modules = len(rows)
    matrix = Image.new("L", (modules, modules))
    matrix.putdata([0 if dark else 255 for row in rows for dark in row])
    scale = max(1, QR_SIZE // modules)
    image = matrix.resize((modules * scale, modules * scale), Image.Resampling.NEAREST).convert("RGB")
    canvas = Image.new("RGB", (QR_SIZE, QR_SIZE), WHITE)
    canvas.paste(image, ((QR_SIZE - image.width) // 2, (QR_SIZE - image.height) // 2))
    return canvas


def _fit(draw: ImageDraw.ImageDraw, line: str, size: int, max_width: int) -> int:
    """The largest size ≤ `size` at which `line` fits (long village or group names shrink)."""
    while size > 20 and draw.textlength(line, font=font(size)) > max_width:
        size -= 4
    return size


def _centered(draw: ImageDraw.ImageDraw, line: str, top: int, *, size: int, fill: tuple[int, int, int]) -> int:
    """Draw one centred line; return its bottom edge."""
    face = font(size)
    left, upper, right, lower = draw.textbbox((0, 0), line, font=face)
    draw.text(((PAGE[0] - (right - left)) // 2 - left, top - upper), line, font=face, fill=fill)
    return top + (lower - upper)


class PdfBatch:
    """One A4 page per poster. fpdf2 keeps each page's PNG losslessly (Flate), so the QRs stay
    crisp and a page weighs what its PNG does (Pillow's own PDF writer stores palette pages raw)."""

    def __init__(self) -> None:
        self.pdf = FPDF(unit="pt", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pages = 0

    def add(self, png: bytes) -> None:
        self.pdf.add_page()
        self.pdf.image(io.BytesIO(png), x=0, y=0, w=self.pdf.w, h=self.pdf.h)
        self.pages += 1

    def save(self, path: Path) -> None:
        self.pdf.output(str(path))


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(DPI, DPI))
    return buffer.getvalue()
