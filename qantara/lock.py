"""One writer per output folder: an advisory file lock, ``OUTPUT/.qantara.lock``.

``flock`` is released by the kernel when its holder dies, even by SIGKILL, so a crashed run
never leaves a stale lock behind; on NFS, Linux maps it onto POSIX byte-range locks, which
other clients of the share see. The lock file itself is never deleted (deleting a lock file
lets a third process lock a new inode while the second still waits on the old one).
"""

from __future__ import annotations

import fcntl
import os
import socket
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from .errors import QantaraError

LOCK_FILE = ".qantara.lock"
_POLL_SECONDS = 0.2


class RunLocked(QantaraError):
    """Another run holds the output folder."""

    def __init__(self, path: Path, holder: str, waited: float):
        self.path = path
        self.holder = holder
        super().__init__(
            f"{path}: another Qantara run is writing to this output folder ({holder or 'holder unknown'}); "
            f"gave up after waiting {waited:.0f} s and wrote nothing. Run again when it has finished, "
            f"or pass a longer lock wait."
        )


def _holder(fd: int) -> str:
    os.lseek(fd, 0, os.SEEK_SET)
    return os.read(fd, 512).decode("utf-8", "replace").strip()


@contextmanager
def run_lock(output_dir: Path, wait: float = 0.0) -> Iterator[Path]:
    """Hold the output folder's lock for the block; wait up to ``wait`` seconds, then RunLocked."""
    output_dir.mkdir(parents=True, exist_ok=True)
    path = output_dir / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + max(wait, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise RunLocked(path, _holder(fd), max(wait, 0.0)) from None
                time.sleep(_POLL_SECONDS)
        since = datetime.now(timezone.utc).isoformat(timespec="seconds")
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()} on {socket.gethostname()} since {since}\n".encode(), 0)
        try:
            yield path
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def remove_stale_temporaries(output_dir: Path) -> list[Path]:
    """Delete ``.NAME.*.tmp`` files a killed writer left; call only while holding the lock."""
    stale = [p for p in output_dir.rglob(".*.tmp") if p.is_file()]
    for path in stale:
        path.unlink(missing_ok=True)
    return stale
