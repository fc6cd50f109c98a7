"""`--format html`: the page the real CLI writes, loaded in a real headless Chromium from
`file://` and read back from the rendered DOM (Playwright driving Debian's /usr/bin/chromium;
no browser is downloaded).

The browser tests skip with the reason when Playwright or Chromium is missing (.ci/run
installs both).  A real Linux tree (HVLINT_LINUX_TREE, read-only) is linted in its
arch/x86/xen folder only."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from hvlint.cli import main
from hvlint.facts import Span
from hvlint.findings import Finding, Fix, Severity, TraceStep
from hvlint.report import ReportInput, html, rule_url

REPO = Path(__file__).resolve().parent.parent
TREES = REPO / "corpus" / "trees"
CHROMIUM = os.environ.get("HVLINT_CHROMIUM", "/usr/bin/chromium")
REAL = os.environ.get("HVLINT_LINUX_TREE", "")
SCREENSHOT_TOOL = REPO / "tools" / "screenshot_html_report.py"


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("hvlint_tools_screenshot_html_report", SCREENSHOT_TOOL)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


# The flags that keep Chromium off the closed network (component updates, sync, QUIC), in one
# place: the screenshot tool.  Playwright starts it headless with a fresh --user-data-dir.
CHROMIUM_ARGS: list[str] = _tool().CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install playwright; it is in the 'test' extra)")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium, or set HVLINT_CHROMIUM)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _check(tmp_path: Path, tree: Path | str, fmt: str, *extra: str) -> Path:
    out = tmp_path / f"report.{fmt}"
    code = main(["check", "-q", "--format", fmt, "-o", str(out), *extra, str(tree)])
    assert code in (0, 1) and out.exists()
    return out


# What the page says, read from the DOM after Chromium has laid it out.
_READ = """() => {
  const txt = (e) => e ? e.textContent : null;
  return {
    findings: [...document.querySelectorAll('article.finding')].map(a => ({
      rule: a.dataset.rule, path: a.dataset.path, line: +a.dataset.line, col: +a.dataset.col,
      severity: a.dataset.severity, loc: txt(a.querySelector('.loc')), message: txt(a.querySelector('.message')),
      highlighted: [...a.querySelectorAll('.excerpt .row.hl')].map(r => +r.dataset.line),
      fix: txt(a.querySelector('.fix .row.add')),
      steps: [...a.querySelectorAll('li.trace-step')].map(s => {
        const r = s.getBoundingClientRect();
        return {step: +s.dataset.step, path: s.dataset.path, line: +s.dataset.line, symbol: s.dataset.symbol,
                where: txt(s.querySelector('.where')), sym: txt(s.querySelector('.sym')),
                src: s.querySelector('.step-line') ? s.querySelector('.step-line').textContent : null,
                top: r.top, height: r.height, visible: r.width > 0 && r.height > 0};
      }),
    })),
    byRule: Object.fromEntries([...document.querySelectorAll('#by-rule tbody tr')].map(
      r => [r.dataset.rule, {count: +r.dataset.count, cell: +r.querySelector('td.n').textContent,
                             doc: r.querySelector('a[href^="http"]').getAttribute('href')}])),
    byFile: Object.fromEntries([...document.querySelectorAll('#by-file tbody tr')].map(
      r => [r.dataset.path, +r.querySelector('td.n').textContent])),
    total: +document.querySelector('#run-findings').textContent,
    files: +document.querySelector('#run-files').textContent,
    scripts: document.querySelectorAll('script').length,
  };
}"""


def _load(browser: Any, page_path: Path) -> tuple[dict[str, Any], list[str]]:
    """The DOM summary of a report page and every URL the page requested."""
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    try:
        page = ctx.new_page()
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(page_path.as_uri(), wait_until="load")
        return page.evaluate(_READ), requests
    finally:
        ctx.close()


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))
        self._in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data


def _assert_no_remote_resources(text: str, docs: str | None = None) -> None:
    """Nothing to load: no script, image, frame or stylesheet link, no src attribute, no url()
    in the CSS; the only http(s) URLs are links to the rule pages."""
    p = _Tags()
    p.feed(text)
    rule_page = re.escape(rule_url("HV000", docs)[: -len("HV000.md")]) + r"HV\d{3}\.md"
    assert p.tags and not {t for t, _ in p.tags} & {"script", "img", "link", "iframe", "object", "embed", "base"}
    assert "url(" not in p.style and "@import" not in p.style
    for tag, attrs in p.tags:
        for name, value in attrs:
            assert name != "src" and not name.startswith("on")
            if value and re.match(r"\s*(https?:)?//", value):
                assert (tag, name) == ("a", "href") and re.fullmatch(rule_page, value), (tag, name, value)


def _compare(page: dict[str, Any], doc: dict[str, Any], source_root: Path) -> None:
    fs = doc["findings"]
    assert len(page["findings"]) == len(fs) == page["total"]
    assert page["files"] == doc["stats"]["files"]
    key = lambda f: (f["rule"], f["path"], f["line"], f["column"] if "column" in f else f["col"])  # noqa: E731
    assert sorted(map(key, page["findings"])) == sorted(map(key, fs))
    by_key = {key(f): f for f in fs}
    for pf in page["findings"]:
        jf = by_key[key(pf)]
        assert pf["loc"] == f"{jf['path']}:{jf['line']}:{jf['column']}"
        assert pf["severity"] == jf["severity"] and pf["message"] == jf["message"]
        assert pf["highlighted"][0] == jf["line"] and pf["highlighted"][-1] == jf["end_line"]
        # The trace: root first, numbered 1.., each with its file:line, symbol and source line,
        # laid out top to bottom.
        steps = pf["steps"]
        assert [(s["symbol"], s["path"], s["line"]) for s in steps] == [
            (t["symbol"], t["path"], t["line"]) for t in jf["trace"]
        ]
        assert [s["step"] for s in steps] == list(range(1, len(steps) + 1))
        for s in steps:
            assert s["where"] == f"{s['path']}:{s['line']}" and s["sym"] == s["symbol"] and s["visible"]
            src = (source_root / s["path"]).read_text().splitlines()[s["line"] - 1]
            assert s["src"] == f"{s['line']}{src}"
        assert all(a["top"] + a["height"] <= b["top"] + 1 for a, b in zip(steps, steps[1:]))
    assert {r: v["count"] for r, v in page["byRule"].items()} == Counter(f["rule"] for f in fs)
    assert all(v["count"] == v["cell"] and v["doc"] == rule_url(r) for r, v in page["byRule"].items())
    assert page["byFile"] == Counter(f["path"] for f in fs)


@pytest.mark.parametrize("tree", ["init-lifetime", "pvh-mini"])
def test_report_in_chromium_matches_json(browser: Any, tmp_path: Path, tree: str) -> None:
    doc = json.loads(_check(tmp_path, TREES / tree, "json", "--select", "ALL").read_text())
    out = _check(tmp_path, TREES / tree, "html", "--select", "ALL")
    page, requests = _load(browser, out)
    _compare(page, doc, TREES / tree)
    assert requests == [out.as_uri()]  # the page itself and nothing else
    assert page["scripts"] == 0
    _assert_no_remote_resources(out.read_text())
    if tree == "init-lifetime":
        assert sum(1 for f in page["findings"] if len(f["steps"]) >= 3) >= 2
    else:
        assert any(f["fix"] for f in page["findings"])


def test_html_injection_through_file_names_and_source(browser: Any, tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    shutil.copytree(TREES / "pvh-mini", tree)  # a copy: corpus/ is never written
    bad = tree / "arch" / "x86" / "<b>x</b>.c"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        '/* <script>alert(1)</script> */\nint evil __attribute__((section(".data"))); /* <img src=x onerror=alert(2)> */\n'
    )
    out = _check(tmp_path, tree, "html", "--select", "HV201")
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(out.as_uri())
        got = page.evaluate(
            """() => ({
              b: document.querySelectorAll('main b').length,
              img: document.querySelectorAll('img').length,
              script: document.querySelectorAll('script').length,
              loc: [...document.querySelectorAll('article.finding')]
                     .filter(a => a.dataset.path.includes('<b>')).map(a => a.querySelector('.loc').textContent),
              code: [...document.querySelectorAll('article.finding[data-path*="<b>"] .excerpt')].map(e => e.textContent),
              file: [...document.querySelectorAll('#by-file td.path')].map(td => td.textContent),
            })"""
        )
    finally:
        ctx.close()
    assert got["b"] == 0 and got["img"] == 0 and got["script"] == 0 and dialogs == []
    assert got["loc"] == ["arch/x86/<b>x</b>.c:2:10"]
    assert "<script>alert(1)</script>" in got["code"][0] and "<img src=x" in got["code"][0]
    assert "arch/x86/<b>x</b>.c" in got["file"]


@pytest.mark.skipif(not REAL, reason="HVLINT_LINUX_TREE is not set: no real kernel tree to lint")
def test_real_tree_xen_report(browser: Any, tmp_path: Path) -> None:
    # The project rules read the whole tree (~12 s a run): the JSON and the HTML runs go
    # side by side, one job each, in two CLI processes.  The tree is only read.
    xen = Path(REAL) / "arch" / "x86" / "xen"
    outs = {fmt: tmp_path / f"report.{fmt}" for fmt in ("json", "html")}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "hvlint", "check", "-q", "-j1", "--select", "HV2,HV3", "--format", fmt]
            + ["-o", str(out), str(xen)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for fmt, out in outs.items()
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=600)
        assert proc.returncode in (0, 1), err
    doc = json.loads(outs["json"].read_text())
    page, requests = _load(browser, outs["html"])
    _compare(page, doc, Path(REAL))
    assert requests == [outs["html"].as_uri()]
    _assert_no_remote_resources(outs["html"].read_text())


def test_screenshot_tool(browser: Any, tmp_path: Path) -> None:
    """tools/screenshot_html_report.py, which makes docs/html-report.png, on the init-lifetime tree."""
    import struct

    out = tmp_path / "shot.png"
    # Its own process: Playwright's sync API does not nest inside this module's browser.
    args = ["--tree", str(TREES / "init-lifetime"), "--out", str(out), "--chromium", CHROMIUM]
    res = subprocess.run([sys.executable, str(SCREENSHOT_TOOL), *args], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (1200, 1200)
    assert len(data) < 400_000


# Without a browser: the page as text.


def _finding(path: str = "a.c", line: int = 2, **kw: Any) -> Finding:
    return Finding("HV201", "raw-section-attribute", Severity.WARNING, path, Span(line, 5, line, 9, 0, 0), "m", **kw)


def test_render_escapes_and_is_deterministic() -> None:
    src = {"a<script>.c": ["int x;", "int <b>y</b> = 1;", "", "int z;"], "b.c": ["void f(void)", "{"]}
    fs = [
        _finding("a<script>.c", symbol="<i>y", trace=(TraceStep("f", "b.c", 1), TraceStep("<y>", "a<script>.c", 2))),
        _finding("b.c", 1, fix=Fix("g", Span(1, 6, 1, 6, 5, 6), "f")),
    ]
    inp = ReportInput(root="/t/<root>", findings=fs, files=2, seconds=0.5, source=lambda p: src.get(p, []))
    text = html.render(inp)
    assert text == html.render(ReportInput(**{**inp.__dict__, "findings": fs[::-1]}))
    assert "<script" not in text and "<b>" not in text and "<i>" not in text and "/t/&lt;root&gt;" in text
    assert 'data-path="a&lt;script&gt;.c"' in text and "<mark>&lt;b&gt;y&lt;</mark>" in text
    assert (
        '<span class="row del" data-line="1"><span class="ln">1</span><span class="sign">-</span><span class="src">void f(void)'
        in text
    )
    assert (
        '<span class="row add" data-line="1"><span class="ln">1</span><span class="sign">+</span><span class="src">void g(void)'
        in text
    )
    _assert_no_remote_resources(text)


def test_render_without_findings_or_source() -> None:
    text = html.render(ReportInput(root="/t", findings=[]))
    assert 'id="no-findings"' in text and 'data-count="0"' in text
    text = html.render(ReportInput(root="/t", findings=[_finding(trace=(TraceStep("f", "gone.c", 9),))]))
    assert "(source not available)" in text and "(source line not available)" in text
