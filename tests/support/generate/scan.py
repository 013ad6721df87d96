"""Print and scan: a PDF's pages rasterized at the scan's resolution, rotated, blurred, noised
and JPEG-compressed, then put back together as a PDF that holds only images."""

from __future__ import annotations

import io
import random
from pathlib import Path

from .spec import Scan


def rasterize(pdf: Path, dpi: int) -> list:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return [document[i].render(scale=dpi / 72).to_pil().convert("L") for i in range(len(document))]
    finally:
        document.close()


def degrade(image, scan: Scan, rng: random.Random):
    import numpy as np
    from PIL import Image, ImageFilter

    if scan.rotate:
        image = image.rotate(scan.rotate, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if scan.blur:
        image = image.filter(ImageFilter.GaussianBlur(scan.blur * scan.dpi / 200))
    if scan.noise:
        pixels = np.asarray(image, dtype=np.float32)
        noise = np.random.default_rng(rng.getrandbits(32)).normal(0.0, scan.noise, pixels.shape)
        image = Image.fromarray(np.clip(pixels + noise, 0, 255).astype(np.uint8), mode="L")
    if scan.jpeg is not None:
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=scan.jpeg)
        buffer.seek(0)
        image = Image.open(buffer).convert("L")
    return image


def scan_pdf(clean: Path, scan: Scan, path: Path, seed: int) -> Path:
    rng = random.Random(seed)
    pages = [degrade(image, scan, rng) for image in rasterize(clean, scan.dpi)]
    pages[0].save(path, format="PDF", save_all=True, append_images=pages[1:], resolution=float(scan.dpi))
    return path
