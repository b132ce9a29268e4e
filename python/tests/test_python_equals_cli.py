"""Python = C++: the seed pipeline written in Python (bench/python/seed_detect.py, the
tutorial's cells with `import vigil as pw`) prints byte for byte what `vigil detect` prints,
on generated logins large enough to span many of the reader's batches (random seeds, two
window lengths through the generator's mix of attackers and office traffic)."""

import os
import subprocess
import sys

import pytest


@pytest.mark.parametrize("seed,rows", [(3, 300_000), (11, 150_003)])
def test_seed_pipeline_in_python_prints_what_the_cli_prints(tmp_path, repo_dir, seed, rows):
    build_dir = os.environ.get("VIGIL_CMAKE_BUILD_DIR")
    assert build_dir, "ctest sets VIGIL_CMAKE_BUILD_DIR (python/CMakeLists.txt)"
    vigil = os.path.join(build_dir, "bin", "vigil")
    logins = tmp_path / "logins.csv"
    subprocess.run([vigil, "generate", "--rows", str(rows), "--seed", str(seed), "-o",
                    str(logins)], check=True)
    cli = subprocess.run([vigil, "detect", str(logins)], check=True, capture_output=True)
    python = subprocess.run([sys.executable,
                             str(repo_dir / "bench" / "python" / "seed_detect.py"), str(logins)],
                            check=True, capture_output=True, env=dict(os.environ))
    assert cli.stdout.count(b"\n") > 20  # flagged windows to compare, not two empty tables
    assert python.stdout == cli.stdout
