#!/usr/bin/env python3
"""Smallest change each method detects: wall time, CPU time and instruction counts.

For two workloads -- the sample project's word-frequency CLI on its 350,000-word corpus, and
gzip -6 compressing the same corpus (a real program on real text) -- a "change" of P% is the
same command on an input P% longer (the corpus plus its first P% appended): P% more work of
exactly the kind the program does.

* wall_time and cpu_time: POOL_RUNS real runs of the unchanged command under the machine's
  current load make a pool (`perfguard time --export-json`); bench/detection's simulator then
  replays TRIALS A/A and A/B trials of `perfguard time` (its real schedule, looks and verdict)
  drawing runs from the pool, the candidate's times scaled by 1 + P%. Threshold P/2.
* instructions: COUNT_TRIALS real `perfguard time --metric instructions` comparisons of the
  unchanged input against the longer one (threshold P/2; A/A at 0.1%), timed end to end.

Detected reliably: regressed in >= 95% of A/B trials with <= 1% regressed in A/A trials.
Usage: bench/counts/run.py   (POOL_RUNS=60 TRIALS=2000 COUNT_TRIALS=3 PERFGUARD_BUILD_DIR=build)
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BUILD = os.path.join(ROOT, os.environ.get("PERFGUARD_BUILD_DIR", "build"))
PERFGUARD = os.path.join(BUILD, "guard", "perfguard")
SIMULATE = os.path.join(BUILD, "bench", "detection", "detection_simulate")
POOL_RUNS = int(os.environ.get("POOL_RUNS", "60"))
TRIALS = int(os.environ.get("TRIALS", "2000"))
COUNT_TRIALS = int(os.environ.get("COUNT_TRIALS", "3"))
TIME_CHANGES = [0.5, 1, 2, 5, 10, 20]
COUNT_CHANGES = [0.2, 0.5, 1]


def run(argv, **kwargs):
    return subprocess.run(argv, check=True, capture_output=True, text=True, **kwargs)


def longer(source, percent, out):
    with open(source, "rb") as f:
        data = f.read()
    with open(out, "wb") as f:
        f.write(data + data[: int(len(data) * percent / 100.0)])
    return out


def simulate(pool, metric, percent):
    """(A/A regressed %, A/B regressed %, A/B mean runs per command) at threshold percent/2."""
    out = run([SIMULATE, "--metric", metric, pool, str(TRIALS), f"{percent:g}",
               f"{percent / 2:g}%"]).stdout
    aa = re.search(r"A/A:.*?regressed ([0-9.]+)%", out)
    ab = re.search(r"A/B [^:]*:.*?regressed ([0-9.]+)%.*?runs/command mean ([0-9.]+)", out)
    aa_regressed = float(aa.group(1)) if aa else 0.0
    if not ab:
        runs = re.search(r"A/B [^:]*:.*?runs/command mean ([0-9.]+)", out)
        return aa_regressed, 0.0, float(runs.group(1))
    return aa_regressed, float(ab.group(1)), float(ab.group(2))


def count_trial(base_cmd, cand_cmd, threshold, work):
    out = os.path.join(work, "counts.json")
    started = time.monotonic()
    subprocess.run([PERFGUARD, "time", "-N", "--metric", "instructions", "--threshold",
                    f"{threshold:g}%", "--export-json", out, base_cmd, cand_cmd],
                   check=True, capture_output=True, text=True)
    elapsed = time.monotonic() - started
    with open(out) as f:
        doc = json.load(f)
    c = doc["comparisons"][0]
    return c["verdict"], c["exact"], c["ratio"], elapsed, doc["runs"]


def workload(name, command, source, work):
    print(f"\n## {name}: {command.format(input='INPUT')}", flush=True)
    base_cmd = command.format(input=source)
    pool = os.path.join(work, f"{name}.pool.json")
    run([PERFGUARD, "time", "-N", "--runs", str(POOL_RUNS), "--export-json", pool, base_cmd])
    with open(pool) as f:
        result = json.load(f)["results"][0]
    wall = statistics.median(result["times"])
    cpu = statistics.median(u + s for u, s in zip(result["user_times"], result["system_times"]))
    mad = statistics.median(abs(t - wall) for t in result["times"]) / wall
    print(f"pool: {POOL_RUNS} runs, median wall {wall * 1e3:.1f} ms (MAD {mad * 100:.1f}%), "
          f"median CPU {cpu * 1e3:.1f} ms; load average {os.getloadavg()[0]:.1f}", flush=True)
    print("\n| method | change | threshold | A/A regressed | A/B regressed | runs/command | "
          "time to verdict |")
    print("|---|---|---|---|---|---|---|")
    for metric in ("wall_time", "cpu_time"):
        for percent in TIME_CHANGES:
            aa, ab, runs = simulate(pool, metric, percent)
            seconds = 2 * runs * wall  # both commands, each run at the pool's median wall time
            print(f"| {metric} | +{percent:g}% | {percent / 2:g}% | {aa:.2f}% | {ab:.1f}% | "
                  f"{runs:.1f} | {seconds:.1f} s (est.) |", flush=True)
    for percent in [0.0] + COUNT_CHANGES:
        threshold = percent / 2 if percent > 0 else 0.1
        # A/A is the very same command: another path of another length is another count.
        cand = source if percent == 0 else longer(source, percent,
                                                  os.path.join(work, f"{name}.{percent:g}.txt"))
        cand_cmd = command.format(input=cand)
        results = [count_trial(base_cmd, cand_cmd, threshold, work) for _ in range(COUNT_TRIALS)]
        regressed = sum(1 for r in results if r[0] == "regressed")
        exact = all(r[1] for r in results)
        ratios = sorted({r[2] for r in results})
        seconds = statistics.median(r[3] for r in results)
        runs = statistics.median(r[4] for r in results)
        label = "A/A" if percent == 0 else f"+{percent:g}%"
        print(f"| instructions | {label} | {threshold:g}% | "
              f"{'' if percent else f'{regressed}/{COUNT_TRIALS}'} | "
              f"{f'{regressed}/{COUNT_TRIALS}' if percent else ''} | {runs:g} | "
              f"{seconds:.1f} s (measured); ratio {', '.join(f'{r:.5f}' for r in ratios)}"
              f"{', exact' if exact else ', NOT exact'} |", flush=True)


def main():
    for tool in (PERFGUARD, SIMULATE):
        if not os.access(tool, os.X_OK):
            sys.exit(f"run.py: {tool} is missing: build perfguard first (./scripts/test)")
    with tempfile.TemporaryDirectory(prefix="perfguard-counts-") as work:
        sample = os.path.join(work, "sample")
        run(["cmake", "-S", os.path.join(ROOT, "examples", "sample-project"), "-B", sample,
             "-DCMAKE_BUILD_TYPE=Release"])
        run(["cmake", "--build", sample, "-j2"])
        corpus = os.path.join(sample, "corpus.txt")
        print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, nproc {os.cpu_count()}, "
              f"load average {os.getloadavg()}")
        workload("sample", os.path.join(sample, "wordfreq") + " {input} --top 10", corpus, work)
        workload("gzip", "gzip -6 -c {input}", corpus, work)


if __name__ == "__main__":
    main()
