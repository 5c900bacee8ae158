#!/usr/bin/env python3
"""Deterministic fuzzing of perfguard's input readers, as a ctest test.

Seeded mutations of the committed sample files (plain numbers, Google Benchmark and hyperfine
JSON) and of a real gate's artifacts (perf_comparison.json, budget_summary.json, samples.jsonl):
bit flips, truncation, token insertion, type swaps, deleted members, huge numbers and deep
nesting. Each mutant goes through the readers of `stats`, `diff`, `check` and `report`. A run
fails the test when perfguard

  - dies of a signal, hangs, or exits outside {0, 1, 2, 3};
  - prints a sanitizer report (the test sets ASAN/UBSAN exit codes outside that set, too);
  - shows a raw library exception ("[json.exception...", "vector::reserve", "basic_string",
    "std::", Boost's "Error in function") or more than one "error:" line.

The same seed gives the same inputs, so a failure replays: the failing input is kept in
--keep (default: a folder under the build tree) and the command is printed.

usage: fuzz_inputs.py --perfguard BIN --samples DIR [--count N] [--seed S] [--keep DIR]
"""

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time

ALLOWED_EXIT = {0, 1, 2, 3}
RAW_NAMES = ("json.exception", "vector::", "basic_string", "std::", "Error in function",
             "terminate called", "bad_alloc", "what():")
SANITIZER = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
             "runtime error:")
TOKENS = [b"{", b"}", b"[", b"]", b'"', b",", b":", b"null", b"true", b"-1", b"0",
          b"1e400", b"-1e400", b"1.7976931348623157e308", b"1e200", b"4.9e-324",
          b"18446744073709551616", b"-9223372036854775809", b'"\\u0000"', b'"x"',
          b"\x00", b"\xff\xfe", b"\n", b"//", b"/*", b"NaN", b"Infinity", b"\\"]
HUGE = [1e308, 1.7976931348623157e308, 1e200, -1e308, 5e-324, 1e-300, 1e31,
        18446744073709551616, -9223372036854775809, 2 ** 70, -1, 0, 3.5]


def other_value(rng, depth=0):
    """A JSON value of a random type."""
    kind = rng.randrange(7 if depth < 2 else 5)
    if kind == 0:
        return None
    if kind == 1:
        return rng.choice([True, False])
    if kind == 2:
        return rng.choice(HUGE)
    if kind == 3:
        return rng.choice(["", "x", "pass", "fail", "regressed", "ns", "\u0000", "9" * 40])
    if kind == 4:
        return rng.choice([[], {}])
    if kind == 5:
        return [other_value(rng, depth + 1) for _ in range(rng.randrange(3))]
    return {rng.choice(["a", "gate", "passed", "verdict"]): other_value(rng, depth + 1)}


def nodes(value, path=()):
    """Every (path, value) of a parsed document."""
    yield path, value
    if isinstance(value, dict):
        for key, child in value.items():
            yield from nodes(child, path + (key,))
    elif isinstance(value, list):
        for i, child in enumerate(value):
            yield from nodes(child, path + (i,))


def replace_at(document, path, new):
    if not path:
        return new
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = new
    return document


def delete_at(document, path):
    parent = document
    for step in path[:-1]:
        parent = parent[step]
    del parent[path[-1]]
    return document


def structural(rng, data):
    """A JSON-aware mutation: a type swap, a deleted member or element, a huge number, or a
    value nested deep. None when the data is not JSON."""
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None
    paths = list(nodes(document))
    path, value = rng.choice(paths)
    choice = rng.randrange(4)
    if choice == 0:
        document = replace_at(document, path, other_value(rng))
    elif choice == 1 and path:
        document = delete_at(document, path)
    elif choice == 2:
        numbers = [p for p, v in paths if isinstance(v, (int, float)) and not isinstance(v, bool)]
        if numbers:
            document = replace_at(document, rng.choice(numbers), rng.choice(HUGE))
    else:
        depth = rng.choice([2, 255, 300, 5000])
        document = replace_at(document, path, "@@NESTED@@")
        return json.dumps(document).replace('"@@NESTED@@"',
                                            "[" * depth + "1" + "]" * depth).encode()
    return json.dumps(document).encode()


def byte_level(rng, data):
    choice = rng.randrange(4)
    data = bytearray(data)
    if choice == 0 and data:  # bit flips
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
    elif choice == 1:  # truncation
        data = data[:rng.randrange(len(data) + 1)]
    elif choice == 2:  # token insertion
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(data) + 1)
            data[i:i] = rng.choice(TOKENS)
    else:  # a line replaced by a huge or odd number (plain sample files)
        lines = bytes(data).split(b"\n")
        i = rng.randrange(len(lines))
        lines[i] = rng.choice([b"1e400", b"1.7976931348623157e308", b"1e200", b"-0", b"4.9e-324",
                               b"0x10", b"1e", b"--1", b" 1 2", b"\x00", b"1\r"])
        data = bytearray(b"\n".join(lines))
    return bytes(data)


def mutate(rng, data):
    if rng.random() < 0.5:
        mutated = structural(rng, data)
        if mutated is not None:
            return mutated
    return byte_level(rng, data)


class Fuzzer:
    def __init__(self, perfguard, work, keep):
        self.perfguard = perfguard
        self.work = work
        self.keep = keep
        self.runs = 0
        self.failures = []
        self.env = dict(os.environ)
        # Sanitizer reports must not hide behind exit code 1 (a failed gate).
        self.env["ASAN_OPTIONS"] = "exitcode=86:detect_leaks=1:abort_on_error=0"
        self.env["UBSAN_OPTIONS"] = "halt_on_error=1:exitcode=87:print_stacktrace=1"
        self.env["LSAN_OPTIONS"] = "exitcode=88"

    def run(self, args, inputs):
        self.runs += 1
        command = [self.perfguard] + args
        try:
            result = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True,
                                    timeout=60, env=self.env)
            code, err = result.returncode, result.stderr.decode("utf-8", "replace")
        except subprocess.TimeoutExpired:
            code, err = "timeout", ""
        problem = None
        if code not in ALLOWED_EXIT:
            problem = f"exit {code}"
        elif any(name in err for name in SANITIZER):
            problem = "sanitizer report"
        elif any(name in err for name in RAW_NAMES):
            problem = "raw exception text"
        elif err.count("error:") > 1:
            problem = "more than one error line"
        if problem:
            kept = os.path.join(self.keep, f"failure-{len(self.failures)}")
            os.makedirs(kept, exist_ok=True)
            for path in inputs:
                shutil.copy(path, kept)
            self.failures.append(f"{problem}: {' '.join(command)}\n    inputs kept in {kept}\n"
                                 f"    stderr: {err.strip()[:600]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--perfguard", required=True)
    parser.add_argument("--samples", required=True, help="examples/samples")
    parser.add_argument("--count", type=int, default=2400, help="mutated inputs in all")
    parser.add_argument("--seed", type=int, default=20261201)
    parser.add_argument("--keep", default=None, help="where failing inputs are kept")
    options = parser.parse_args()

    rng = random.Random(options.seed)
    work = tempfile.mkdtemp(prefix="perfguard-fuzz-")
    keep = options.keep or os.path.join(work, "failures")
    fuzz = Fuzzer(os.path.abspath(options.perfguard), work, keep)
    started = time.monotonic()
    try:
        samples = options.samples
        seeds = {name: open(os.path.join(samples, name), "rb").read()
                 for name in ["base_ms.txt", "candidate_ms.txt", "gbench.json",
                              "hyperfine_sort.json"]}
        seeds["array.json"] = json.dumps(
            [float(x) for x in seeds["base_ms.txt"].split() if not x.startswith(b"#")]).encode()

        # A real gate's artifacts to mutate: diff of the Google Benchmark file against itself.
        artifacts = os.path.join(work, "artifacts")
        made = subprocess.run([fuzz.perfguard, "diff", os.path.join(samples, "gbench.json"),
                               os.path.join(samples, "gbench.json"), "--out", artifacts],
                              capture_output=True, env=fuzz.env)
        if made.returncode not in (0, 1):
            print(made.stderr.decode(), file=sys.stderr)
            return 1
        artifact_names = ["perf_comparison.json", "budget_summary.json", "samples.jsonl"]
        artifact_seeds = {name: open(os.path.join(artifacts, name), "rb").read()
                          for name in artifact_names if os.path.exists(os.path.join(artifacts, name))}

        sample_names = sorted(seeds)
        for i in range(options.count):
            case = os.path.join(work, f"case-{i % 8}")
            shutil.rmtree(case, ignore_errors=True)
            os.makedirs(case)
            if i % 3 == 2:  # an artifact folder with one file mutated
                name = sorted(artifact_seeds)[rng.randrange(len(artifact_seeds))]
                for other, data in artifact_seeds.items():
                    with open(os.path.join(case, other), "wb") as f:
                        f.write(mutate(rng, data) if other == name else data)
                inputs = [os.path.join(case, name)]
                fuzz.run(["check", case, "--max-age", "100000h"], inputs)
                fmt = ["md", "junit", "html"][rng.randrange(3)]
                fuzz.run(["report", case, "--format", fmt, "-o", os.path.join(case, "out")],
                         inputs)
                continue
            name = sample_names[rng.randrange(len(sample_names))]
            seed_path = os.path.join(samples, name) if name != "array.json" else None
            if seed_path is None:
                seed_path = os.path.join(work, "array.json")
                with open(seed_path, "wb") as f:
                    f.write(seeds["array.json"])
            mutant = os.path.join(case, name)
            with open(mutant, "wb") as f:
                f.write(mutate(rng, seeds[name]))
            pick = ["--benchmark", "BM_StdSort/4096"] if name == "gbench.json" else []
            if i % 3 == 0:
                fuzz.run(["stats", mutant] + pick, [mutant])
                fuzz.run(["stats", "--base", seed_path, mutant] + pick, [mutant])
            elif name.endswith(".json") and name != "array.json":
                fuzz.run(["diff", seed_path, mutant, "--out", os.path.join(case, "out")],
                         [mutant])
            else:
                fuzz.run(["stats", "--json", "--base", mutant, seed_path] + pick, [mutant])
    finally:
        elapsed = time.monotonic() - started
        print(f"{fuzz.runs} runs of perfguard over {options.count} mutated inputs "
              f"(seed {options.seed}) in {elapsed:.1f} s")
        for failure in fuzz.failures:
            print("FAIL " + failure)
        if not fuzz.failures:
            shutil.rmtree(work, ignore_errors=True)
    return 1 if fuzz.failures else 0


if __name__ == "__main__":
    sys.exit(main())
