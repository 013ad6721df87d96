"""The flow against a Prefect server backed by a real PostgreSQL started on loopback.

The cluster lives in a temporary folder and runs as the `postgres` user when the tests run
as root (PostgreSQL refuses to run as root). Skipped when the binaries are absent.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from conftest import REPO

PG_BIN = next((Path(p) for p in ("/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin")
               if (Path(p) / "initdb").is_file()), None)
if PG_BIN is None and shutil.which("initdb"):
    PG_BIN = Path(shutil.which("initdb")).parent
pytestmark = pytest.mark.skipif(PG_BIN is None, reason="PostgreSQL binaries (initdb, pg_ctl) are absent")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_db_user(args: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return args
    if shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start PostgreSQL as another user")
    return ["runuser", "-u", "postgres", "--", *args]


@pytest.fixture
def postgres():
    # Not under pytest's tmp_path: its parents are private to root, and the server runs as postgres.
    root = Path(tempfile.mkdtemp(prefix="qantara-pg-"))
    root.chmod(0o777)
    data = root / "data"
    port = _free_port()
    subprocess.run(_as_db_user([str(PG_BIN / "initdb"), "-D", str(data), "-U", "prefect", "--auth=trust",
                                "-E", "UTF8"]), check=True, capture_output=True)
    subprocess.run(_as_db_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-w", "-l", str(data / "log"),
                                "-o", f"-h 127.0.0.1 -p {port} -k {data}", "start"]), check=True, capture_output=True)
    try:
        subprocess.run(_as_db_user([str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "prefect",
                                    "prefect"]), check=True, capture_output=True)
        yield f"postgresql+asyncpg://prefect@127.0.0.1:{port}/prefect"
    finally:
        subprocess.run(_as_db_user([str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
                       capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def test_flow_on_a_postgres_backed_server(postgres, tmp_path):
    port = _free_port()
    env = {**os.environ, "PREFECT_API_DATABASE_CONNECTION_URL": postgres, "PREFECT_HOME": str(tmp_path / "home"),
           "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_UI_ENABLED": "false"}
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    api = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + 180
        import httpx

        while True:
            assert server.poll() is None, server.stderr.read().decode()[-2000:]
            assert time.monotonic() < deadline, "Prefect server did not come up"
            try:
                if httpx.get(f"{api}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        inputs, out = tmp_path / "inputs", tmp_path / "outputs"
        inputs.mkdir()
        (inputs / "a.txt").write_text("زار وزير الخارجية كازاخستان في مايو 2025.\n", encoding="utf-8")
        code = (
            "from flows.run import qantara_run\n"
            "from prefect.client.orchestration import get_client\n"
            f"state = qantara_run(input_dir={str(inputs)!r}, output_dir={str(out)!r}, "
            f"glossary_dir={str(tmp_path / 'none')!r}, packages_dir={str(tmp_path)!r}, return_state=True)\n"
            "with get_client(sync_client=True) as client:\n"
            "    run = client.read_flow_run(state.state_details.flow_run_id)\n"
            "print(run.state.type.value, state.result().documents[0].status)\n"
        )
        client_env = {**os.environ, "PREFECT_API_URL": api, "PYTHONPATH": str(REPO)}
        done = subprocess.run([sys.executable, "-c", code], cwd=REPO, env=client_env, capture_output=True,
                              text=True, timeout=240)
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip().splitlines()[-1] == "COMPLETED published"
        assert (out / "a" / "segments.jsonl").is_file()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
