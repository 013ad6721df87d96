"""Scheduled runs as they happen in production: a real `prefect server start`, `qantara serve
--cron` against it, and a run that the server's own scheduler creates (nobody triggers it),
which publishes the sample documents. Then Prefect's own CLI reads that server."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import REPO

pytestmark = pytest.mark.slow
DEPLOYMENT = "qantara-run/test-scheduled"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(process: subprocess.Popen, sig: int) -> None:
    if process.poll() is None:
        os.killpg(process.pid, sig)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _tail(path: Path) -> str:
    return path.read_text("utf-8", errors="replace")[-3000:] if path.exists() else ""


@pytest.fixture
def prefect_api(tmp_path):
    """A `prefect server start` of its own (own PREFECT_HOME, free port): its API URL and log."""
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    log = tmp_path / "server.log"
    env = {
        **os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        # The scheduler looks at newly created deployments every 5 s by default; a second here.
        "PREFECT_SERVER_SERVICES_SCHEDULER_RECENT_DEPLOYMENTS_LOOP_SECONDS": "1",
    }
    env.pop("PREFECT_API_URL", None)
    with log.open("wb") as sink:
        server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                   "--port", str(port)], env=env, stdout=sink, stderr=subprocess.STDOUT,
                                  start_new_session=True)
    try:
        deadline = time.monotonic() + 180
        while True:
            assert server.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "Prefect server did not come up\n" + _tail(log)
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        yield api, log
    finally:
        _stop(server, signal.SIGTERM)
    # The scheduler must not have failed on any cycle (it did with SQLAlchemy 2.1).
    assert "Traceback" not in log.read_text("utf-8", errors="replace"), _tail(log)


def _flow_runs(api: str, deployment_id: str, *states: str) -> list[dict]:
    """The deployment's runs (in ``states`` when given), soonest first."""
    runs = {"deployment_id": {"any_": [deployment_id]}}
    if states:
        runs["state"] = {"type": {"any_": list(states)}}
    body = {"flow_runs": runs, "limit": 200, "offset": 0, "sort": "EXPECTED_START_TIME_ASC"}
    response = httpx.post(f"{api}/flow_runs/filter", json=body, timeout=10)
    response.raise_for_status()
    return response.json()


def test_the_servers_scheduler_runs_serve_and_publishes_the_samples(prefect_api, tmp_path):
    prefect_api, server_log = prefect_api
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    shutil.copytree(REPO / "inputs", inputs)
    log = tmp_path / "serve.log"
    env = {**os.environ, "PREFECT_API_URL": prefect_api, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / "client-home"),
           "QANTARA_PACKAGES_DIR": str(tmp_path / "no-packages"),
           # The runner asks the server for due runs every 10 s by default.
           "PREFECT_RUNNER_POLL_FREQUENCY": "2"}
    with log.open("wb") as sink:
        serve = subprocess.Popen(
            [sys.executable, "-m", "qantara", "serve", "--cron", "* * * * *", "--timezone", "Asia/Riyadh",
             "--input", str(inputs), "--output", str(out), "--glossary", str(REPO / "glossary"),
             "--name", "test-scheduled"],
            cwd=tmp_path, env=env, stdout=sink, stderr=subprocess.STDOUT, start_new_session=True, umask=0o022,
        )
    try:
        deadline = time.monotonic() + 240
        deployment = None
        while deployment is None:
            assert serve.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "the deployment never appeared\n" + _tail(log)
            response = httpx.get(f"{prefect_api}/deployments/name/{DEPLOYMENT}", timeout=10)
            deployment = response.json() if response.status_code == 200 else None
            time.sleep(1)
        [schedule] = deployment["schedules"]
        assert (schedule["schedule"]["cron"], schedule["schedule"]["timezone"]) == ("* * * * *", "Asia/Riyadh")
        assert deployment["parameters"]["output_dir"] == str(out.resolve())

        done = None
        while done is None:
            assert serve.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "no scheduled run completed\n" + _tail(log)
            assert "Traceback" not in server_log.read_text("utf-8", errors="replace"), _tail(server_log)
            ended = _flow_runs(prefect_api, deployment["id"], "COMPLETED", "FAILED", "CRASHED")
            assert all(r["state_type"] == "COMPLETED" for r in ended), (ended, _tail(log))
            done = ended[0] if ended else None
            time.sleep(2)
        # Created by the server's scheduler, not by anyone asking for a run.
        runs = _flow_runs(prefect_api, deployment["id"])
        assert done["auto_scheduled"] is True and all(r["auto_scheduled"] for r in runs)

        # Prefect's own CLI reads this server (it answered 422 under fastapi >= 0.151).
        cli_env = {**env, "PREFECT_API_URL": prefect_api}
        for command, expected in ((["deployment", "ls"], "test-scheduled"),
                                  (["flow-run", "ls", "--state-type", "COMPLETED", "-o", "json"], done["id"])):
            listed = subprocess.run([sys.executable, "-m", "prefect", *command], env=cli_env, capture_output=True,
                                    text=True, timeout=120)
            assert listed.returncode == 0 and expected in listed.stdout, listed.stdout[-2000:] + listed.stderr[-2000:]
    finally:
        _stop(serve, signal.SIGINT)

    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    samples = sorted(p.name for p in (REPO / "inputs").iterdir() if not p.name.startswith("."))
    assert sorted(d["file"] for d in record["documents"]) == samples
    # The first scheduled run published them all; a later one may have found them unchanged.
    assert {d["status"] for d in record["documents"]} <= {"published", "skipped"}, record["documents"]
    assert all((out / d["stem"] / "segments.jsonl").is_file() for d in record["documents"])
    # Published under umask 022: every file is readable by others (a web server, a reviewer).
    published = [p for p in out.rglob("*") if p.is_file() and not p.name.startswith(".")]
    assert published and all(p.stat().st_mode & stat.S_IROTH for p in published), \
        [(p.name, oct(p.stat().st_mode)) for p in published if not p.stat().st_mode & stat.S_IROTH]


def test_serve_without_a_configured_server_starts_one_and_stops_it(tmp_path):
    port = _free_port()
    api = f"http://127.0.0.1:{port}/api"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    log = tmp_path / "serve.log"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PREFECT_HOME": str(tmp_path / "prefect-home"),
           "PREFECT_SERVER_API_PORT": str(port), "PREFECT_UI_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)
    with log.open("wb") as sink:
        serve = subprocess.Popen([sys.executable, "-m", "qantara", "serve", "--input", str(inputs), "--output",
                                  str(tmp_path / "outputs"), "--name", "test-local"], cwd=tmp_path, env=env,
                                 stdout=sink, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 240
        while True:
            assert serve.poll() is None, _tail(log)
            assert time.monotonic() < deadline, "the deployment never appeared\n" + _tail(log)
            try:
                if httpx.get(f"{api}/deployments/name/qantara-run/test-local", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(1)
        assert f"Prefect server and UI: http://127.0.0.1:{port} (started here" in _tail(log)
    finally:
        _stop(serve, signal.SIGINT)
    with pytest.raises(httpx.HTTPError):  # the server went with it
        httpx.get(f"{api}/health", timeout=5)
    assert "Traceback" not in _tail(log)
