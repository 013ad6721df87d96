"""The flow's orchestration: incremental runs with their artifacts, overlapping runs, retries
and the Dask task runner.

The flow tests share the session's Prefect test server and each runs a handful of flows over
tiny corpora.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from conftest import REPO
from qantara.memory import TranslationMemory

ARABIC = "زار وزير الخارجية الكويتي كازاخستان في مايو 2025. وبحث الجانبان التعاون في مجالات الطاقة والنقل.\n"
OTHER = "وقالت الحكومة إن مجلس التعاون الخليجي يسعى إلى تعزيز الشراكة مع دول آسيا الوسطى.\n"


# --- retries -----------------------------------------------------------------------------

TRANSIENT = [
    (OSError(errno.EIO, "Input/output error"), True),
    (OSError(errno.ESTALE, "Stale file handle"), True),
    (TimeoutError(errno.ETIMEDOUT, "timed out"), True),
    (FileNotFoundError(errno.ENOENT, "gone"), False),
    (PermissionError(errno.EACCES, "denied"), False),
    (ValueError("bad bytes"), False),
]


@pytest.mark.parametrize(("exc", "transient"), TRANSIENT, ids=[repr(e) for e, _ in TRANSIENT])
def test_only_transient_errors_are_retried(exc, transient):
    from flows.run import is_transient, prepare

    assert is_transient(exc) is transient
    assert prepare.retries == 2 and prepare.retry_condition_fn is not None


# --- the flow ----------------------------------------------------------------------------

def _artifacts(flow_run_id) -> dict[str, object]:
    """The run's two artifacts, read back from the server's REST API.

    prefect 3.8.8's client sends null limit/offset/sort when they are left out, which its own
    server rejects (422); the request is therefore spelled out here.
    """
    import httpx
    from prefect.settings import PREFECT_API_URL

    body = {
        "artifacts": {"key": {"any_": ["qantara-run-summary", "qantara-documents"]}},
        "limit": 200, "offset": 0, "sort": "CREATED_DESC",
    }
    response = httpx.post(f"{PREFECT_API_URL.value()}/artifacts/filter", json=body, timeout=30)
    response.raise_for_status()
    found = {a["key"]: a["data"] for a in reversed(response.json()) if a["flow_run_id"] == str(flow_run_id)}
    assert len(found) == 2, response.json()[:4]
    return found


def test_incremental_runs_skip_unchanged_and_remake_changed(prefect_server, installed_packages_dir, tmp_path,
                                                           monkeypatch):
    from flows.run import qantara_run

    # The stage code is being edited while tests run in a shared tree; pin its version here.
    monkeypatch.setattr("qantara.signature.code_version", lambda: "pinned")

    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    (inputs / "b.txt").write_text(OTHER, encoding="utf-8")
    kwargs = dict(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(REPO / "glossary"),
                  packages_dir=str(installed_packages_dir))

    first = qantara_run(**kwargs, return_state=True)
    assert [d.status for d in first.result().documents] == ["published", "published"]
    assert first.result().model_calls == 1
    mtimes = {p: p.stat().st_mtime_ns for p in out.glob("*/*")}

    second_state = qantara_run(**kwargs, return_state=True)
    second = second_state.result()
    assert [d.status for d in second.documents] == ["skipped", "skipped"]
    assert all(d.error.startswith("unchanged since 20") for d in second.documents)
    assert second.model_calls == 0 and second.documents[0].segments == first.result().documents[0].segments
    assert {p: p.stat().st_mtime_ns for p in out.glob("*/*")} == mtimes
    record = json.loads((out / "run-summary.json").read_text("utf-8"))
    assert record["counts"] == {"total": 2, "published": 0, "skipped": 2, "failed": 0}

    artifacts = _artifacts(second_state.state_details.flow_run_id)
    assert "2 skipped" in artifacts["qantara-run-summary"] and "| translate |" in artifacts["qantara-run-summary"]
    table = json.loads(artifacts["qantara-documents"])
    assert [(row["file"], row["status"]) for row in table] == [("a.txt", "skipped"), ("b.txt", "skipped")]

    (inputs / "b.txt").write_text(OTHER + OTHER.replace("الحكومة", "الوزارة"), encoding="utf-8")
    third_state = qantara_run(**kwargs, return_state=True)
    third = third_state.result()
    assert [d.status for d in third.documents] == ["skipped", "published"]
    table = json.loads(_artifacts(third_state.state_details.flow_run_id)["qantara-documents"])
    assert table[1]["reason"] == "content changed"
    assert "b.txt: content changed" in _artifacts(third_state.state_details.flow_run_id)["qantara-run-summary"]

    # A reviewed translation republishes the document it applies to (only that one) from the
    # memory, without the model.
    a_segment = json.loads((out / "a" / "segments.jsonl").read_text("utf-8").splitlines()[0])
    with TranslationMemory(out / "translation-memory.sqlite") as memory:
        memory.store_reviewed([(a_segment["arabic"], "The reviewed sentence.", "a", a_segment["id"])])
    fourth_state = qantara_run(**kwargs, return_state=True)
    fourth = fourth_state.result()
    assert [d.status for d in fourth.documents] == ["published", "skipped"]
    assert json.loads(_artifacts(fourth_state.state_details.flow_run_id)["qantara-documents"])[0]["reason"] == (
        "reviewed translations imported")
    assert fourth.model_calls == 0
    republished = json.loads((out / "a" / "segments.jsonl").read_text("utf-8").splitlines()[0])
    assert (republished["english"], republished["origin"]) == ("The reviewed sentence.", "reviewed")

    # Deleted outputs are remade even though the input did not change.
    for path in (out / "a").iterdir():
        path.unlink()
    fifth = qantara_run(**kwargs)
    assert [d.status for d in fifth.documents] == ["published", "skipped"]
    assert (out / "a" / "segments.jsonl").is_file()


_HOLDER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from qantara.lock import run_lock
    out, flag, seconds = Path(sys.argv[1]), Path(sys.argv[2]), float(sys.argv[3])
    with run_lock(out):
        flag.write_text("held")
        time.sleep(seconds)
    """
)


def _hold_lock(out: Path, flag: Path, seconds: float) -> subprocess.Popen:
    holder = subprocess.Popen([sys.executable, "-c", _HOLDER, str(out), str(flag), str(seconds)], cwd=REPO)
    deadline = time.monotonic() + 30
    while not flag.exists():
        assert holder.poll() is None and time.monotonic() < deadline
        time.sleep(0.05)
    return holder


def _prefect_env() -> dict[str, str]:
    from prefect.settings import PREFECT_API_URL

    return {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONPATH": str(REPO)}


def test_overlapping_run_exits_with_a_clear_message(prefect_server, tmp_path):
    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    holder = _hold_lock(out, tmp_path / "held", 120)
    try:
        env = {**_prefect_env(), "QANTARA_PACKAGES_DIR": str(tmp_path)}
        second = subprocess.run(
            [sys.executable, "-m", "qantara", "run", "--input", str(inputs), "--output", str(out),
             "--glossary", str(tmp_path / "none")],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
        )
    finally:
        holder.kill()
        holder.wait()
    assert second.returncode == 1, second.stderr[-2000:]
    assert "another Qantara run is writing to this output folder" in second.stderr
    assert f"pid {holder.pid}" in second.stderr
    assert not (out / "a").exists() and not (out / "run-summary.json").exists()


def test_overlapping_run_can_wait_its_turn(prefect_server, tmp_path):
    from flows.run import qantara_run

    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text(ARABIC, encoding="utf-8")
    holder = _hold_lock(out, tmp_path / "held", 3)
    start = time.monotonic()
    summary = qantara_run(input_dir=str(inputs), output_dir=str(out), glossary_dir=str(tmp_path / "none"),
                          packages_dir=str(tmp_path), lock_wait=60)
    assert holder.wait(timeout=30) == 0  # it finished its sleep undisturbed, then we ran
    assert time.monotonic() - start > 1.5
    assert [d.status for d in summary.documents] == ["published"]


def test_dask_task_runner_on_a_local_cluster(prefect_server, tmp_path):
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("prefect_dask")
    from flows.run import configured

    inputs, out = tmp_path / "inputs", tmp_path / "outputs"
    inputs.mkdir()
    for k, text in enumerate([ARABIC, OTHER, ARABIC + OTHER]):
        (inputs / f"doc{k}.txt").write_text(text, encoding="utf-8")
    with distributed.LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                  dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            workers = client.run(os.getpid)
            worker_pids = set(workers.values())
            with distributed.get_task_stream(client) as stream:
                summary = configured(dask_address=cluster.scheduler_address)(
                    input_dir=str(inputs), output_dir=str(out), glossary_dir=str(REPO / "glossary"),
                    packages_dir=str(tmp_path),
                )
    assert [d.status for d in summary.documents] == ["published"] * 3
    assert len(worker_pids) == 2 and os.getpid() not in worker_pids
    # Only prepare-document goes through the task runner (translation and publishing run in
    # the flow's process), so every task the cluster ran is one document being prepared.
    assert len(stream.data) >= 3
    assert {task["worker"] for task in stream.data} <= set(workers)
    assert (out / "doc2" / "segments.jsonl").is_file()
