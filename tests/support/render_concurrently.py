"""Render damaged PDFs from many threads at once through the OCR renderer, until a deadline;
run as a script (a crash must end this process, not the test session):

    python render_concurrently.py SECONDS FILE...
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from qantara.errors import QantaraError
from qantara.extraction.ocr.render import render_pages


def main() -> None:
    deadline = time.monotonic() + float(sys.argv[1])
    files = [Path(name) for name in sys.argv[2:]]
    rendered = [0]

    def render(path: Path) -> None:
        while time.monotonic() < deadline:
            try:
                for _ in render_pages(path, [1, 2], dpi=30):
                    rendered[0] += 1
            except (QantaraError, IndexError):  # unreadable, or fewer pages: damage, not a crash
                pass

    threads = [threading.Thread(target=render, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(f"rendered {rendered[0]} pages from {len(files)} threads")


if __name__ == "__main__":
    main()
