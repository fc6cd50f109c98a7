"""A short fuzz run over the front end and the fixer in every test run (hypothesis picks
the seed files, the mutation seed and how many operations; tests/fuzz_harness.py says what
is checked).  HVLINT_FUZZ_EXAMPLES sets how many inputs; tools/fuzz.py runs long campaigns."""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from fuzz_harness import check_input, mutate, seeds
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

SEEDS = seeds(limit_real=60)
EXAMPLES = int(os.environ.get("HVLINT_FUZZ_EXAMPLES", "150"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written into the checkout
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.integers(0, len(SEEDS) - 1),
    st.integers(0, len(SEEDS) - 1),
    st.integers(0, 2**32 - 1),
    st.integers(1, 4),
)
def test_mutated_kernel_files(tmp_path: Path, which: int, donor: int, seed: int, ops: int) -> None:
    name, data = SEEDS[which]
    mutated, _ = mutate(data, SEEDS[donor][1], random.Random(seed), ops)
    check_input(mutated, name, str(tmp_path))


REGRESSIONS = Path(__file__).parent / "data" / "fuzz"


def test_inputs_that_failed_once(tmp_path: Path) -> None:
    """Inputs a campaign found failing, kept after the fix (file name: input number-seed)."""
    found = sorted(REGRESSIONS.iterdir())
    assert found
    for p in found:
        t0 = time.monotonic()
        check_input(p.read_bytes(), p.name.split("-", 1)[1], str(tmp_path))
        # 011267: an unterminated string across continued lines made a regex backtrack
        # exponentially (a minute a parse, cut off by --file-timeout); now a few milliseconds
        assert time.monotonic() - t0 < 10, p.name


def test_the_seeds_themselves(tmp_path: Path) -> None:
    assert len(SEEDS) >= 40
    for name, data in SEEDS:
        check_input(data, name, str(tmp_path))
