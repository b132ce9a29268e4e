"""pytest setup of vigil's Python tests: `vigil` comes from the build tree (PYTHONPATH set by
ctest, see python/CMakeLists.txt) and every test starts with an empty output graph."""

import os
import pathlib

import pytest

import vigil as pw

REPO = pathlib.Path(__file__).resolve().parents[2]
SHARED = pathlib.Path(os.environ.get("VIGIL_SHARED_DIR", REPO.parent / "shared"))


@pytest.fixture(autouse=True)
def _clear_graph():
    pw.internals.parse_graph.G.clear()
    yield
    pw.internals.parse_graph.G.clear()


@pytest.fixture
def shared_dir() -> pathlib.Path:
    return SHARED


@pytest.fixture
def repo_dir() -> pathlib.Path:
    return REPO
