"""Live trials of `perfguard time` with compare's defaults (README.md, "Paired rounds").

Each trial runs `perfguard time` once per ratio method, in a random order, on the same two
commands, while K memory-hungry neighbours (detection_neighbour_memory) run for the whole
script; it records each run's verdict, runs per side and seconds. compare's defaults: at least
10 and at most --max-runs (60) runs per side, threshold 5%, confidence 98%.

  python3 live_trials.py --perfguard PATH --trials K --label NAME --out RESULTS.jsonl \
      [--neighbours 2 --neighbour-binary B] [--methods paired_sign,median_ratio] \
      [--max-runs 60] [--threshold 5%] -- BASE... -- CANDIDATE...

Prints one line per method: verdicts, red gates (any verdict but unchanged/improved), median
runs per side and median seconds per trial.
"""
import argparse
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

import rounds_cli


def trial(perfguard, method, base, candidate, max_runs, threshold, seed):
    with tempfile.TemporaryDirectory() as scratch:
        export = os.path.join(scratch, "time.json")
        argv = [perfguard, "time", "-N", "--min-runs", "10", "--max-runs", str(max_runs),
                "--max-time", "1h", "--threshold", threshold, "--ratio-method", method,
                "--seed", str(seed), "--export-json", export,
                shlex.join(base), shlex.join(candidate)]
        start = time.perf_counter()
        finished = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                  text=True)
        seconds = time.perf_counter() - start
        if finished.returncode != 0:
            sys.exit(f"live_trials.py: {shlex.join(argv)} exited with {finished.returncode}: "
                     f"{finished.stderr.strip()}")
        with open(export) as f:
            document = json.load(f)
    comparison = document["comparisons"][0]
    return {"method": method, "verdict": comparison["verdict"], "ratio": comparison["ratio"],
            "ratio_ci": comparison["ratio_ci"], "runs": document["runs"], "seconds": seconds}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--perfguard", required=True)
    parser.add_argument("--trials", type=int, required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--methods", default="paired_sign,median_ratio")
    parser.add_argument("--max-runs", type=int, default=60)
    parser.add_argument("--threshold", default="5%")
    parser.add_argument("--neighbours", type=int, default=0)
    parser.add_argument("--neighbour-binary", default="")
    parser.add_argument("--seed", type=int, default=1)
    own, base, candidate = rounds_cli.split_commands("live_trials.py")
    args = parser.parse_args(own)
    methods = args.methods.split(",")
    generator = random.Random(args.seed)
    neighbours = rounds_cli.start_neighbours("live_trials.py", args)
    results = {m: [] for m in methods}
    try:
        if neighbours:
            time.sleep(1.0)  # let the neighbours allocate their arrays
        with open(args.out, "a") as out:
            for k in range(args.trials):
                order = methods[:]
                generator.shuffle(order)
                for method in order:
                    r = trial(args.perfguard, method, base, candidate, args.max_runs, args.threshold,
                              generator.randrange(1 << 32))
                    r.update({"label": args.label, "trial": k,
                              "load_average": os.getloadavg()[0]})
                    out.write(json.dumps(r) + "\n")
                    out.flush()
                    results[method].append(r)
    finally:
        rounds_cli.stop_neighbours(neighbours)
    for method, rs in results.items():
        verdicts = {}
        for r in rs:
            verdicts[r["verdict"]] = verdicts.get(r["verdict"], 0) + 1
        red = sum(1 for r in rs if r["verdict"] not in ("unchanged", "improved"))
        print(f"{args.label:<24} {method:<14} red {red}/{len(rs)}; "
              + ", ".join(f"{v} {c}" for v, c in sorted(verdicts.items()))
              + f"; runs/side median {statistics.median(r['runs'] for r in rs):.0f}"
              + f"; seconds median {statistics.median(r['seconds'] for r in rs):.1f}")


if __name__ == "__main__":
    main()
