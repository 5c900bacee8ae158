# shellcheck shell=bash
# Shared helpers for perfguard's scripts: install missing Debian packages, configure and build.
# Source it (". scripts/lib/deps.sh"); it defines functions and variables and runs nothing.

# The repository root, whichever script sourced this file.
PERFGUARD_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

# Everything needed to configure, build and test perfguard (Debian 12 package names).
# shellcheck disable=SC2034  # used by the scripts that source this file
PERFGUARD_BUILD_PACKAGES=(
  cmake g++ make
  libbenchmark-dev libgtest-dev libgmock-dev
  libboost-dev libboost-math-dev libboost-filesystem-dev
  libeigen3-dev nlohmann-json3-dev libcli11-dev libfmt-dev libsqlite3-dev
  git
  # the history store: SQLite (default) and PostgreSQL (libpq); the tests start a throwaway
  # PostgreSQL server from Debian's postgresql package
  libpq-dev postgresql
  # instruction counts: commands run under Callgrind (measure: instructions)
  valgrind
  # the tests validate every artifact against its JSON Schema
  python3 python3-jsonschema
)

# perfguard_ensure_packages PKG...: install the packages that are not installed yet, and
# nothing else. Silent when all are present; apt's index is refreshed only when something
# is missing.
perfguard_ensure_packages() {
  local missing=() pkg status
  for pkg in "$@"; do
    status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
    if [[ "$status" != "install ok installed" ]]; then
      missing+=("$pkg")
    fi
  done
  ((${#missing[@]} == 0)) && return 0

  local sudo=()
  if ((EUID != 0)); then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "perfguard: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  echo "perfguard: installing ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# perfguard_build_dir [BUILD_DIR]: the absolute build directory. BUILD_DIR defaults to
# $PERFGUARD_BUILD_DIR, else build/; a relative path is taken from the repository root.
perfguard_build_dir() {
  local build="${1:-${PERFGUARD_BUILD_DIR:-build}}"
  [[ "$build" = /* ]] || build="$PERFGUARD_ROOT/$build"
  printf '%s\n' "$build"
}

# perfguard_configure [BUILD_DIR]: run cmake's configure step, but only when there is no
# configured tree yet or the extra arguments in $PERFGUARD_CMAKE_ARGS changed since the last
# one (cmake --build re-runs configure by itself when a CMakeLists.txt changes). Quiet on
# success; on failure prints the tail of the log and returns non-zero.
perfguard_configure() {
  local build
  build="$(perfguard_build_dir "${1:-}")"
  local extra_args=()
  # Word-split on purpose: PERFGUARD_CMAKE_ARGS="-DPERFGUARD_SANITIZE=ON -DX=Y".
  # shellcheck disable=SC2206
  [[ -n "${PERFGUARD_CMAKE_ARGS:-}" ]] && extra_args=(${PERFGUARD_CMAKE_ARGS})

  mkdir -p "$build"
  local log="$build/perfguard-configure.log"
  local stamp="$build/.perfguard-cmake-args"
  local wanted="${extra_args[*]:-}"

  # A cache made for another source tree (a moved or copied checkout) cannot be reused.
  if [[ -f "$build/CMakeCache.txt" ]] &&
     ! grep -qxF "CMAKE_HOME_DIRECTORY:INTERNAL=$PERFGUARD_ROOT" "$build/CMakeCache.txt"; then
    rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
  fi
  if [[ -f "$build/CMakeCache.txt" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
    return 0
  fi

  # --fresh: options dropped from PERFGUARD_CMAKE_ARGS must not linger in the old cache.
  if ! cmake --fresh -S "$PERFGUARD_ROOT" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
       "${extra_args[@]}" >"$log" 2>&1; then
    echo "perfguard: cmake configure failed (log: $log):" >&2
    tail -n 40 "$log" >&2
    return 1
  fi
  printf '%s' "$wanted" >"$stamp"
}

# perfguard_build [BUILD_DIR [TARGET...]]: perfguard_configure, then build with -j2 -- every
# target, or only the TARGETs named. Quiet on success; on failure prints the tail of the log
# and returns non-zero.
perfguard_build() {
  local build
  build="$(perfguard_build_dir "${1:-}")"
  (($# > 0)) && shift
  local targets=()
  (($# > 0)) && targets=(--target "$@")
  perfguard_configure "$build" || return 1
  local log="$build/perfguard-build.log"
  if ! cmake --build "$build" -j2 "${targets[@]}" >"$log" 2>&1; then
    echo "perfguard: build failed (log: $log):" >&2
    tail -n 60 "$log" >&2
    return 1
  fi
}
