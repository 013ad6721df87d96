"""Run one document's work in a worker process that is stopped at its limits.

Threads cannot be killed, and a task timeout only stops the waiting: a document that loops,
inflates a bomb or renders a page the size of a wall would keep its thread, its memory and
its share of the processor. So each document is prepared in a worker process (:func:`call`)
with three limits:

- **wall clock**: the caller stops waiting and kills the worker's process group, OCR
  processes included;
- **CPU**: the worker's own processor time, enforced by the kernel (``RLIMIT_CPU``);
- **memory**: the caller samples the resident memory of the worker's process group.

Both time limits grow with the document: each MiB of the file and each page the worker
reports (:func:`report_pages`) adds to them. A document over a limit fails with
:class:`~qantara.errors.LimitExceeded` naming the setting; a worker that crashes (a C library
segfaulting on a damaged file) fails only its document. Workers are reused for the next
document unless they were killed, crashed or grew large, and end after two idle minutes.

Linux only: memory is read from ``/proc``.
"""

from __future__ import annotations

import atexit
import math
import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from . import progress
from .config import Settings
from .errors import LimitExceeded, QantaraError

_HEADER = struct.Struct(">Q")
_TICK = 0.05  # seconds between two looks at a busy worker
# An idle worker ends after this long, giving its memory back (between scheduled runs).
_IDLE_SECONDS = 120
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")
_MIB = 1 << 20


class WorkerCrashed(QantaraError):
    """The worker process died on its own (a signal from a C library, the OOM killer)."""


@dataclass(frozen=True)
class Limits:
    """What one call may cost; the time limits grow with the pages reported."""

    seconds: float  # wall clock, before pages
    cpu_seconds: float  # the worker's processor time, before pages
    seconds_per_page: float
    memory_bytes: int
    megabytes: float = 0.0  # of the file, for the messages
    seconds_per_mb: float = 0.0  # already in seconds and cpu_seconds, for the messages

    def wall(self, pages: int) -> float:
        return self.seconds + self.seconds_per_page * pages

    def cpu(self, pages: int) -> float:
        return self.cpu_seconds + self.seconds_per_page * pages

    def explain(self, setting: str, pages: int) -> str:
        """The limit in seconds and how it was made up from the settings."""
        total, base = (self.wall(pages), self.seconds) if setting == "time_limit" else (self.cpu(pages), self.cpu_seconds)
        parts = [f"{setting} {base - self.seconds_per_mb * self.megabytes:.0f} s"]
        if self.megabytes and self.seconds_per_mb:
            parts.append(f"time_per_mb {self.seconds_per_mb:g} s x {self.megabytes:.1f} MB")
        if pages and self.seconds_per_page:
            parts.append(f"time_per_page {self.seconds_per_page:g} s x {pages} page{'s' if pages != 1 else ''}")
        return f"{total:.0f} s ({' + '.join(parts)})"


def limits_for(path: Path | str, settings: Settings) -> Limits:
    """The limits of one document, scaled to its size (pages are added as they are known)."""
    try:
        megabytes = Path(path).stat().st_size / _MIB
    except OSError:
        megabytes = 0.0
    extra = settings.time_per_mb * megabytes
    return Limits(
        seconds=settings.time_limit + extra,
        cpu_seconds=settings.cpu_limit + extra,
        seconds_per_page=settings.time_per_page,
        memory_bytes=settings.memory_limit_mb * _MIB,
        megabytes=megabytes,
        seconds_per_mb=settings.time_per_mb,
    )


def call(fn: Callable[..., Any], *args: Any, limits: Limits, label: Path | str, **kwargs: Any) -> Any:
    """``fn(*args, **kwargs)`` in a worker process within ``limits``; its result, or its
    exception raised again here. ``label`` (the document) names the file in limit errors.

    ``fn``, its arguments and its result travel by pickle: ``fn`` must be importable.
    """
    if _STOPPED.is_set():
        raise QantaraError(f"{label}: not read: the run was stopped")
    job = (fn, args, kwargs, limits.cpu_seconds, limits.seconds_per_page)
    try:
        return _run(_POOL.take(), job, limits, label)
    except _Retired:  # an idle worker that ended before it got the job: the job never ran
        pass
    try:
        return _run(_Worker(), job, limits, label)
    except _Retired:
        raise WorkerCrashed(f"{label}: the worker reading it exited without an answer") from None


class _Retired(Exception):
    pass


def _run(worker: _Worker, job: tuple, limits: Limits, label: Path | str) -> Any:
    healthy = False
    try:
        try:
            worker.send(job)
        except BrokenPipeError:
            raise _Retired from None
        started = time.monotonic()
        pages = 0
        answered = False
        while True:
            elapsed = time.monotonic() - started
            if elapsed >= limits.wall(pages):
                raise LimitExceeded(label, f"stopped after {elapsed:.0f} s, over its time limit of "
                                           f"{limits.explain('time_limit', pages)}", "time_limit")
            memory = worker.memory()
            if memory > limits.memory_bytes:
                raise LimitExceeded(label, f"stopped at {memory / _MIB:.0f} MB resident, over its memory limit "
                                           f"of {limits.memory_bytes / _MIB:.0f} MB (memory_limit_mb)",
                                    "memory_limit_mb")
            try:
                message = worker.receive(min(_TICK, limits.wall(pages) - elapsed))
            except EOFError:
                code = worker.wait()
                if code == 0 and not answered:
                    raise _Retired from None
                raise _death(code, label, limits, pages) from None
            if message is None:
                continue
            answered = True
            kind, value = message
            if kind == "pages":
                pages = value
                continue
            if kind == "progress":  # the worker's word on its work, for this process's reporter
                method, arguments = value
                getattr(progress.current(), method)(*arguments)
                continue
            healthy = True
            if kind == "done":
                return value
            raise value
    finally:
        _POOL.give(worker) if healthy else worker.kill()


def report_pages(pages: int) -> None:
    """In a worker: the document has ``pages`` pages, so its time limits grow by
    ``time_per_page`` each. Outside a worker: nothing."""
    job = _JOB
    if job is None:
        return
    job.pages = pages
    _set_cpu_limit(job.cpu_start + job.cpu_seconds + job.per_page * pages)
    _send(job.channel, ("pages", pages))


def _death(code: int | None, label: Path | str, limits: Limits, pages: int) -> QantaraError:
    if code == -signal.SIGXCPU:
        return LimitExceeded(label, f"stopped over its CPU limit of {limits.explain('cpu_limit', pages)}",
                             "cpu_limit")
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return WorkerCrashed(f"{label}: the worker reading it crashed ({name}); the file is damaged "
                             f"in a way a library could not handle")
    return WorkerCrashed(f"{label}: the worker reading it exited unexpectedly (status {code})")


class _Worker:
    def __init__(self) -> None:
        env = dict(os.environ)
        # The worker imports what the caller can import (the function travels by name).
        paths = (p or os.getcwd() for p in sys.path)
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if os.path.isdir(p))
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from qantara.bounded import serve; serve()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env,
            # Its own process group: killing it kills the OCR processes it started too.
            start_new_session=True,
        )
        self._out = self.process.stdout.fileno()
        _LIVE.add(self)

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, message: Any) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        self.process.stdin.write(_HEADER.pack(len(data)) + data)
        self.process.stdin.flush()

    def receive(self, timeout: float) -> Any | None:
        """The next message, None when there is none within ``timeout``; EOFError when the
        worker is gone."""
        ready, _, _ = select.select([self._out], [], [], max(0.0, timeout))
        if not ready:
            return None
        (size,) = _HEADER.unpack(_read_exactly(self._out, _HEADER.size))
        return pickle.loads(_read_exactly(self._out, size))

    def memory(self) -> int:
        """Resident bytes of every process in the worker's group (its OCR processes too)."""
        return _group_rss(self.process.pid)

    def wait(self) -> int | None:
        try:
            return self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return None

    def kill(self) -> None:
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class _Pool:
    """Idle workers kept for the next document."""

    def __init__(self) -> None:
        self._idle: list[_Worker] = []
        self._lock = threading.Lock()
        self._registered = False

    def take(self) -> _Worker:
        with self._lock:
            if not self._registered:
                atexit.register(self.close)
                self._registered = True
            while self._idle:
                worker = self._idle.pop()
                if worker.alive():
                    return worker
                worker.kill()
        return _Worker()

    def give(self, worker: _Worker) -> None:
        keep = worker.alive() and worker.memory() < _RECYCLE_BYTES
        with self._lock:
            if keep and len(self._idle) < (os.cpu_count() or 1):
                self._idle.append(worker)
                return
        worker.kill()

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for worker in idle:
            worker.kill()


def stop_all() -> None:
    """Kill every worker, busy ones too, with the processes each started, and start no more:
    for a run being stopped, which must not wait for the documents under way or queued (each
    then fails, as crashed or not read)."""
    _STOPPED.set()
    for worker in list(_LIVE):
        if worker.alive():
            try:
                os.killpg(worker.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass


_LIVE: weakref.WeakSet[_Worker] = weakref.WeakSet()
_STOPPED = threading.Event()
# A worker that grew past this keeps heap it no longer needs: start the next document afresh.
_RECYCLE_BYTES = 512 * _MIB
_POOL = _Pool()


# -- the worker side --------------------------------------------------------------------


@dataclass
class _Job:
    channel: Any
    cpu_start: float
    cpu_seconds: float
    per_page: float
    pages: int = 0


_JOB: _Job | None = None


def serve() -> None:
    """A worker's main loop: run jobs from stdin, answer on stdout, until stdin closes or no
    job came for ``_IDLE_SECONDS``."""
    global _JOB
    channel = os.fdopen(os.dup(1), "wb")
    # Whatever a library prints goes to stderr, never into the answers.
    os.dup2(2, 1)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    _watch_parent(os.getppid())
    while True:
        if not select.select([0], [], [], _IDLE_SECONDS)[0]:
            return  # the caller sees it gone and starts another: memory back between runs
        try:
            (size,) = _HEADER.unpack(_read_exactly(0, _HEADER.size))
            fn, args, kwargs, cpu_seconds, per_page = pickle.loads(_read_exactly(0, size))
        except EOFError:
            return
        _JOB = _Job(channel, _cpu_used(), cpu_seconds, per_page)
        _set_cpu_limit(_JOB.cpu_start + cpu_seconds)
        try:
            with progress.reporting(_Relay(channel)):
                answer = ("done", fn(*args, **kwargs))
        except BaseException as exc:  # every failure goes back to the caller, which raises it
            answer = ("error", _portable(exc))
        finally:
            _JOB = None
            _set_cpu_limit(None)
        try:
            _send(channel, answer)
        except (pickle.PicklingError, TypeError, AttributeError) as exc:
            _send(channel, ("error", QantaraError(f"result could not be sent back: {exc}")))


class _Relay:
    """In a worker: progress reports sent to the caller, whose reporter shows them."""

    def __init__(self, channel) -> None:
        self._channel = channel

    def __getattr__(self, method: str) -> Callable[..., None]:
        if method not in _PROGRESS:
            raise AttributeError(method)
        return lambda *arguments: _send(self._channel, ("progress", (method, arguments)))


_PROGRESS = frozenset(name for name in vars(progress.Progress) if not name.startswith("_"))


def _read_exactly(fd: int, size: int) -> bytes:
    """``size`` bytes from ``fd`` (unbuffered, so select() sees what is left); EOFError at
    its end."""
    chunks = bytearray()
    while len(chunks) < size:
        chunk = os.read(fd, min(size - len(chunks), 1 << 20))
        if not chunk:
            raise EOFError
        chunks += chunk
    return bytes(chunks)


def _send(channel, message: Any) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    channel.write(_HEADER.pack(len(data)) + data)
    channel.flush()


def _portable(exc: BaseException) -> BaseException:
    """The exception itself when it survives a pickle round trip, else its text."""
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return QantaraError(f"{type(exc).__name__}: {exc}")


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _set_cpu_limit(seconds: float | None) -> None:
    """Soft RLIMIT_CPU in whole seconds of the process's lifetime (None: no limit); past it
    the kernel sends SIGXCPU, whose default action ends the process."""
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = resource.RLIM_INFINITY if seconds is None else math.ceil(seconds)
    if hard != resource.RLIM_INFINITY and (soft == resource.RLIM_INFINITY or soft > hard):
        soft = hard
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _watch_parent(parent: int) -> None:
    """End the worker (and its OCR processes) when the process that started it is gone."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os.killpg(os.getpgrp(), signal.SIGKILL)

    threading.Thread(target=watch, name="qantara-orphan-watch", daemon=True).start()


def _group_rss(group: int) -> int:
    total = 0
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # Fields after the command name (which may hold spaces): state, ppid, pgrp, ... rss.
        fields = stat[stat.rfind(b")") + 2:].split()
        if len(fields) > 21 and int(fields[2]) == group:
            total += int(fields[21]) * _PAGE_BYTES
    return total
