#!/usr/bin/env python3
"""Every *.md path named in a source comment exists in the repository.

A comment that cites a document ("docs/design.md", "bench/README.md", "see config.md") must
point at a file that is there: relative to the repository root, to docs/, or to the citing
file's own folder. Source files are C++ (.cpp .hpp .h .cc), CMake (CMakeLists.txt, .cmake),
Python (.py, or a python shebang) and shell (.sh, or an sh/bash shebang). Only comments are
read (and Python docstrings); string literals are code, not citations. Build trees (folders
holding a CMakeCache.txt), .git and .perfguard are skipped.

    md_references.py [--root DIR]

Prints one line per missing document ("file:line: names PATH, which does not exist") and
exits 1; exits 0 when every citation resolves. Run by ctest as lint_md_references.
"""
import argparse
import ast
import io
import os
import re
import sys
import tokenize

# Files perfguard writes, named in comments as outputs, not as documents of the repository.
OUTPUT_NAMES = {"perf_comparison.md"}

MD_PATH = re.compile(r"(?<![\w./-])((?:\.{1,2}/)*[\w-][\w./-]*?\.md)(?![\w-])")
CPP_SUFFIXES = (".cpp", ".hpp", ".h", ".cc", ".cxx", ".hh")
SKIPPED_DIRS = {".git", ".perfguard", "__pycache__"}


def cpp_comments(text):
    """(line, text) of every // and /* */ comment, skipping string and character literals."""
    comments = []
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            line += 1
            i += 1
        elif text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            comments.append((line, text[i:end]))
            i = end
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            for k, part in enumerate(text[i:end].split("\n")):
                comments.append((line + k, part))
            line += text.count("\n", i, end)
            i = end
        elif c == "R" and text.startswith('R"', i) and (i == 0 or not text[i - 1].isalnum()):
            # Raw string R"delim( ... )delim".
            open_paren = text.find("(", i + 2)
            delim = text[i + 2:open_paren]
            end = text.find(")" + delim + '"', open_paren)
            end = n if end < 0 else end + len(delim) + 2
            line += text.count("\n", i, end)
            i = end
        elif c == '"' or (c == "'" and (i == 0 or not text[i - 1].isalnum())):
            # A string or character literal; a ' after a digit or letter is a digit separator.
            i += 1
            while i < n and text[i] != c and text[i] != "\n":
                i += 2 if text[i] == "\\" else 1
            i += 1
        else:
            i += 1
    return comments


def hash_comments(text, shell):
    """(line, text) of every # comment outside quotes (CMake, shell)."""
    comments = []
    for number, row in enumerate(text.split("\n"), start=1):
        quote = None
        escaped = False
        for k, c in enumerate(row):
            if quote:
                if escaped:
                    escaped = False
                elif c == "\\" and quote == '"':
                    escaped = True
                elif c == quote:
                    quote = None
            elif c in "\"'" and (c == '"' or shell):
                quote = c
            elif c == "#":
                # In shell, $# and ${#x} are not comments: a comment starts a word.
                if shell and k > 0 and not row[k - 1].isspace() and row[k - 1] not in ";(":
                    continue
                comments.append((number, row[k:]))
                break
    return comments


def python_comments(text):
    """(line, text) of every # comment and every docstring."""
    comments = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments.append((token.start[0], token.string))
        tree = ast.parse(text)
    except (tokenize.TokenError, SyntaxError, IndentationError) as error:
        raise ValueError(f"cannot parse: {error}") from error
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
                    and isinstance(body[0].value.value, str):
                first = body[0].lineno
                for k, part in enumerate(body[0].value.value.split("\n")):
                    comments.append((first + k, part))
    return comments


def kind_of(path):
    name = os.path.basename(path)
    if name.endswith(CPP_SUFFIXES):
        return "cpp"
    if name == "CMakeLists.txt" or name.endswith(".cmake"):
        return "cmake"
    if name.endswith(".py"):
        return "python"
    if name.endswith((".sh", ".bash")):
        return "shell"
    if "." not in name:
        try:
            with open(path, "rb") as f:
                first = f.readline(200)
        except OSError:
            return None
        if first.startswith(b"#!"):
            if b"python" in first:
                return "python"
            if re.search(rb"\b(ba)?sh\b", first):
                return "shell"
    return None


def source_files(root):
    for folder, dirs, files in os.walk(root):
        if folder != root and "CMakeCache.txt" in files:
            dirs[:] = []
            continue
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS)
        for name in sorted(files):
            path = os.path.join(folder, name)
            kind = kind_of(path)
            if kind:
                yield path, kind


def resolves(root, citing_file, cited):
    if os.path.basename(cited) in OUTPUT_NAMES:
        return True
    for base in (root, os.path.join(root, "docs"), os.path.dirname(citing_file)):
        if os.path.isfile(os.path.normpath(os.path.join(base, cited))):
            return True
    return False


def check(root):
    """Missing citations as "file:line: ..." lines, and how many citations were checked."""
    problems, checked = [], 0
    for path, kind in source_files(root):
        relative = os.path.relpath(path, root)
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
        try:
            if kind == "cpp":
                comments = cpp_comments(text)
            elif kind == "python":
                comments = python_comments(text)
            else:
                comments = hash_comments(text, shell=kind == "shell")
        except ValueError as error:
            problems.append(f"{relative}: {error}")
            continue
        for line, comment in comments:
            for match in MD_PATH.finditer(comment):
                checked += 1
                cited = match.group(1)
                if not resolves(root, path, cited):
                    problems.append(f"{relative}:{line}: names {cited}, which does not exist "
                                    "(looked in the repository root, docs/ and the file's folder)")
    return problems, checked


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--root", default=os.path.join(os.path.dirname(__file__), "..", ".."),
                        help="repository root (default: this script's ../..)")
    args = parser.parse_args()
    root = os.path.abspath(args.root)
    if not os.path.isdir(root):
        print(f"md_references: --root {args.root}: not a directory", file=sys.stderr)
        return 2
    problems, checked = check(root)
    for problem in problems:
        print(problem)
    if problems:
        print(f"md_references: {len(problems)} of {checked} *.md citations in comments do not "
              "resolve", file=sys.stderr)
        return 1
    print(f"md_references: {checked} *.md citations in comments, all resolve")
    return 0


if __name__ == "__main__":
    sys.exit(main())
