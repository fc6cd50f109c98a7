#!/usr/bin/env python3
"""Check that a change to the front end leaves the facts it extracts exactly as they were.

    python tools/facts_identity.py dump    [--tree T] [--out /tmp/hvlint-facts.pickle] [--every 20]
    python tools/facts_identity.py compare [--tree T] [--ref /tmp/hvlint-facts.pickle] [--show 10]

`dump` extracts, with references (`refs=True`) and the tree's own x86 vocabulary, the facts of
every file of the default scope plus a fixed sample of the rest of the tree (every `--every`th
file of the `all` scope, sorted, not already in the default scope), and writes one pickle:
{path: pickled FileFacts}.  Run it before changing the front end.  `compare` extracts the same
files again with the code as it is now and reports every file whose facts differ (`==` of the
FileFacts objects; byte-identical pickles are counted too).  It exits 1 on any difference.

The tree is only read; the dump goes where --out says (keep it out of the repository).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time

from hvlint import discover, engine, tables
from hvlint.facts import FileFacts

DEFAULT_TREE = os.environ.get("HVLINT_LINUX_TREE", "/var/tmp/hvlint-corpus/linux-source-6.12")
DEFAULT_DUMP = "/tmp/hvlint-facts.pickle"


def sample(root: str, every: int) -> tuple[list[str], list[str]]:
    """The default scope's files and every `every`th other file of the tree."""
    default = discover.scope_files(root, "default")
    seen = set(default)
    others = [f for f in discover.scope_files(root, "all")[::every] if f not in seen]
    return default, others


def extract_all(root: str, files: list[str]) -> tuple[dict[str, bytes], float]:
    """Pickled facts by path, and the seconds the extraction took."""
    vocab = tables.vocabulary_for(tables.table_for(root, "x86"))
    pattern = vocab.pattern()
    out: dict[str, bytes] = {}
    elapsed = 0.0
    for rel in files:
        t0 = time.perf_counter()
        facts, _ = engine.extract_file(root, rel, vocab, pattern, True)
        elapsed += time.perf_counter() - t0
        out[rel] = pickle.dumps(facts, protocol=5)
    return out, elapsed


def first_difference(a: object, b: object, path: str = "facts") -> str:
    """Where two facts first differ, as a dotted path with both values."""
    if type(a) is not type(b):
        return f"{path}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, tuple) and isinstance(b, tuple):
        for i, (x, y) in enumerate(zip(a, b)):
            if x != y:
                return first_difference(x, y, f"{path}[{i}]")
        return f"{path}: length {len(a)} != {len(b)}"
    slots = getattr(type(a), "__slots__", None)
    if slots:
        for name in slots:
            x, y = getattr(a, name), getattr(b, name)
            if x != y:
                return first_difference(x, y, f"{path}.{name}")
    return f"{path}: {a!r} != {b!r}"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("mode", choices=("dump", "compare"))
    ap.add_argument("--tree", default=DEFAULT_TREE, help="the kernel tree (only read)")
    ap.add_argument("--out", default=DEFAULT_DUMP, help="dump: where to write the facts")
    ap.add_argument("--ref", default=DEFAULT_DUMP, help="compare: the dump to compare with")
    ap.add_argument("--every", type=int, default=20, help="dump: sample every Nth other file")
    ap.add_argument("--show", type=int, default=10, help="compare: differences to print")
    args = ap.parse_args(argv)
    root = args.tree
    if args.mode == "dump":
        default, others = sample(root, args.every)
        facts, elapsed = extract_all(root, default + others)
        with open(args.out, "wb") as f:
            pickle.dump({"default": default, "others": others, "facts": facts}, f, protocol=5)
        print(f"{len(default)} default-scope files + {len(others)} others: facts in {args.out} ({elapsed:.2f} s)")
        return 0
    with open(args.ref, "rb") as f:
        ref = pickle.load(f)
    default, others = ref["default"], ref["others"]
    facts, elapsed = extract_all(root, default + others)
    differ: list[str] = []
    same_bytes = 0
    for rel in default + others:
        old, new = ref["facts"][rel], facts[rel]
        if old == new:
            same_bytes += 1
            continue
        a, b = pickle.loads(old), pickle.loads(new)
        assert isinstance(a, FileFacts) and isinstance(b, FileFacts)
        if a != b:
            differ.append(rel)
            if len(differ) <= args.show:
                print(f"{rel}: {first_difference(a, b)}")
    n = len(default) + len(others)
    bad_default = len(set(differ) & set(default))
    print(
        f"{n} files compared ({len(default)} default scope, {len(others)} sample): "
        f"{n - len(differ)} identical ({same_bytes} byte-identical pickles), "
        f"{len(differ)} differ ({bad_default} in the default scope); extraction {elapsed:.2f} s"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
