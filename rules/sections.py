"""Section annotations spelled by hand (HV201, HV202) or in the wrong place (HV203).

The kernel names its sections through macros (`include/linux/init.h`, `cache.h`,
`compiler_attributes.h`, `arch/*/include/asm/*.h`); hvlint reads those macros from the tree
being linted (`hvlint sections PATH` shows the table), so the advice follows the kernel
version at hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from hvlint.facts import Annotation, AttrItem, Decl, FileFacts, MacroDef
from hvlint.findings import Finding, Severity
from hvlint.registry import FileContext, rule
from hvlint.tables import SectionEntry, SectionTable, attr_key, section_kind


def _defines_section_macro(ann: Annotation, facts: FileFacts, table: SectionTable) -> bool:
    """True inside the definition of `__section` itself, of a named section macro, or of any
    macro made of annotations only (`__noinstr_section(section)`, `__PCPU_ATTRS(sec)`): those
    are the definitions hvlint's advice builds on, not uses."""
    name = ann.in_macro
    if name is None:
        return False
    if name == table.section_macro or name in table.entries:
        return True
    macro = next((m for m in facts.macros if m.name == name and m.span.start <= ann.span.start < m.span.end), None)
    return macro is not None and _annotation_only(macro)


_WORD = re.compile(r"[A-Za-z_]\w*")
_C_WORDS = frozenset(
    "static extern const volatile struct union enum typedef typeof __typeof__ int char short long "
    "unsigned signed void bool _Bool float double inline return if for while do".split()
)


def _annotation_only(macro: MacroDef) -> bool:
    """A macro that declares nothing: no parameter used as a bare word (a declarator), no
    `= ; { } [ ]`, no C keyword once the argument lists are dropped."""
    body = macro.body
    prev = None
    while prev != body:
        prev = body
        body = re.sub(r"\([^()]*\)", " ", body)
    if re.search(r"[=;{}\[\]]", body):
        return False
    params = set(macro.params or ())
    return not any(w in params or w in _C_WORDS for w in _WORD.findall(body))


def _item_text(item: AttrItem) -> str:
    return item.name if item.args is None else f"{item.name}({item.args})"


def _rewrite(ann: Annotation, table: SectionTable, section_spelling: str) -> str | None:
    """`__attribute__((section(S), aligned(16), foo))` -> `<section_spelling> __aligned(16)
    __attribute__((foo))`: every other attribute kept, through its macro where the tree has one."""
    parts: list[str] = []
    for item in ann.items:
        if not item.name:
            return None  # an attribute hvlint cannot read: no automatic rewrite
        if item.base == "section":
            parts.append(section_spelling)
            continue
        macro = table.attr_macros.get(attr_key(item.base, item.args is not None))
        if macro is not None:
            parts.append(f"{macro[0]}({item.args})" if macro[1] else macro[0])
        else:
            parts.append(f"__attribute__(({_item_text(item)}))")
    return " ".join(parts)


def _decl_kind(decl: Decl | None) -> str | None:
    if decl is None:
        return None
    if decl.kind == "function":
        return "function"
    return "const" if decl.is_const else "data"


@rule("HV201", "raw-section-attribute", Severity.WARNING)
def raw_section_attribute(ctx: FileContext) -> Iterator[Finding]:
    """Finds `__attribute__((section(...)))` spelled out in C instead of `__section()`.

    ## Why it matters
    `__section()` (include/linux/compiler_attributes.h) is the one spelling the kernel uses
    since 5.10: reviewers, grep and tools look for it, and the named macros built on it
    (`__initdata`, `__read_mostly`, ...) say what the section is for.  Other attributes in
    the same `__attribute__` list keep their meaning through their own macros.

    ## Example
        struct hvm_start_info pvh_start_info __attribute__((section(".data")));

    ## Fix
        struct hvm_start_info pvh_start_info __section(".data");

    `--fix` rewrites the attribute (other attributes become `__aligned(16)`, `__used`, ...
    or stay as `__attribute__((...))`); macro bodies keep their `#name` stringification.
    """
    facts = ctx.facts
    if ctx.userspace:  # no __section() there (checkpatch exempts include/uapi the same way)
        return
    table = ctx.table
    if table.section_macro is None:
        return
    for ann in facts.annotations:
        if not ann.is_raw_attribute or not any(it.base == "section" for it in ann.items):
            continue
        if _defines_section_macro(ann, facts, table):
            continue
        expr = next(it.args or "" for it in ann.items if it.base == "section")
        spelled = _section_call(expr, ann.section, table)
        if spelled is None:
            continue  # this tree's __section() cannot say it (pre-5.10 `#S`, computed name)
        new = _rewrite(ann, table, spelled)
        yield ctx.finding(
            ann.span,
            f"use {spelled} instead of a raw section attribute",
            symbol=ctx.owner_name(ann),
            fix=None if new is None else ctx.replace(ann.span, new),
        )


@rule("HV202", "section-has-named-macro", Severity.WARNING)
def section_has_named_macro(ctx: FileContext) -> Iterator[Finding]:
    """Finds a section spelled by hand where the tree defines a named macro for it.

    ## Why it matters
    `__section(".init.data")` and `__initdata` compile the same, but only the macro says
    *why* the object is there, is what modpost's users and reviewers grep for, and follows
    the kernel if the section ever changes.  hvlint reads the macros from the tree it lints
    (x86's `__read_mostly` is `.data..read_mostly`; the generic one is empty) and only
    suggests macros defined unconditionally and meant for this kind of symbol.  Sections
    without a macro (`.data` for variables used before BSS is cleared) are left alone.

    ## Example
        static struct boot_params pvh_bootparams __section(".init.data");

    ## Fix
        static struct boot_params pvh_bootparams __initdata;
    """
    facts = ctx.facts
    if ctx.userspace:  # no __section() there (checkpatch exempts include/uapi the same way)
        return
    table = ctx.table
    for ann in facts.annotations:
        if not (ann.is_raw_attribute or ann.name == table.section_macro):
            continue
        section = section_of(ann, table)
        if section is None:
            continue
        if _defines_section_macro(ann, facts, table):
            continue
        owner = facts.owner_of(ann)
        entry = table.named_macro(section, _decl_kind(owner))
        if entry is None:
            continue
        new = _rewrite(ann, table, entry.name) if ann.is_raw_attribute else entry.name
        also = f"; it also adds {' '.join(entry.extras)}" if entry.extras else ""
        yield ctx.finding(
            ann.span,
            f"use {entry.name} ({entry.defined_in}{f':{entry.line}' if entry.line else ''}) "
            f'instead of spelling section "{section}"{also}',
            symbol=ctx.owner_name(ann),
            fix=None if new is None else ctx.replace(ann.span, new, safe=entry.exact),
        )


def _entry_of(ann: Annotation, table: SectionTable) -> SectionEntry | None:
    entry = table.get(ann.name)
    if entry is not None:
        return entry
    section = section_of(ann, table) if ann.is_raw_attribute or ann.name == table.section_macro else None
    return None if section is None else SectionEntry(ann.name, section, "", 0)


_BARE_SECTION = re.compile(r"[\w.$-]+")


def section_of(ann: Annotation, table: SectionTable) -> str | None:
    """The section an annotation spells by hand, if known: `__section(".x")`, a raw
    attribute, or `__section(.x)` in a tree whose macro stringifies its argument."""
    if ann.section is not None:
        return ann.section
    if table.section_stringify and ann.name == table.section_macro and ann.args is not None:
        bare = ann.args.strip()
        return bare if _BARE_SECTION.fullmatch(bare) else None
    return None


def _section_call(expr: str, literal: str | None, table: SectionTable) -> str | None:
    """How this tree's section macro spells the section `expr` (the attribute's argument)."""
    if not table.section_stringify:
        return f"{table.section_macro}({expr})"
    if literal is not None and _BARE_SECTION.fullmatch(literal):
        return f"{table.section_macro}({literal})"
    return None


def _init_family(section: str) -> bool:
    return section.startswith((".init.", ".exit.", ".ref.", ".meminit"))


@rule("HV203", "init-annotation-misplaced", Severity.WARNING)
def init_annotation_misplaced(ctx: FileContext) -> Iterator[Finding]:
    """Finds init/exit/ref annotations that do not fit what they annotate, or stand where
    the compiler ignores them.

    Covers `__initdata` on a const object (use `__initconst`), `__initconst` on an object
    that is not const, function annotations (`__init`, `__exit`, `__ref`) on data and data
    annotations on functions, and an annotation written between `struct` and its tag or
    after a struct body's closing brace, where GCC applies it to the type and ignores it for
    the object.  Constness is that of the object itself (typedefs of the same file
    included): `const char *names[] __initdata` is an array of writable pointers and is
    right, `const char * const names[] __initdata` is not.

    Not reported: `static int __initdata x;` or `static __initdata int x;`.  checkpatch.pl
    warns about these (MISPLACED_INIT) as a matter of style, but GCC applies the attribute to
    the declaration all the same, so the object does land in `.init.data`.

    ## Why it matters
    A const object in `.init.data` makes GCC fail with a section type conflict as soon as
    another const object lands there, and a non-const one in `.init.rodata` does the same the
    other way round; annotations the compiler ignores leave the object in `.data`/`.bss`
    forever while the code reads as if it were freed after boot.

    ## Example
        static const char * const pvh_names[] __initdata = { "pvh", "hvm" };

    ## Fix
        static const char * const pvh_names[] __initconst = { "pvh", "hvm" };
    """
    facts = ctx.facts
    table = ctx.table
    for decl in facts.decls:
        if not decl.annotations:
            continue
        for ann in facts.annotations_of(decl):
            entry = _entry_of(ann, table)
            if entry is None or not _init_family(entry.section):
                continue
            skind = section_kind(entry.section)
            if decl.kind == "object" and ann.position in ("type-tag", "after-body"):
                kw = re.search(r"\b(struct|union|enum)\b", ctx.text(decl.span))
                keyword = kw.group(1) if kw else "struct"
                where = f"between {keyword} and its tag" if ann.position == "type-tag" else f"after the {keyword} body"
                yield ctx.finding(
                    ann.span,
                    f"{ann.name} {where} applies to the type and is ignored for {decl.name}: "
                    f"place it after the name ({decl.name} {ann.name})",
                    symbol=decl.name,
                )
                continue
            want: str | None = None
            why = ""
            if decl.kind == "function" and skind != "function":
                want, why = "function", f"{ann.name} is for data, but {decl.name} is a function"
            elif decl.kind == "object" and skind == "function":
                want = "const" if decl.is_const else "data"
                why = f"{ann.name} is for functions, but {decl.name} is data"
            elif decl.kind == "object" and skind == "data" and decl.is_const:
                want, why = "const", f"{decl.name} is const: {ann.name} puts it in writable {entry.section}"
            elif decl.kind == "object" and skind == "const" and not decl.is_const:
                want, why = "data", f"{ann.name} needs a const object, but {decl.name} is writable"
            if want is None:
                continue
            repl = (
                table.counterpart(entry, want)
                if entry.name in table.entries
                else table.named_macro(_sibling_section(entry.section, want), want)
            )
            if repl is not None:
                msg = f"{why}; use {repl.name}"
                if want == "data" and skind == "const":
                    msg = f"{why}; make it const or use {repl.name}"
                fix = ctx.replace(ann.span, repl.name, safe=False)
            else:
                msg, fix = why, None
            yield ctx.finding(ann.span, msg, symbol=decl.name, fix=fix)


def _sibling_section(section: str, kind: str) -> str:
    group = section.rsplit(".", 1)[0]
    return group + {"function": ".text", "data": ".data", "const": ".rodata"}[kind]
