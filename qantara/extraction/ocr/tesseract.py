"""Run Tesseract on one page image and read its word boxes (TSV output)."""

from __future__ import annotations

import os
import shutil
import subprocess
import threading
from dataclasses import dataclass
from functools import cache

LANGUAGES = "ara+eng"
# Each page is its own process and pages run in parallel: OpenMP threads inside each
# tesseract only fight over the same cores (a page took 6 s with them, 1.2 s without).
_ENV = {"OMP_THREAD_LIMIT": "1"}
_TIMEOUT = 300
# Pages, the sizes of a page and number crops are read from several threads at once, and
# documents in parallel flow tasks: more Tesseract processes than cores only take turns.
_SLOTS = threading.BoundedSemaphore(os.cpu_count() or 1)


@dataclass(frozen=True)
class OcrWord:
    """One word as Tesseract read it: text in logical order, box in image pixels."""

    text: str
    left: int
    top: int
    right: int
    bottom: int
    confidence: float
    line: tuple[int, int, int]  # Tesseract's (block, paragraph, line) numbers


def tesseract_problem(languages: str = LANGUAGES) -> str | None:
    """None when Tesseract and every language's traineddata are installed, else what is missing."""
    binary = shutil.which("tesseract")
    if binary is None:
        return "tesseract is not installed (Debian: apt-get install tesseract-ocr tesseract-ocr-ara)"
    missing = [lang for lang in languages.split("+") if lang not in installed_languages(binary)]
    if missing:
        names = " ".join(f"tesseract-ocr-{lang}" for lang in missing)
        return f"tesseract has no {'+'.join(missing)} traineddata (Debian: apt-get install {names})"
    return None


@cache
def tesseract_version() -> str | None:
    """The installed engine's version ("5.3.0"), None without one: it shapes every OCR'd page."""
    binary = shutil.which("tesseract")
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=60) if binary else None
    except (OSError, subprocess.SubprocessError):
        return None
    words = done.stdout.split() if done is not None else []
    return words[1] if len(words) > 1 else None


@cache
def installed_languages(binary: str) -> frozenset[str]:
    try:
        done = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    # The first line is a heading ("List of available languages in ...").
    return frozenset(line.strip() for line in done.stdout.splitlines()[1:] if line.strip())


def run_tesseract(png: bytes, languages: str = LANGUAGES, psm: int = 3, config: tuple[str, ...] = ()) -> str:
    """Tesseract's TSV for one PNG image, passed on stdin; ``config`` holds ``name=value``
    variables (``-c``)."""
    options = [arg for item in config for arg in ("-c", item)]
    with _SLOTS:
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", languages, "--psm", str(psm), *options, "tsv"],
            input=png, capture_output=True, timeout=_TIMEOUT, env={**os.environ, **_ENV},
        )
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RuntimeError(f"tesseract failed ({done.returncode}): {message[-1] if message else 'no message'}")
    return done.stdout.decode("utf-8")


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Word rows (level 5) with text; rows for pages, blocks and lines only carry boxes."""
    words: list[OcrWord] = []
    rows = tsv.splitlines()
    for row in rows[1:]:
        cells = row.split("\t")
        if len(cells) < 12 or cells[0] != "5":
            continue
        text = cells[11].strip()
        if not text:
            continue
        left, top, width, height = (int(c) for c in cells[6:10])
        words.append(OcrWord(
            text=text, left=left, top=top, right=left + width, bottom=top + height,
            confidence=float(cells[10]), line=(int(cells[2]), int(cells[3]), int(cells[4])),
        ))
    return words
