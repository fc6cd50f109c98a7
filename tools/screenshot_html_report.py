#!/usr/bin/env python3
"""Regenerate docs/html-report.png, the README's picture of `hvlint check --format html`.

    python tools/screenshot_html_report.py [--tree corpus/trees/init-lifetime] [--out docs/html-report.png]

Lints the tree with every rule (`--select ALL`) into a temporary report, opens it from
`file://` in headless Chromium (Debian's /usr/bin/chromium driven by Playwright: `apt-get
install chromium`, `pip install playwright`; no browser download) and saves the top of the
page: the run, the summary tables and the first finding with its trace.  Needs no network.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Chromium tries the network at start and hangs on a closed one without these; Playwright adds
# --headless and a fresh temporary --user-data-dir.  tests/test_report_html.py uses them too.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def screenshot(
    tree: Path, out: Path, width: int = 1200, height: int = 1200, chromium: str = "/usr/bin/chromium"
) -> None:
    from playwright.sync_api import sync_playwright

    from hvlint.cli import main

    with tempfile.TemporaryDirectory(prefix="hvlint-html-") as tmp:
        report = Path(tmp) / "report.html"
        code = main(["check", "-q", "--select", "ALL", "--format", "html", "-o", str(report), str(tree)])
        if code not in (0, 1) or not report.exists():
            raise SystemExit(f"hvlint check failed on {tree} (exit {code})")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto(report.as_uri(), wait_until="load")
                out.parent.mkdir(parents=True, exist_ok=True)
                page.screenshot(path=str(out))
            finally:
                browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--tree", type=Path, default=REPO / "corpus" / "trees" / "init-lifetime")
    ap.add_argument("--out", type=Path, default=REPO / "docs" / "html-report.png")
    ap.add_argument("--width", type=int, default=1200)
    ap.add_argument("--height", type=int, default=1200)
    ap.add_argument("--chromium", default=os.environ.get("HVLINT_CHROMIUM", "/usr/bin/chromium"))
    ns = ap.parse_args(argv)
    screenshot(ns.tree, ns.out, ns.width, ns.height, ns.chromium)
    print(f"wrote {ns.out} ({ns.out.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
