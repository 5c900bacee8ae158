#!/usr/bin/python3
"""Time scipy.stats.bootstrap on the median-ratio CI that perfguard computes exactly.

Same kind of data as bench/stats_bench.cpp: two lognormal samples of 1,000 timings, medians
10 and 10.5, sigma(log) = 0.05. Prints one JSON object:
  {"scipy_bca_seconds": ..., "scipy_percentile_seconds": ..., ...}
each the median wall time over --repetitions calls (time.perf_counter).

Run with the system interpreter (/usr/bin/python3, which has python3-scipy), not a pyenv one.
"""
import argparse
import json
import statistics
import sys
import time

import numpy as np
import scipy
import scipy.stats


def ratio_of_medians(b, c, axis):
    return np.median(c, axis=axis) / np.median(b, axis=axis)


def time_bootstrap(base, cand, method, resamples, repetitions, seed):
    times = []
    result = None
    for rep in range(repetitions):
        start = time.perf_counter()
        result = scipy.stats.bootstrap(
            (base, cand),
            statistic=ratio_of_medians,
            n_resamples=resamples,
            vectorized=True,
            method=method,
            confidence_level=0.95,
            random_state=np.random.default_rng(seed + rep),
        )
        times.append(time.perf_counter() - start)
    ci = result.confidence_interval
    return statistics.median(times), [float(ci.low), float(ci.high)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="samples per side")
    parser.add_argument("--resamples", type=int, default=10_000)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--seed", type=int, default=12345)
    args = parser.parse_args()

    rng = np.random.default_rng(args.seed)
    base = rng.lognormal(np.log(10.0), 0.05, args.n)
    cand = rng.lognormal(np.log(10.5), 0.05, args.n)

    bca_s, bca_ci = time_bootstrap(base, cand, "BCa", args.resamples, args.repetitions, args.seed)
    pct_s, pct_ci = time_bootstrap(
        base, cand, "percentile", args.resamples, args.repetitions, args.seed
    )
    json.dump(
        {
            "scipy_bca_seconds": bca_s,
            "scipy_percentile_seconds": pct_s,
            "scipy_bca_ci": bca_ci,
            "scipy_percentile_ci": pct_ci,
            "ratio": float(np.median(cand) / np.median(base)),
            "n_per_side": args.n,
            "resamples": args.resamples,
            "repetitions": args.repetitions,
            "scipy_version": scipy.__version__,
            "numpy_version": np.__version__,
        },
        sys.stdout,
    )
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
