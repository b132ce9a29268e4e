#!/usr/bin/env bash
# Installs the engine from BUILD_DIR into a scratch prefix, builds examples/outside_tree (the
# tutorial program, with find_package(vigil)) against it, and checks that the program prints
# EXPECTED for LOGINS.
#   outside_tree.sh BUILD_DIR SOURCE_DIR LOGINS EXPECTED
set -euo pipefail
build_dir=$1 source_dir=$2 logins=$3 expected=$4
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cmake --install "$build_dir" --prefix "$scratch/prefix" > "$scratch/install.log"
cmake -S "$source_dir/examples/outside_tree" -B "$scratch/app" \
  -DCMAKE_PREFIX_PATH="$scratch/prefix" > "$scratch/configure.log" ||
  { cat "$scratch/configure.log"; exit 1; }
cmake --build "$scratch/app" > "$scratch/build.log" 2>&1 || { cat "$scratch/build.log"; exit 1; }
"$scratch/app/suspicious_logins" "$logins" > "$scratch/out.txt"
diff -u "$expected" "$scratch/out.txt"
# The installed tree holds headers and the package files, not the source tree's paths.
test -f "$scratch/prefix/include/vigil/vigil.h"
test -f "$scratch/prefix/lib/cmake/vigil/vigilConfig.cmake"
! grep -rq "$source_dir/src" "$scratch/prefix/lib/cmake/vigil/"
