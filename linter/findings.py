"""What a rule reports: `Finding`, its optional `Fix`, and the `TraceStep`s of its path."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from hvlint.facts import Span


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]


@dataclass(frozen=True, slots=True)
class Fix:
    """Replace `span` (byte range of the file) by `replacement`.

    `original` is the text the span held when the finding was made: a fix is only applied
    while the file still holds it.  `safe` fixes keep the compiled meaning; unsafe ones change
    it on purpose (moving data to another section) and need `--unsafe-fixes`."""

    replacement: str
    span: Span
    original: str
    safe: bool = True


@dataclass(frozen=True, slots=True)
class TraceStep:
    symbol: str
    path: str
    line: int


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    name: str
    severity: Severity
    path: str
    span: Span
    message: str
    symbol: str | None = None
    fix: Fix | None = None
    trace: tuple[TraceStep, ...] = ()

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.span.line, self.span.col, self.rule)
