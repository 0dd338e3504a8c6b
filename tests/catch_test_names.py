#!/usr/bin/env python3
"""Fails when a Catch2 test name holds a ';'.

catch_discover_tests() writes each name into a CMake list, where ';' splits it:
ctest then runs the name's first part as a filter that matches no test case and
reports it passed, so the test case never runs. A test name must not hold one.

usage: catch_test_names.py <tests directory>
"""
import pathlib
import re
import sys

NAME = re.compile(r'TEST_CASE\(\s*"((?:[^"\\]|\\.)*)"')
bad = []
for source in sorted(pathlib.Path(sys.argv[1]).rglob("*.cpp")):
    for match in NAME.finditer(source.read_text(encoding="utf-8")):
        if ";" in match.group(1):
            bad.append(f"{source}: {match.group(1)}")
if bad:
    print("Catch2 test names with ';' (ctest would run none of them):")
    print("\n".join(bad))
    sys.exit(1)
print("no test name holds a ';'")
