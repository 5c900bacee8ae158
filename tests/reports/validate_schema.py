#!/usr/bin/python3
"""Validates JSON files against a JSON Schema (draft 2020-12): validate_schema.py SCHEMA FILE...

Prints one line per error and exits 1 when any file is invalid. Uses Debian's
python3-jsonschema, which ./scripts/test installs."""
import json
import sys

import jsonschema


def main() -> int:
    schema_path, *files = sys.argv[1:]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    validator = jsonschema.Draft202012Validator(schema)
    bad = 0
    for path in files:
        with open(path, encoding="utf-8") as f:
            document = json.load(f)
        for error in validator.iter_errors(document):
            bad += 1
            where = "/".join(str(p) for p in error.absolute_path)
            print(f"{path}: /{where}: {error.message}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
