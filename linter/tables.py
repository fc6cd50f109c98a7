"""Data tables: the annotation vocabulary (shipped) and the section-macro table (derived from
the linted tree's own headers, with a shipped fallback for files outside a tree).

The section table is what makes HV202 follow the kernel being linted: `#define __initdata
__section(".init.data")` in include/linux/init.h, x86's `#define __read_mostly
__section(".data..read_mostly")` in arch/x86/include/asm/cache.h, aliases such as
`__meminitdata` -> `__initdata`, and the `__section()` macro itself.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Container, Iterator, Mapping, MutableMapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from hvlint import discover
from hvlint.datafiles import load_toml
from hvlint.errors import HvlintError
from hvlint.frontend.prepare import RawDefine, Vocabulary, condition_segments, match_paren, prepare, split_top_level

_TOKEN = re.compile(r"""[A-Za-z_]\w*|"(?:[^"\\]|\\.)*"|\(|\)|\#\#?|[^\s\w()"]+""")
_STRING_LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')
_HINT = re.compile(
    rb"section|__init|__exit|__ref|__mem|aligned|__head|noinstr|__cpuidle|__sched|__read_mostly"
    rb"|__ro_after|__nosave|_entry|__lockfunc|__kprobes|__attribute"
)
# A `#define` with its continuation lines (a backslash escapes the next character).
_DEFINE_LINES = re.compile(rb"#[ \t]*define[ \t][^\n\\]*(?:\\[\s\S][^\n\\]*)*")


def _has_relevant_define(data: bytes) -> bool:
    """Whether a `#define` of the file mentions a hint word in its (continued) body."""
    return _HINT.search(b"\n".join(_DEFINE_LINES.findall(data))) is not None


_SECTION_IN_BODY = re.compile(r"\b(?:__)?section(?:__)?\s*\(")


def _names(table: dict[str, Any], key: str, source: str) -> frozenset[str]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise HvlintError(f"{source}: key '{key}' must be a list of macro names")
    return frozenset(value)


@lru_cache(maxsize=1)
def base_vocabulary() -> Vocabulary:
    t = load_toml("annotations.toml")
    src = "hvlint/data/annotations.toml"
    return Vocabulary(
        blank=_names(t, "blank", src),
        calls=_names(t, "calls", src),
        dsl=_names(t, "dsl", src),
        pair=_names(t, "pair", src),
        syscall=_names(t, "syscall", src),
        typearg=_typearg(t, src),
        blocks=_blocks(t, src),
        macro_sections=_macro_sections(t, src),
    )


def _macro_sections(table: dict[str, Any], source: str) -> tuple[tuple[str, str], ...]:
    value = table.get("macro_sections", {})
    if not isinstance(value, dict) or not all(isinstance(v, str) and v.startswith(".") for v in value.values()):
        raise HvlintError(f"{source}: [macro_sections] must map a declaration macro to a section name")
    return tuple(sorted(value.items()))


def _blocks(table: dict[str, Any], source: str) -> tuple[tuple[str, str], ...]:
    value = table.get("blocks", {})
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise HvlintError(f"{source}: [blocks] must map an opening macro to its closing macro")
    return tuple(sorted(value.items()))


def _typearg(table: dict[str, Any], source: str) -> tuple[tuple[str, int], ...]:
    value = table.get("typearg", {})
    if not isinstance(value, dict) or not all(isinstance(v, int) and v >= 0 for v in value.values()):
        raise HvlintError(f"{source}: [typearg] must map macro names to argument indexes (0, 1, ...)")
    return tuple(sorted(value.items()))


@dataclass(frozen=True, slots=True)
class SectionEntry:
    """A named macro that places what it annotates in `section`.

    `extras` are the other attributes its expansion adds (`__cold`, `noinline`, ...);
    `via` the macros it goes through (`__meminitdata` -> `__initdata`); `conditions` the
    preprocessor conditions its definition stands under (empty: always defined so)."""

    name: str
    section: str
    defined_in: str
    line: int
    extras: tuple[str, ...] = ()
    via: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()
    arch: str | None = None

    @property
    def exact(self) -> bool:
        """The macro means the section and nothing else."""
        return not self.extras

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)

    @property
    def kind(self) -> str:
        """What it is meant for: "function", "const" (read-only data) or "data"."""
        return section_kind(self.section)


def section_kind(section: str) -> str:
    if ".text" in section or section.endswith("text"):
        return "function"
    if "rodata" in section:
        return "const"
    return "data"


@dataclass(slots=True)
class SectionTable:
    entries: dict[str, SectionEntry] = field(default_factory=dict)
    section_macro: str | None = "__section"
    # attr_key(attribute, takes arguments) -> (macro name, takes arguments)
    attr_macros: dict[str, tuple[str, bool]] = field(default_factory=dict)
    source: str = "fallback"
    arch: str = "x86"
    # Kernels before 5.10 spelled it `__section(.init.data)`: the macro stringifies (#S).
    section_stringify: bool = False
    # Headers of the tree that define a macro placing something in a section.
    section_headers: tuple[str, ...] = ()

    def get(self, name: str) -> SectionEntry | None:
        return self.entries.get(name)

    def named_macro(self, section: str, kind: str | None = None) -> SectionEntry | None:
        """The macro to write instead of spelling `section` by hand, if the tree has one:
        unconditional, meant for `kind` when given, preferring a macro that spells the section
        itself and adds the fewest other attributes."""
        best: SectionEntry | None = None
        for e in self.entries.values():
            if e.section != section or e.conditional:
                continue
            if kind is not None and not _kind_fits(e.kind, kind):
                continue
            key = (len(e.via), len(e.extras), e.name)
            if best is None or key < (len(best.via), len(best.extras), best.name):
                best = e
        return best

    def counterpart(self, entry: SectionEntry, kind: str) -> SectionEntry | None:
        """The sibling of `entry` meant for `kind`: `__initdata` -> `__initconst`,
        `__meminit` -> `__meminitdata`, `__exit` -> `__exitdata`."""
        # `__initdata_or_module` -> `__initconst_or_module` / `__init_or_module`
        m = re.match(r"^(\w*?)(init|exit|ref)(data|const)?(_\w+)?$", entry.name)
        if m:
            prefix, base, _, tail = m.groups()
            suffix = {"function": "", "data": "data", "const": "const"}[kind]
            cand = self.entries.get(f"{prefix}{base}{suffix}{tail or ''}")
            if cand is not None and _kind_fits(cand.kind, kind):
                return cand
        group = entry.section.rsplit(".", 1)[0] if "." in entry.section[1:] else entry.section
        wanted = {"function": ".text", "data": ".data", "const": ".rodata"}[kind]
        return self.named_macro(group + wanted, kind)


def _kind_fits(entry_kind: str, kind: str) -> bool:
    return entry_kind == kind or (entry_kind == "data" and kind == "object")


# -- derivation from a tree ------------------------------------------------------------------

_HEADER_DIRS = ("include/linux", "include/asm-generic")


def _header_files(root: str, rel: str) -> list[str]:
    out: list[str] = []
    base = os.path.join(root, rel)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not os.path.islink(os.path.join(dirpath, d))]
        for f in filenames:
            if f.endswith(".h"):
                out.append(os.path.join(dirpath, f))
    added, deleted = discover.view_files_below(root, rel, (".h",))
    if added or deleted:  # a patch under review adds or deletes headers here
        gone = {os.path.join(root, d) for d in deleted}
        out = sorted(set(out) - gone | {os.path.join(root, a) for a in added})
    out.sort()
    return out


@dataclass(frozen=True, slots=True)
class _Def:
    d: RawDefine
    path: str
    line: int
    arch: str | None


def _read_headers(root: str, rel: str) -> Iterator[tuple[str, bytes]]:
    """(path, bytes) of the headers below root/rel (unreadable ones skipped, 4 MiB at most)."""
    for path in _header_files(root, rel):
        hit, viewed = discover.in_view(root, os.path.relpath(path, root).replace(os.sep, "/"))
        if hit:
            if viewed is not None:
                yield path, viewed[: 4 << 20]
            continue
        try:
            with open(path, "rb") as fh:
                yield path, fh.read(4 << 20)
        except OSError:
            continue


def _collect_defines(root: str, rels: list[tuple[str, str | None]], section_headers: set[str]) -> dict[str, list[_Def]]:
    defs: dict[str, list[_Def]] = {}
    empty = Vocabulary()
    pattern = empty.pattern()
    for rel, arch in rels:
        for path, data in _read_headers(root, rel):
            if not _has_relevant_define(data):
                continue
            text = data.decode("latin-1")
            prepared = prepare(text, empty, pattern, directives_only=True)
            relpath = os.path.relpath(path, root).replace(os.sep, "/")
            newlines = [m.start() for m in re.finditer("\n", text)] if prepared.defines else []
            for d in prepared.defines:
                if "__ASSEMBLY__" in " ".join(d.conditions):
                    continue
                line = bisect_right(newlines, d.start) + 1
                defs.setdefault(d.name, []).append(_Def(d, relpath, line, arch))
                if _SECTION_IN_BODY.search(d.body):
                    section_headers.add(relpath)
    return defs


@dataclass(slots=True)
class _Expansion:
    section_expr: str | None = None
    extras: list[str] = field(default_factory=list)
    via: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    nsections: int = 0


class _Resolver:
    def __init__(self, defs: dict[str, list[_Def]], arch: str) -> None:
        self.defs = defs
        self.arch = arch

    def pick(self, name: str) -> tuple[_Def | None, bool]:
        """The definition of `name` for this arch, and whether it depends on configuration."""
        cands = [d for d in self.defs.get(name, ()) if d.arch in (None, self.arch)]
        if not cands:
            return None, False
        arch_defs = [d for d in cands if d.arch == self.arch]
        if arch_defs:
            cands = arch_defs
        uncond = [d for d in cands if not _config_conditions(d.d.conditions)]
        if uncond:
            return uncond[0], False
        nonempty = [d for d in cands if d.d.body]
        return (nonempty or cands)[0], True

    def expand(self, body: str, exp: _Expansion, depth: int) -> None:
        if depth > 12:
            return
        ms = list(_TOKEN.finditer(body))
        toks = [m.group() for m in ms]
        i = 0
        while i < len(toks):
            tok = toks[i]
            args: str | None = None
            j = i + 1
            if j < len(toks) and toks[j] == "(":
                depth_p = 0
                k = j
                while k < len(toks):
                    if toks[k] == "(":
                        depth_p += 1
                    elif toks[k] == ")":
                        depth_p -= 1
                        if depth_p == 0:
                            break
                    k += 1
                # the argument text as written (stringification needs it verbatim)
                args = body[ms[j].end() : ms[k].start()] if k < len(toks) else body[ms[j].end() :]
                j = k + 1
            if tok in ("__attribute__", "__attribute") and args is not None:
                self._attribute(body, tok, args, exp)
            elif re.fullmatch(r"[A-Za-z_]\w*", tok):
                d, cond = self.pick(tok)
                if d is not None and (d.d.params is None) == (args is None):
                    sub = d.d.body
                    if d.d.params is not None and args is not None:
                        sub = _substitute(sub, d.d.params, args)
                    inner = _Expansion()
                    self.expand(sub, inner, depth + 1)
                    if inner.nsections:
                        # Only the path that yields the section decides its conditions.
                        exp.via.append(tok)
                        exp.via.extend(inner.via)
                        exp.extras.extend(inner.extras)
                        exp.section_expr = inner.section_expr
                        exp.nsections += inner.nsections
                        if cond:
                            exp.conditions.extend(_config_conditions(d.d.conditions) or ("configuration",))
                        exp.conditions.extend(inner.conditions)
                    elif sub.strip():
                        exp.extras.append(tok if args is None else f"{tok}({args})")
                elif tok not in ("\\",):
                    exp.extras.append(tok if args is None else f"{tok}({args})")
            i = j
        return

    def _attribute(self, body: str, tok: str, args: str, exp: _Expansion) -> None:
        inner = args.strip()
        if inner.startswith("(") and inner.endswith(")"):
            inner = inner[1:-1]
        for s, e in split_top_level(inner, 0, len(inner)):
            item = inner[s:e].strip()
            m = re.match(r"(\w+)\s*(?:\((.*)\))?$", item, re.S)
            if not m:
                continue
            name = m.group(1)
            base = name[2:-2] if name.startswith("__") and name.endswith("__") and len(name) > 4 else name
            if base == "section" and m.group(2) is not None:
                exp.section_expr = m.group(2).strip()
                exp.nsections += 1
            else:
                exp.extras.append(f"__attribute__(({item}))")


# Conditions that say which language or build a header serves, not which configuration.
_NOT_CONFIG = re.compile(r"__KERNEL__|__ASSEMBLY__|__ASSEMBLER__")


def _config_conditions(conds: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c for c in conds if not _NOT_CONFIG.search(c))


_DECL_WORDS = re.compile(r"[=;{}]|\b(?:static|extern|const|struct|union|enum|typedef|int|char|void|long|unsigned)\b")


def _declares(body: str) -> bool:
    """A macro that declares something (`ORC_HEADER`) is not an annotation macro."""
    return bool(_DECL_WORDS.search(re.sub(r'"(?:[^"\\]|\\.)*"', "", body)))


def _substitute(body: str, params: tuple[str, ...], args: str) -> str:
    values = [args[s:e].strip() for s, e in split_top_level(args, 0, len(args))]
    mapping = dict(zip(params, values))

    def one(m: re.Match[str]) -> str:
        if m.group(1) is not None:  # `#param`: stringification
            return '"' + mapping.get(m.group(1), m.group(1)).replace("\\", "\\\\").replace('"', '\\"') + '"'
        return mapping.get(m.group(2), m.group(2))

    return re.sub(r"#\s*([A-Za-z_]\w*)|([A-Za-z_]\w*)", one, body)


def _literal(expr: str) -> str | None:
    # Token joining inserts spaces between adjacent literals: `".a" ".b"` -> `.a.b`.
    rest = _STRING_LIT.sub("", expr)
    if rest.strip() or '"' not in expr:
        return None
    return "".join(m.group(1) for m in _STRING_LIT.finditer(expr))


def derive_table(root: str, arch: str = "x86") -> SectionTable:
    """Read the section macros from the tree at `root` for `arch`."""
    rels: list[tuple[str, str | None]] = [(r, None) for r in _HEADER_DIRS]
    rels.append((f"arch/{arch}/include/asm", arch))
    headers: set[str] = set()
    defs = _collect_defines(root, rels, headers)
    resolver = _Resolver(defs, arch)
    table = SectionTable(
        source=f"derived from {root}", arch=arch, section_macro=None, section_headers=tuple(sorted(headers))
    )
    names = _relevant(defs)
    for name in names:
        d, _ = resolver.pick(name)
        if d is not None and d.d.params is not None:
            _maybe_attr_macro(table, name, d)
    _object_attr_macros(defs, table)
    table.attr_macros = {k: v for k, v in table.attr_macros.items() if v != _AMBIGUOUS}
    for name in names:
        d, cond = resolver.pick(name)
        if d is None or d.d.params is not None or not d.d.body:
            continue
        exp = _Expansion()
        resolver.expand(d.d.body, exp, 0)
        if exp.nsections != 1 or exp.section_expr is None:
            continue
        section = _literal(exp.section_expr)
        if section is None or _declares(d.d.body):
            continue
        conditions = (_config_conditions(d.d.conditions) if cond else ()) + tuple(exp.conditions)
        table.entries[name] = SectionEntry(
            name=name,
            section=section,
            defined_in=d.path,
            line=d.line,
            extras=tuple(exp.extras),
            via=tuple(v for v in exp.via if v != table.section_macro),
            conditions=conditions,
            arch=d.arch,
        )
    if not table.entries:
        raise HvlintError(f"no section macros found under {root}/include: is this a kernel tree?")
    return table


def _relevant(defs: dict[str, list[_Def]]) -> list[str]:
    """Names whose definitions can lead to a section attribute: those that spell one, and
    those that name such a macro (aliases), to a fixed point."""
    words = {n: set(re.findall(r"[A-Za-z_]\w*", " ".join(d.d.body for d in ds))) for n, ds in defs.items()}
    found = {n for n, w in words.items() if w & {"section", "__section__", "__attribute__", "__attribute"}}
    while True:
        more = {n for n, w in words.items() if n not in found and w & found}
        if not more:
            return sorted(found)
        found |= more


def _maybe_attr_macro(table: SectionTable, name: str, d: _Def) -> None:
    """Recognise `#define __section(S) __attribute__((__section__(S)))` and attribute macros
    such as `#define __aligned(x) __attribute__((__aligned__(x)))`."""
    if _config_conditions(d.d.conditions) or d.d.params is None:
        return
    sm = re.fullmatch(r"__attribute__\s*\(\(\s*__section__\s*\(\s*#\s*(\w+)\s*\)\s*\)\)", d.d.body)
    if sm and d.d.params == (sm.group(1),) and (table.section_macro is None or name == "__section"):
        table.section_macro = name
        table.section_stringify = True
        return
    m = re.fullmatch(r"__attribute__\s*\(\(\s*(\w+)\s*\(\s*([\w\s,]*)\)\s*\)\)", d.d.body)
    if not m:
        return
    attr = m.group(1)
    base = attr[2:-2] if attr.startswith("__") and attr.endswith("__") else attr
    params = [p.strip() for p in m.group(2).split(",") if p.strip()]
    if tuple(params) != d.d.params:
        return
    if base == "section" and len(params) == 1:
        if table.section_macro is None or name == "__section":
            table.section_macro = name
    else:
        _add_attr_macro(table, base, name, True)


_AMBIGUOUS = ("", False)


def attr_key(base: str, takes_args: bool) -> str:
    """Key of `SectionTable.attr_macros`: `aligned()` for `__aligned(x)`, `used` for `__used`."""
    return f"{base}()" if takes_args else base


def _add_attr_macro(table: SectionTable, base: str, name: str, takes_args: bool) -> None:
    """Record the macro for an attribute; two macros for the same attribute
    (`__maybe_unused`, `__always_unused`) say different things, so then none is used."""
    key = attr_key(base, takes_args)
    old = table.attr_macros.get(key)
    if old is None:
        table.attr_macros[key] = (name, takes_args)
    elif old[0] != name:
        table.attr_macros[key] = _AMBIGUOUS


def _object_attr_macros(defs: dict[str, list[_Def]], table: SectionTable) -> None:
    for name, ds in defs.items():
        for d in ds:
            if d.d.params is not None or _config_conditions(d.d.conditions):
                continue
            m = re.fullmatch(r"__attribute__\s*\(\(\s*(\w+)\s*\)\)", d.d.body)
            if m:
                attr = m.group(1)
                base = attr[2:-2] if attr.startswith("__") and attr.endswith("__") else attr
                _add_attr_macro(table, base, name, False)


def fallback_table() -> SectionTable:
    """The table shipped with hvlint (Linux 6.12, x86), for files outside a kernel tree."""
    t = load_toml("sections.toml")
    src = "hvlint/data/sections.toml"
    table = SectionTable(source=src, arch=str(t.get("arch", "x86")))
    table.section_macro = str(t.get("section_macro", "__section"))
    table.section_stringify = bool(t.get("section_stringify", False))
    for i, raw in enumerate(t.get("macro", [])):
        try:
            e = SectionEntry(
                name=str(raw["name"]),
                section=str(raw["section"]),
                defined_in=str(raw["defined_in"]),
                line=int(raw.get("line", 0)),
                extras=tuple(raw.get("extras", ())),
                via=tuple(raw.get("via", ())),
                conditions=tuple(raw.get("conditions", ())),
                arch=raw.get("arch"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise HvlintError(f"{src}: macro entry {i}: bad or missing key {exc}") from exc
        table.entries[e.name] = e
    for base, spec in t.get("attributes", {}).items():
        if not isinstance(spec, dict) or "macro" not in spec:
            raise HvlintError(f"{src}: attributes.{base}: needs 'macro'")
        takes = bool(spec.get("args", False))
        table.attr_macros[attr_key(base.removesuffix("()"), takes)] = (str(spec["macro"]), takes)
    return table


_TABLES: dict[tuple[str, str, tuple[tuple[str, str], ...]], SectionTable] = {}
# Section macros the configuration adds (`[section-macros]`): (name, section), and the file.
_EXTRA: list[tuple[tuple[tuple[str, str], ...], str]] = [((), "")]


def set_extra_macros(macros: dict[str, str], source: str = "") -> None:
    """Add these section macros to every table (those the tree defines keep their own)."""
    _EXTRA[0] = (tuple(sorted(macros.items())), source)


def _with_extras(table: SectionTable) -> SectionTable:
    extra, source = _EXTRA[0]
    if not extra:
        return table
    from dataclasses import replace as _replace

    entries = dict(table.entries)
    for name, section in extra:
        entries.setdefault(name, SectionEntry(name, section, source or "configuration", 0, arch=table.arch))
    return _replace(table, entries=entries)


def table_for(root: str | None, arch: str = "x86") -> SectionTable:
    """The section table for files of `arch` in the tree at `root` (None: the fallback),
    with the configuration's section macros."""
    key = ("" if root is None else os.path.realpath(root), arch, _EXTRA[0][0])
    if key not in _TABLES:
        if root is None:
            base = fallback_table()
        else:
            # keyed by the state of all of include/ and arch/<arch>/include/ (a superset of
            # what it reads): one walk a run serves this, the header macros and the run key
            base = _cached("section_table", root, arch, header_dirs(arch), lambda: derive_table(root, arch))
        _TABLES[key] = _with_extras(base)
    return _TABLES[key]


def vocabulary_for(table: SectionTable) -> Vocabulary:
    """The base vocabulary plus every section macro of the table."""
    base = base_vocabulary()
    # Upper-case names (`INIT` in include/linux/decompress/mm.h) are too likely to be
    # something else in other files to blank everywhere: the table keeps them, the scan not.
    extra = frozenset(n for n in table.entries if n not in base.calls and not n.isupper())
    calls = base.calls | ({table.section_macro} if table.section_macro else frozenset())
    calls |= frozenset(m for m, takes in table.attr_macros.values() if takes)
    blank = base.blank | extra | frozenset(m for m, takes in table.attr_macros.values() if not takes)
    sections = extra | ({table.section_macro} if table.section_macro else frozenset())
    return Vocabulary(
        blank=blank - calls,
        calls=calls,
        dsl=base.dsl,
        pair=base.pair,
        syscall=base.syscall,
        typearg=base.typearg,
        sections=sections,
        blocks=base.blocks,
        macro_sections=base.macro_sections,
    )


# -- call-graph data ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Registration:
    """A registration macro: `macro(..., fn, ...)` hands `fn` (argument `arg`) to `runner`."""

    macro: str
    arg: int
    role: str
    runner: str | None = None
    key: int | None = None
    reason: str = ""


@dataclass(frozen=True, slots=True)
class Entry:
    name: str
    path: str
    reason: str = ""


_ROLES = frozenset({"initcall", "setup", "export", "exit", "static_call"})


@lru_cache(maxsize=1)
def registrations() -> dict[str, Registration]:
    t = load_toml("registrations.toml")
    src = "hvlint/data/registrations.toml"
    out: dict[str, Registration] = {}
    for i, g in enumerate(t.get("group", [])):
        try:
            macros, arg, role = g["macros"], int(g["arg"]), str(g["role"])
        except (KeyError, TypeError, ValueError) as exc:
            raise HvlintError(f"{src}: group {i}: bad or missing key {exc}") from exc
        if role not in _ROLES or not isinstance(macros, list):
            raise HvlintError(f"{src}: group {i}: role must be one of {sorted(_ROLES)}, macros a list")
        for m in macros:
            out[str(m)] = Registration(str(m), arg, role, g.get("runner"), g.get("key"), str(g.get("reason", "")))
    return out


@lru_cache(maxsize=1)
def never_called() -> re.Pattern[str]:
    """Names of functions declared to fail the link when a call to them survives."""
    t = load_toml("registrations.toml")
    pats = t.get("never_called", {}).get("patterns", [])
    if not isinstance(pats, list) or not all(isinstance(p, str) and p for p in pats):
        raise HvlintError("hvlint/data/registrations.toml: never_called.patterns must be a list of globs")
    import fnmatch

    return re.compile("|".join(fnmatch.translate(p) for p in pats) or r"(?!x)x")


@lru_cache(maxsize=1)
def entries() -> tuple[Entry, ...]:
    t = load_toml("entries.toml")
    src = "hvlint/data/entries.toml"
    out = []
    for i, e in enumerate(t.get("entry", [])):
        try:
            out.append(Entry(str(e["name"]), str(e["path"]), str(e.get("reason", ""))))
        except (KeyError, TypeError) as exc:
            raise HvlintError(f"{src}: entry {i}: bad or missing key {exc}") from exc
    return tuple(out)


_DEFINE_HEAD = re.compile(r"#[ \t]*define[ \t]+([A-Za-z_]\w*)(\([^)]*\))?(.*)", re.S)
_CALLED = re.compile(r"([A-Za-z_]\w*)\s*\(")
_NOT_CALLS = frozenset(
    "if while for switch return sizeof typeof __typeof__ __typeof _Generic defined asm __asm__ "
    "volatile __volatile__ __attribute__ __attribute alignof _Alignof __alignof__ offsetof do "
    "goto _Static_assert static_assert _Pragma __diag __auto_type "
    # type words: `(void (*)(int))fn` casts, they do not call `void`
    "void char short int long signed unsigned float double _Bool bool struct union enum const".split()
)
_ATTRIBUTE_WORD = re.compile(r"__\w+__")
_IF_ZERO = re.compile(r"\bif\s*\(\s*0\s*\)")
_UNEVALUATED = re.compile(
    r"\b(?:__builtin_constant_p|sizeof|typeof|__typeof__|__typeof|__same_type|__is_constexpr|_Static_assert"
    r"|static_assert|__builtin_types_compatible_p|alignof|_Alignof|__alignof__)\s*\("
)


def _drop_attributes(body: str) -> str:
    """`__attribute__((section("x"), aligned(8)))` names attributes, not callees."""
    out = []
    pos = 0
    for m in re.finditer(r"__attribute(?:__)?\s*\(", body):
        if m.start() < pos:
            continue
        close = match_paren(body, m.end() - 1)
        if close < 0:
            break
        out.append(body[pos : m.start()])
        pos = close
    out.append(body[pos:])
    return " ".join(out)


def macro_calls(body: str, params: tuple[str, ...] = ()) -> tuple[str, ...]:
    """What a macro body calls, as `callee(arg,arg,...)` entries: the callee is a name, or
    `$i` for the body's i-th parameter (`#define printk_index_wrap(_p_func, ...)
    ... _p_func(...)`); an argument is a name, `$i` when the parameter is passed on, or empty
    (an expression).  Keywords, builtins and attribute words are not callees."""
    body = re.sub(r'"(?:[^"\\]|\\.)*"', " ", body)
    if "__attribute" in body:
        body = _drop_attributes(body)
    # `arg...` is the variadic parameter named `arg`, `...` is `__VA_ARGS__`
    index = {(p.removesuffix("...") or "__VA_ARGS__"): i for i, p in enumerate(params)}
    seen: dict[str, None] = {}
    dead = [(m.end(), body.find(";", m.end())) for m in _IF_ZERO.finditer(body)]
    for m in _UNEVALUATED.finditer(body):  # `__builtin_constant_p(boot_cpu_has(bit))` calls nothing
        close = match_paren(body, m.end() - 1)
        if close > 0:
            dead.append((m.end(), close))
            # `__builtin_constant_p(E) ? E : f(x)`: E runs only when folded to a constant
            inner = re.sub(r"\s+", "", body[m.end() : close - 1])
            q = re.match(r"\s*\?\s*", body[close:])
            call = _CALLED.match(body, close + q.end()) if q else None
            if call and inner:
                end = match_paren(body, call.end() - 1)
                if end > 0 and re.sub(r"\s+", "", body[call.start() : end]) == inner:
                    dead.append((call.start(), end))
    for m in _CALLED.finditer(body):
        name = m.group(1)
        if any(a <= m.start() < b for a, b in dead):
            continue  # `if (0) _printk(fmt, ...)`: there for the format check, compiled out
        if body[max(0, m.start() - 2) : m.start()] == "##" or body[: m.start()].rstrip().endswith("##"):
            continue  # `prefix ## suffix()`: a pasted name, not the parameter's value
        if name in _NOT_CALLS or name.startswith("__builtin_") or _ATTRIBUTE_WORD.fullmatch(name):
            continue
        callee = f"${index[name]}" if name in index else name
        close = match_paren(body, m.end() - 1)
        args: list[str] = []
        if close > 0:
            for a, b in split_top_level(body, m.end(), close - 1):
                arg = body[a:b].strip().lstrip("&").strip()
                if arg in index:
                    args.append(f"${index[arg]}")
                elif re.fullmatch(r"[A-Za-z_]\w*", arg):
                    args.append(arg)
                else:
                    args.append("")
        seen[f"{callee}({','.join(args)})"] = None
    return tuple(seen)


def callee_of(entry: str) -> tuple[str, list[str]]:
    """`name(a,b)` -> ("name", ["a", "b"]); an alias entry `=name` -> ("=name", [])."""
    name, _, rest = entry.partition("(")
    return name, rest[:-1].split(",") if rest[:-1] else []


# `extern ... name(` in a header: a function in at least some configurations.
# A function prototype at the start of a line, with or without `extern`:
# `unsigned long __lockfunc _raw_spin_lock_irqsave(raw_spinlock_t *lock) __acquires(lock);`
# The line-start patterns here are led by the newline itself and run over the text with a
# newline put before it (_lines_led): the regex engine then skips to each newline in C
# instead of testing `^` at every byte (the same matches, 1.5 to 9 times faster).
_EXTERN_FUNCTION = re.compile(
    rb"\n[ \t]*(?!return\b|if\b|else\b|while\b|do\b|for\b|switch\b|case\b|goto\b|typedef\b|static\b|#)"
    rb"[A-Za-z_][\w \t*]*?[ \t*]([a-z_]\w*)[ \t]*\((?:[^;{}#()]|\([^;{}#()]*\))*\)[^;{}#=]*;"
)
_IF_LINE = re.compile(rb"\n[ \t]*#[ \t]*if")
_USERSPACE_BRANCH = ("!defined(__KERNEL__)", "!(defined(__KERNEL__))")


def _lines_led(data: bytes) -> bytes:
    """`data` with a newline before it, for the newline-led line-start patterns (a match
    then starts where its line starts in `data`)."""
    return b"\n" + data


def _more_than_a_guard(led: bytes) -> bool:
    """Whether the header has more than one `#if` line (more than its include guard)."""
    first = _IF_LINE.search(led)
    return first is not None and _IF_LINE.search(led, first.end()) is not None


COND_MARK = " @if "


def with_cond(entry: str, cond: str) -> str:
    """A macro-call entry that holds only under `cond` (a preprocessor condition)."""
    return f"{entry}{COND_MARK}{cond}" if cond else entry


def split_cond(entry: str) -> tuple[str, str]:
    """`callee(a,b) @if COND` -> ("callee(a,b)", "COND"); no mark -> (entry, "")."""
    entry, _, cond = entry.partition(COND_MARK)
    return entry, cond


def _any_of(conds: list[str]) -> str:
    return conds[0] if len(conds) == 1 else " || ".join(f"({c})" for c in conds)


def _merge_variants(variants: list[tuple[str, tuple[str, ...]]]) -> tuple[str, ...]:
    """One macro's definitions (condition, calls) -> the calls of all of them, each labelled
    with the condition under which a definition that makes it stands: every configuration,
    not a guess.  A definition without a condition stands where the others do not (a header
    included from an `#else`: spinlock_rt.h); several such definitions are alternatives of
    another kind (another architecture's header, `#ifndef name` fallbacks) whose calls count
    only when all of them make them."""
    if len(variants) == 1:
        return variants[0][1]
    names = [{callee_of(e)[0] for e in calls} for _, calls in variants]
    plain = [i for i, (cond, _) in enumerate(variants) if not cond]
    out: dict[str, str] = {}
    for calls in (c for _, c in variants):
        for e in calls:
            name = callee_of(e)[0]
            in_plain = [name in names[i] for i in plain]
            if e in out or (any(in_plain) and not all(in_plain)):
                continue
            having = [c for (c, _), n in zip(variants, names) if c and name in n]
            lacking = [c for (c, _), n in zip(variants, names) if c and name not in n]
            if all(in_plain) and not lacking:
                out[e] = ""  # every definition makes it
            elif plain and all(in_plain):
                out[e] = f"!({_any_of(lacking)})"
            else:
                out[e] = _any_of(having)
    return tuple(with_cond(e, c) for e, c in out.items())


# A header #define as the tables keep it: (name, params, body, cond), HeaderDefine's fields.
Row = tuple[str, tuple[str, ...] | None, str, str]


class HeaderDefine(NamedTuple):
    """One `#define` of a header (a tuple: 270,000 of them load from the cache fast)."""

    name: str
    params: tuple[str, ...] | None
    body: str
    cond: str  # the conjunction of the `#if`s it stands under ("" for none)


def header_dirs(arch: str) -> tuple[str, str]:
    """The header folders the header macros are read from, and whose state keys what the
    cache keeps of them (the section table reads a part of them)."""
    return ("include", f"arch/{arch}/include")


_STATES: dict[tuple[str, tuple[str, ...]], bytes] = {}


def forget_header_states() -> None:
    """A new run: the headers may have changed since the last one in this process."""
    _STATES.clear()


def header_state(root: str, dirs: tuple[str, ...]) -> bytes:
    """What the tables derived from these header folders depend on: each file's path,
    size, modification time and inode (a checkout or an edit changes them), and the text
    of the headers a patch under review changes there.  Worked out once a run."""
    view_root, view = discover.view()
    key = (os.path.realpath(root) + "\0" + repr(sorted((k, hash(v)) for k, v in view.items())), dirs)
    if key not in _STATES:
        _STATES[key] = _header_state(root, dirs)
    return _STATES[key]


def _header_state(root: str, dirs: tuple[str, ...]) -> bytes:
    from hvlint.cache import digest

    parts: list[str] = []
    for rel in dirs:
        base = os.path.join(root, rel)
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                try:
                    st = os.stat(os.path.join(dirpath, name))
                except OSError:
                    continue
                parts.append(f"{dirpath}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
    view_root, view = discover.view()
    seen: list[bytes | str] = []
    if view_root is not None and os.path.realpath(root) == view_root:
        for rel, data in sorted(view.items()):
            if rel.startswith(tuple(d.rstrip("/") + "/" for d in dirs)):
                seen += [rel, data if data is not None else b"\0deleted"]
    return digest("\n".join(parts), *seen)


def _cached(kind: str, root: str, arch: str, dirs: tuple[str, ...], compute: Any) -> Any:
    """compute(), or its value from the run's cache for the same headers."""
    from hvlint import cache as _cache
    from hvlint.cache import digest, salt

    c = _cache.current()
    if c is None or not c.enabled:
        return compute()
    key = digest(salt(), kind, os.path.realpath(root), arch, header_state(root, dirs))
    got = c.get(kind, key)
    if got is not None:
        return got
    value = compute()
    c.put(kind, key, value)
    return value


@lru_cache(maxsize=4)
def _header_macros(root: str, arch: str) -> tuple[dict[str, list[Row]], frozenset[str]]:
    """The header macros grouped by name (each group in the headers' order) as plain rows
    with HeaderDefine's fields, and the names declared as functions; cached on disk by the
    headers' state, grouped already (270,000 definitions: loading them is the cost that
    matters on a warm run, so they stay plain tuples, read by index)."""
    groups, externs = _cached(
        "header_macros", root, arch, header_dirs(arch), lambda: _grouped(_header_rows(root, arch))
    )
    return groups, externs


def _grouped(got: tuple[list[Row], frozenset[str]]) -> tuple[dict[str, list[Row]], frozenset[str]]:
    groups: dict[str, list[Row]] = {}
    for row in got[0]:
        group = groups.get(row[0])
        if group is None:
            groups[row[0]] = [row]
        else:
            group.append(row)
    return groups, got[1]


def header_defines(root: str, arch: str = "x86") -> tuple[tuple[HeaderDefine, ...], frozenset[str]]:
    """Every `#define` of the tree's include/ and arch/<arch>/include/ headers (grouped by
    name) and the names the headers declare as functions: see _header_rows."""
    groups, externs = _header_macros(root, arch)
    new = tuple.__new__
    return tuple(new(HeaderDefine, d) for v in groups.values() for d in v), externs


def _header_rows(root: str, arch: str = "x86") -> tuple[list[Row], frozenset[str]]:
    """Every `#define` of the tree's include/ and arch/<arch>/include/ headers with its
    condition (user-space alternatives, `#ifndef __KERNEL__`, left out), as plain
    (name, params, body, cond) tuples in the headers' order (HeaderDefine's fields: the
    cache stores them as they are), and the names the headers declare as functions.  A
    header that other headers include only under a condition (`#ifdef CONFIG_SMP #include
    <linux/spinlock_api_smp.h> #else ... _up.h`) adds that condition to its macros."""
    found: list[tuple[str, list[Row]]] = []  # (path, its defines)
    externs: set[str] = set()
    empty = Vocabulary()
    sites: dict[str, list[str]] = {}  # included header -> conditions of the #include lines
    for rel in header_dirs(arch):
        for path, data in _read_headers(root, rel):
            led = _lines_led(data)
            externs.update(m.decode("latin-1") for m in _EXTERN_FUNCTION.findall(led))
            here: list[Row] = []
            found.append((path, here))
            if b"__KERNEL__" in data or _more_than_a_guard(led):
                prepared = prepare(data.decode("latin-1"), empty, directives_only=True)
                for d in prepared.defines:
                    if not any(c in _USERSPACE_BRANCH for c in d.conditions):
                        here.append((d.name, d.params, d.body, " && ".join(d.conditions)))
                if b"#include" in data or b"# include" in data:
                    starts, ends, conds = condition_segments(prepared.cond_regions)
                    for m in _INCLUDE.finditer(led):
                        i = bisect_right(starts, m.start()) - 1
                        cond = conds[i] if i >= 0 and m.start() < ends[i] else ""
                        if not any(u in cond for u in _USERSPACE_BRANCH):
                            for target in _include_targets(root, arch, path, m):
                                sites.setdefault(target, []).append(cond)
                continue
            for m in _INCLUDE.finditer(led):
                for target in _include_targets(root, arch, path, m):
                    sites.setdefault(target, []).append("")
            if b"define" not in data:
                continue
            for raw in _DEFINE_LINES.findall(data):
                dm = _DEFINE_HEAD.match(raw.decode("latin-1"))
                if dm:
                    params = dm.group(2)
                    plist = tuple(p.strip() for p in params[1:-1].split(",")) if params else None
                    here.append((dm.group(1), plist, dm.group(3).replace("\\\n", " ").strip(), ""))
    out: list[Row] = []
    for path, defines in found:
        where = sites.get(path)
        if where and all(where) and len(set(where)) <= 4:
            included = _any_of(sorted(set(where)))
            if "||" in included:
                included = f"({included})"
            out.extend((n, p, b, f"{included} && {c}" if c else included) for n, p, b, c in defines)
        else:
            out.extend(defines)
    return out, frozenset(externs)


# an #include line (over _lines_led(data): a match starts where its line starts in `data`)
_INCLUDE = re.compile(rb'\n[ \t]*#[ \t]*include[ \t]*([<"])([^>"\n]+)[>"]')


def _include_targets(root: str, arch: str, path: str, m: re.Match[bytes]) -> list[str]:
    """The header files an #include line of `path` may name (as _read_headers spells them)."""
    name = m.group(2).decode("latin-1").strip()
    if m.group(1) == b'"':
        return [os.path.normpath(os.path.join(os.path.dirname(path), name))]
    return [os.path.join(root, "include", name), os.path.join(root, "arch", arch, "include", name)]


_IDENT = re.compile(r"[A-Za-z_]\w*")


def _define_calls(d: Row) -> tuple[str, ...]:
    """What a header macro calls; an object-like alias of a function name (`#define outb
    __outb`, `#define arch_test_bit generic_test_bit`) calls that name."""
    name, params, body, _ = d
    if "(" in body:
        return macro_calls(body, params or ())
    if params is None and body != name and _IDENT.fullmatch(body) and body not in _NOT_CALLS:
        return (f"={body}",)  # an alias: see callgraph._through_macro
    return ()


class LazyMacros(MutableMapping[str, tuple[str, ...]]):
    """Macro name -> what it calls (see tree_macros), each name's definitions read only when
    the graph first asks for it: most of the tree's 270,000 header macros are never used
    by the files in scope.  Names set on the mapping (a file's own macros) come first."""

    def __init__(
        self,
        groups: dict[str, list[Row]],
        done: dict[str, tuple[str, ...]] | None = None,
        hidden: frozenset[str] = frozenset(),
    ) -> None:
        self._groups = groups
        self._hidden = hidden  # names in groups that are not macros here (see tree_macros)
        self._done: dict[str, tuple[str, ...]] = {} if done is None else done
        self._own: dict[str, tuple[str, ...]] = {}

    def overlay(self) -> LazyMacros:
        """A mapping over the same definitions (and cache) whose own names start empty."""
        return LazyMacros(self._groups, self._done, self._hidden)

    def _header(self, name: object) -> bool:
        return name in self._groups and name not in self._hidden

    def __getitem__(self, name: str) -> tuple[str, ...]:
        if name in self._own:
            return self._own[name]
        got = self._done.get(name)
        if got is None:
            if name in self._hidden:
                raise KeyError(name)
            got = _merge_variants([(d[3], _define_calls(d)) for d in self._groups[name]])
            self._done[name] = got
        return got

    def __contains__(self, name: object) -> bool:
        return name in self._own or self._header(name)

    def __setitem__(self, name: str, value: tuple[str, ...]) -> None:
        self._own[name] = value

    def own_items(self) -> list[tuple[str, tuple[str, ...]]]:
        """The names set on this mapping (the files' own macros) with their values."""
        return list(self._own.items())

    def __delitem__(self, name: str) -> None:
        del self._own[name]

    def __iter__(self) -> Iterator[str]:
        yield from self._own
        yield from (n for n in self._groups if n not in self._own and n not in self._hidden)

    def __bool__(self) -> bool:  # `if macros:` asks this in a hot loop: no walk over the names
        return bool(self._own) or any(True for _ in self)

    def __len__(self) -> int:
        return sum(1 for _ in self)


@lru_cache(maxsize=8)
def tree_macros(root: str, arch: str = "x86") -> LazyMacros:
    """Every macro `#define`d in the tree's include/ and arch/<arch>/include/ headers, with
    the names its body calls.  A macro defined several times (per configuration) calls what
    each definition calls, under that definition's condition (`split_cond`).  A call to one
    of these is a macro use, not a call to a function of that name."""
    externs = _header_macros(root, arch)[1]
    # A name also declared as a function is one in some configuration (mutex_lock is a
    # macro only with lock debugging): not a macro here, see dual_macros.
    # (left out as the mapping is asked, not by copying the 270,000 names)
    return LazyMacros(_defines_by_name(root, arch), hidden=externs)


def _defines_by_name(root: str, arch: str) -> dict[str, list[Row]]:
    """The header macros grouped by name, in the headers' order (rows: HeaderDefine's fields)."""
    return _header_macros(root, arch)[0]


_COMPILER_BUILTINS = frozenset(
    "memset memcpy memmove memcmp memchr strlen strnlen strcpy strncpy strcat strncat strcmp strncmp "
    "strchr strrchr strstr strscpy".split()
)


class _ObjectLike(Container[str]):
    """The header macros every definition of which is object-like, asked one name at a
    time (the graph asks for the names the scope uses as values, a few thousand of the
    tree's 220,000 macro names: no pass over all of them)."""

    __slots__ = ("_groups", "_known")

    def __init__(self, groups: dict[str, list[Row]]) -> None:
        self._groups = groups
        self._known: dict[str, bool] = {}

    def __contains__(self, name: object) -> bool:
        if not isinstance(name, str):
            return False
        got = self._known.get(name)
        if got is None:
            rows = self._groups.get(name)
            got = self._known[name] = rows is not None and all(d[1] is None for d in rows)
        return got


@lru_cache(maxsize=8)
def object_macros(root: str, arch: str = "x86") -> Container[str]:
    """The header macros every definition of which is object-like (`current`, `TASK_SIZE_MAX`):
    where one is used as a value, its body runs."""
    return _ObjectLike(_defines_by_name(root, arch))


class Dual:
    """A name that is a macro only under `cond` (and a function elsewhere, when `declared`
    by a header prototype or defined in the scope): what the macro calls (`calls`, worked
    out on first use)."""

    __slots__ = ("cond", "declared", "_variants", "_calls")

    def __init__(self, cond: str, variants: list[Row], declared: bool) -> None:
        self.cond = cond
        self.declared = declared
        self._variants = variants
        self._calls: tuple[str, ...] | None = None

    @property
    def calls(self) -> tuple[str, ...]:
        if self._calls is None:
            self._calls = _merge_variants([(d[3], _define_calls(d)) for d in self._variants])
        return self._calls


class _Duals(Mapping[str, Dual]):
    """dual_macros' mapping, each name judged when first asked for (the graph asks for the
    names the scope calls, not the tree's 220,000)."""

    def __init__(self, groups: dict[str, list[Row]], externs: frozenset[str]) -> None:
        self._groups, self._externs = groups, externs
        self._known: dict[str, Dual | None] = {}

    def _judge(self, name: str) -> Dual | None:
        if name in self._known:
            return self._known[name]
        variants = self._groups.get(name)
        got = None
        if variants is not None and name not in _COMPILER_BUILTINS:
            conds = [d[3] for d in variants]
            # `#ifndef wrmsr` fallback: a macro exactly where no other definition is
            if (
                all(conds)
                and any("(" in d[2] or d[1] is None for d in variants)
                and not any(f"defined({name})" in c for c in conds)
            ):
                got = Dual(_any_of(sorted(set(conds))), variants, name in self._externs)
        self._known[name] = got
        return got

    def __getitem__(self, name: str) -> Dual:
        got = self._judge(name)
        if got is None:
            raise KeyError(name)
        return got

    def get(self, name: str, default: Any = None) -> Any:
        got = self._judge(name)
        return default if got is None else got

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self._judge(name) is not None

    def __iter__(self) -> Iterator[str]:
        return (n for n in self._groups if self._judge(n) is not None)

    def __len__(self) -> int:
        return sum(1 for _ in self)

    def __bool__(self) -> bool:  # `if dual` in the graph's hot paths: no walk over the names
        return bool(self._groups)


@lru_cache(maxsize=8)
def dual_macros(root: str, arch: str = "x86") -> Mapping[str, Dual]:
    """Names every macro definition of which stands under a condition, so that they may be
    a function in the other configurations: `#ifdef CONFIG_DEBUG_VIRTUAL extern unsigned
    long __phys_addr(...) #else #define __phys_addr(x) __phys_addr_nodebug(x)`, or
    msr.h's `static inline void wrmsr(...)` without CONFIG_PARAVIRT_XXL and paravirt.h's
    `#define wrmsr(...)` with it.  `#ifndef name` fallbacks and the compiler's own builtins
    (FORTIFY_SOURCE wrappers end in the builtin again) are left out.  Judged name by name
    on first use."""
    groups, externs = _header_macros(root, arch)
    return _Duals(groups, externs)


@lru_cache(maxsize=4)
def tree_defines(root: str, arch: str = "x86") -> dict[str, tuple[tuple[str, str], ...]]:
    """What `hvlint.kconfig.evaluate` needs to decide `defined(__WARN_FLAGS)` or
    `BITS_PER_LONG == 64`: each header macro -> its definitions as (condition, body), the
    body kept for object-like macros only."""
    return {
        n: tuple((d[3], d[2] if d[1] is None and len(d[2]) < 200 else "") for d in v)
        for n, v in _defines_by_name(root, arch).items()
    }


@dataclass(frozen=True, slots=True)
class Roots:
    """What makes a symbol a runtime root (linter/data/roots.toml): macro -> reason,
    registration role -> reason, assembly section -> reason."""

    macros: dict[str, str]
    roles: dict[str, str]
    asm_sections: dict[str, str]


@lru_cache(maxsize=1)
def roots() -> Roots:
    t = load_toml("roots.toml")
    src = "hvlint/data/roots.toml"
    parts: list[dict[str, str]] = []
    for key in ("macros", "roles", "asm_sections"):
        value = t.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
            raise HvlintError(f"{src}: [{key}] must map names to a reason (a string)")
        parts.append({str(k): v for k, v in value.items()})
    return Roots(parts[0], parts[1], parts[2])
