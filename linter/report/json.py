"""The contract's JSON document: one object with version, tool, root, findings and stats."""

from __future__ import annotations

import json
from typing import Any

from hvlint import __version__
from hvlint.findings import Finding


def finding_dict(f: Finding) -> dict[str, Any]:
    fix = None
    if f.fix is not None:
        s = f.fix.span
        fix = {
            "replacement": f.fix.replacement,
            "line": s.line,
            "column": s.col,
            "end_line": s.end_line,
            "end_column": s.end_col,
            "safe": f.fix.safe,
        }
    return {
        "rule": f.rule,
        "name": f.name,
        "severity": f.severity.value,
        "path": f.path,
        "line": f.span.line,
        "column": f.span.col,
        "end_line": f.span.end_line,
        "end_column": f.span.end_col,
        "message": f.message,
        "symbol": f.symbol,
        "fix": fix,
        "trace": [{"symbol": t.symbol, "path": t.path, "line": t.line} for t in f.trace],
    }


def render(
    findings: list[Finding],
    *,
    root: str,
    files: int,
    parse_errors: int,
    seconds: float,
    front_ends: dict[str, int] | None = None,
) -> str:
    stats: dict[str, Any] = {"files": files, "parse_errors": parse_errors, "seconds": round(seconds, 3)}
    if front_ends is not None:  # precise mode: how many files each front end read
        stats["front_ends"] = front_ends
    doc = {
        "version": 1,
        "tool": {"name": "hvlint", "version": __version__},
        "root": root,
        "findings": [finding_dict(f) for f in findings],
        "stats": stats,
    }
    return json.dumps(doc, indent=2) + "\n"
