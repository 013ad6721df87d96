"""The Prefect server that scheduled runs need, and the schedule they run on.

Only a real server has a scheduler: without one, Prefect's temporary server accepts a
deployment and never starts a run. ``prefect_api()`` gives ``qantara serve`` the configured
server (``PREFECT_API_URL``, from the environment or a Prefect profile), waiting a while for
it to answer; with none configured, a server already listening on the local default address,
or one started there for as long as it serves. Prefect is imported only when these
functions are called.
"""

from __future__ import annotations

import json
import os
import signal
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
        process = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start"],
            env={**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false"},
            stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
            start_new_session=True,  # Ctrl-C reaches serve, which then stops the server itself
        )
    try:
        if not wait_until_reachable(api, START_SECONDS, process):
            lines = log.read_text("utf-8", errors="replace").strip().splitlines()
            raise QantaraError(f"the Prefect server started for {ui_url(api)} did not come up "
                               f"({lines[-1] if lines else 'no output'}; log: {log})")
        yield api, True
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


@contextmanager
def prefect_api(wait: float = 60.0) -> Iterator[tuple[str, bool]]:
    """Point Prefect clients, and the runs they start, at a real server for the duration: the
    configured one (waiting up to ``wait`` seconds for it to answer), else the local one.
    Yields its API URL and whether it was started here."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    api = configured_api_url()
    with ExitStack() as stack:
        if api is None:
            api, started = stack.enter_context(local_server())
        elif wait_until_reachable(api, wait):
            started = False
        else:
            raise QantaraError(f"no Prefect server answers at {api} (PREFECT_API_URL); start it with "
                               f"`prefect server start`, or unset PREFECT_API_URL to let `qantara serve` start one")
        # Runs started in subprocesses read the environment, not these settings.
        previous = os.environ.get("PREFECT_API_URL")
        os.environ["PREFECT_API_URL"] = api
        try:
            with temporary_settings({PREFECT_API_URL: api}):
                yield api, started
        finally:
            if previous is None:
                os.environ.pop("PREFECT_API_URL", None)
            else:
                os.environ["PREFECT_API_URL"] = previous
