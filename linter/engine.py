"""The pipeline: discover -> read -> front end -> per-file facts -> file rules -> findings.

Per-file work (reading, parsing, file rules) runs in worker processes with `--jobs N`;
only facts and findings come back.
"""

from __future__ import annotations

import gc
import os
import re
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

from hvlint import discover
from hvlint.errors import HvlintError
from hvlint.facts import Diagnostic, FileFacts, Span
from hvlint.findings import Finding
from hvlint.frontend.prepare import Vocabulary
from hvlint.progress import Progress
from hvlint.registry import FileContext, ProjectContext, Rule, select_rules
from hvlint.tables import SectionTable, forget_header_states, set_extra_macros, table_for, vocabulary_for

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
    report_unused_suppressions: bool = False
    # Outside a kernel tree: the folder paths are reported relative to (default: the
    # common folder of the paths).
    base: str | None = None
    # Patch review: files linted beside the scope (those the patch touches), facts known to
    # be current for files that did not change, and the files file rules run on.
    extra_files: tuple[str, ...] = ()
    reuse: dict[str, FileFacts] | None = None
    file_rules_on: frozenset[str] | None = None
    progress: Progress = field(default_factory=Progress)
    # The configuration's additions: section macros (name -> section, and the file that
    # says so) and boot entry points (hvlint.bootorder.BootPath).
    section_macros: dict[str, str] = field(default_factory=dict)
    config_file: str = ""
    entry_points: tuple[Any, ...] = ()
    # Precise mode (hvlint.precise.Precise): the files of a compile database get libclang's view.
    precise: Any = None
    # The longest one file may take to parse (seconds; 0: no limit): past it, HV901.
    file_timeout: float = 60.0


@dataclass
class RunResult:
    root: str
    in_tree: bool
    files: list[str]
    findings: list[Finding]
    facts: list[FileFacts] = field(default_factory=list)
    seconds: float = 0.0
    table: SectionTable | None = None

    # A result from the cache: its count of files with parse errors (the facts are not loaded).
    cached: int | None = None
    # Each file's facts key in the cache (empty without one): see build_graph.
    fact_keys: dict[str, bytes] = field(default_factory=dict)

    @property
    def parse_errors(self) -> int:
        if self.cached is not None:
            return self.cached
        return sum(1 for f in self.facts if f.diagnostics)


def _whole(opts: Options, root: str, in_tree: bool) -> bool:
    """The tree root itself was named: lint its scope (not the files of a folder)."""
    return in_tree and len(opts.paths) == 1 and os.path.abspath(opts.paths[0]) == root


def resolve_inputs(opts: Options) -> tuple[str, bool, list[str]]:
    """(root, whether it is a kernel tree, root-relative files to lint)."""
    root, in_tree = find_tree(opts)
    if in_tree:
        if _whole(opts, root, in_tree):
            headers = table_for(root, opts.arch).section_headers if opts.scope == "default" else ()
            return root, True, discover.scope_files(root, opts.scope, headers)
        return root, True, discover.explicit_files(root, list(opts.paths))
    return root, False, discover.explicit_files(root, list(opts.paths))


def find_tree(opts: Options) -> tuple[str, bool]:
    """The tree root and whether it is a kernel tree (else: the folder of the paths)."""
    if not opts.paths:
        raise HvlintError("no path given")
    for p in opts.paths:
        if not discover.lexists(p):
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


class _Overtime(Exception):
    """A file took longer than FILE_TIMEOUT to parse."""


# Seconds one file may take to parse (Options.file_timeout; set for a run and in each worker).
FILE_TIMEOUT = 60.0


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise _Overtime in this block after `seconds` (a real-time alarm; only in a process's
    main thread, where signals are delivered: elsewhere, no limit)."""
    if seconds <= 0 or not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def ring(signum: int, frame: Any) -> None:
        raise _Overtime

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def extract_file(
    root: str, rel: str, vocab: Vocabulary, pattern: re.Pattern[str] | None, refs: bool = False
) -> tuple[FileFacts, bytes]:
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
        # imported here: a run answered from the cache never loads the parsers
        from hvlint.frontend.asm import extract_asm
        from hvlint.frontend.treesitter import extract_c

        with _time_limit(FILE_TIMEOUT):
            facts = extract_asm(rel, data) if lang == "asm" else extract_c(rel, data, vocab, pattern, refs=refs)
    except RecursionError:
        return _diagnostic_facts(rel, lang, "nesting too deep to parse: not linted", len(data)), b""
    except _Overtime:
        message = f"took over {FILE_TIMEOUT:g} s to parse: not linted (see --file-timeout)"
        return _diagnostic_facts(rel, lang, message, len(data)), b""
    if extra:
        facts = replace(facts, encoding="latin-1", diagnostics=tuple(extra) + facts.diagnostics)
    return facts, data


class _LazyText:
    """The bytes of one file, read when a rule first needs text (a fix's original)."""

    def __init__(self, root: str, rel: str, data: bytes | None = None) -> None:
        self.root, self.rel, self.data = root, rel, data

    def __call__(self, span: Span) -> str:
        if self.data is None:
            self.data = discover.read_source(self.root, self.rel).data or b""
        return self.data[span.start : span.end].decode("latin-1")


# -- worker side: read and parse, return facts ------------------------------------------

_W: dict[str, object] = {}


def fewer_collections() -> None:
    """Run Python's cycle collector less often.  A run makes millions of small objects
    (facts, graph edges) and frees almost none of them before it ends; with the default
    threshold the collector walks every live object again and again as they pile up
    (a quarter of a warm run's time).  The facts hold no cycles, so collecting every
    200,000 allocations instead of 700 frees the same memory."""
    gc.set_threshold(200_000, 20, 100)


def _init_worker(
    root: str, vocab: Vocabulary, refs: bool, view: dict[str, bytes | None], timeout: float = 60.0
) -> None:
    global FILE_TIMEOUT
    FILE_TIMEOUT = timeout
    fewer_collections()
    _W.update(root=root, vocab=vocab, pattern=vocab.pattern(), refs=refs)
    discover.set_view(root, view)


def _extract_chunk(rels: list[str]) -> list[bytes]:
    """The facts of these files, each pickled here: the parent keeps the bytes for the
    cache and unpickles them once."""
    import pickle

    root = str(_W["root"])
    vocab = _W["vocab"]
    pattern = _W["pattern"]
    refs = bool(_W["refs"])
    assert isinstance(vocab, Vocabulary) and isinstance(pattern, re.Pattern)
    return [
        pickle.dumps(extract_file(root, rel, vocab, pattern, refs)[0], protocol=pickle.HIGHEST_PROTOCOL) for rel in rels
    ]


def _chunks(items: list[str], n: int) -> list[list[str]]:
    size = max(1, min(32, len(items) // (n * 8) or 1))
    return [items[i : i + size] for i in range(0, len(items), size)]


def _table_provider(root: str, in_tree: bool, arch: str, rel: str) -> Callable[[], SectionTable]:
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


def _names(v: Vocabulary) -> frozenset[str]:
    return v.blank | v.calls | v.dsl | v.pair | v.syscall | frozenset(n for n, _ in v.typearg)


def _vocab_sig(v: Vocabulary) -> bytes:
    from hvlint.cache import digest

    parts = [
        "\n".join(sorted(x)) for x in (v.blank, v.calls, v.dsl, v.pair, v.syscall, v.sections, v.record_in_defines)
    ]
    parts.append(repr(sorted(v.typearg)) + repr(sorted(v.blocks)) + repr(v.macro_sections))
    return digest(*parts)


@dataclass
class _Inputs:
    """The files of a run with what identifies their text (the cache's keys)."""

    files: list[str]
    table: SectionTable
    content: dict[str, bytes]  # rel -> BLAKE2b of the bytes (readable files only)
    vocab_sig: bytes


def _inputs(opts: Options, root: str, in_tree: bool) -> _Inputs:
    whole = _whole(opts, root, in_tree)
    table = table_for(root if in_tree else None, opts.arch)
    files = discover.scope_files(root, opts.scope) if whole else resolve_inputs(opts)[2]
    if whole and opts.scope == "default":
        files = sorted(set(files) | set(discover.existing(root, table.section_headers)))
    if opts.extra_files:
        files = sorted(set(files) | set(discover.existing(root, opts.extra_files)))
    return _Inputs(files, table, _content_digests(root, files), _vocab_sig(vocabulary_for(table)))


def _content_digests(root: str, files: list[str]) -> dict[str, bytes]:
    """rel -> BLAKE2b of the file's bytes (readable files only).  A file whose size,
    modification and change times and inode are those recorded with its digest is not read
    again (git's index does the same); the others are read and their digest recorded."""
    from hvlint import cache
    from hvlint.cache import digest

    c = cache.current()
    real = os.path.realpath(root)
    view_root, view = discover.view()
    in_view = view if view_root == real else {}
    sigs: dict[str, tuple[bytes, str]] = {}
    for rel in files:
        if rel in in_view:
            continue
        try:
            st = os.stat(os.path.join(root, rel))  # a symlink in the tree: its target's
        except OSError:
            continue
        sigs[rel] = (digest(real, rel), f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}:{st.st_mode}")
    known = c.get_many("stat", [k for k, _ in sigs.values()]) if c is not None and c.enabled else {}
    out: dict[str, bytes] = {}
    for rel in files:
        k_sig = sigs.get(rel)
        if k_sig is not None:
            rec = known.get(k_sig[0])
            if rec is not None and rec[0] == k_sig[1]:
                out[rel] = rec[1]
                continue
        data = discover.read_source(root, rel).data
        if data is None:
            continue
        out[rel] = digest(data)
        if k_sig is not None and c is not None:
            c.put("stat", k_sig[0], (k_sig[1], out[rel]))
    return out


def _extract_all(
    opts: Options, root: str, in_tree: bool, refs: bool = False, inputs: _Inputs | None = None
) -> tuple[list[str], list[FileFacts], SectionTable, dict[str, bytes]]:
    """Every file's facts: from the cache when it has them (same text, same hvlint, same
    vocabulary), the others parsed (and stored); and each file's key in the cache (none
    without a cache)."""
    from hvlint import cache

    c = cache.current()
    if c is None or not c.enabled:
        files, facts, table = _parse_all(opts, root, in_tree, refs)
        return files, _precise(opts, root, facts), table, {}
    from hvlint.cache import digest, salt

    inputs = inputs or _inputs(opts, root, in_tree)
    flag = b"refs" if refs else b"decls"
    keys = {rel: digest(salt(), rel, h, inputs.vocab_sig, flag) for rel, h in inputs.content.items()}
    hits = c.get_many("facts", keys.values())
    reuse = dict(opts.reuse or {})
    reuse.update({rel: hits[k] for rel, k in keys.items() if k in hits and rel not in reuse})
    blobs: dict[str, bytes] = {}
    files, facts, table = _parse_all(replace(opts, reuse=reuse), root, in_tree, refs, inputs, blobs)
    for f in facts:
        k = keys.get(f.path)
        if k is not None and k not in hits:
            blob = blobs.pop(f.path, None)
            if blob is not None:
                c.put_bytes("facts", k, blob)
            else:
                c.put("facts", k, f)
    if opts.precise is not None:
        facts = _precise(opts, root, facts)
        # libclang's facts depend on more than the file (its flags, every header it reads):
        # their edges are worked out each run, not kept under the tree-sitter facts' keys
        keys = {rel: k for rel, k in keys.items() if rel not in opts.precise.libclang}
    return files, facts, table, keys


def _precise(opts: Options, root: str, facts: list[FileFacts]) -> list[FileFacts]:
    if opts.precise is None:
        return facts
    from hvlint import precise

    opts.progress.phase("libclang")
    return precise.apply(opts.precise, root, facts, max(1, opts.jobs))


def _parse_all(
    opts: Options,
    root: str,
    in_tree: bool,
    refs: bool = False,
    inputs: _Inputs | None = None,
    blobs: dict[str, bytes] | None = None,
) -> tuple[list[str], list[FileFacts], SectionTable]:
    """Parse every file; with several jobs the workers start on the scope's folders while
    this process derives the tree's section table (which adds the section headers).  With
    `inputs` (the file list and the table known already), workers parse with the final
    vocabulary at once."""
    whole = _whole(opts, root, in_tree)
    jobs = max(1, opts.jobs)
    if inputs is not None:
        files = list(inputs.files)
    elif not whole:
        _, _, files = resolve_inputs(opts)
    else:
        files = discover.scope_files(root, opts.scope)
    if opts.extra_files and inputs is None:
        files = sorted(set(files) | set(discover.existing(root, opts.extra_files)))
    reuse = opts.reuse or {}
    progress = opts.progress
    if jobs == 1 or len(files) - len(reuse) < 32:
        table = inputs.table if inputs is not None else table_for(root if in_tree else None, opts.arch)
        if whole and opts.scope == "default":
            files = sorted(set(files) | set(discover.existing(root, table.section_headers)))
        vocab = vocabulary_for(table)
        pattern = vocab.pattern()
        progress.start(len(files))
        out = []
        for rel in files:
            out.append(reuse[rel] if rel in reuse else extract_file(root, rel, vocab, pattern, refs)[0])
            progress.advance(1)
        return files, out, table
    early_vocab = vocabulary_for(inputs.table if inputs is not None else table_for(None, opts.arch))
    _, view = discover.view()
    progress.start(len(files) - len(reuse))
    with ProcessPoolExecutor(
        max_workers=jobs, initializer=_init_worker, initargs=(root, early_vocab, refs, view, FILE_TIMEOUT)
    ) as pool:

        def done(fut: Future[list[bytes]]) -> None:
            progress.advance(len(fut.result()) if not fut.exception() else 0)

        futures = [pool.submit(_extract_chunk, c) for c in _chunks([f for f in files if f not in reuse], jobs)]
        for fut in futures:
            fut.add_done_callback(done)
        table = inputs.table if inputs is not None else table_for(root if in_tree else None, opts.arch)
        if whole and opts.scope == "default" and inputs is None:
            more = sorted(set(discover.existing(root, table.section_headers)) - set(files))
            extra = [pool.submit(_extract_chunk, c) for c in _chunks([f for f in more if f not in reuse], jobs)]
            progress.grow(sum(1 for f in more if f not in reuse))
            for fut in extra:
                fut.add_done_callback(done)
            futures += extra
            files = files + more
        if refs and in_tree:  # the call graph will follow the tree's header macros: read them meanwhile
            from hvlint.tables import _header_macros

            _header_macros(root, opts.arch)
        import pickle

        facts = []
        for fut in futures:
            for blob in fut.result():
                f = pickle.loads(blob)
                facts.append(f)
                if blobs is not None:
                    blobs[f.path] = blob
    reused = [reuse[rel] for rel in files if rel in reuse]
    # Names this tree defines that the workers' vocabulary lacked: parse those files again.
    vocab = vocabulary_for(table)
    missing = _names(vocab) - _names(early_vocab)
    if missing:
        probe = re.compile(
            rb"(?<![\w$])(?:" + b"|".join(re.escape(n.encode()) for n in sorted(missing)) + rb")(?![\w$])"
        )
        pattern = vocab.pattern()
        for i, f in enumerate(facts):
            got = discover.read_source(root, f.path).data
            if got and probe.search(got):
                facts[i] = extract_file(root, f.path, vocab, pattern, refs)[0]
                if blobs is not None:
                    blobs.pop(f.path, None)  # parsed again: the worker's bytes are stale
    facts += reused
    order = {rel: i for i, rel in enumerate(sorted(files))}
    facts.sort(key=lambda f: order.get(f.path, 0))
    return sorted(files), facts, table


def _run_rules(opts: Options, root: str, in_tree: bool, facts: list[FileFacts], rules: list[Rule]) -> list[Finding]:
    file_rules = [r for r in rules if r.needs == "file"]
    userspace = discover.userspace_files(root, [f.path for f in facts]) if in_tree else set()
    findings: list[Finding] = []
    hv901 = next((r for r in rules if r.id == "HV901"), None)
    for i, f in enumerate(facts):
        if opts.file_rules_on is not None and f.path not in opts.file_rules_on:
            continue
        ctx = FileContext(
            f, _table_provider(root, in_tree, opts.arch, f.path), _LazyText(root, f.path), userspace=f.path in userspace
        )
        crashed: list[Diagnostic] = []
        for r in file_rules:
            ctx.rule = r
            try:
                findings.extend(r.func(ctx))
            except Exception as exc:  # a rule bug must not end the run: report it and go on
                cause = "".join(traceback.format_exception_only(type(exc), exc)).strip()
                if opts.debug:
                    cause = traceback.format_exc()
                crashed.append(Diagnostic(f"internal error in {r.id}: {cause}"))
        if crashed:
            facts[i] = replace(f, diagnostics=f.diagnostics + tuple(crashed))
            if hv901 is not None:
                findings.extend(
                    Finding(hv901.id, hv901.name, hv901.severity, f.path, _FILE_START, d.message) for d in crashed
                )
    return findings


_FILE_START = Span(1, 1, 1, 1, 0, 0)


def collect(opts: Options, refs: bool = True) -> RunResult:
    """Facts of every file (with calls and references) and no rules: for the call graph."""
    global FILE_TIMEOUT
    FILE_TIMEOUT = opts.file_timeout
    t0 = time.perf_counter()
    set_extra_macros(opts.section_macros, opts.config_file)
    root, in_tree = find_tree(opts)
    files, facts, table, keys = _extract_all(opts, root, in_tree, refs)
    return RunResult(root, in_tree, files, [], facts, time.perf_counter() - t0, table, fact_keys=keys)


def table_provider(res: RunResult, arch: str) -> Callable[[str], SectionTable]:
    """The section table for a file of the run, by its path (arch/<A>/ files use A's)."""
    cache: dict[str, SectionTable] = {}

    def for_path(rel: str) -> SectionTable:
        m = _ARCH_DIR.match(rel)
        key = m.group(1) if m and res.in_tree else arch
        if key not in cache:
            cache[key] = _table_provider(res.root, res.in_tree, arch, rel)()
        return cache[key]

    return for_path


def _run_key(opts: Options, root: str, rules: list[Rule], inputs: _Inputs) -> bytes:
    """What a run's findings depend on: hvlint, the options, the linted files' text, the
    tables (vocabulary) and the headers the call graph reads."""
    from hvlint.cache import digest, salt
    from hvlint.tables import header_dirs, header_state

    opt = repr(
        (
            sorted(r.id for r in rules),
            opts.scope,
            opts.arch,
            opts.report_unused_suppressions,
            sorted(discover.relpath(p, root) for p in opts.paths),
            sorted(opts.extra_files),
            sorted(opts.file_rules_on) if opts.file_rules_on is not None else None,
            sorted(opts.section_macros.items()),
            [repr(p) for p in opts.entry_points],
        )
    )
    files = "\n".join(f"{rel}\0{inputs.content.get(rel, b'').hex()}" for rel in inputs.files)
    headers = header_state(root, header_dirs(opts.arch)) if any(r.needs == "project" for r in rules) else b""
    return digest(salt(), os.path.realpath(root), opt, files, inputs.vocab_sig, headers)


def run(opts: Options) -> RunResult:
    global FILE_TIMEOUT
    FILE_TIMEOUT = opts.file_timeout
    t0 = time.perf_counter()
    set_extra_macros(opts.section_macros, opts.config_file)
    forget_header_states()
    root, in_tree = find_tree(opts)
    rules = select_rules(opts.select, opts.ignore)
    project_rules = [r for r in rules if r.needs == "project"]
    from hvlint import cache

    c = cache.current()
    inputs = key = None
    whole = _whole(opts, root, in_tree)
    if (
        c is not None
        and c.enabled
        and opts.reuse is None
        and opts.precise is None  # libclang's facts hang on headers and flags the key does not hold
        and (whole or not project_rules or not in_tree)
    ):
        # The whole result of a run over the same text: nothing to parse or build.  (Files
        # named inside a tree take the rest of the scope as context: not keyed here.)
        inputs = _inputs(opts, root, in_tree)
        key = _run_key(opts, root, rules, inputs)
        got = c.get("run", key)
        if got is not None:
            files, findings, parse_errors = got
            return RunResult(
                root, in_tree, files, findings, [], time.perf_counter() - t0, inputs.table, cached=parse_errors
            )
    files, facts, table, keys = _extract_all(opts, root, in_tree, refs=bool(project_rules), inputs=inputs)
    opts.progress.phase("file rules")
    findings = _run_rules(opts, root, in_tree, facts, rules)
    if project_rules:
        findings += _run_project_rules(opts, root, in_tree, files, facts, project_rules, keys)
    from hvlint import suppress

    opts.progress.phase("suppressions")
    findings, seen = suppress.apply(root, findings)
    if opts.report_unused_suppressions or any(r.id == "HV902" for r in rules):
        findings += suppress.unused(root, [f.path for f in facts if f.lang in ("c", "asm")], seen)
    findings.sort(key=Finding.sort_key)
    result = RunResult(root, in_tree, files, findings, facts, time.perf_counter() - t0, table)
    if c is not None and key is not None:
        c.put("run", key, (files, findings, result.parse_errors))
    return result


def build_graph(  # type: ignore[no-untyped-def]
    root: str, in_tree: bool, facts: list[FileFacts], arch: str, keys: dict[str, bytes] | None = None
):
    """The project model and call graph over `facts` (with the tree's header macros).  With
    the facts' cache keys (`keys`) and a cache, each file's edges are kept there and replayed
    for the files whose facts did not change (callgraph.EdgeCache)."""
    from hvlint import callgraph
    from hvlint.model import Project
    from hvlint.tables import dual_macros, object_macros, tree_macros

    res = RunResult(root, in_tree, [], [], facts)
    project = Project.build(facts, table_provider(res, arch))
    if in_tree:
        edges = _edge_cache(root, arch, keys)
        g, stats = callgraph.build(
            project, tree_macros(root, arch), dual_macros(root, arch), object_macros(root, arch), edges
        )
    else:
        g, stats = callgraph.build(project, {})
    g.graph["arch"] = arch
    return project, g, stats


def _edge_cache(root: str, arch: str, keys: dict[str, bytes] | None):  # type: ignore[no-untyped-def]
    """Where the graph keeps each file's edges: the run's cache, under the facts' keys and
    the header tables' state (None without a cache or keys)."""
    from hvlint import cache

    c = cache.current()
    if not keys or c is None or not c.enabled:
        return None
    from hvlint.cache import digest, salt
    from hvlint.callgraph import EdgeCache
    from hvlint.tables import header_dirs, header_state

    real = os.path.realpath(root)
    return EdgeCache(c, keys, digest(salt(), real, arch, header_state(root, header_dirs(arch))), digest(real, arch))


def _run_project_rules(
    opts: Options,
    root: str,
    in_tree: bool,
    files: list[str],
    facts: list[FileFacts],
    rules: list[Rule],
    keys: dict[str, bytes] | None = None,
) -> list[Finding]:
    """Rules over the whole project.  Files or folders named inside a tree are checked with
    the scope around them as context (a call from elsewhere makes a finding real); only the
    findings in the named files are kept."""
    named = set(files)
    context = facts
    whole = _whole(opts, root, in_tree)
    if in_tree and not whole:
        wider = replace(opts, paths=[root])
        _, more, _, more_keys = _extract_all(wider, root, in_tree, refs=True)
        have = {f.path for f in facts}
        context = facts + [f for f in more if f.path not in have]
        keys = {**more_keys, **(keys or {})}
    opts.progress.phase("call graph")
    project, graph, _ = build_graph(root, in_tree, context, opts.arch, keys)
    for p in opts.entry_points:
        if p.entry_id in graph:
            graph.nodes[p.entry_id]["entry"] = True
    ctx = ProjectContext(root, in_tree, context, project, graph, opts.scope, opts.arch, boot_paths=opts.entry_points)
    out: list[Finding] = []
    for r in rules:
        ctx.rule = r
        opts.progress.phase(f"{r.id} {r.name}")
        try:
            got = list(r.func(ctx))
        except Exception as exc:  # a rule bug must not end the run: report it and go on
            if opts.debug:
                raise
            cause = "".join(traceback.format_exception_only(type(exc), exc)).strip()
            raise HvlintError(f"internal error in {r.id}: {cause} (run with --debug for the traceback)") from exc
        out.extend(f for f in got if f.path in named)
    return out
