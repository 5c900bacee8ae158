#!/usr/bin/env bash
# perfguard's exact median-ratio CI against scipy.stats.bootstrap (10,000 resamples, BCa and
# percentile) on the same kind of data: 2 x 1,000 lognormal timings. Goal: >= 100x faster
# than scipy's BCa. Prints one table. See bench/README.md.
#   PERFGUARD_BUILD_DIR   build directory (default: build/)
set -euo pipefail

# shellcheck source=SCRIPTDIR/../scripts/lib/deps.sh
. "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib/deps.sh"
cd "$PERFGUARD_ROOT"

# The system python: a pyenv python3 earlier on PATH has no scipy.
py=/usr/bin/python3
perfguard_ensure_packages "${PERFGUARD_BUILD_PACKAGES[@]}" python3 python3-numpy python3-scipy
build="$(perfguard_build_dir)"
perfguard_build "$build" stats_bench

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

echo "running stats_bench (perfguard) ..." >&2
"$build/bench/stats_bench" \
  --benchmark_filter='^BM_(ExactMedianRatioCi|BootstrapBcaMedianRatio)$' \
  --benchmark_repetitions=5 --benchmark_report_aggregates_only=true \
  --benchmark_format=json --benchmark_out_format=json --benchmark_out="$tmp/perfguard.json" \
  >/dev/null
echo "running scipy.stats.bootstrap ..." >&2
"$py" bench/scipy_ratio_ci.py --repetitions 5 >"$tmp/scipy.json"

"$py" - "$tmp/perfguard.json" "$tmp/scipy.json" <<'PY'
import json, sys

to_seconds = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}
gbench = json.load(open(sys.argv[1]))
scipy = json.load(open(sys.argv[2]))

def median_seconds(name):
    for b in gbench["benchmarks"]:
        if b.get("run_name") == name and b.get("aggregate_name") == "median":
            return b["real_time"] * to_seconds[b["time_unit"]]
    sys.exit(f"stats_vs_scipy: no median for {name} in the stats_bench output")

exact = median_seconds("BM_ExactMedianRatioCi")
pg_bca = median_seconds("BM_BootstrapBcaMedianRatio")
sp_bca = scipy["scipy_bca_seconds"]
sp_pct = scipy["scipy_percentile_seconds"]

def ms(s):
    return f"{s * 1e3:10.3f} ms"

print(f"median-ratio 95% CI, 2 x {scipy['n_per_side']} lognormal samples "
      f"(scipy {scipy['scipy_version']}, numpy {scipy['numpy_version']})")
print(f"{'method':<52} {'time':>13} {'exact speed-up':>15}")
rows = [
    ("perfguard exact_median_ratio_ci (no resampling)", exact),
    (f"perfguard median_ratio_ci BCa, {scipy['resamples']} resamples", pg_bca),
    (f"scipy.stats.bootstrap BCa, {scipy['resamples']} resamples", sp_bca),
    (f"scipy.stats.bootstrap percentile, {scipy['resamples']} resamples", sp_pct),
]
for label, seconds in rows:
    speedup = "" if seconds is exact else f"{seconds / exact:10.1f}x"
    print(f"{label:<52} {ms(seconds)} {speedup:>15}")
goal = 100.0
verdict = "met" if sp_bca / exact >= goal else "NOT met"
print(f"goal: exact >= {goal:.0f}x faster than scipy BCa -> {verdict} ({sp_bca / exact:.1f}x)")
PY
