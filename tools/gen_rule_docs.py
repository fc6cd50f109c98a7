"""Write docs/rules/<ID>.md and docs/rules/README.md from the rules' own documentation (the
docstrings `hvlint explain` prints), so the two never drift: tests/test_tools.py checks the
files are what this script writes.

    python tools/gen_rule_docs.py            # (re)write docs/rules/
    python tools/gen_rule_docs.py --check    # exit 1 if docs/rules/ is out of date
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from hvlint.registry import all_rules, rule_page

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def pages() -> dict[str, str]:
    rules = all_rules()
    out = {f"{r.id}.md": rule_page(r) for r in rules}
    index = ["# hvlint rules\n", "| id | name | severity | default | finds |", "|---|---|---|---|---|"]
    for r in rules:
        index.append(
            f"| [{r.id}]({r.id}.md) | {r.name} | {r.severity.value} | {'on' if r.default else 'off'} | {r.summary} |"
        )
    out["README.md"] = "\n".join(index) + "\n"
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only check that docs/rules/ is up to date")
    args = ap.parse_args(argv)
    want = pages()
    stale = [n for n, text in want.items() if not (DOCS / n).is_file() or (DOCS / n).read_text() != text]
    extra = [p.name for p in DOCS.glob("*.md") if p.name not in want] if DOCS.is_dir() else []
    if args.check:
        for n in stale + extra:
            print(f"docs/rules/{n} is out of date: run python tools/gen_rule_docs.py", file=sys.stderr)
        return 1 if stale or extra else 0
    DOCS.mkdir(parents=True, exist_ok=True)
    for n in stale:
        (DOCS / n).write_text(want[n])
    for n in extra:
        (DOCS / n).unlink()
    print(f"docs/rules: {len(stale)} written, {len(extra)} removed, {len(want)} in all")
    return 0


if __name__ == "__main__":
    sys.exit(main())
