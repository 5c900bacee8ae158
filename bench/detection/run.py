"""Detection benchmark: perfguard time against hyperfine + Welch's t-test, side by side.

K trials of A/A (the workload against itself) and A/B (against the copy slower by a given
percentage). Each trial runs both tools, in a random order, on the same pair of commands:
  perfguard  perfguard time -N --threshold T --export-json ...  (its defaults otherwise:
             adaptive, at least 10 and at most ~3 s of runs per command, alpha = 2% spent
             across the looks). Alarm: verdict "regressed".
  hyperfine  hyperfine -N --export-json ...  (its defaults: at least 10 runs and 3 s per
             command), then scipy.stats.ttest_ind(B, A, equal_var=False). Alarm: p < 0.05
             and mean(B) > mean(A).
Prints false-alarm (A/A) and detection (A/B) rates with 95% Clopper-Pearson intervals, runs
per command, and the spread of the ratio estimates. Every trial is appended to --results as
one JSON line. With --simulator, it then times the workload 200 times and hands those times
to detection_simulate, which replays perfguard's schedule and verdict on thousands of trials.
Needs Debian's python3-scipy (/usr/bin/python3).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time

from scipy import stats


def run(argv):
    subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def calibrate(workload, target):
    """Iterations for a run of about `target` seconds."""
    guess = 2e7
    for _ in range(2):
        walls = []
        for _ in range(5):
            start = time.perf_counter()
            subprocess.run([workload, str(int(guess))], check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
        guess *= target / statistics.median(walls)
    return int(guess)


def perfguard_trial(perfguard, threshold, metric, a, b, out):
    argv = [perfguard, "time", "-N", "--threshold", threshold, "--metric", metric,
            "--export-json", out, a, b]
    start = time.perf_counter()
    run(argv)
    seconds = time.perf_counter() - start
    with open(out) as f:
        doc = json.load(f)
    comparison = doc["comparisons"][0]
    return {
        "verdict": comparison["verdict"],
        "alarm": comparison["verdict"] == "regressed",
        "fails_if_slower": comparison["verdict"] in ("regressed", "inconclusive"),
        "ratio": comparison["ratio"],
        "runs": doc["runs"],
        "looks": doc["looks"],
        "stop_reason": doc["stop_reason"],
        "seconds": seconds,
    }


def hyperfine_trial(a, b, out):
    start = time.perf_counter()
    run(["hyperfine", "-N", "--export-json", out, a, b])
    seconds = time.perf_counter() - start
    with open(out) as f:
        results = json.load(f)["results"]
    ta, tb = results[0]["times"], results[1]["times"]
    welch = stats.ttest_ind(tb, ta, equal_var=False)
    return {
        "p": float(welch.pvalue),
        "alarm": bool(welch.pvalue < 0.05 and statistics.mean(tb) > statistics.mean(ta)),
        "ratio": statistics.median(tb) / statistics.median(ta),
        "ratio_of_means": statistics.mean(tb) / statistics.mean(ta),
        "runs": min(len(ta), len(tb)),
        "seconds": seconds,
    }


def rate(trials, key):
    hits = sum(1 for t in trials if t[key])
    ci = stats.binomtest(hits, len(trials)).proportion_ci(0.95, method="exact")
    return f"{hits}/{len(trials)} = {100 * hits / len(trials):5.1f}%  [{100 * ci.low:.1f}, {100 * ci.high:.1f}]"


def spread(values):
    if len(values) < 2:
        return f"median {statistics.median(values):.4f}"
    q = statistics.quantiles(values, n=20)  # 5% steps
    return f"median {statistics.median(values):.4f}, 5-95% {q[0]:.4f}..{q[-1]:.4f}"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--perfguard", required=True)
    parser.add_argument("--workload", required=True)
    parser.add_argument("--slow", required=True, help="the workload copy that is slower")
    parser.add_argument("--slowdown", default="5", help="percent, for the report")
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--threshold", default="2%")
    parser.add_argument("--metric", default="wall_time", help="perfguard's --metric")
    parser.add_argument("--target", type=float, default=0.050, help="seconds per workload run")
    parser.add_argument("--results", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--simulator", help="detection_simulate, to run after the real trials")
    parser.add_argument("--simulated-trials", default="2000")
    args = parser.parse_args()

    iterations = calibrate(args.workload, args.target)
    a = f"{args.workload} {iterations}"
    b = f"{args.slow} {iterations}"
    print(f"workload: {iterations} iterations (~{args.target * 1e3:.0f} ms); copy +{args.slowdown}%; "
          f"{args.trials} trials of A/A and A/B; perfguard --threshold {args.threshold} "
          f"--metric {args.metric}", flush=True)

    rng = random.Random(args.seed)
    tmp = tempfile.mkdtemp()
    trials = {(tool, scenario): [] for tool in ("perfguard", "hyperfine") for scenario in ("A/A", "A/B")}
    with open(args.results, "w") as log:
        for k in range(args.trials):
            jobs = [(tool, scenario) for tool in ("perfguard", "hyperfine") for scenario in ("A/A", "A/B")]
            rng.shuffle(jobs)
            for tool, scenario in jobs:
                second = a if scenario == "A/A" else b
                out = os.path.join(tmp, "out.json")
                if tool == "perfguard":
                    result = perfguard_trial(args.perfguard, args.threshold, args.metric, a, second,
                                             out)
                else:
                    result = hyperfine_trial(a, second, out)
                result.update({"trial": k, "tool": tool, "scenario": scenario})
                trials[(tool, scenario)].append(result)
                log.write(json.dumps(result) + "\n")
                log.flush()
            print(f"  trial {k + 1}/{args.trials} done", file=sys.stderr, flush=True)

    print()
    for scenario, what in (("A/A", "false alarms"), ("A/B", f"+{args.slowdown}% detected")):
        print(f"{scenario}: {what} (95% CI)")
        for tool in ("perfguard", "hyperfine"):
            t = trials[(tool, scenario)]
            runs = [x["runs"] for x in t]
            print(f"  {tool:<10} {rate(t, 'alarm')}   runs/command mean {statistics.mean(runs):5.1f} "
                  f"(min {min(runs)}, max {max(runs)})   ratio {spread([x['ratio'] for x in t])}")
        pg = trials[("perfguard", scenario)]
        verdicts = {}
        for x in pg:
            verdicts[x["verdict"]] = verdicts.get(x["verdict"], 0) + 1
        print(f"  perfguard verdicts: {verdicts}; exit 1 under --fail-if-slower: {rate(pg, 'fails_if_slower')}")
        seconds = {tool: statistics.mean(x["seconds"] for x in trials[(tool, scenario)]) for tool in ("perfguard", "hyperfine")}
        print(f"  wall time per trial: perfguard {seconds['perfguard']:.1f} s, hyperfine {seconds['hyperfine']:.1f} s")

    if args.simulator:
        pool = os.path.join(tmp, "pool.json")
        run([args.perfguard, "time", "-N", "--runs", "200", "--export-json", pool, a])
        print(flush=True)
        subprocess.run([args.simulator, "--metric", args.metric, pool, args.simulated_trials,
                        args.slowdown, args.threshold], check=True)


if __name__ == "__main__":
    main()
