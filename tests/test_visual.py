"""Pictures of pages: a headless Chromium screenshot of an HTML page and a PDFium render of a PDF's first page.

The screenshot needs Debian's `chromium`, which `bash scripts/setup --test` installs; without it the test fails,
never skips.
PDF pages are rendered by pypdfium2 (a wheel with PDFium inside, in the test extras), so no system PDF tool is
needed. PNGs are decoded with the standard library (zlib) and numpy, so no imaging package is needed.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import numpy as np
import pytest
from test_pdf import SAMPLE_HTML

from practitioner_survey.report.pdf import html_to_pdf

CHROMIUM = "chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]
WIDTH, HEIGHT = 1200, 1600
BAR = (0x1F, 0x4E, 0x79)  # the bars' fill in SAMPLE_HTML
LINE = (0xC0, 0x00, 0x00)  # the 100 % line


def tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"`{name}` is not installed: `bash scripts/setup --test` installs it (Debian package {name})"
    return path


def render_page(pdf: bytes, resolution: int, page: int = 0) -> np.ndarray:
    """A PDF page drawn by PDFium at `resolution` dots per inch, as a (height, width, 3) RGB uint8 array."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[page].render(scale=resolution / 72, rev_byteorder=True)  # 72 PDF points to the inch
        return np.array(bitmap.to_numpy()[..., :3], dtype=np.uint8)  # a copy: the bitmap's memory goes with it
    finally:
        document.close()


def read_png(path: Path) -> np.ndarray:
    """The pixels of an 8-bit greyscale, RGB or RGBA PNG as a (height, width, channels) uint8 array."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", data[16:29])
    channels = {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    assert depth == 8 and interlace == 0, f"{path}: only 8-bit non-interlaced PNGs are read here"
    idat, pos = bytearray(), 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos : pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8 : pos + 8 + length]
        pos += 12 + length
    stride = width * channels
    raw = np.frombuffer(zlib.decompress(bytes(idat)), dtype=np.uint8).reshape(height, stride + 1)
    pixels = np.zeros((height, stride), dtype=np.uint8)
    previous = np.zeros(stride, dtype=np.uint8)
    for y in range(height):
        kind, line = raw[y, 0], raw[y, 1:]
        if kind == 0:
            row = line.copy()
        elif kind == 1:  # Sub: a running sum along the row, per channel
            row = np.cumsum(line.reshape(width, channels), axis=0, dtype=np.uint64).astype(np.uint8).reshape(stride)
        elif kind == 2:  # Up
            row = line + previous
        else:
            row = _unfilter_sequential(int(kind), line.tobytes(), previous.tobytes(), channels)
        pixels[y] = row
        previous = row
    return pixels.reshape(height, width, channels)


def _unfilter_sequential(kind: int, line: bytes, above: bytes, bpp: int) -> np.ndarray:
    """Average (3) and Paeth (4) filters, byte by byte (rare in these images, so plain Python is quick enough)."""
    out = bytearray(len(line))
    for i, value in enumerate(line):
        left = out[i - bpp] if i >= bpp else 0
        up = above[i]
        if kind == 3:
            out[i] = (value + (left + up) // 2) & 0xFF
            continue
        upper_left = above[i - bpp] if i >= bpp else 0
        estimate = left + up - upper_left
        pa, pb, pc = abs(estimate - left), abs(estimate - up), abs(estimate - upper_left)
        predictor = left if pa <= pb and pa <= pc else up if pb <= pc else upper_left
        out[i] = (value + predictor) & 0xFF
    return np.frombuffer(bytes(out), dtype=np.uint8)


def pixels_near(image: np.ndarray, colour: tuple[int, int, int], tolerance: int = 24) -> int:
    """How many pixels are within `tolerance` of `colour` on every channel."""
    rgb = image[..., :3].astype(np.int16)
    return int(np.all(np.abs(rgb - np.array(colour)) <= tolerance, axis=-1).sum())


def assert_shows_the_sample_page(image: np.ndarray, bar_pixels: int) -> None:
    """White paper with dark text, the table's rules, the blue bars and the red 100 % line."""
    grey = image[..., :3].mean(axis=-1)
    assert (grey > 250).mean() > 0.5, "the page should be mostly white paper"
    assert (grey < 80).sum() > 200, "no dark pixels: the heading and table text are missing"
    assert pixels_near(image, BAR) > bar_pixels, "the SVG chart's bars are missing"
    assert pixels_near(image, LINE, tolerance=40) > 20, "the chart's 100 % line is missing"


def test_read_png_decodes_every_filter_type(tmp_path: Path) -> None:
    """The decoder against an image whose rows use None, Sub, Up, Average and Paeth filters in turn."""
    rng = np.random.default_rng(7)
    image = rng.integers(0, 256, size=(10, 7, 3), dtype=np.uint8)
    rows, previous = [], np.zeros(21, dtype=np.int16)
    for y in range(10):
        kind, row = y % 5, image[y].reshape(21).astype(np.int16)
        left = np.concatenate([np.zeros(3, dtype=np.int16), row[:-3]])
        upper_left = np.concatenate([np.zeros(3, dtype=np.int16), previous[:-3]])
        estimate = left + previous - upper_left
        pa, pb, pc = abs(estimate - left), abs(estimate - previous), abs(estimate - upper_left)
        paeth = np.where((pa <= pb) & (pa <= pc), left, np.where(pb <= pc, previous, upper_left))
        predictor = [np.zeros_like(row), left, previous, (left + previous) // 2, paeth][kind]
        rows.append(bytes([kind]) + ((row - predictor) % 256).astype(np.uint8).tobytes())
        previous = row

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", 7, 10, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"".join(rows)))
    (tmp_path / "filters.png").write_bytes(png + chunk(b"IEND", b""))
    assert np.array_equal(read_png(tmp_path / "filters.png"), image)


def test_chromium_screenshot_of_a_page_shows_heading_table_and_chart(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    page.write_text(SAMPLE_HTML, encoding="utf-8")
    shot = tmp_path / "shot.png"
    profile = tmp_path / "profile"
    profile.mkdir()
    command = [tool(CHROMIUM), *CHROMIUM_FLAGS, f"--user-data-dir={profile}"]
    command += [f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri()]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and shot.is_file(), f"chromium made no screenshot:\n{result.stderr[-2000:]}"
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])
    assert (width, height) == (WIDTH, HEIGHT)
    image = read_png(shot)
    assert image.shape[:2] == (HEIGHT, WIDTH)
    assert_shows_the_sample_page(image, bar_pixels=3 * 250 * 30)  # three bars of at least 250 x 30 px


@pytest.mark.parametrize("resolution", [50, 100])
def test_pdfium_renders_the_first_pdf_page_with_table_and_chart(resolution: int) -> None:
    image = render_page(html_to_pdf(SAMPLE_HTML), resolution)
    a4 = (round(297 / 25.4 * resolution), round(210 / 25.4 * resolution))  # (height, width) in pixels
    assert all(abs(got - want) <= 1 for got, want in zip(image.shape[:2], a4, strict=True)), image.shape
    assert_shows_the_sample_page(image, bar_pixels=3 * 80 * 8 * (resolution // 50) ** 2)
