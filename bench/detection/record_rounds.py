"""Record pools of paired rounds for the detection replay (README.md, "Paired rounds").

Each round runs the base and the candidate command once each, back to back, in a random order
(as harness::Schedule does), and records both runs' wall and CPU (user + system, from wait4)
times. The pairing is in the recording: replay.cpp replays whole rounds, so a method that uses
it sees exactly what a live schedule would have given it.

  python3 record_rounds.py --out POOL.json --rounds N --label NAME -- BASE... -- CANDIDATE...

With --neighbours K, K memory-hungry neighbours (detection_neighbour_memory, 64 MB copies in
random spells of 0.2-1.5 s) run for the whole recording and are stopped at its end.
"""
import argparse
import json
import os
import random
import subprocess
import sys
import time

import rounds_cli


def timed(argv):
    start = time.perf_counter()
    with open(os.devnull, "wb") as devnull:
        child = subprocess.Popen(argv, stdout=devnull, stderr=devnull)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        sys.exit(f"record_rounds.py: {' '.join(argv)} exited with {child.returncode}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, required=True)
    parser.add_argument("--label", required=True)
    parser.add_argument("--neighbours", type=int, default=0)
    parser.add_argument("--neighbour-binary", default="")
    parser.add_argument("--seed", type=int, default=1)
    own, base, candidate = rounds_cli.split_commands("record_rounds.py")
    args = parser.parse_args(own)
    neighbours = rounds_cli.start_neighbours("record_rounds.py", args)
    generator = random.Random(args.seed)
    rounds = []
    try:
        if neighbours:
            time.sleep(1.0)  # let the neighbours allocate their arrays
        timed(base)  # one warmup each, not recorded
        timed(candidate)
        for _ in range(args.rounds):
            base_first = generator.random() < 0.5
            if base_first:
                b = timed(base)
                c = timed(candidate)
            else:
                c = timed(candidate)
                b = timed(base)
            rounds.append({"base_first": base_first, "base": {"wall": b[0], "cpu": b[1]},
                           "candidate": {"wall": c[0], "cpu": c[1]}})
    finally:
        rounds_cli.stop_neighbours(neighbours)
    load = os.getloadavg()[0]
    with open(args.out, "w") as f:
        json.dump({"schema": "perfguard.detection_rounds.v1", "label": args.label,
                   "base": base, "candidate": candidate, "neighbours": args.neighbours,
                   "cpus": os.cpu_count(), "load_average_after": load,
                   "recorded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                   "rounds": rounds}, f, indent=1)


if __name__ == "__main__":
    main()
