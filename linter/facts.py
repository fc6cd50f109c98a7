"""Plain, serialisable facts a front end extracts from one file.

Front ends produce these; the project model and the rules consume them.  Nothing here
knows about syntax trees: every field is a string, a number, a tuple or another fact, so a
`FileFacts` can be pickled into the cache or shipped back from a worker process.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The facts are value objects: compared and hashed by their fields, never changed once the
# front end made them (`dataclasses.replace` makes a new one).  They are not declared
# frozen: a frozen dataclass's __init__ sets each field through object.__setattr__, which
# makes building one about three times and reading one back from the cache or a worker
# about twice as slow (a run moves 230,000 of them on the default scope, millions over the
# tree), so `unsafe_hash` gives them the hash `frozen` would.


@dataclass(slots=True, unsafe_hash=True)
class Span:
    """A region of a file: 1-based line/column, end inclusive, plus byte offsets [start, end)."""

    line: int
    col: int
    end_line: int
    end_col: int
    start: int
    end: int


def span_at(line_starts: list[int], start: int, end: int) -> Span:
    """The Span of bytes [start, end) given the offsets at which the file's lines start."""
    from bisect import bisect_right

    l1 = bisect_right(line_starts, start) - 1
    last = max(start, end - 1)
    l2 = bisect_right(line_starts, last) - 1
    return Span(l1 + 1, start - line_starts[l1] + 1, l2 + 1, last - line_starts[l2] + 1, start, end)


@dataclass(slots=True, unsafe_hash=True)
class AttrItem:
    """One attribute inside `__attribute__((a, b(x)))`: its name as written and its argument text."""

    name: str
    args: str | None
    span: Span

    @property
    def base(self) -> str:
        """The attribute name without the `__x__` underscores (`__section__` -> `section`)."""
        name = self.name
        if name.startswith("__") and name.endswith("__") and len(name) > 4:
            return name[2:-2]
        return name


@dataclass(slots=True, unsafe_hash=True)
class Annotation:
    """A declaration annotation as written: a macro (`__initdata`), `__section("x")` or a raw
    `__attribute__((...))`.

    `section_expr` is the section argument text as written (`".init.data"`, `".vvar_" #name`);
    `section` the section name when the argument is made of string literals only.
    `in_macro` names the `#define` whose body holds the annotation; `owner` indexes
    `FileFacts.decls` (None when it belongs to no declaration, e.g. inside a macro body).
    `position` says where it stands in its declaration: `specifiers` (before the declarator),
    `type-tag` (between `struct`/`union`/`enum` and the tag or body), `after-body` (after a
    struct body's closing brace), `declarator` (after the declarator), or `` when unknown.
    """

    name: str
    span: Span
    args: str | None = None
    items: tuple[AttrItem, ...] = ()
    section_expr: str | None = None
    section: str | None = None
    in_macro: str | None = None
    owner: int | None = None
    position: str = ""

    @property
    def is_raw_attribute(self) -> bool:
        return self.name in ("__attribute__", "__attribute")


@dataclass(slots=True, unsafe_hash=True)
class Ref:
    """A symbol a function body, an initializer or an assembly symbol names: `kind` is
    "call" (C `f(...)`, asm `call f`), "jump" (asm `jmp f`, `jz f`, ...), "ref" (any other
    use: address taken, `lea f(%rip)`, `.quad f`) or "member-call" (a call through a struct
    member, `x86_init.hyper.init_platform()`, `PVOP_VCALL0(cpu.io_delay)`: `name` is the
    member; `static_call(key)(...)` gives `static_call:key`); `line` is its first occurrence.
    `cond` is the preprocessor condition the first occurrence stands under, when known.
    `through` is the struct member a member call goes through, when a front end knows the
    type (precise mode: `clock_event_device.event_handler`)."""

    name: str
    line: int
    kind: str
    cond: str | None = None
    through: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Decl:
    """A function or data object declared or defined in a file.

    `scope` is the enclosing function for block-scope statics, else None.  `calls` and `refs`
    are the identifiers the function body (or the initializer) calls and otherwise names.
    """

    name: str
    kind: str  # "function" | "object"
    span: Span
    name_span: Span
    is_definition: bool
    storage: str | None = None  # "static" | "extern" | None
    is_const: bool = False
    is_inline: bool = False
    has_init: bool = False
    zero_init: bool = False  # `= 0`, `= NULL`, `= { 0 }`: GCC puts the object in .bss all the same
    scope: str | None = None
    annotations: tuple[int, ...] = ()
    # The section the source itself puts the symbol in (assembly: `.section`, `__INIT`,
    # `__HEAD`...); C leaves it None and the model derives it from the annotations.
    section: str | None = None
    calls: tuple[Ref, ...] = ()
    refs: tuple[Ref, ...] = ()
    # (member, function) for `.member = function` in an initializer and `x->member = &function`
    # in a body (and `static_call_update(key, function)` as ("static_call:key", function)).
    assigns: tuple[tuple[str, str], ...] = ()
    # Objects the code writes, by name, at the line of the write: C `obj = ...`,
    # `obj.member = ...`, `obj[i] = ...`, `obj++`, `memset(&obj, ...)`-style `&obj` handed to a
    # call (kind "zero-write" for `memset(&obj, 0, ...)`); assembly stores (`movq %rax,
    # sym(%rip)`, `lea sym, %rdi` + `rep movs/stos`).
    writes: tuple[Ref, ...] = ()
    # (target object, last member or "", stored name, line): code storing a name in a
    # file-scope object: `x86_platform.calibrate_tsc = xen_tsc_khz;` ->
    # ("x86_platform", "calibrate_tsc", "xen_tsc_khz", n); `ptr = &obj;` -> ("ptr", "", "&obj", n)
    # (a `&` marks an address; a bare object name is a copy of its value).
    stores: tuple[tuple[str, str, str, int], ...] = ()
    # ("struct.member", function) for the assignments whose struct type is known (precise
    # mode): a typed member call reaches only the functions assigned to that struct's member.
    typed_assigns: tuple[tuple[str, str], ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class Invocation:
    """A macro invoked at file scope as a statement (`early_initcall(fn);`,
    `EXPORT_SYMBOL_GPL(fn);`, `DEFINE_STATIC_CALL(key, fn);`), with its arguments as written."""

    name: str
    args: tuple[str, ...]
    line: int


@dataclass(slots=True, unsafe_hash=True)
class MacroDef:
    """A `#define` as written: name, parameters (None for object-like), body with the line
    continuations folded, and the preprocessor conditions it stands under (include guards and
    `#ifndef NAME` defaults removed).  A file's facts keep the macros whose body holds an
    annotation."""

    name: str
    params: tuple[str, ...] | None
    body: str
    span: Span
    conditions: tuple[str, ...] = ()


@dataclass(slots=True, unsafe_hash=True)
class Diagnostic:
    """Something the front end could not do with a file (becomes an HV901 finding)."""

    message: str
    span: Span | None = None


@dataclass(slots=True, unsafe_hash=True)
class ParseStats:
    """How well the parse went: ERROR/MISSING nodes and lines inside ERROR nodes."""

    lines: int = 0
    error_nodes: int = 0
    missing_nodes: int = 0
    error_lines: int = 0


@dataclass(slots=True, unsafe_hash=True)
class FileFacts:
    path: str
    lang: str  # "c" | "asm"
    size: int = 0
    encoding: str = "utf-8"
    decls: tuple[Decl, ...] = ()
    annotations: tuple[Annotation, ...] = ()
    macros: tuple[MacroDef, ...] = ()
    macro_names: tuple[str, ...] = ()  # every name the file #defines
    # With references: for each macro of the file whose body calls something, the names called.
    macro_calls: tuple[tuple[str, tuple[str, ...]], ...] = ()
    invocations: tuple[Invocation, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    stats: ParseStats = field(default_factory=ParseStats)
    # Which front end the declarations come from: "tree-sitter", or "libclang" (precise
    # mode: tree-sitter's facts with libclang's view of one configuration over them).
    front: str = "tree-sitter"

    def owner_of(self, ann: Annotation) -> Decl | None:
        return None if ann.owner is None else self.decls[ann.owner]

    def annotations_of(self, decl: Decl) -> tuple[Annotation, ...]:
        return tuple(self.annotations[i] for i in decl.annotations)


def _reduce(self: object) -> tuple[object, tuple[object, ...]]:
    """Pickle a fact as its class and field values (the class is called with them when
    it is read back): about twice as fast to read as dataclasses' own per-field state, and
    the cache and the worker processes move hundreds of thousands of facts."""
    return (self.__class__, tuple(getattr(self, name) for name in self.__slots__))  # type: ignore[attr-defined]


for _cls in (Span, AttrItem, Annotation, Ref, Decl, Invocation, MacroDef, Diagnostic, ParseStats, FileFacts):
    _cls.__reduce__ = _reduce  # type: ignore[method-assign]
