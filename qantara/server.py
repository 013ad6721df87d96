"""The Prefect servers Qantara starts, and the schedule scheduled runs run on.

Only a real server has a scheduler: without one, Prefect's temporary server accepts a
deployment and never starts a run. ``prefect_api()`` gives ``qantara serve`` the configured
server (``PREFECT_API_URL``, from the environment or a Prefect profile), waiting a while for
it to answer; with none configured, a server already listening on the local default address,
or one started there for as long as it serves. ``temporary_api()`` gives ``qantara run`` the
temporary server Prefect would otherwise start itself.

Every server started here dies with the process that started it, however that ends: stopped
on the way out, and told by the kernel (``PR_SET_PDEATHSIG``) when its parent is killed
outright. Prefect stops its own temporary server only when the interpreter exits normally, so
a run killed by SIGTERM or SIGKILL left one running (about 210 MB each). Prefect is imported
only when these functions are called.
"""

from __future__ import annotations

import atexit
import ctypes
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Iterator
from zoneinfo import available_timezones

from .errors import QantaraError

# A first start migrates the database, which on a busy two-core machine takes a minute.
START_SECONDS = 180.0


def ui_url(api_url: str) -> str:
    return api_url.removesuffix("/").removesuffix("/api")


def local_api_url() -> str:
    """Where `prefect server start` listens: PREFECT_SERVER_API_HOST and _PORT, by default
    http://127.0.0.1:4200/api."""
    from prefect.settings import get_current_settings

    api = get_current_settings().server.api
    return f"http://{api.host}:{api.port}/api"


def configured_api_url() -> str | None:
    """The server Prefect clients are pointed at, or None (they would use a temporary one)."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def reachable(api_url: str, timeout: float = 2.0) -> bool:
    """True when a Prefect server answers its health check at ``api_url``."""
    try:
        with urllib.request.urlopen(f"{api_url.rstrip('/')}/health", timeout=timeout) as response:
            return response.status == 200 and json.loads(response.read() or b"null") is True
    except (urllib.error.URLError, OSError, ValueError):
        return False


def wait_until_reachable(api_url: str, seconds: float, process: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + seconds
    while not reachable(api_url):
        if time.monotonic() > deadline or (process is not None and process.poll() is not None):
            return False
        time.sleep(1.0)
    return True


def cron_schedule(cron: str, timezone: str | None = None):
    """Prefect's schedule for ``cron`` in ``timezone`` (IANA name; None: UTC), or a
    QantaraError saying in one line what is wrong with either."""
    from prefect.client.schemas.schedules import CronSchedule
    if timezone is not None and timezone not in available_timezones():
        raise QantaraError(f'--timezone "{timezone}": not an IANA time zone name (e.g. UTC, Asia/Riyadh, Asia/Almaty)')
    try:
        return CronSchedule(cron=cron, timezone=timezone or "UTC")
    except ValueError:  # pydantic's ValidationError is a ValueError
        raise QantaraError(
            f'--cron "{cron}": not a cron line (five fields: minute hour day-of-month month day-of-week; '
            f'"0 2 * * *" is 02:00 every day, "*/15 * * * *" every quarter hour)'
        ) from None


_PR_SET_PDEATHSIG = 1


def _dies_with(parent: int):
    """For ``preexec_fn``: the child gets SIGTERM when ``parent`` dies (Linux; elsewhere the
    ``finally`` that stops it is all there is)."""
    def child() -> None:
        if sys.platform.startswith("linux"):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
        if os.getppid() != parent:  # the parent died before the request took hold
            os._exit(1)
    return child


def _start(args: list[str], env: dict[str, str], **kwargs) -> subprocess.Popen:
    return subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, preexec_fn=_dies_with(os.getpid()),
                            start_new_session=True, **kwargs)  # Ctrl-C reaches us; we stop it


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def _pointed_at(api: str) -> Iterator[None]:
    """Prefect clients in this process, and the runs they start in others, use ``api``."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    previous = os.environ.get("PREFECT_API_URL")
    os.environ["PREFECT_API_URL"] = api  # subprocesses read the environment, not the settings
    try:
        with temporary_settings({PREFECT_API_URL: api}):
            yield
    finally:
        if previous is None:
            os.environ.pop("PREFECT_API_URL", None)
        else:
            os.environ["PREFECT_API_URL"] = previous


@contextmanager
def temporary_api() -> Iterator[str | None]:
    """For one run: Prefect's temporary server (its API alone, no UI, started as Prefect starts
    it) on a free local port, clients pointed at it, stopped when this process exits, however
    it does; nothing when PREFECT_API_URL names a server (yields None)."""
    if configured_api_url() is not None:
        yield None
        return
    import prefect
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, get_current_settings

    env = {**os.environ, **get_current_settings().to_environment_variables(exclude_unset=True),
           "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    port = _free_port()
    process = _start([sys.executable, "-m", "uvicorn", "--app-dir", str(Path(prefect.__file__).parent.parent),
                      "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1",
                      "--port", str(port), "--log-level", "error", "--lifespan", "on"], env)
    api = f"http://127.0.0.1:{port}/api"
    try:
        if not wait_until_reachable(api, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value(), process):
            raise QantaraError(f"the temporary Prefect server on {ui_url(api)} did not come up "
                               f"(exit status {process.poll()}); set PREFECT_API_URL to use a running one")
        with _pointed_at(api):
            yield api
    finally:
        # Stopped at exit, after Prefect's own exit hooks have sent the run's last logs and
        # events to it (they wait for a server that is gone otherwise).
        atexit.register(_stop, process)


@contextmanager
def local_server() -> Iterator[tuple[str, bool]]:
    """The API URL of a Prefect server at ``local_api_url()``, and whether it was started
    here: the one already listening there, or one started now (its database in
    ``PREFECT_HOME``) and stopped on exit."""
    api = local_api_url()
    if reachable(api):
        yield api, False
        return
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect")
    home.mkdir(parents=True, exist_ok=True)
    log = home / "qantara-server.log"
    with log.open("ab") as sink:
        process = _start([sys.executable, "-m", "prefect", "server", "start"],
                         {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
                         stdout=sink, stderr=subprocess.STDOUT)
    try:
        if not wait_until_reachable(api, START_SECONDS, process):
            lines = log.read_text("utf-8", errors="replace").strip().splitlines()
            raise QantaraError(f"the Prefect server started for {ui_url(api)} did not come up "
                               f"({lines[-1] if lines else 'no output'}; log: {log})")
        yield api, True
    finally:
        _stop(process)


@contextmanager
def prefect_api(wait: float = 60.0) -> Iterator[tuple[str, bool]]:
    """Point Prefect clients, and the runs they start, at a real server for the duration: the
    configured one (waiting up to ``wait`` seconds for it to answer), else the local one.
    Yields its API URL and whether it was started here."""
    api = configured_api_url()
    with ExitStack() as stack:
        if api is None:
            api, started = stack.enter_context(local_server())
        elif wait_until_reachable(api, wait):
            started = False
        else:
            raise QantaraError(f"no Prefect server answers at {api} (PREFECT_API_URL); start it with "
                               f"`prefect server start`, or unset PREFECT_API_URL to let `qantara serve` start one")
        with _pointed_at(api):
            yield api, started
