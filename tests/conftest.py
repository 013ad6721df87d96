"""Fixtures shared by the end-to-end tests: one Prefect test server and one argos package."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason=f"{SHARED} is absent (shared seeds and fixtures)")


@pytest.fixture(scope="session")
def prefect_server():
    """A real Prefect API (temporary SQLite database) for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def argos_model_file(tmp_path_factory) -> Path:
    """A small, real argos-format Arabic→English package built by the tests."""
    from support.argos_package import build_argos_package

    return build_argos_package(tmp_path_factory.mktemp("argos-build"))


@pytest.fixture(scope="session")
def installed_packages_dir(tmp_path_factory, argos_model_file) -> Path:
    """A packages folder holding that package, installed through the real install path."""
    from qantara.config import Settings
    from qantara.models import install_package_file

    folder = tmp_path_factory.mktemp("argos-packages")
    install_package_file(argos_model_file, Settings(packages_dir=folder))
    return folder
