"""Tesseract through its C API (libtesseract, which the ``tesseract`` program is built on),
called in-process with ctypes.

A ``tesseract`` process per reading loads its models every time (a tenth of a second of one
core for Arabic + English, as long as reading a text line); the engines here are made once
per process and kept for the next reading. ctypes releases the GIL while Tesseract works, so
threads read in parallel, each engine in one thread at a time.

However many documents are read at once, in however many processes, no more readings run at
once than the machine has cores (:class:`Slots`): more only take turns, and each holds its
images in memory meanwhile.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import errno
import fcntl
import os
import random
import shutil
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Iterator

LANGUAGES = "ara+eng"
# Set before libtesseract loads OpenMP (which reads it once): pages are read in parallel, one
# per core, and OpenMP threads inside each reading only fight over the same cores.
os.environ.setdefault("OMP_THREAD_LIMIT", "1")


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
    """None when Tesseract (the program and the library it is built on, one package) and
    every language's traineddata are installed, else what is missing."""
    binary = shutil.which("tesseract")
    if binary is None or _library() is None:
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


@cache
def _library():
    """libtesseract with the C API's argument and result types, or None."""
    name = ctypes.util.find_library("tesseract")
    if name is None:
        return None
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    handle, text = ctypes.c_void_p, ctypes.c_char_p
    lib.TessBaseAPICreate.restype = handle
    lib.TessBaseAPIDelete.argtypes = [handle]
    lib.TessBaseAPIInit3.argtypes = [handle, text, text]
    lib.TessBaseAPIInit3.restype = ctypes.c_int
    lib.TessBaseAPISetVariable.argtypes = [handle, text, text]
    lib.TessBaseAPISetVariable.restype = ctypes.c_int
    lib.TessBaseAPISetPageSegMode.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPISetImage.argtypes = [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_int]
    lib.TessBaseAPISetSourceResolution.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPIRecognize.argtypes = [handle, ctypes.c_void_p]
    lib.TessBaseAPIRecognize.restype = ctypes.c_int
    # A char* Tesseract allocated: kept as a pointer, so it can be given back to TessDeleteText.
    lib.TessBaseAPIGetTsvText.argtypes = [handle, ctypes.c_int]
    lib.TessBaseAPIGetTsvText.restype = ctypes.c_void_p
    lib.TessDeleteText.argtypes = [ctypes.c_void_p]
    lib.TessBaseAPIClear.argtypes = [handle]
    lib.TessBaseAPIEnd.argtypes = [handle]
    return lib


class _Engine:
    """One TessBaseAPI with its models loaded and its variables set, for one thread at a time."""

    def __init__(self, languages: str, config: tuple[str, ...]) -> None:
        lib = _library()
        self._lib = lib
        self._handle = lib.TessBaseAPICreate()
        if lib.TessBaseAPIInit3(self._handle, None, languages.encode()) != 0:
            lib.TessBaseAPIDelete(self._handle)
            raise RuntimeError(f"tesseract could not load {languages} traineddata")
        # Tesseract's own notes ("Detected 610 diacritics", layout statistics) would go to
        # the worker's stderr, page after page.
        for item in ("debug_file=/dev/null", *config):
            name, _, value = item.partition("=")
            if not lib.TessBaseAPISetVariable(self._handle, name.encode(), value.encode()):
                raise ValueError(f"tesseract has no variable {name!r}")

    def read(self, image, psm: int) -> str:
        """Tesseract's TSV for a grayscale PIL image."""
        lib = self._lib
        data = image.tobytes()
        lib.TessBaseAPISetPageSegMode(self._handle, psm)
        lib.TessBaseAPISetImage(self._handle, data, image.width, image.height, 1, image.width)
        # What the tesseract program assumes of an image that does not say (Tesseract sizes
        # some of its layout thresholds by it; the readings here choose their own scale).
        lib.TessBaseAPISetSourceResolution(self._handle, 300)
        try:
            if lib.TessBaseAPIRecognize(self._handle, None) != 0:
                raise RuntimeError("tesseract could not read the image")
            pointer = lib.TessBaseAPIGetTsvText(self._handle, 1)
            try:
                return ctypes.string_at(pointer).decode("utf-8", "replace") if pointer else ""
            finally:
                if pointer:
                    lib.TessDeleteText(pointer)
        finally:
            lib.TessBaseAPIClear(self._handle)

    def close(self) -> None:
        self._lib.TessBaseAPIEnd(self._handle)
        self._lib.TessBaseAPIDelete(self._handle)


class _Engines:
    """Idle engines by (languages, config), taken by one reading at a time and kept."""

    def __init__(self) -> None:
        self._idle: dict[tuple[str, tuple[str, ...]], list[_Engine]] = {}
        self._lock = threading.Lock()
        # Freed before the interpreter ends: Tesseract's model cache complains of leaks
        # on stderr otherwise.
        atexit.register(self.close)

    @contextmanager
    def engine(self, languages: str, config: tuple[str, ...]) -> Iterator[_Engine]:
        key = (languages, config)
        with self._lock:
            idle = self._idle.setdefault(key, [])
            engine = idle.pop() if idle else None
        if engine is None:
            engine = _Engine(languages, config)
        try:
            yield engine
        finally:
            with self._lock:
                self._idle[key].append(engine)

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, {}
        for engines in idle.values():
            for engine in engines:
                engine.close()


class Slots:
    """At most ``count`` holders at once across every process of this user: one lock file
    per slot under the temporary directory, held with ``flock`` (the kernel lets go of it
    when a process dies, however it dies)."""

    _POLL = (0.002, 0.05)  # first and longest wait between two looks at the slots, seconds

    def __init__(self, count: int, folder: Path) -> None:
        self.count = count
        self._folder = folder
        self._fds: list[int] = []
        self._taken = [threading.Lock() for _ in range(count)]
        self._open = threading.Lock()

    def _descriptors(self) -> list[int]:
        with self._open:
            if not self._fds:
                self._folder.mkdir(mode=0o700, parents=True, exist_ok=True)
                self._fds = [os.open(self._folder / f"slot-{k}", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
                             for k in range(self.count)]
            return self._fds

    @contextmanager
    def held(self) -> Iterator[int]:
        fds = self._descriptors()
        wait = self._POLL[0]
        while True:
            for k in random.sample(range(self.count), self.count):
                # A flock is per open file, which the threads of one process share: a
                # thread lock keeps each slot to one of them.
                if not self._taken[k].acquire(blocking=False):
                    continue
                try:
                    fcntl.flock(fds[k], fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError as exc:
                    self._taken[k].release()
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    continue
                try:
                    yield k
                finally:
                    fcntl.flock(fds[k], fcntl.LOCK_UN)
                    self._taken[k].release()
                return
            time.sleep(wait)
            wait = min(self._POLL[1], wait * 2)


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


_ENGINES = _Engines()
SLOTS = Slots(cores(), Path(tempfile.gettempdir()) / f"qantara-ocr-{os.getuid()}")


def read(image, languages: str = LANGUAGES, psm: int = 3, config: tuple[str, ...] = ()) -> list[OcrWord]:
    """The words Tesseract reads in a grayscale PIL image; ``config`` holds ``name=value``
    variables."""
    with _ENGINES.engine(languages, config) as engine, SLOTS.held():
        return parse_tsv(engine.read(image, psm))


def parse_tsv(tsv: str) -> list[OcrWord]:
    """Word rows (level 5) with text; rows for pages, blocks and lines only carry boxes."""
    words: list[OcrWord] = []
    for row in tsv.splitlines():
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

