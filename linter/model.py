"""The project model: every symbol the scope defines, with its linkage and the section it
lands in, and name resolution from a file's point of view.

A `static` symbol belongs to its file (two files' statics of one name are two symbols); a
`static inline` function in a header is one symbol per header, reached from every file that
names it; a global symbol's section takes the annotations of its definition and of every
prototype of it in the scope (GCC merges attributes across declarations: a header's
`void __init foo(void);` puts an unannotated definition in `.init.text`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from hvlint.facts import Annotation, Decl, FileFacts
from hvlint.tables import SectionTable


@dataclass(frozen=True, slots=True)
class Symbol:
    id: str  # "path::name"
    name: str
    path: str
    line: int
    kind: str  # "function" | "object" | "asm"
    section: str | None
    static: bool
    section_from: str = ""  # the annotation that decided the section, e.g. "__init"
    # A section that only some configurations give it (`__init_or_module` without
    # CONFIG_MODULES): "SECTION if CONDITION"; `section` is then what the others give.
    section_if: str = ""
    inline: bool = False  # an `inline` function: its code lands in each caller
    # Definitions in several `#if` branches that land in different sections (`__init` in one
    # configuration, not in another): all of them; `section` is the first one's.
    sections: tuple[str, ...] = ()


@dataclass
class Project:
    facts: list[FileFacts]
    table_for: Callable[[str], SectionTable]
    symbols: dict[str, Symbol] = field(default_factory=dict)
    globals_by_name: dict[str, list[str]] = field(default_factory=dict)
    header_statics: dict[str, list[str]] = field(default_factory=dict)
    statics: dict[tuple[str, str], str] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # names with a prototype or extern in scope
    # where each definition came from: symbol id -> [(facts, decl)]
    defs: dict[str, list[tuple[FileFacts, Decl]]] = field(default_factory=dict)
    _by_name: dict[str, list[str]] | None = field(default=None, repr=False)

    @classmethod
    def build(cls, facts: list[FileFacts], table_for: Callable[[str], SectionTable]) -> Project:
        p = cls(facts, table_for)
        prototypes: dict[str, list[tuple[FileFacts, Decl]]] = {}
        for f in facts:
            for d in f.decls:
                if d.scope is not None:
                    continue  # block-scope statics are part of their function
                if f.lang == "asm" or d.is_definition:
                    p._add(f, d)
                else:
                    p.declared.add(d.name)
                    prototypes.setdefault(d.name, []).append((f, d))
        for sid in p.defs:
            sym = p.symbols[sid]
            if sym.kind == "asm" or sym.section_from:
                continue
            for f, d in prototypes.get(sym.name, ()):
                # a global's prototypes anywhere; a static's in its own file (`static void
                # __init ssb_select_mitigation(void);` before an unannotated definition)
                if sym.static and f.path != sym.path:
                    continue
                section, via = p._section_of(f, d)
                if section is not None:
                    p.symbols[sid] = _with_section(sym, section, f"{via} ({f.path}:{d.name_span.line})")
                    break
        for sid, defs in p.defs.items():
            sym = p.symbols[sid]
            if len(defs) > 1 and sym.kind != "asm" and not sym.section_from.endswith(")"):
                # one definition per #if branch: do they land in the same section?
                got = {p._section_of(f, d)[0] or _default_section(d) for f, d in defs if f.lang != "asm"}
                if len(got) > 1:
                    p.symbols[sid] = replace(sym, sections=tuple(sorted(got)))
        return p

    def _add(self, f: FileFacts, d: Decl) -> None:
        self._by_name = None
        static = d.storage == "static"
        sid = f"{f.path}::{d.name}"
        if f.lang == "asm":
            section, via = d.section, ""
        elif d.section is not None:  # precise mode: the section after macro expansion
            # an attribute put it there (`__init`), or none did: a plain definition (HV305's)
            section, via = d.section, "libclang" if d.section != _default_section(d) else ""
        else:
            section, via = self._section_of(f, d)
        if section is None and f.lang != "asm":
            section = _default_section(d)
        if sid not in self.symbols or (via and not self.symbols[sid].section_from):
            kind = "asm" if f.lang == "asm" else d.kind
            alt = "" if via or f.lang == "asm" or not d.annotations else self._conditional_section(f, d)
            inline = d.is_inline or any(a.name in _INLINE for a in f.annotations_of(d))
            self.symbols[sid] = Symbol(sid, d.name, f.path, d.name_span.line, kind, section, static, via, alt, inline)
        self.defs.setdefault(sid, []).append((f, d))
        if static and f.path.endswith(".h"):
            ids = self.header_statics.setdefault(d.name, [])
            if sid not in ids:
                ids.append(sid)
        elif static:
            self.statics[(f.path, d.name)] = sid
        else:
            ids = self.globals_by_name.setdefault(d.name, [])
            if sid not in ids:
                ids.append(sid)

    def _section_of(self, f: FileFacts, d: Decl) -> tuple[str | None, str]:
        if not d.annotations:
            return None, ""
        table = self.table_for(f.path)
        for ann in f.annotations_of(d):
            entry = table.get(ann.name)
            if entry is not None and entry.conditional:
                continue  # decided per configuration: see _conditional_section
            section = annotation_section(ann, table)
            if section is not None:
                return section, ann.name
        return None, ""

    def _conditional_section(self, f: FileFacts, d: Decl) -> str:
        table = self.table_for(f.path)
        for ann in f.annotations_of(d):
            entry = table.get(ann.name)
            if entry is not None and entry.conditional:
                return f"{entry.section} if {' && '.join(entry.conditions)} ({ann.name})"
        return ""

    def resolve(self, name: str, from_path: str) -> list[str]:
        """The symbols `name` means in file `from_path`: its own definition (static or not),
        else the global definitions, else the static (inline) definitions in headers."""
        own = self.statics.get((from_path, name))
        if own is not None:
            return [own]
        here = f"{from_path}::{name}"
        if here in self.symbols:
            return [here]  # the file's own definition (head_64.S's initial_code, not head_32.S's)
        found = self.globals_by_name.get(name)
        if found:
            return found
        return self.header_statics.get(name, [])

    def named(self, name: str) -> list[str]:
        """Every symbol of that name, static or not (a registration runner such as
        init/main.c's static do_pre_smp_initcalls)."""
        if self._by_name is None:
            self._by_name = {}
            for sid, sym in self.symbols.items():
                self._by_name.setdefault(sym.name, []).append(sid)
        return list(self._by_name.get(name, ()))


def annotation_section(ann: Annotation, table: SectionTable) -> str | None:
    """The section an annotation puts its declaration in, per the file's table."""
    entry = table.get(ann.name)
    if entry is not None:
        return entry.section
    if ann.section is not None and (ann.is_raw_attribute or ann.name == table.section_macro):
        return ann.section
    if ann.section is not None and ann.section_expr is None:
        return ann.section  # a declaration macro's own section (DEFINE_PER_CPU, DEFINE_IDTENTRY)
    if table.section_stringify and ann.name == table.section_macro and ann.args:
        return ann.args.strip()
    return None


def _default_section(d: Decl) -> str:
    if d.kind == "function":
        return ".text"
    if d.is_const:
        return ".rodata"
    return ".data" if d.has_init and not d.zero_init else ".bss"


_INLINE = frozenset({"__always_inline", "inline", "__inline", "__inline__", "__gnu_inline"})


def _with_section(sym: Symbol, section: str, via: str) -> Symbol:
    return Symbol(sym.id, sym.name, sym.path, sym.line, sym.kind, section, sym.static, via, sym.section_if, sym.inline)


def section_class(section: str | None) -> str:
    """init / exit / ref / head / runtime: what happens to the memory after boot."""
    if section is None:
        return "runtime"
    for prefix, cls in ((".init.", "init"), (".exit.", "exit"), (".ref.", "ref"), (".head.text", "head")):
        if section.startswith(prefix):
            return cls
    return "runtime"
