"""The real `qantara run` over good documents and every hostile input at once: it finishes in
minutes under 2 GB resident (the run and every process it starts), publishes the good
documents, and gives each hostile file a status and a reason that names its limit.

Before the bounds, the reference loop alone kept the run from ever finishing.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from support.hostile import (
    ARABIC,
    blank_pdf,
    busy_pdf,
    corrupted_stream_pdf,
    image_bomb_pdf,
    inflation_bomb_pdf,
    one_line_text,
    random_text_bytes,
    reference_loop_pdf,
)

PEAK_BYTES = 2 << 30
WALL_SECONDS = 240
_PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree_rss(root: int) -> int:
    """Resident bytes of ``root`` and all its descendants (workers, OCR, anything)."""
    parents, rss = {}, {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()
        parents[int(name)], rss[int(name)] = int(fields[1]), int(fields[21]) * _PAGE
    tree, todo = set(), [root]
    while todo:
        pid = todo.pop()
        tree.add(pid)
        todo.extend(child for child, parent in parents.items() if parent == pid and child not in tree)
    return sum(rss.get(pid, 0) for pid in tree)


class _PeakMemory(threading.Thread):
    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            self.peak = max(self.peak, _tree_rss(self.pid))
            time.sleep(0.1)


def _inputs(folder: Path) -> None:
    from support.pdf_corpus import PARAGRAPHS, render_pdf_reportlab

    folder.mkdir()
    (folder / "good.txt").write_text(ARABIC, encoding="utf-8")
    render_pdf_reportlab(PARAGRAPHS[:2], folder / "good.pdf")
    (folder / "utf16.txt").write_bytes(ARABIC.encode("utf-16-le"))
    corrupted_stream_pdf(folder / "partial.pdf")
    reference_loop_pdf(folder / "loop.pdf")
    inflation_bomb_pdf(folder / "bomb.pdf")
    blank_pdf(folder / "blank-20000.pdf", 20_000)
    blank_pdf(folder / "blank-200-inches.pdf", 1, 14_400, 14_400)
    one_line_text(folder / "one-line.txt", 30 << 20)
    random_text_bytes(folder / "random.txt", 200_000)
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    busy_pdf(folder / "busy.pdf")
    image_bomb_pdf(folder / "image-bomb.pdf")


EXPECTED = {
    "good.txt": ("published", ""),
    "good.pdf": ("published", ""),
    "utf16.txt": ("published", ""),
    "partial.pdf": ("published", ""),
    "loop.pdf": ("failed", "objects refer to each other in a loop"),
    "bomb.pdf": ("failed", "max_stream_mb"),
    "blank-20000.pdf": ("failed", "max_pages"),
    "blank-200-inches.pdf": ("failed", "blank (no ink, not OCR'd)"),
    "one-line.txt": ("failed", "max_file_chars"),
    "random.txt": ("failed", "binary data"),
    "passwd.txt": ("skipped", "follow_outside_links"),
    # Limits set low for the test (below): minutes of work, and an image that inflates to
    # 576 MB when drawn for OCR.
    "busy.pdf": ("failed", "time_limit"),
    "image-bomb.pdf": ("failed", "memory_limit_mb" if shutil.which("tesseract") else "tesseract"),
}


def test_a_run_over_hostile_inputs_finishes_bounded(prefect_server, tmp_path):
    from prefect.settings import PREFECT_API_URL

    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    _inputs(inputs)
    (tmp_path / "no-packages").mkdir()
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO),
           "QANTARA_PACKAGES_DIR": str(tmp_path / "no-packages"),
           "QANTARA_TIME_LIMIT": "20", "QANTARA_CPU_LIMIT": "20", "QANTARA_TIME_PER_PAGE": "2",
           "QANTARA_MEMORY_LIMIT_MB": "450"}
    command = [sys.executable, "-m", "qantara", "run", "--input", str(inputs), "--output", str(out),
               "--glossary", str(tmp_path / "no-glossary")]
    started = time.monotonic()
    run = subprocess.Popen(command, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    memory = _PeakMemory(run.pid)
    memory.start()
    try:
        output, _ = run.communicate(timeout=WALL_SECONDS)
    except subprocess.TimeoutExpired:
        run.kill()
        pytest.fail(f"the run did not finish in {WALL_SECONDS} s: {run.communicate()[0][-3000:]}")
    finally:
        memory.running = False
    wall = time.monotonic() - started
    print(f"run: {wall:.0f} s, peak {memory.peak / 2**20:.0f} MB resident")
    assert run.returncode == 1, output[-3000:]  # some documents failed, the run did not
    assert memory.peak < PEAK_BYTES, f"peak {memory.peak / 2**20:.0f} MB resident"

    reports = {d["file"]: d for d in json.loads((out / "run-summary.json").read_text("utf-8"))["documents"]}
    assert set(reports) == set(EXPECTED)
    for name, (status, reason) in EXPECTED.items():
        report = reports[name]
        assert report["status"] == status, report
        if reason:
            assert name in report["error"] and reason in report["error"], report
    partial = [json.loads(line) for line in (out / "partial" / "segments.jsonl").read_text("utf-8").splitlines()]
    assert partial and all("partial-page:1" in s["flags"] for s in partial)
    assert "root:" not in "".join(p.read_text("utf-8", "replace") for p in out.rglob("*.txt"))
