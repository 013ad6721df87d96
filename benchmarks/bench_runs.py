"""Wall time of a first run over the samples (inputs/) against an unchanged rerun.

Two settings, as the runs happen in practice:
- ``cli``: `python -m qantara run` as a fresh process each time, as a user types it; with no
  Prefect server configured, the first run starts a temporary one, and the rerun decides that
  nothing changed before it would start one (the target: under 3 s wall);
- ``served``: one Prefect server for both runs (as under `qantara serve`), the flow called
  in-process; Prefect's share is the run's wall time not spent inside the stages the flow
  times itself (read from the state file's ``last_run``).

The model is whatever `qantara models list` finds (none: segments untranslated). Run:
`python benchmarks/bench_runs.py`; writes outputs/benchmarks/runs.json; the last line is
`speedup <first / unchanged rerun>` for the cli setting.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
INPUTS = REPO / "inputs"
RESULTS = REPO / "outputs" / "benchmarks" / "runs.json"


def _cli_run(out: Path) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "qantara", "run", "--input", str(INPUTS), "--output", str(out)],
                   cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_cli(work: Path) -> dict:
    out = work / "cli"
    first = _cli_run(out)
    rerun = _cli_run(out)
    return {"first_s": round(first, 2), "rerun_s": round(rerun, 2)}


def bench_served(work: Path) -> dict:
    from prefect.testing.utilities import prefect_test_harness

    from flows.run import qantara_run
    from qantara.incremental import load_last_run

    out = work / "served"
    result = {}
    start = time.perf_counter()
    with prefect_test_harness(server_startup_timeout=120):
        result["server_start_s"] = round(time.perf_counter() - start, 2)
        for label in ("first", "rerun"):
            start = time.perf_counter()
            summary = qantara_run(input_dir=str(INPUTS), output_dir=str(out), glossary_dir=str(REPO / "glossary"))
            wall = time.perf_counter() - start
            stages = load_last_run(out).get("stages", {})
            work_s = sum(stages.values())
            result[label] = {
                "wall_s": round(wall, 3), "stages_s": stages, "prefect_s": round(wall - work_s, 3),
                "prefect_share": round((wall - work_s) / wall, 3),
                "published": summary.count("published"), "skipped": summary.count("skipped"),
                "model_calls": summary.model_calls,
            }
    return result


def main() -> None:
    from machine_load import describe_machine
    print(describe_machine())
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        served = bench_served(work)
        cli = bench_cli(work)
    first, rerun = served["first"], served["rerun"]
    print(f"{'setting':<10}{'first s':>10}{'rerun s':>10}{'rerun/first':>13}")
    print(f"{'cli':<10}{cli['first_s']:>10.2f}{cli['rerun_s']:>10.2f}{cli['rerun_s'] / cli['first_s']:>13.2f}")
    print(f"{'served':<10}{first['wall_s']:>10.2f}{rerun['wall_s']:>10.2f}{rerun['wall_s'] / first['wall_s']:>13.2f}")
    for label in ("first", "rerun"):
        run = served[label]
        print(f"served {label}: Prefect {run['prefect_s']:.2f} s of {run['wall_s']:.2f} s "
              f"({run['prefect_share']:.0%}); stages {run['stages_s']}")
    print(f"server start-up (once): {served['server_start_s']:.2f} s")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps({"cli": cli, "served": served}, indent=2) + "\n", encoding="utf-8")
    print(f"speedup {cli['first_s'] / cli['rerun_s']:.2f}")


if __name__ == "__main__":
    main()
