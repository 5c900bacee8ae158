#!/usr/bin/env python3
"""md_references.py on throwaway trees: it names every missing citation by file and line, in
each kind of source, and nothing that is not a citation in a comment."""
import os
import subprocess
import sys
import tempfile
import unittest

SCRIPT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "md_references.py")


def write(root, relative, text):
    path = os.path.join(root, relative)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def run(root):
    result = subprocess.run([sys.executable, SCRIPT, "--root", root], capture_output=True,
                            text=True, check=False)
    return result.returncode, result.stdout.splitlines()


class MdReferences(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = self.tmp.name
        write(self.root, "README.md", "# top\n")
        write(self.root, "docs/design.md", "# design\n")
        write(self.root, "bench/README.md", "# bench\n")

    def tearDown(self):
        self.tmp.cleanup()

    def test_citations_that_resolve_pass(self):
        write(self.root, "core/a.hpp",
              "// docs/design.md, \"Verdict rules\"; design.md alone is docs/design.md.\n"
              "/* README.md and ../docs/design.md */\n")
        write(self.root, "bench/run.sh", "#!/bin/sh\n# Numbers: README.md (this folder's).\n")
        write(self.root, "CMakeLists.txt", "# bench/README.md\n")
        write(self.root, "tool.py", '"""See docs/design.md."""\n# and README.md\n')
        code, out = run(self.root)
        self.assertEqual(code, 0, out)

    def test_missing_citations_are_named_by_file_and_line(self):
        write(self.root, "core/a.cpp",
              "int x = 1'000;  // DESIGN.md says so\n"
              "/* first line\n   docs/stats-json.md */\n")
        write(self.root, "cmake/t.cmake", "set(x \"#\")  # STYLE.md\n")
        write(self.root, "scripts/run", "#!/usr/bin/env bash\necho $#  # see docs/gone.md\n")
        write(self.root, "tool.py", 'def f():\n    """Per missing.md."""\n# also nowhere.md\n')
        code, out = run(self.root)
        self.assertEqual(code, 1)
        self.assertEqual(sorted(line.split(": names")[0] for line in out), sorted([
            "core/a.cpp:1", "core/a.cpp:3", "cmake/t.cmake:1", "scripts/run:2", "tool.py:2",
            "tool.py:3"]), out)
        self.assertTrue(any("names DESIGN.md, which does not exist" in line for line in out))

    def test_strings_and_outputs_are_not_citations(self):
        write(self.root, "core/b.cpp",
              'const char* a = "missing.md";  // writes perf_comparison.md\n'
              'const char* b = R"(// raw.md)";\n'
              "char c = '\"'; const char* d = \"// not.md\";\n")
        write(self.root, "s.sh", 'echo "# quoted.md"\n')
        write(self.root, "t.py", 'x = "# text.md"\n')
        write(self.root, "u.py", 'x = 1\n"""not a docstring.md"""\n')
        code, out = run(self.root)
        self.assertEqual(code, 0, out)

    def test_build_trees_are_skipped(self):
        write(self.root, "build/CMakeCache.txt", "")
        write(self.root, "build/gen/x.cpp", "// generated, cites nothing.md\n")
        code, out = run(self.root)
        self.assertEqual(code, 0, out)

    def test_a_root_that_is_not_a_directory_is_a_usage_error(self):
        code, _ = run(os.path.join(self.root, "no-such-dir"))
        self.assertEqual(code, 2)


if __name__ == "__main__":
    unittest.main()
