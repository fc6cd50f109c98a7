"""The pipeline: discover -> read -> front end -> per-file facts -> file rules -> findings.

Per-file work (reading, parsing, file rules) runs in worker processes with `--jobs N`;
only facts and findings come back.
"""

from __future__ import annotations

import os
import re
import time
import traceback
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace

from hvlint import discover
from hvlint.errors import HvlintError
from hvlint.facts import Diagnostic, FileFacts, Span
from hvlint.findings import Finding
from hvlint.frontend.asm import extract_asm
from hvlint.frontend.prepare import Vocabulary
from hvlint.frontend.treesitter import extract_c
from hvlint.registry import FileContext, Rule, select_rules
from hvlint.tables import SectionTable, table_for, vocabulary_for

_ARCH_DIR = re.compile(r"^arch/([^/]+)/")


@dataclass
class Options:
    paths: Sequence[str]
    root: str | None = None
    scope: str = "default"
    select: list[str] | None = None
    ignore: list[str] | None = None
    jobs: int = 1
    arch: str = "x86"
    debug: bool = False
    # Outside a kernel tree: the folder paths are reported relative to (default: the
    # common folder of the paths).
    base: str | None = None


@dataclass
class RunResult:
    root: str
    in_tree: bool
    files: list[str]
    findings: list[Finding]
    facts: list[FileFacts] = field(default_factory=list)
    seconds: float = 0.0
    table: SectionTable | None = None

    @property
    def parse_errors(self) -> int:
        return sum(1 for f in self.facts if f.diagnostics)


def resolve_inputs(opts: Options) -> tuple[str, bool, list[str]]:
    """(root, whether it is a kernel tree, root-relative files to lint)."""
    root, in_tree = find_tree(opts)
    if in_tree:
        if len(opts.paths) == 1 and os.path.abspath(opts.paths[0]) == root:
            headers = table_for(root, opts.arch).section_headers if opts.scope == "default" else ()
            return root, True, discover.scope_files(root, opts.scope, headers)
        return root, True, discover.explicit_files(root, list(opts.paths))
    return root, False, discover.explicit_files(root, list(opts.paths))


def find_tree(opts: Options) -> tuple[str, bool]:
    """The tree root and whether it is a kernel tree (else: the folder of the paths)."""
    if not opts.paths:
        raise HvlintError("no path given")
    for p in opts.paths:
        if not os.path.lexists(p):
            raise HvlintError(f"{p}: no such file or directory")
    if opts.root is not None:
        root = os.path.abspath(opts.root)
        if not discover.is_tree_root(root):
            raise HvlintError(f"--root {opts.root}: not a kernel tree (needs Makefile, Kconfig, arch/, include/)")
    else:
        found = discover.find_root(opts.paths[0])
        root = found if found is not None else ""
        for p in opts.paths[1:]:
            if (discover.find_root(p) or "") != root:
                raise HvlintError("all paths must lie in the same kernel tree (or give --root)")
    if root:
        return root, True
    # Outside any kernel tree: lint the files themselves with the shipped tables.
    if opts.base is not None:
        return os.path.abspath(opts.base), False
    absolute = [os.path.abspath(p) for p in opts.paths]
    return os.path.commonpath([a if os.path.isdir(a) else os.path.dirname(a) for a in absolute]), False


def _diagnostic_facts(rel: str, lang: str, message: str, size: int = 0) -> FileFacts:
    return FileFacts(path=rel, lang=lang, size=size, diagnostics=(Diagnostic(message),))


def _first_bad_utf8(data: bytes) -> int:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return -1


def extract_file(root: str, rel: str, vocab: Vocabulary, pattern: re.Pattern[str] | None) -> tuple[FileFacts, bytes]:
    """Read and parse one file; bad input becomes an HV901 diagnostic, never an exception."""
    lang = "asm" if rel.endswith(".S") else "c"
    res = discover.read_source(root, rel)
    if res.data is None:
        return _diagnostic_facts(rel, lang, f"cannot lint: {res.error}"), b""
    data = res.data
    if not data:
        return _diagnostic_facts(rel, lang, "empty file: nothing to lint"), data
    nul = data.find(b"\0")
    if nul >= 0:
        line = data.count(b"\n", 0, nul) + 1
        return _diagnostic_facts(rel, lang, f"binary file (NUL byte on line {line}): not linted", len(data)), b""
    extra: list[Diagnostic] = []
    bad = _first_bad_utf8(data)
    if bad >= 0:
        line = data.count(b"\n", 0, bad) + 1
        extra.append(Diagnostic(f"not valid UTF-8 (byte 0x{data[bad]:02x} on line {line}): linted as Latin-1"))
    try:
        facts = extract_asm(rel, data) if lang == "asm" else extract_c(rel, data, vocab, pattern)
    except RecursionError:
        return _diagnostic_facts(rel, lang, "nesting too deep to parse: not linted", len(data)), b""
    if extra:
        facts = replace(facts, encoding="latin-1", diagnostics=tuple(extra) + facts.diagnostics)
    return facts, data


def _text_of(data: bytes) -> callable:  # type: ignore[valid-type]
    def text(span: Span) -> str:
        return data[span.start : span.end].decode("latin-1")

    return text


# -- worker side ----------------------------------------------------------------------------

_W: dict[str, object] = {}


def _init_worker(
    root: str, in_tree: bool, arch: str, vocab: Vocabulary, rule_ids: list[str], debug: bool, userspace: set[str]
) -> None:
    rules = [r for r in select_rules(rule_ids, None) if r.needs == "file"] if rule_ids else []
    _W.update(
        root=root,
        in_tree=in_tree,
        arch=arch,
        vocab=vocab,
        pattern=vocab.pattern(),
        rules=rules,
        debug=debug,
        userspace=userspace,
    )


def _table_provider(root: str, in_tree: bool, arch: str, rel: str):  # type: ignore[no-untyped-def]
    m = _ARCH_DIR.match(rel)
    file_arch = m.group(1) if m and in_tree else arch

    def provide() -> SectionTable:
        if not in_tree:
            return table_for(None, arch)
        try:
            return table_for(root, file_arch)
        except HvlintError:
            return table_for(root, arch)

    return provide


def lint_file(rel: str) -> tuple[FileFacts, list[Finding]]:
    root = str(_W["root"])
    in_tree = bool(_W["in_tree"])
    vocab = _W["vocab"]
    assert isinstance(vocab, Vocabulary)
    pattern = _W["pattern"]
    assert isinstance(pattern, re.Pattern)
    rules = _W["rules"]
    assert isinstance(rules, list)
    facts, data = extract_file(root, rel, vocab, pattern)
    userspace = _W["userspace"]
    assert isinstance(userspace, set)
    ctx = FileContext(
        facts, _table_provider(root, in_tree, str(_W["arch"]), rel), _text_of(data), userspace=rel in userspace
    )
    findings: list[Finding] = []
    for r in rules:
        assert isinstance(r, Rule)
        ctx.rule = r
        try:
            findings.extend(r.func(ctx))
        except Exception as exc:  # a rule bug must not end the run: report it and go on
            cause = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            if _W.get("debug"):
                cause = traceback.format_exc()
            facts = replace(facts, diagnostics=facts.diagnostics + (Diagnostic(f"internal error in {r.id}: {cause}"),))
    return facts, findings


def _lint_chunk(rels: list[str]) -> list[tuple[FileFacts, list[Finding]]]:
    return [lint_file(rel) for rel in rels]


def _chunks(items: list[str], n: int) -> Iterable[list[str]]:
    size = max(1, min(64, len(items) // (n * 8) or 1))
    for i in range(0, len(items), size):
        yield items[i : i + size]


def run(opts: Options) -> RunResult:
    t0 = time.perf_counter()
    root, in_tree, files = resolve_inputs(opts)
    rules = select_rules(opts.select, opts.ignore)
    table = table_for(root if in_tree else None, opts.arch)
    vocab = vocabulary_for(table)
    rule_ids = [r.id for r in rules]
    userspace = discover.userspace_files(root, files) if in_tree else set()
    results: list[tuple[FileFacts, list[Finding]]] = []
    jobs = max(1, opts.jobs)
    if jobs == 1 or len(files) < 32:
        _init_worker(root, in_tree, opts.arch, vocab, rule_ids, opts.debug, userspace)
        results = [lint_file(rel) for rel in files]
    else:
        with ProcessPoolExecutor(
            max_workers=jobs,
            initializer=_init_worker,
            initargs=(root, in_tree, opts.arch, vocab, rule_ids, opts.debug, userspace),
        ) as pool:
            for chunk in pool.map(_lint_chunk, _chunks(files, jobs)):
                results.extend(chunk)
    facts = [f for f, _ in results]
    findings: list[Finding] = []
    for f, fs in results:
        findings.extend(fs)
        if "HV901" in rule_ids:
            # Diagnostics added after the rules ran (a crashed rule) still need reporting.
            reported = {x.message for x in fs if x.rule == "HV901"}
            hv901 = next(r for r in rules if r.id == "HV901")
            for d in f.diagnostics:
                if d.message not in reported:
                    findings.append(
                        Finding(
                            hv901.id,
                            hv901.name,
                            hv901.severity,
                            f.path,
                            d.span or Span(1, 1, 1, 1, 0, 0),
                            d.message,
                        )
                    )
    findings.sort(key=Finding.sort_key)
    return RunResult(root, in_tree, files, findings, facts, time.perf_counter() - t0, table)
