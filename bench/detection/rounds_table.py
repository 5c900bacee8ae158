"""The side-by-side table of README.md ("Paired rounds") from one folder of recorded rounds.

Runs detection_replay (perfguard's methods, at compare's defaults and at a longer horizon) and
tools_on_rounds.py (hyperfine + Welch, U-test) on the pools {state}_{workload}_{aa,b5,b10}.json
of DIR and prints one Markdown row per state, workload and method.

  /usr/bin/python3 rounds_table.py --replay BUILD/bench/detection/detection_replay DIR \
      [--trials 1000] [--long-horizon 120] [--methods median_ratio,paired_sign,...]
"""
import argparse
import os
import re
import subprocess
import sys

LINE = re.compile(r"^(\S+)\s+(\S+)\s+red\s+([\d.]+)%\s+(.*); runs/side mean ([\d.]+) median (\d+);"
                  r" seconds median ([\d.]+)$")
TOOL = re.compile(r"^(\S+) runs/side (\d+); seconds ([\d.]+); hyperfine\+Welch red ([\d.]+)%;"
                  r" U-test red ([\d.]+)%$")


def verdict_share(verdicts, name):
    found = re.search(name + r" ([\d.]+)%", verdicts)
    return float(found.group(1)) if found else 0.0


def matched_lines(argv, pattern, what):
    """The lines `argv` prints, each matched by `pattern`; exits naming any other line."""
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    matches = []
    for line in out.splitlines():
        m = pattern.match(line)
        if not m:
            sys.exit(f"rounds_table.py: unexpected {what} line: {line}")
        matches.append(m)
    return matches


def replay(binary, pools, trials, max_runs, methods):
    rows = {}
    for m in matched_lines([binary, "--trials", str(trials), "--max-runs", str(max_runs),
                            "--methods", methods] + pools, LINE, "replay"):
        pool = os.path.basename(m.group(1))
        rows[(pool, m.group(2))] = {"red": float(m.group(3)),
                                    "regressed": verdict_share(m.group(4), "regressed"),
                                    "runs": int(m.group(6)), "seconds": float(m.group(7))}
    return rows


def tools(pools, trials):
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tools_on_rounds.py")
    rows = {}
    for m in matched_lines(["/usr/bin/python3", script, "--trials", str(trials)] + pools, TOOL,
                           "tools"):
        pool = os.path.basename(m.group(1))
        common = {"runs": int(m.group(2)), "seconds": float(m.group(3))}
        rows[(pool, "hyperfine + Welch")] = dict(common, red=float(m.group(4)))
        rows[(pool, "U-test")] = dict(common, red=float(m.group(5)))
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--replay", required=True)
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--long-horizon", type=int, default=120)
    parser.add_argument("--methods",
                        default="median_ratio,paired_sign,paired_signed_rank,q25_ratio,hybrid")
    parser.add_argument("dir")
    args = parser.parse_args()
    pools = sorted(os.path.join(args.dir, f) for f in os.listdir(args.dir) if f.endswith(".json"))
    results = replay(args.replay, pools, args.trials, 60, args.methods)
    long = replay(args.replay, pools, args.trials, args.long_horizon, "median_ratio,paired_sign")
    for (pool, method), row in long.items():
        results[(pool, f"{method}, {args.long_horizon} runs")] = row
    results.update(tools(pools, args.trials))
    methods = args.methods.split(",") + [f"median_ratio, {args.long_horizon} runs",
                                         f"paired_sign, {args.long_horizon} runs",
                                         "hyperfine + Welch", "U-test"]
    print("| neighbours, workload | method | A/A red | A/A regressed | +10% regressed |"
          " +5% regressed | runs/side A/A · +10% | seconds A/A · +10% |")
    print("|---|---|---|---|---|---|---|---|")
    for state, state_name in (("quiet", "none"), ("loaded", "two")):
        for workload, workload_name in (("cpu", "CPU-bound"), ("mem", "memory-bound")):
            stem = f"{state}_{workload}"
            first = True
            for method in methods:
                aa = results.get((f"{stem}_aa", method))
                b10 = results.get((f"{stem}_b10", method))
                b5 = results.get((f"{stem}_b5", method))
                if not (aa and b10 and b5):
                    continue
                tool = method in ("hyperfine + Welch", "U-test")
                regressed = "—" if tool else f"{aa['regressed']:.1f}%"
                # A tool's red on A/B is its detection; for perfguard, `regressed` is.
                b10_found = b10["red"] if tool else b10["regressed"]
                b5_found = b5["red"] if tool else b5["regressed"]
                label = f"{state_name}, {workload_name}" if first else ""
                first = False
                print(f"| {label} | {method} | {aa['red']:.1f}% | {regressed} | {b10_found:.1f}% |"
                      f" {b5_found:.1f}% | {aa['runs']} · {b10['runs']} |"
                      f" {aa['seconds']:.1f} · {b10['seconds']:.1f} |")


if __name__ == "__main__":
    main()
