"""prefect.yaml deployed to the session's Prefect server through `prefect deploy` and run by a
process worker. (`qantara serve` and its schedule: test_schedule.py, on a real server.)"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from prefect.client.orchestration import get_client
from prefect.deployments import run_deployment

from conftest import REPO

ARABIC = "زار وزير الخارجية كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"


def _env(**extra) -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO), **extra}


def _wait_for_deployment(name: str, process: subprocess.Popen | None = None, seconds: float = 180):
    deadline = time.monotonic() + seconds
    with get_client(sync_client=True) as client:
        while True:
            try:
                return client.read_deployment_by_name(name)
            except Exception:
                if process is not None and process.poll() is not None:
                    raise AssertionError(process.stderr.read().decode()[-2000:])
                assert time.monotonic() < deadline, f"deployment {name} never appeared"
                time.sleep(0.5)


def _corpus(tmp_path: Path) -> tuple[Path, Path]:
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    return inputs, out


def test_prefect_yaml_deploys_to_a_process_work_pool(prefect_server, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    inputs, out = _corpus(data)
    env = _env(QANTARA_HOME=str(REPO), QANTARA_DATA=str(data), QANTARA_PACKAGES_DIR=str(tmp_path))
    prefect = [sys.executable, "-m", "prefect"]
    subprocess.run([*prefect, "work-pool", "create", "qantara-process", "--type", "process", "--overwrite"],
                   cwd=REPO, env=env, check=True, capture_output=True, timeout=120)
    deployed = subprocess.run([*prefect, "--no-prompt", "deploy", "--all"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=180)
    # It then asks for the pool's workers with limit=None, which the server answered with 422
    # under fastapi >= 0.151 (requirements/main.txt has an older one).
    assert deployed.returncode == 0 and "successfully created" in deployed.stdout, \
        deployed.stdout[-2000:] + deployed.stderr[-2000:]
    deployment = _wait_for_deployment("qantara-run/qantara-hourly")
    assert deployment.work_pool_name == "qantara-process"
    assert [s.schedule.cron for s in deployment.schedules] == ["0 * * * *"]
    assert deployment.parameters["output_dir"] == f"{data}/outputs"

    flow_run = run_deployment("qantara-run/qantara-hourly", timeout=0)
    worker = subprocess.run([*prefect, "worker", "start", "--pool", "qantara-process", "--run-once"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    with get_client(sync_client=True) as client:
        state = client.read_flow_run(flow_run.id).state
    assert state.is_completed(), (state, worker.stdout[-2000:], worker.stderr[-2000:])
    assert (out / "a" / "segments.jsonl").is_file()
