"""Builds the extension module vigil._vigil with the repository's CMake build and packages it
with the pure-Python files of python/vigil.

    python3 -m venv --system-site-packages venv
    venv/bin/pip install --no-build-isolation .

VIGIL_BUILD_DIR=DIR reuses (and updates) an existing CMake build directory instead of a
private one under setuptools' build_temp, so an installed copy costs one incremental build.
"""

import os
import pathlib
import shutil
import subprocess
import sys

from setuptools import Extension, find_packages, setup
from setuptools.command.build_ext import build_ext

ROOT = pathlib.Path(__file__).resolve().parent


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        build_dir = pathlib.Path(os.environ.get("VIGIL_BUILD_DIR") or
                                 pathlib.Path(self.build_temp).resolve() / "cmake")
        if not (build_dir / "CMakeCache.txt").exists():
            subprocess.check_call([
                "cmake", "-S", str(ROOT), "-B", str(build_dir), "-DCMAKE_BUILD_TYPE=Release",
                "-DVIGIL_BUILD_TESTS=OFF", "-DVIGIL_BUILD_BENCHMARKS=OFF",
                f"-DPython_EXECUTABLE={sys.executable}"])
        subprocess.check_call(["cmake", "--build", str(build_dir), "--target", "_vigil",
                               "-j", str(os.cpu_count() or 1)])
        built = next((build_dir / "python" / "vigil").glob("_vigil*.so"))
        target = pathlib.Path(self.get_ext_fullpath(ext.name))
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(built, target)


(ROOT / "build-pip").mkdir(exist_ok=True)  # egg_info needs its directory to exist

setup(
    packages=find_packages(str(ROOT / "python"), include=["vigil", "vigil.*"]),
    package_dir={"": "python"},
    ext_modules=[Extension("vigil._vigil", sources=[])],
    cmdclass={"build_ext": CMakeBuild},
    # Not `build/`, which is the CMake release build of `make build`.
    options={"build": {"build_base": "build-pip"}, "egg_info": {"egg_base": "build-pip"}},
    zip_safe=False,
)
