"""The package installs into a virtual environment offline, as the README says
(`python3 -m venv --system-site-packages`, `pip install --no-build-isolation --no-index .`),
and the installed copy runs the tutorial with Pathway's answer. The build reuses the test
build's CMake directory (VIGIL_BUILD_DIR), so it costs an up-to-date check, not a build."""

import os
import pathlib
import subprocess
import sys

import pytest

from test_tutorial import pathway_answer


@pytest.mark.skipif(os.environ.get("VIGIL_SANITIZED") == "1",
                    reason="pip under the ASan preload of the sanitizer build; the release "
                           "suite runs this test")
def test_pip_install_into_a_venv_runs_the_tutorial(tmp_path, shared_dir, repo_dir):
    build_dir = os.environ.get("VIGIL_CMAKE_BUILD_DIR")
    assert build_dir, "ctest sets VIGIL_CMAKE_BUILD_DIR (python/CMakeLists.txt)"
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", str(venv)],
                   check=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["VIGIL_BUILD_DIR"] = build_dir
    subprocess.run([str(venv / "bin" / "pip"), "install", "--no-build-isolation", "--no-index",
                    "-q", str(repo_dir)], cwd=repo_dir, env=env, check=True,
                   capture_output=True)
    python = str(venv / "bin" / "python")
    where = subprocess.run([python, "-c", "import vigil; print(vigil.__file__)"], env=env,
                           cwd=tmp_path, check=True, capture_output=True, text=True).stdout
    assert pathlib.Path(where.strip()).is_relative_to(venv), where
    done = subprocess.run([python, str(repo_dir / "examples" / "python" / "suspicious_logins.py"),
                           str(shared_dir / "seed" / "logins.csv")], env=env, cwd=tmp_path,
                          check=True, capture_output=True, text=True)
    assert done.stdout == pathway_answer(shared_dir)
