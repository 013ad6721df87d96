"""A page image as a phone photographs it: turned a little, lit unevenly, in colour on tinted
paper, stored on its side with an EXIF orientation saying how to turn it back (what phones
do), and no resolution declared."""

from __future__ import annotations

import io
import random

# EXIF orientation 6: the stored pixels are to be turned 90 degrees clockwise to be seen.
_ORIENTATION = 0x0112


def photograph(page, rng: random.Random, quality: int = 88) -> bytes:
    """JPEG bytes of a grayscale page image as a photo of it (see the module)."""
    import numpy as np
    from PIL import Image

    page = page.convert("L").rotate(rng.uniform(-2.0, 2.0), resample=Image.BICUBIC, expand=True, fillcolor=255)
    height, width = page.size[1], page.size[0]
    # Light falling off from one corner: a plane of brightness from 1.0 down to 0.6-0.8.
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    corner = rng.choice(((0, 0), (0, width), (height, 0), (height, width)))
    distance = np.hypot(ys - corner[0], xs - corner[1]) / np.hypot(height, width)
    light = 1.0 - rng.uniform(0.2, 0.4) * distance
    ink = np.asarray(page, dtype=np.float32) * light
    tint = np.array([rng.uniform(0.93, 1.0), rng.uniform(0.9, 0.97), rng.uniform(0.8, 0.9)], dtype=np.float32)
    rgb = np.clip(ink[..., None] * tint, 0, 255).astype(np.uint8)
    image = Image.fromarray(rgb, mode="RGB").transpose(Image.Transpose.ROTATE_90)  # stored on its side
    exif = Image.Exif()
    exif[_ORIENTATION] = 6
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=quality, exif=exif.tobytes())
    return buffer.getvalue()
