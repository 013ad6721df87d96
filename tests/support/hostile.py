"""Hostile and unusual inputs, made on the fly: small files whose cost to read is out of all
proportion to their size, or that try to leave the input folder.

PDFs are written object by object (:func:`write_pdf`) so that each file is exactly the
structure it stands for, whatever a PDF library would tidy up.
"""

from __future__ import annotations

import random
import re
import zlib
from pathlib import Path

ARABIC = "زار وزير الخارجية كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"


def write_pdf(path: Path, objects: dict[int, bytes], root: int = 1) -> Path:
    """A PDF of the given ``number -> body`` objects, with a correct xref table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    size = max(objects) + 1
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += (b"%010d 00000 n \n" % offsets[number]) if number in offsets else b"0000000000 65535 f \n"
    out += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, root, xref)
    path.write_bytes(bytes(out))
    return path


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def reference_loop_pdf(path: Path) -> Path:
    """A page whose /MediaBox and /Resources are objects 6 and 7, where 6 is ``7 0 R`` and 7
    is ``6 0 R``: resolving either never ends."""
    return write_pdf(path, {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources 7 0 R /Contents 4 0 R >>",
        4: stream(b"BT /F1 12 Tf 72 720 Td (loop) Tj ET"),
        6: b"7 0 R",
        7: b"6 0 R",
    })


def inflation_bomb_pdf(path: Path, inflated: int = 1 << 30) -> Path:
    """One page whose content stream is ``inflated`` bytes of zeros, deflated (1 GiB -> 1 MB)."""
    packer = zlib.compressobj(9)
    chunk = bytes(1 << 20)
    packed = bytearray()
    for _ in range(inflated // len(chunk)):
        packed += packer.compress(chunk)
    packed += packer.flush()
    return write_pdf(path, {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 4 0 R >>",
        4: stream(bytes(packed), b"/Filter /FlateDecode "),
    })


def blank_pdf(path: Path, pages: int, width: float = 612, height: float = 792) -> Path:
    """``pages`` pages with nothing on them (one shared empty content stream)."""
    first = 5
    kids = b" ".join(b"%d 0 R" % (first + k) for k in range(pages))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
        3: stream(b""),
    }
    for k in range(pages):
        objects[first + k] = (b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %g %g] /Resources << >> /Contents 3 0 R >>"
                              % (width, height))
    return write_pdf(path, objects)


def corrupted_stream_pdf(path: Path, text: str = "Partial page text survives") -> Path:
    """A page of Latin text whose deflated content stream was cut short in transit: pdfminer
    inflates what it can ("Data-loss while decompressing corrupted data")."""
    content = b"BT /F1 24 Tf 72 700 Td (%s) Tj ET\n" % text.encode("latin-1")
    content += b"BT /F1 24 Tf 72 600 Td (%s) Tj ET\n" % b"lost line" * 1
    packed = zlib.compress(content)
    damaged = packed[:-4] + bytes(b ^ 0xFF for b in packed[-4:])  # a wrong checksum
    return write_pdf(path, {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
           b"/Resources << /Font << /F1 5 0 R >> >> >>",
        4: stream(damaged, b"/Filter /FlateDecode "),
        5: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    })


def one_line_text(path: Path, size: int) -> Path:
    """``size`` bytes of Arabic prose on one line, with no line break at all."""
    sentence = "هذه جملة عربية طويلة بلا فواصل أسطر. "
    encoded = sentence.encode("utf-8")
    path.write_bytes(encoded * (size // len(encoded) + 1))
    return path


def random_text_bytes(path: Path, size: int, seed: int = 7) -> Path:
    """Random bytes that are never NUL nor a control character: nothing a byte-level test
    can tell from a legacy single-byte encoding."""
    rng = random.Random(seed)
    allowed = [b for b in range(256) if b >= 0x20 and b != 0x7F] + [0x0A, 0x20, 0x20]
    path.write_bytes(bytes(rng.choice(allowed) for _ in range(size)))
    return path


def image_bomb_pdf(path: Path, side: int = 24_000) -> Path:
    """One page without text showing a ``side`` x ``side`` gray image, deflated from almost
    nothing: drawing it means inflating side² bytes."""
    packer = zlib.compressobj(6)
    rows = bytes(side * 100)
    packed = bytearray()
    for _ in range(side // 100):
        packed += packer.compress(rows)
    packed += packer.flush()
    return write_pdf(path, {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
           b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        4: stream(b"q 612 0 0 792 0 0 cm /Im1 Do Q"),
        5: stream(bytes(packed), b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                                 b"/BitsPerComponent 8 /Filter /FlateDecode " % (side, side)),
    })


_NUMBER = re.compile(rb"(?<![\w.])\d{1,6}(?![\w.])")
_REFERENCE = re.compile(rb"\b(\d{1,6}) 0 R\b")


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A damaged copy of a PDF: one to three kinds of the damage files pick up on the way
    (bytes flipped, cut, lost or repeated; streams corrupted; numbers and references wrong)."""
    out = bytearray(data)
    for kind in rng.sample(_DAMAGE, rng.randint(1, 3)):
        out = kind(out, rng)
    return bytes(out)


def _flip_bytes(data: bytearray, rng: random.Random) -> bytearray:
    for _ in range(rng.randint(1, 40)):
        data[rng.randrange(len(data))] = rng.randrange(256)
    return data


def _cut(data: bytearray, rng: random.Random) -> bytearray:
    return data[: rng.randrange(len(data) // 4, len(data))] + b"\n%%EOF\n"


def _drop_range(data: bytearray, rng: random.Random) -> bytearray:
    start = rng.randrange(len(data))
    return data[:start] + data[start + rng.randint(1, 2000):]


def _repeat_range(data: bytearray, rng: random.Random) -> bytearray:
    start = rng.randrange(len(data))
    return data[:start] + data[start:start + rng.randint(1, 4000)] * rng.randint(2, 5) + data[start:]


def _corrupt_stream(data: bytearray, rng: random.Random) -> bytearray:
    starts = [m.end() for m in re.finditer(rb"stream\r?\n", data)]
    if starts:
        start = rng.choice(starts)
        for _ in range(rng.randint(1, 8)):
            data[min(len(data) - 1, start + rng.randrange(256))] = rng.randrange(256)
    return data


def _wrong_numbers(data: bytearray, rng: random.Random) -> bytearray:
    numbers = list(_NUMBER.finditer(data))
    chosen = rng.sample(numbers, min(len(numbers), rng.randint(1, 6)))
    for match in sorted(chosen, key=lambda m: m.start(), reverse=True):
        data[match.start():match.end()] = rng.choice([b"0", b"-1", b"99999999", b"2147483648", b"1e300", b"3.5"])
    return data


def _wrong_references(data: bytearray, rng: random.Random) -> bytearray:
    references = list(_REFERENCE.finditer(data))
    if references:
        numbers = [m.group(1) for m in references]
        match = rng.choice(references)
        data[match.start(1):match.end(1)] = rng.choice(numbers)
    return data


_DAMAGE = (_flip_bytes, _cut, _drop_range, _repeat_range, _corrupt_stream, _wrong_numbers, _wrong_references)


def busy_pdf(path: Path, operations: int = 30_000_000) -> Path:
    """One page whose content stream is ``operations`` empty save/restore pairs: within every
    size limit (120 MB inflated), minutes of work for a PDF interpreter."""
    packer = zlib.compressobj(9)
    chunk = b"q Q\n" * 250_000
    packed = bytearray()
    for _ in range(operations // 250_000):
        packed += packer.compress(chunk)
    packed += packer.flush()
    return write_pdf(path, {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 4 0 R >>",
        4: stream(bytes(packed), b"/Filter /FlateDecode "),
    })
