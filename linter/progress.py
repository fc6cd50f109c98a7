"""A progress bar on stderr (tqdm) for runs that take more than a second on a terminal.

The engine reports through `Progress`: the number of files to parse, each parsed chunk, and
the phases after parsing (call graph, rules).  `Progress()` itself does nothing: that is
what runs without a terminal, `--quiet` runs and tests get."""

from __future__ import annotations

import os
import sys
from typing import Any


class Progress:
    def start(self, total: int) -> None:
        """`total` files are about to be parsed."""

    def grow(self, n: int) -> None:
        """`n` more files to parse than announced."""

    def advance(self, n: int) -> None:
        """`n` more files are parsed."""

    def phase(self, name: str) -> None:
        """Parsing is done; the run is now doing `name`."""

    def close(self) -> None:
        pass


class Bar(Progress):
    """tqdm on stderr, shown only once a run has taken a second (`delay`), and wiped when
    the run ends so that the findings and the summary stay as they are."""

    def __init__(self, delay: float = 1.0) -> None:
        self.delay = delay
        self.bar: Any = None

    def start(self, total: int) -> None:
        from tqdm import tqdm

        if self.bar is None:
            self.bar = tqdm(
                total=total,
                desc="hvlint: parsing",
                unit="file",
                file=sys.stderr,
                delay=self.delay,
                leave=False,
                dynamic_ncols=True,
            )
        else:  # a second pass (patch review lints the tree before and after the change)
            self.bar.reset(total=total)
            self.bar.set_description_str("hvlint: parsing")

    def grow(self, n: int) -> None:
        if self.bar is not None and n:
            self.bar.total += n
            self.bar.refresh()

    def advance(self, n: int) -> None:
        if self.bar is not None:
            self.bar.update(n)

    def phase(self, name: str) -> None:
        if self.bar is not None:
            # refresh() would draw the bar at once: a run under a second shows none
            shown = self.bar._time() - self.bar.start_t >= self.delay
            self.bar.set_description_str(f"hvlint: {name}", refresh=shown)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


class Phases(Progress):
    """`--verbose`: each phase's start on stderr, with the seconds since the run began and
    this process's resident memory (peak so far), around another progress display."""

    def __init__(self, inner: Progress, stream: Any) -> None:
        import time

        self.inner, self.stream, self.t0, self.clock = inner, stream, time.perf_counter(), time.perf_counter
        self.total = 0

    def _say(self, what: str) -> None:
        import resource

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
        print(f"hvlint: [{self.clock() - self.t0:7.2f} s, peak {peak:5} MB] {what}", file=self.stream, flush=True)

    def start(self, total: int) -> None:
        self.total = total
        self._say(f"parsing {total} files")
        self.inner.start(total)

    def grow(self, n: int) -> None:
        self.inner.grow(n)

    def advance(self, n: int) -> None:
        self.inner.advance(n)

    def phase(self, name: str) -> None:
        self._say(name)
        self.inner.phase(name)

    def close(self) -> None:
        self.inner.close()
        self._say("done")


def for_stream(stream: Any, quiet: bool = False, verbose: bool = False) -> Progress:
    bar = _bar(stream, quiet)
    return Phases(bar, stream) if verbose else bar


def _bar(stream: Any, quiet: bool = False) -> Progress:
    """A bar when `stream` is a terminal (and TERM is not "dumb"), else nothing."""
    isatty = getattr(stream, "isatty", None)
    if quiet or not (isatty and isatty()) or os.environ.get("TERM") == "dumb":
        return Progress()
    return Bar(float(os.environ.get("HVLINT_PROGRESS_DELAY", "1.0")))
