#!/usr/bin/env bash
# The detection benchmark (README.md): TRIALS trials of A/A and A/B through `perfguard time`
# and through hyperfine + Welch's t-test, side by side, then 2000 simulated trials of each
# (detection_simulate). About 20 s per trial on a 2-core machine; do not run it while building.
#   PERFGUARD_BUILD_DIR   build directory (default: build/)
#   TRIALS                trials of each scenario (default 30)
#   THRESHOLD             perfguard's --threshold (default 2%)
#   RESULTS               where every trial is logged as JSON lines
#                         (default: $PERFGUARD_BUILD_DIR/detection-results.jsonl)
#   METRIC                perfguard's --metric: wall_time (default) or cpu_time
#   LOAD                  busy loops to run alongside, for a loaded machine (default 0);
#                         stopped when the script ends
set -euo pipefail

# shellcheck source=SCRIPTDIR/../../scripts/lib/deps.sh
. "$(dirname "${BASH_SOURCE[0]}")/../../scripts/lib/deps.sh"
cd "$PERFGUARD_ROOT"

perfguard_ensure_packages "${PERFGUARD_BUILD_PACKAGES[@]}" hyperfine python3 python3-scipy
build="$(perfguard_build_dir)"
perfguard_build "$build" perfguard detection_workload detection_workload_slow detection_simulate
slowdown="$(sed -n 's/^PERFGUARD_DETECTION_SLOWDOWN:STRING=//p' "$build/CMakeCache.txt")"

echo "busy loops alongside: ${LOAD:-0}"
busy=()
trap 'if ((${#busy[@]})); then kill "${busy[@]}" 2>/dev/null || true; fi' EXIT
for ((i = 0; i < ${LOAD:-0}; i++)); do
  sh -c 'while :; do :; done' &
  busy+=("$!")
done

# The system python: a pyenv python3 earlier on PATH has no scipy.
/usr/bin/python3 bench/detection/run.py \
  --perfguard "$build/guard/perfguard" \
  --workload "$build/bench/detection/detection_workload" \
  --slow "$build/bench/detection/detection_workload_slow" \
  --slowdown "${slowdown:-5}" \
  --trials "${TRIALS:-30}" \
  --threshold "${THRESHOLD:-2%}" \
  --metric "${METRIC:-wall_time}" \
  --results "${RESULTS:-$build/detection-results.jsonl}" \
  --simulator "$build/bench/detection/detection_simulate"
