"""Reporters: one module a format, each with `render(...) -> str`.

The formats that need more than the findings (the rule docs, the linted text of a file, the
patch under review) take a `ReportInput`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from hvlint.findings import Finding

# Where the rule pages (docs/rules/HVnnn.md) are published; `docs-url` in the configuration
# or `--docs-url` points elsewhere (a fork, a company mirror).
DEFAULT_DOCS_URL = "https://github.com/hvlint/hvlint/blob/main/docs/rules/"


def rule_url(rule_id: str, base: str | None = None) -> str:
    """The page of a rule under the docs base URL."""
    b = base or DEFAULT_DOCS_URL
    return (b if b.endswith("/") else b + "/") + f"{rule_id}.md"


@dataclass(frozen=True)
class ReportInput:
    root: str  # the tree root, as linted
    findings: list[Finding]
    files: int = 0
    parse_errors: int = 0
    seconds: float = 0.0
    # The lines of a root-relative path as linted (the patched text under --patch); [] when
    # it cannot be read.
    source: Callable[[str], list[str]] = field(default=lambda _p: [])
    docs_url: str | None = None
