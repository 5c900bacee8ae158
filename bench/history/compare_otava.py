#!/usr/bin/python3
"""Precision and recall of perfguard's change points against Apache Otava's (E-Divisive means
with a Student t-test, its defaults: window 50, p <= 0.001) on simulated nightly series with
known steps. Usage:

    compare_otava.py PERFGUARD_BINARY OTAVA_CHECKOUT [--seed N]

OTAVA_CHECKOUT is a directory holding Otava's `otava/` package (github.com/apache/otava); it is
imported from there, not installed. Runs with Debian's python3-numpy and python3-scipy.
perfguard sees each series through `perfguard history --csv FILE --json`, as a user would.
Prints one Markdown table (bench/history/README.md has the numbers).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np

LENGTH = 200          # nights per series
TOLERANCE = 5         # a detection within this many nights of a true step finds it
SERIES_PER_CELL = 10


def steps_at(rng, count):
    """`count` step positions at least 20 nights apart and 10 from either end."""
    while True:
        positions = sorted(rng.randint(10, LENGTH - 10, size=count))
        if all(b - a >= 20 for a, b in zip(positions, positions[1:])):
            return [int(p) for p in positions]


def simulate(rng, size, noise, steps=2, outliers=0.0, drift=0.0):
    """One series: level 100, `steps` steps of +-size (random sign), normal multiplicative
    noise, a fraction of outlier nights at 1.3-2x, and a linear drift of `drift` over the
    whole series. Returns (values, true step positions)."""
    positions = steps_at(rng, steps) if steps else []
    level = np.full(LENGTH, 100.0)
    for p in positions:
        level[p:] *= 1.0 + size * rng.choice([-1.0, 1.0])
    level *= 1.0 + drift * np.arange(LENGTH) / LENGTH
    values = level * (1.0 + noise * rng.randn(LENGTH))
    bad = rng.rand(LENGTH) < outliers
    values[bad] *= rng.uniform(1.3, 2.0, size=int(bad.sum()))
    return values, positions


def scenarios(rng):
    """(name, list of (values, true steps)), each list of one shape."""
    out = []
    for size in (0.02, 0.05, 0.10, 0.20):
        for noise in (0.01, 0.02, 0.05):
            out.append((f"step {size:.0%}, noise {noise:.0%}",
                        [simulate(rng, size, noise) for _ in range(SERIES_PER_CELL)]))
    for noise in (0.01, 0.02, 0.05):
        out.append((f"step 10%, noise {noise:.0%}, 3% outlier nights",
                    [simulate(rng, 0.10, noise, outliers=0.03) for _ in range(SERIES_PER_CELL)]))
    out.append(("drift +10% over the series, no step, noise 1%",
                [simulate(rng, 0.0, 0.01, steps=0, drift=0.10) for _ in range(2 * SERIES_PER_CELL)]))
    out.append(("drift +10% and one 10% step, noise 1%",
                [simulate(rng, 0.10, 0.01, steps=1, drift=0.10) for _ in range(2 * SERIES_PER_CELL)]))
    return out


def score(found, truth):
    """True positives: detections matched one-to-one to a true step within TOLERANCE."""
    unmatched = list(truth)
    hits = 0
    for f in sorted(found):
        near = [t for t in unmatched if abs(t - f) <= TOLERANCE]
        if near:
            unmatched.remove(min(near, key=lambda t: abs(t - f)))
            hits += 1
    return hits


def perfguard_points(binary, series, workdir):
    """Change point indexes per series, from one `perfguard history --csv` call."""
    path = os.path.join(workdir, "series.csv")
    with open(path, "w") as out:
        out.write("time,commit," + ",".join(f"s{i}" for i in range(len(series))) + "\n")
        for night in range(LENGTH):
            out.write(f"{night},c{night}," + ",".join(repr(float(v[night])) for v, _ in series) + "\n")
    started = time.perf_counter()
    done = subprocess.run([binary, "history", "--csv", path, "--json"], capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"perfguard failed: {done.stderr}")
    found = [[] for _ in series]
    for step in json.loads(done.stdout)["change_points"]:
        found[int(step["metric"][1:])].append(step["index"])
    return found, elapsed


def otava_points(series):
    from otava.analysis import compute_change_points
    started = time.perf_counter()
    found = [[cp.index for cp in compute_change_points(list(v), window_len=50, max_pvalue=0.001)[0]]
             for v, _ in series]
    return found, time.perf_counter() - started


def ratio(a, b):
    return f"{a / b:.2f}" if b else "n/a"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("perfguard")
    parser.add_argument("otava")
    parser.add_argument("--seed", type=int, default=20261202)
    args = parser.parse_args()
    sys.path.insert(0, os.path.abspath(args.otava))

    rng = np.random.RandomState(args.seed)
    totals = {"perfguard": [0, 0, 0, 0.0], "otava": [0, 0, 0, 0.0]}  # hits, found, true, seconds
    print("| series (10-20 of 200 nights each) | true steps | perfguard P / R (found) | Otava P / R (found) |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as workdir:
        for name, series in scenarios(rng):
            truth = sum(len(t) for _, t in series)
            row = [name, str(truth)]
            for tool, run in (("perfguard", lambda s: perfguard_points(args.perfguard, s, workdir)),
                              ("otava", otava_points)):
                found, seconds = run(series)
                hits = sum(score(f, t) for f, (_, t) in zip(found, series))
                detections = sum(len(f) for f in found)
                total = totals[tool]
                total[0] += hits
                total[1] += detections
                total[2] += truth
                total[3] += seconds
                row.append(f"{ratio(hits, detections)} / {ratio(hits, truth)} ({detections})")
            print("| " + " | ".join(row) + " |")
    row = ["**all**", str(totals["perfguard"][2])]
    for tool in ("perfguard", "otava"):
        hits, detections, truth, _ = totals[tool]
        row.append(f"**{ratio(hits, detections)} / {ratio(hits, truth)}** ({detections})")
    print("| " + " | ".join(row) + " |")
    print()
    print(f"time: perfguard {totals['perfguard'][3]:.2f} s (one CLI call per row), "
          f"Otava {totals['otava'][3]:.2f} s")


if __name__ == "__main__":
    main()
