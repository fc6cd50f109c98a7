#!/usr/bin/env python3
"""A long fuzz campaign over the front end and the fixer (tests/fuzz_harness.py):

    python tools/fuzz.py --inputs 20000 [--seed 0] [--ops 4] [--keep DIR]

Seeds are corpus/'s files and, with HVLINT_LINUX_TREE set, a fixed sample of the real
tree's.  Prints the count of inputs, of those that got HV901 diagnostics, of those the
fixer changed, and every failure (the input is written to --keep to reproduce it).
Exit status 1 when any input failed."""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from fuzz_harness import Tally, campaign, seeds  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--inputs", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--ops", type=int, default=4, help="at most this many mutations an input")
    ap.add_argument("--keep", default="fuzz-failures", help="where failing inputs are written")
    a = ap.parse_args()
    t0 = time.perf_counter()
    n_seeds = len(seeds())
    failures = 0
    ops: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    tally = Tally()
    for i, name, done, data, exc in campaign(a.inputs, a.seed, a.ops, tally):
        ops.update(done)
        if exc is not None:
            failures += 1
            kinds[type(exc).__name__] += 1
            os.makedirs(a.keep, exist_ok=True)
            out = os.path.join(a.keep, f"{i:06}-{name}")
            with open(out, "wb") as fh:
                fh.write(data)
            print(
                f"FAIL {i} {name} {done}: {''.join(traceback.format_exception_only(type(exc), exc)).strip()} -> {out}"
            )
        if (i + 1) % 1000 == 0:
            print(f"... {i + 1} inputs, {failures} failures, {time.perf_counter() - t0:.0f} s", flush=True)
    print(
        f"{a.inputs} inputs from {n_seeds} seed files (seed {a.seed}, 1-{a.ops} mutations each: "
        + ", ".join(f"{k} {v}" for k, v in sorted(ops.items()))
        + f") in {time.perf_counter() - t0:.0f} s: {tally.with_diagnostics} got HV901 diagnostics, "
        + f"{tally.fixed} were changed by --fix (re-parsed and fixed again: idempotent); {failures} failures"
        + (f" ({', '.join(f'{k} {v}' for k, v in kinds.items())})" if kinds else "")
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
