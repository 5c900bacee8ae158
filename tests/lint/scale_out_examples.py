#!/usr/bin/env python3
"""Runs the CI examples of docs/scale-out.md as far as their perfguard commands go.

Each example block is marked `<!-- scale-out example: NAME -->` (github, gitlab, kubernetes).
From each, every line that runs perfguard is taken as the CI would run it: the shard lines
once per shard with the variables that CI sets (GitHub's `${{ matrix.shard }}` and
`${{ strategy.job-total }}` expressions, GitLab's CI_NODE_INDEX/CI_NODE_TOTAL, a Kubernetes
Indexed Job's 0-based JOB_COMPLETION_INDEX), then the merge and check lines, all through
`sh -c` in a fresh clone of a throwaway repository. It fails when a block is missing, a line
does not resolve, a shard did not record its index, or the gate of identical code does not
pass `merge` and `check`.
"""
import argparse
import json
import os
import pathlib
import re
import subprocess
import sys
import tempfile

EXAMPLES = ("github", "gitlab", "kubernetes")

# Identical code on both sides: three file sizes (exact) and one short sleep judged at a wide
# threshold, so the merged gate passes on a busy machine.
CONFIG = {
    "schema": "perfguard.config.v1",
    "build": [["sh", "-c", "cp {worktree}/*.sh {build}/ && chmod +x {build}/*.sh"]],
    "benchmarks": [
        {"id": "sleepy", "command": ["{build}/sleepy.sh"], "warmup": 1, "timeout": "5s"},
        {"id": "size.a", "file_size": "{build}/a.sh"},
        {"id": "size.b", "file_size": "{build}/b.sh"},
        {"id": "size.sleepy", "file_size": "{build}/sleepy.sh"},
    ],
    "budgets": [{"benchmark": "*", "max_regression": "50%"}],
}


def fail(message):
    print(f"scale_out_examples: {message}", file=sys.stderr)
    sys.exit(1)


def blocks(doc):
    """NAME -> the text of the yaml block after its marker."""
    found = {}
    for match in re.finditer(r"<!-- scale-out example: (\w+) -->\s*```yaml\n(.*?)```", doc, re.S):
        found[match.group(1)] = match.group(2)
    for name in EXAMPLES:
        if name not in found:
            fail(f"docs/scale-out.md has no example block '{name}'")
    return found


def commands(block):
    """The perfguard lines of a block, as the shell gets them."""
    lines = []
    for raw in block.splitlines():
        line = raw.strip()
        if not re.search(r"perfguard (compare|merge|check)\b", line):
            continue
        for prefix in ("- ", "run: "):
            if line.startswith(prefix):
                line = line[len(prefix):]
        if not line.startswith("perfguard "):
            fail(f"cannot tell the command in: {raw.strip()}")
        lines.append(line)
    return lines


def shard_count(name, block):
    patterns = {
        "github": r"shard: \[([0-9, ]+)\]",
        "gitlab": r"parallel: (\d+)",
        "kubernetes": r"completions: (\d+)",
    }
    match = re.search(patterns[name], block)
    if not match:
        fail(f"example '{name}': cannot find how many shards it runs")
    text = match.group(1)
    return len(text.split(",")) if name == "github" else int(text)


def resolve(name, line, index, count, reports):
    """The line and environment of shard `index` (1-based) as the CI would run it."""
    env = dict(os.environ)
    if name == "github":
        line = line.replace("${{ matrix.shard }}", str(index))
        line = line.replace("${{ strategy.job-total }}", str(count))
        if "${{" in line:
            fail(f"example 'github': an expression the test does not set: {line}")
    elif name == "gitlab":
        env.update(CI_NODE_INDEX=str(index), CI_NODE_TOTAL=str(count))
    else:
        env.update(JOB_COMPLETION_INDEX=str(index - 1), SHARDS=str(count), REPORTS=str(reports))
    return line, env


def run(line, env, cwd):
    result = subprocess.run(["sh", "-c", line], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=600)
    return result


def make_repository(root):
    repo = root / "template"
    repo.mkdir()
    git = lambda *args: subprocess.run(["git", "-C", str(repo), *args], check=True,
                                       capture_output=True)
    git("init", "-q", "-b", "main")
    git("config", "user.email", "test@perfguard.invalid")
    git("config", "user.name", "perfguard test")
    (repo / "perfguard.json").write_text(json.dumps(CONFIG, indent=2))
    (repo / "sleepy.sh").write_text("#!/bin/sh\nsleep 0.01\n")
    (repo / "a.sh").write_text("#!/bin/sh\necho a\n")
    (repo / "b.sh").write_text("#!/bin/sh\necho bb\n")
    git("add", "-A")
    git("commit", "-q", "-m", "v1.2.0")
    git("tag", "v1.2.0")
    (repo / "NOTES.txt").write_text("same code\n")
    git("add", "-A")
    git("commit", "-q", "-m", "notes")
    return repo


def shard_indices(folders):
    found = set()
    for path in folders:
        document = json.loads(path.read_text())
        shard = document["settings"].get("shard")
        if shard:
            found.add((shard["index"], shard["count"]))
    return found


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--perfguard", required=True)
    parser.add_argument("--doc", required=True)
    args = parser.parse_args()
    examples = blocks(pathlib.Path(args.doc).read_text())
    with tempfile.TemporaryDirectory(prefix="perfguard-scale-out-") as tmp:
        root = pathlib.Path(tmp)
        template = make_repository(root)
        path = str(pathlib.Path(args.perfguard).resolve().parent) + os.pathsep + os.environ["PATH"]
        os.environ["PATH"] = path
        for name in EXAMPLES:
            block = examples[name]
            count = shard_count(name, block)
            repo = root / name
            subprocess.run(["git", "clone", "-q", str(template), str(repo)], check=True)
            reports = root / f"{name}-reports"
            reports.mkdir()
            lines = commands(block)
            shard_lines = [line for line in lines if line.startswith("perfguard compare")]
            other_lines = [line for line in lines if line not in shard_lines]
            if not shard_lines or not any("perfguard merge" in line for line in other_lines):
                fail(f"example '{name}': expected a compare line and a merge line")
            for line in shard_lines:
                if "--shard" not in line:
                    fail(f"example '{name}': a compare line without --shard: {line}")
                for index in range(1, count + 1):
                    command, env = resolve(name, line, index, count, reports)
                    result = run(command, env, repo)
                    if result.returncode != 0:
                        fail(f"example '{name}', shard {index}/{count}: {command}: exit "
                             f"{result.returncode}\n{result.stdout}{result.stderr}")
            recorded = shard_indices(list(repo.glob("**/perf_comparison.json")) +
                                     list(reports.glob("**/perf_comparison.json")))
            expected = {(index, count) for index in range(1, count + 1)}
            if recorded != expected:
                fail(f"example '{name}': the shards recorded {sorted(recorded)}, "
                     f"expected {sorted(expected)}")
            for line in other_lines:
                command, env = resolve(name, line, 1, count, reports)
                result = run(command, env, repo)
                if result.returncode != 0:
                    fail(f"example '{name}': {command}: exit {result.returncode}\n"
                         f"{result.stdout}{result.stderr}")
            print(f"example '{name}': {count} shards, merged and checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
