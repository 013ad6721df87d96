"""The evaluation script: real path on the test package, and a clean exit without a model."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import REPO, needs_shared

SCRIPT = REPO / "benchmarks" / "eval_translation.py"


def _run(tmp_path, packages_dir, *args):
    env = {"QANTARA_PACKAGES_DIR": str(packages_dir), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, str(SCRIPT), *args], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=300)


def test_without_a_model_it_says_so_and_exits_0(tmp_path):
    result = _run(tmp_path, tmp_path / "none")
    assert result.returncode == 0, result.stderr
    assert "no evaluation" in result.stdout and "qantara models install" in result.stdout


@needs_shared
def test_scores_an_installed_package(tmp_path, installed_packages_dir):
    out = tmp_path / "eval.json"
    result = _run(tmp_path, installed_packages_dir, "--limit", "12", "--sets", "flores", "--output", str(out))
    assert result.returncode == 0, result.stderr
    record = json.loads(out.read_text("utf-8"))
    flores = record["sets"]["flores"]
    assert flores["lines"] == 12 and 0 <= flores["chrF"] <= 100
    assert flores["chrF_signature"].startswith("nrefs:1")
