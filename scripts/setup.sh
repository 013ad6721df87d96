#!/usr/bin/env bash
# Creates .venv with Qantara and its test tools. torch is installed first and pinned, so that
# argostranslate's dependency on it is already met and pip does not fetch a multi-GB CUDA
# build (on a machine without a local wheel, add
# `--index-url https://download.pytorch.org/whl/cpu` to the first install).
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/pip install -q --upgrade pip
.venv/bin/pip install -q "torch==2.13.0"
.venv/bin/pip install -q -e ".[test]"
