"""Atomic file writes: a reader sees the old file or the new one, never half of either.

The temporary file is created with mode 0666 less the process umask, as ``open()`` would
create the file itself (``tempfile.mkstemp`` makes 0600, which would leave every published
file readable by its owner alone, whatever the umask says).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def _create_temporary(path: Path) -> tuple[int, Path]:
    """A new, empty ``.NAME.<random>.tmp`` beside ``path``, open for writing."""
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        try:
            return os.open(tmp, _FLAGS, 0o666), tmp
        except FileExistsError:  # 48 random bits: only ever a left-over of the same name
            continue


def write_bytes_atomic(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename is None:  # a write or fsync: say where
            raise OSError(exc.errno, exc.strerror, str(tmp)) from exc
        raise
    return path


def write_text_atomic(path: Path, text: str) -> Path:
    return write_bytes_atomic(path, text.encode("utf-8"))
