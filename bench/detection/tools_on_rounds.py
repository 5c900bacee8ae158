"""hyperfine + Welch and Google Benchmark's U-test on recorded rounds (README.md, "Paired rounds").

The same replay as detection_replay: a trial starts at a random round of a recording and takes
the rounds that follow it. Each tool gets its own default run count:
  hyperfine + Welch  max(10, 3 s / median run) runs per command (hyperfine's default), then
                     scipy.stats.ttest_ind(candidate, base, equal_var=False); red: p < 0.05 and
                     mean(candidate) > mean(base).
  U-test             the same runs, scipy.stats.mannwhitneyu(candidate, base, two-sided) as
                     Google Benchmark's tools/compare.py does (alpha 0.05); red: p < 0.05 and
                     median(candidate) > median(base).
Both get runs interleaved in rounds, which favours hyperfine: it runs all of one command, then
all of the other, so a burst of load lands on one side.

  /usr/bin/python3 tools_on_rounds.py [--metric wall|cpu] [--trials N] POOL.json...
"""
import argparse
import json
import random
import statistics

from scipy import stats


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--metric", choices=["wall", "cpu"], default="wall")
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("pools", nargs="+")
    args = parser.parse_args()
    generator = random.Random(20261202)
    for path in args.pools:
        with open(path) as f:
            doc = json.load(f)
        rounds = doc["rounds"]
        base = [r["base"][args.metric] for r in rounds]
        cand = [r["candidate"][args.metric] for r in rounds]
        cost = [r["base"]["wall"] + r["candidate"]["wall"] for r in rounds]
        n = max(10, int(3.0 / statistics.median(r["base"]["wall"] for r in rounds)))
        welch = utest = 0
        seconds = []
        for _ in range(args.trials):
            start = generator.randrange(len(rounds))
            idx = [(start + k) % len(rounds) for k in range(n)]
            b = [base[i] for i in idx]
            c = [cand[i] for i in idx]
            seconds.append(sum(cost[i] for i in idx))
            t = stats.ttest_ind(c, b, equal_var=False)
            if t.pvalue < 0.05 and statistics.mean(c) > statistics.mean(b):
                welch += 1
            u = stats.mannwhitneyu(c, b, alternative="two-sided")
            if u.pvalue < 0.05 and statistics.median(c) > statistics.median(b):
                utest += 1
        print(f"{doc['label']:<16} runs/side {n}; seconds {statistics.median(seconds):.1f}; "
              f"hyperfine+Welch red {100.0 * welch / args.trials:.1f}%; "
              f"U-test red {100.0 * utest / args.trials:.1f}%")


if __name__ == "__main__":
    main()
