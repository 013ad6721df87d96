"""The bounded worker (qantara.bounded): each limit stops the work itself, not only the
waiting, and the next call gets a working worker.

The jobs are functions of this module: the worker imports them by name, as it imports
``prepare_document`` in a run.
"""

from __future__ import annotations

import ctypes
import dataclasses
import os
import pickle
import signal
import subprocess
import sys
import time

import pytest

from qantara import bounded
from qantara.errors import LimitExceeded, QantaraError, UnreadableDocument

# Workers are reused for the whole session: one that read documents for an earlier test holds
# their libraries (300 MB and more), which no job here should be stopped for.
LIMITS = bounded.Limits(seconds=3, cpu_seconds=30, seconds_per_page=2, memory_bytes=1 << 30)
HOG_LIMITS = dataclasses.replace(LIMITS, memory_bytes=300 << 20)


def add(a, b):
    return a + b


def worker_pid():
    return os.getpid()


def sleep_forever(pid_file):
    with open(pid_file, "w") as handle:
        handle.write(str(os.getpid()))
    time.sleep(3600)


def spin():
    while True:
        pass


def hog_memory():
    hoard = []
    while True:
        hoard.append(bytearray(20 << 20))
        time.sleep(0.01)


def hog_memory_in_a_child():
    """Memory taken by a process the worker starts (as OCR starts Tesseract)."""
    code = "import time\nx = []\nwhile True:\n    x.append(bytearray(20 << 20)); time.sleep(0.01)"
    subprocess.run([sys.executable, "-c", code])


def crash():
    ctypes.string_at(0)


def raise_unreadable(path):
    raise UnreadableDocument(path, "no text here", pages=(1, 2))


def raise_value_error():
    raise ValueError("not a Qantara error")


def paged_sleep(pages, seconds):
    bounded.report_pages(pages)
    time.sleep(seconds)
    return "finished"


def read_pages(name, pages):
    from qantara import progress

    progress.current().pages(name, pages)
    for _ in range(pages):
        progress.current().page_done(name)
    return pages


def test_a_workers_progress_reaches_the_callers_reporter():
    from qantara import progress

    class Recorder:
        def __init__(self):
            self.reports = []

        def __getattr__(self, method):
            return lambda *arguments: self.reports.append((method, *arguments))

    with progress.reporting(Recorder()) as recorder:
        assert bounded.call(read_pages, "scan.pdf", 3, limits=LIMITS, label="scan.pdf") == 3
    assert recorder.reports == [("pages", "scan.pdf", 3)] + [("page_done", "scan.pdf")] * 3


def test_result_and_exceptions_come_back():
    assert bounded.call(add, 2, b=3, limits=LIMITS, label="x") == 5
    with pytest.raises(UnreadableDocument) as info:
        bounded.call(raise_unreadable, "/in/a.pdf", limits=LIMITS, label="/in/a.pdf")
    assert info.value.pages == (1, 2) and str(info.value) == "/in/a.pdf: no text here"
    with pytest.raises(ValueError, match="not a Qantara error"):
        bounded.call(raise_value_error, limits=LIMITS, label="x")


def test_workers_are_reused_after_success_and_failure():
    first = bounded.call(worker_pid, limits=LIMITS, label="x")
    with pytest.raises(ValueError):
        bounded.call(raise_value_error, limits=LIMITS, label="x")
    assert bounded.call(worker_pid, limits=LIMITS, label="x") == first


def test_wall_clock_limit_kills_the_worker(tmp_path):
    pid_file = tmp_path / "pid"
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as info:
        bounded.call(sleep_forever, str(pid_file), limits=LIMITS, label="/in/slow.pdf")
    assert time.monotonic() - started < LIMITS.seconds + 5
    assert info.value.limit == "time_limit"
    assert str(info.value).startswith("/in/slow.pdf: ") and "time_limit" in str(info.value)
    # The worker is gone, not left running in a thread nobody waits for.
    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_pages_reported_extend_the_time_limit():
    limits = bounded.Limits(seconds=1, cpu_seconds=30, seconds_per_page=1.5, memory_bytes=LIMITS.memory_bytes)
    # 2.5 s is over the 1 s base, within 1 s + 2 pages x 1.5 s.
    assert bounded.call(paged_sleep, 2, 2.5, limits=limits, label="x") == "finished"
    with pytest.raises(LimitExceeded, match=r"time_per_page 1.5 s x 1 page"):
        bounded.call(paged_sleep, 1, 30, limits=limits, label="x")


def test_cpu_limit_is_enforced_by_the_kernel():
    limits = bounded.Limits(seconds=60, cpu_seconds=1, seconds_per_page=0, memory_bytes=LIMITS.memory_bytes)
    with pytest.raises(LimitExceeded) as info:
        bounded.call(spin, limits=limits, label="/in/spin.txt")
    assert info.value.limit == "cpu_limit" and "CPU limit" in str(info.value)


@pytest.mark.parametrize("job", [hog_memory, hog_memory_in_a_child])
def test_memory_limit_counts_the_worker_and_its_children(job):
    started = time.monotonic()
    with pytest.raises(LimitExceeded) as info:
        bounded.call(job, limits=HOG_LIMITS, label="/in/big.pdf")
    assert info.value.limit == "memory_limit_mb" and "300 MB" in str(info.value)
    assert time.monotonic() - started < HOG_LIMITS.seconds


def test_a_crash_fails_its_call_and_the_next_one_works():
    with pytest.raises(QantaraError, match=r"/in/damaged.pdf: .*crashed \(SIGSEGV\)"):
        bounded.call(crash, limits=LIMITS, label="/in/damaged.pdf")
    assert bounded.call(add, 1, 1, limits=LIMITS, label="x") == 2


def exit_quietly():
    os._exit(0)


def test_a_job_that_ends_its_worker_fails_alone():
    with pytest.raises(QantaraError, match=r"^/in/odd.pdf: the worker reading it exited without an answer"):
        bounded.call(exit_quietly, limits=LIMITS, label="/in/odd.pdf")
    assert bounded.call(add, 1, 2, limits=LIMITS, label="x") == 3


def test_report_pages_outside_a_worker_does_nothing():
    bounded.report_pages(10)


def test_errors_cross_processes_whole():
    error = LimitExceeded("/in/a.pdf", "20000 pages, more than the limit of 2000 (max_pages)", "max_pages")
    again = pickle.loads(pickle.dumps(error))
    assert (type(again), str(again), again.limit, again.path) == (LimitExceeded, str(error), "max_pages", error.path)


def test_limits_grow_with_the_file(tmp_path):
    from qantara.config import Settings

    path = tmp_path / "big.txt"
    path.write_bytes(bytes(3 << 20))
    limits = bounded.limits_for(path, Settings(time_limit=100, cpu_limit=50, time_per_mb=10, time_per_page=5))
    assert (limits.wall(0), limits.cpu(0), limits.wall(2)) == (130, 80, 140)
    assert limits.explain("time_limit", 2) == (
        "140 s (time_limit 100 s + time_per_mb 10 s x 3.0 MB + time_per_page 5 s x 2 pages)")


def test_an_orphaned_worker_ends(tmp_path):
    """A worker whose parent died (killed run) does not run on."""
    pid_file = tmp_path / "pid"
    code = (f"import sys; sys.path[:0] = {sys.path!r}\n"
            "from qantara import bounded\nimport test_bounded\n"
            f"bounded.call(test_bounded.sleep_forever, {str(pid_file)!r}, "
            "limits=bounded.Limits(seconds=600, cpu_seconds=600, seconds_per_page=0, memory_bytes=1 << 30), label='x')")
    parent = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 60
    while not pid_file.exists() or not pid_file.read_text():
        assert time.monotonic() < deadline and parent.poll() is None
        time.sleep(0.05)
    worker = int(pid_file.read_text())
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(worker, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    pytest.fail(f"worker {worker} still runs after its parent was killed")
