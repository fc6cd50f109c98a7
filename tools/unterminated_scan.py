#!/usr/bin/env python3
"""How many of a tree's .c/.h files the front end finds an unterminated comment, string
literal or #if in (HV901): a check that the diagnostic fires on broken files only.

    python tools/unterminated_scan.py path/to/linux [--jobs 2]
"""

from __future__ import annotations

import argparse
import os
from concurrent.futures import ProcessPoolExecutor

from hvlint.frontend.prepare import prepare
from hvlint.tables import table_for, vocabulary_for

_VOCAB = vocabulary_for(table_for(None))


def scan(args: tuple[str, str]) -> tuple[str, list[tuple[str, int]]]:
    root, rel = args
    try:
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
    except OSError:
        return rel, []
    if b"\0" in data:
        return rel, []
    found = prepare(data.decode("latin-1"), _VOCAB).unterminated
    return rel, [(what, data.count(b"\n", 0, off) + 1) for what, off in found]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("tree")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    files = []
    for dirpath, dirnames, names in os.walk(a.tree):
        dirnames.sort()
        files += [os.path.relpath(os.path.join(dirpath, n), a.tree) for n in sorted(names) if n.endswith((".c", ".h"))]
    with ProcessPoolExecutor(a.jobs) as pool:
        hits = [(rel, u) for rel, u in pool.map(scan, [(a.tree, f) for f in files], chunksize=64) if u]
    print(f"{len(files)} .c/.h files, {len(hits)} with an unterminated comment, string or #if")
    for rel, found in hits:
        print(rel, " ".join(f"{what}@{line}" for what, line in found))


if __name__ == "__main__":
    main()
