"""Baselines: adopt hvlint on a tree with existing findings and see only new ones.

`--write-baseline FILE` records every finding's fingerprint; `--baseline FILE` drops the
findings whose fingerprint the file holds.  A fingerprint is the rule, the path, the text of
the finding's line (whitespace squeezed) and the message without line numbers, so that
it survives code moving up or down the file; identical findings are counted.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter

from hvlint import discover
from hvlint.errors import HvlintError
from hvlint.findings import Finding

_NUMBERS = re.compile(r":\d+\b|\b\d+ hops?\b")


def _line_text(root: str, path: str, line: int, cache: dict[str, list[str]]) -> str:
    if path not in cache:
        data = discover.read_source(root, path).data or b""
        cache[path] = data.decode("latin-1").splitlines()
    lines = cache[path]
    return " ".join(lines[line - 1].split()) if 0 < line <= len(lines) else ""


def fingerprints(root: str, findings: list[Finding]) -> list[str]:
    cache: dict[str, list[str]] = {}
    out = []
    for f in findings:
        key = "\0".join((f.rule, f.path, _line_text(root, f.path, f.span.line, cache), _NUMBERS.sub("", f.message)))
        out.append(hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:32])
    return out


def write(path: str, root: str, findings: list[Finding]) -> int:
    counts = Counter(zip((f.rule for f in findings), (f.path for f in findings), fingerprints(root, findings)))
    doc = {
        "version": 1,
        "tool": "hvlint",
        "findings": [{"rule": r, "path": p, "fingerprint": fp, "count": n} for (r, p, fp), n in sorted(counts.items())],
    }
    try:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(doc, fh, indent=1)
            fh.write("\n")
    except OSError as exc:
        raise HvlintError(f"cannot write baseline {path}: {exc.strerror or exc}") from exc
    return len(findings)


def apply(path: str, root: str, findings: list[Finding]) -> list[Finding]:
    """The findings the baseline does not account for."""
    try:
        with open(path, encoding="utf-8") as fh:
            doc = json.load(fh)
        known = Counter({str(e["fingerprint"]): int(e["count"]) for e in doc["findings"]})
    except OSError as exc:
        raise HvlintError(f"cannot read baseline {path}: {exc.strerror or exc}") from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise HvlintError(f"{path}: not an hvlint baseline ({exc})") from exc
    out = []
    for f, fp in zip(findings, fingerprints(root, findings)):
        if known[fp] > 0:
            known[fp] -= 1
        else:
            out.append(f)
    return out
