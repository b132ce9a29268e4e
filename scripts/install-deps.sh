#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of Vigil from Debian's packages.
# Idempotent: packages already present are skipped, so `make` targets call it every time.
set -euo pipefail

packages=(
  build-essential cmake pkg-config ninja-build
  libxxhash-dev      # XXH3-128: row ids follow Pathway's recipe
  libfmt-dev         # formatting of messages and output
  libabsl-dev        # flat hash maps, btree maps for operator state
  libcli11-dev       # command-line parsing
  libfast-float-dev  # float parsing in the CSV reader
  libsimdjson-dev    # JSON Lines reader, journalctl -o json
  zlib1g-dev         # gzip-rotated logs (auth.log.2.gz)
  libsystemd-dev     # the systemd journal (sd-journal) as an input
  systemd-journal-remote  # tests write journal files from export format
  libtomlplusplus-dev  # the detection rules file (TOML)
  libmimalloc-dev    # the CLI's heap: 2 MiB pages (src/cli/heap.cc)
  libgtest-dev libgmock-dev
  libbenchmark-dev
  clang libclang-rt-14-dev  # libFuzzer and the sanitizer runtimes for `make fuzz`
  llvm-14                   # llvm-symbolizer: readable sanitizer stacks
  python3 bc time           # the differential test (test/differential) and bench scripts
  python3-dev pybind11-dev  # the Python module `vigil` (python/)
  python3-pytest python3-pandas  # its tests; table_to_pandas / table_from_pandas
  jupyter-nbconvert python3-ipykernel  # the tutorial notebook runs in `make test`
  python3-venv python3-pip python3-setuptools python3-wheel  # `pip install .` into a venv, offline
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "install-deps: installing ${missing[*]}" >&2
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq || true
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
