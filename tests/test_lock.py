"""One writer per output folder."""

from __future__ import annotations

import os
import threading
import time

import pytest

from qantara.lock import LOCK_FILE, RunLocked, remove_stale_temporaries, run_lock


def test_lock_refuses_a_second_holder_and_names_the_first(tmp_path):
    with run_lock(tmp_path):
        with pytest.raises(RunLocked) as caught:
            with run_lock(tmp_path, wait=0.3):
                pass
    assert f"pid {os.getpid()}" in str(caught.value) and str(tmp_path / LOCK_FILE) in str(caught.value)
    with run_lock(tmp_path):  # released
        pass


def test_lock_waits_for_the_holder(tmp_path):
    held = threading.Event()

    def hold():
        with run_lock(tmp_path):
            held.set()
            time.sleep(0.6)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait()
    start = time.monotonic()
    with run_lock(tmp_path, wait=10):
        waited = time.monotonic() - start
    thread.join()
    assert 0.3 < waited < 5


def test_stale_temporaries_are_removed(tmp_path):
    (tmp_path / "doc").mkdir()
    stale = tmp_path / "doc" / ".segments.jsonl.abc123.tmp"
    stale.write_text("half")
    keep = tmp_path / "doc" / "segments.jsonl"
    keep.write_text("{}\n")
    assert remove_stale_temporaries(tmp_path) == [stale]
    assert keep.exists() and not stale.exists()
