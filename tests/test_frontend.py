"""The C front end: snippet -> facts (names, kinds, constness, annotations and where they stand)."""

from __future__ import annotations

import pytest

from hvlint.facts import FileFacts
from hvlint.frontend.prepare import prepare
from hvlint.frontend.treesitter import extract_c
from hvlint.tables import table_for, vocabulary_for

VOCAB = vocabulary_for(table_for(None))


def facts(src: str) -> FileFacts:
    return extract_c("t.c", src.encode(), VOCAB)


def decl(f: FileFacts, name: str):  # type: ignore[no-untyped-def]
    found = [d for d in f.decls if d.name == name]
    assert found, f"no decl {name}: {[d.name for d in f.decls]}"
    return found[0]


def anns(f: FileFacts, name: str) -> list[tuple[str, str]]:
    d = decl(f, name)
    return [(f.annotations[i].name, f.annotations[i].position) for i in d.annotations]


@pytest.mark.parametrize(
    ("src", "name", "kind", "const", "annotations"),
    [
        # the seed review's declarations
        (
            'int xen_hvmlite __attribute__((section(".data"))) = 0;',
            "xen_hvmlite",
            "object",
            False,
            [("__attribute__", "declarator")],
        ),
        (
            'struct hvm_start_info hvmlite_start_info __attribute__((section(".data")));',
            "hvmlite_start_info",
            "object",
            False,
            [("__attribute__", "declarator")],
        ),
        (
            "struct boot_params __initdata pvh_bootparams;",
            "pvh_bootparams",
            "object",
            False,
            [("__initdata", "specifiers")],
        ),
        (
            "const unsigned int __initconst pvh_start_info_sz = 4;",
            "pvh_start_info_sz",
            "object",
            True,
            [("__initconst", "specifiers")],
        ),
        (
            'static const struct pv_info xen_info __initconst = { .paravirt_enabled = 1, .name = "Xen" };',
            "xen_info",
            "object",
            True,
            [("__initconst", "declarator")],
        ),
        ('int x __section(".data..ro_after_init") = 0;', "x", "object", False, [("__section", "declarator")]),
        (
            "void __init __noreturn xen_start_kernel(struct start_info *si) { if (paravirt_enabled()) return; }",
            "xen_start_kernel",
            "function",
            False,
            [("__init", "specifiers"), ("__noreturn", "specifiers")],
        ),
        ("static struct __initdata foo_s { int a; } foo_v;", "foo_v", "object", False, [("__initdata", "type-tag")]),
        ("static struct { int a; } __initdata foo_v = {1};", "foo_v", "object", False, [("__initdata", "after-body")]),
        ('static const char *names[] __initdata = { "a" };', "names", "object", False, [("__initdata", "declarator")]),
        (
            'static const char * const names[] __initdata = { "a" };',
            "names",
            "object",
            True,
            [("__initdata", "declarator")],
        ),
        ("static int __init early_foo(char *arg);", "early_foo", "function", False, [("__init", "specifiers")]),
        (
            "void native_pv_lock_init(void) __init;",
            "native_pv_lock_init",
            "function",
            False,
            [("__init", "declarator")],
        ),
        ("static int (*hook)(void) __initdata;", "hook", "object", False, [("__initdata", "declarator")]),
        ("static __initconst const u64 ids[2] = { 1, 2 };", "ids", "object", True, [("__initconst", "specifiers")]),
    ],
)
def test_declarations(src: str, name: str, kind: str, const: bool, annotations: list[tuple[str, str]]) -> None:
    f = facts(src)
    d = decl(f, name)
    assert (d.kind, d.is_const) == (kind, const)
    assert anns(f, name) == annotations
    assert f.stats.error_nodes == 0 and f.stats.missing_nodes == 0


def test_multiple_declarators_take_their_own_annotation() -> None:
    f = facts("static int a __initdata, b, c __read_mostly;")
    assert anns(f, "a") == [("__initdata", "declarator")]
    assert anns(f, "b") == []
    assert anns(f, "c") == [("__read_mostly", "declarator")]


def test_block_scope_static_is_a_declaration_with_its_function() -> None:
    f = facts('int __init f(void)\n{\n\tstatic const char msg[] __initdata = "x";\n\treturn msg[0];\n}\n')
    d = decl(f, "msg")
    assert d.scope == "f" and d.is_const
    assert anns(f, "msg") == [("__initdata", "declarator")]


def test_raw_attribute_items_and_section() -> None:
    f = facts(
        '#define DEFINE_VVAR(type, name) \\\n\ttype name[2] \\\n\t__attribute__((section(".vvar_" #name), aligned(16))) __visible\n'
    )
    (a,) = [a for a in f.annotations if a.name == "__attribute__"]
    assert a.in_macro == "DEFINE_VVAR" and a.owner is None
    assert [(i.base, i.args) for i in a.items] == [("section", '".vvar_" #name'), ("aligned", "16")]
    assert a.section is None and a.section_expr == '".vvar_" #name'
    assert a.span.line == 3


def test_literal_concatenation_gives_the_section() -> None:
    f = facts('int x __section(".data" "..ro_after_init");')
    (a,) = f.annotations
    assert a.section == ".data..ro_after_init"


def test_annotations_in_comments_and_strings_are_not_annotations() -> None:
    f = facts('/* int x __initdata; */\n// __init\nconst char *s = "__initdata";\nint y;\n')
    assert f.annotations == ()
    assert [d.name for d in f.decls] == ["s", "y"]


def test_positions_are_bytes_of_the_original_text() -> None:
    src = "static int\tfoo __initdata = 1;\n"
    f = facts(src)
    (a,) = f.annotations
    assert src.encode()[a.span.start : a.span.end] == b"__initdata"
    assert (a.span.line, a.span.col, a.span.end_col) == (1, 16, 25)


def test_blanking_keeps_length_and_lines() -> None:
    src = '/* c */ int __init f(void);\n#ifdef __ASSEMBLY__\n\tmovq %rax, %rbx\n#else\nint g __section(".data");\n#endif\n'
    p = prepare(src, VOCAB)
    assert len(p.text) == len(src) and p.text.count("\n") == src.count("\n")
    assert "movq" not in p.text and "__init" not in p.text and "int g" in p.text


def test_declaration_macros_are_reshaped() -> None:
    f = facts("DEFINE_PER_CPU(int, cpu_number);\nSYSCALL_DEFINE2(foo, int, a, char __user *, b)\n{\n\treturn a;\n}\n")
    assert decl(f, "cpu_number").kind == "object"
    assert decl(f, "foo").kind == "function"
    assert f.stats.error_nodes == 0


def test_refs_are_scanned_on_request() -> None:
    src = "static int g;\nint f(struct s *p) { int r = helper(p->field, &g); return r + other.x; }\n"
    f = extract_c("t.c", src.encode(), VOCAB, refs=True)
    d = decl(f, "f")
    assert [r.name for r in d.calls] == ["helper"]
    names = [r.name for r in d.refs]
    assert "g" in names and "field" not in names and "x" not in names
    assert decl(facts(src), "f").calls == ()


def test_include_guard_and_ifndef_default_are_not_conditions() -> None:
    p = prepare(
        "#ifndef _X_H\n#define _X_H\n#ifndef __read_mostly\n#define __read_mostly\n#endif\n"
        "#ifdef CONFIG_A\n#define A 1\n#endif\n#endif\n",
        VOCAB,
    )
    conds = {d.name: d.conditions for d in p.defines}
    assert conds["__read_mostly"] == ()
    assert conds["A"] == ("defined(CONFIG_A)",)


@pytest.mark.parametrize(
    ("src", "name", "kind", "const"),
    [
        # tree-sitter cannot place these (an unknown macro next to the declarator): the
        # token scan of the statement finds the declaration the annotation belongs to
        ("static int foo __initdata UNKNOWN_ATTR;\n", "foo", "object", False),
        ("static int UNKNOWN_ATTR foo __initdata = 1;\n", "foo", "object", False),
        ("struct boot_params __initdata pvh_bootparams EXTRA;\n", "pvh_bootparams", "object", False),
        ("int x = 1 +;\nstatic const int lim[2] __initdata OOPS(1) = {1, 2};\n", "lim", "object", True),
        ("int BAD_ATTR __init f(int a) { return a; }\n", "f", "function", False),
    ],
)
def test_token_scan_fallback(src: str, name: str, kind: str, const: bool) -> None:
    f = facts(src)
    owned = [d for d in f.decls if d.annotations]
    assert [(d.name, d.kind, d.is_const) for d in owned] == [(name, kind, const)]
    assert f.diagnostics == ()


def test_macro_arguments_and_unplaceable_annotations() -> None:
    f = facts('void f(void) { register_nmi_handler(1, cb, 0, "x", __initdata); }\n')
    assert [d.name for d in f.decls if d.annotations] == [] and f.diagnostics == ()
    f = facts("__initdata;\n")
    assert [d.message for d in f.diagnostics] == ["cannot tell which declaration __initdata annotates: not checked"]


def test_declaration_macros_with_trailing_annotations() -> None:
    f = facts(
        "__ETHTOOL_DECLARE_LINK_MODE_MASK(phy_basic_features) __ro_after_init;\n"
        "DEFINE_SNMP_STAT(struct dccp_mib, dccp_statistics) __read_mostly;\n"
        "static DECLARE_BITMAP(nmi_ipi_mask, NR_CPUS) __initdata;\n"
    )
    assert anns(f, "phy_basic_features") == [("__ro_after_init", "declarator")]
    assert anns(f, "dccp_statistics") == [("__read_mostly", "declarator")]
    assert anns(f, "nmi_ipi_mask") == [("__initdata", "declarator")]
    assert f.diagnostics == ()


def test_annotation_names_as_members_are_not_annotations() -> None:
    f = facts("void f(struct o *opts, struct s *st) { if (opts->noinstr) st->noinstr = opts.noinstr; }\n")
    assert f.annotations == ()


def test_macro_delimited_definitions_are_blanked() -> None:
    f = facts(
        'DT_MACHINE_START(ARMADA, "Marvell")\n\t.init_machine = mvebu_dt_init,\nMACHINE_END\n'
        'static const char * const compat[] __initconst = { "x", NULL };\n'
    )
    assert anns(f, "compat") == [("__initconst", "declarator")] and decl(f, "compat").is_const
    assert f.stats.error_nodes == 0


def test_refs_carry_the_condition_they_stand_under() -> None:
    src = (
        "void f(void) {\n#ifdef CONFIG_A\n a();\n#elif defined(CONFIG_B)\n b();\n"
        "# ifndef CONFIG_C\n c();\n# endif\n#else\n d();\n#endif\n e();\n}\n"
    )
    f = extract_c("t.c", src.encode(), VOCAB, refs=True)
    assert [(r.name, r.cond) for r in decl(f, "f").calls] == [
        ("a", "defined(CONFIG_A)"),
        ("b", "!(defined(CONFIG_A)) && (defined(CONFIG_B))"),
        ("c", "!(defined(CONFIG_A)) && (defined(CONFIG_B)) && !defined(CONFIG_C)"),
        ("d", "!(defined(CONFIG_A)) && !(defined(CONFIG_B))"),
        ("e", None),
    ]


def test_function_defining_macros() -> None:
    src = (
        "DEFINE_IDTENTRY(exc_divide_error)\n{\n\tdo_error_trap(regs);\n}\n"
        "DEFINE_IDTENTRY_SYSVEC(sysvec_x86_platform_ipi)\n{\n\tx86_platform_ipi_callback();\n}\n"
        "SYSCALL_DEFINE0(getpid)\n{\n\treturn task_tgid_vnr(current);\n}\n"
    )
    f = extract_c("t.c", src.encode(), VOCAB, refs=True)
    assert [(d.name, d.kind, d.name_span.line) for d in f.decls] == [
        ("exc_divide_error", "function", 1),
        ("sysvec_x86_platform_ipi", "function", 5),
        ("getpid", "function", 9),
    ]
    assert [r.name for r in decl(f, "exc_divide_error").calls] == ["do_error_trap"]
    assert f.stats.error_nodes == 0


def test_writes_and_stores_of_a_function_body() -> None:
    from hvlint.frontend.treesitter import extract_c
    from hvlint.tables import Vocabulary

    src = b"""
struct ops { int (*init)(void); } runtime_ops;
static int counter, flags;
static void setup(int *p, int (*cb)(void))
{
	int local = 0;
	struct ops o;
	counter++;
	memset(&flags, 0, sizeof(flags));
	runtime_ops.init = early_fn;
	runtime_ops = boot_ops;
	o.init = early_fn;
	local = sizeof(unused_obj);
	*p = local;
	cb = early_fn;
}
"""
    f = extract_c("t.c", src, Vocabulary(), refs=True)
    d = next(d for d in f.decls if d.name == "setup")
    assert [(w.name, w.kind) for w in d.writes] == [
        ("counter", "write"),
        ("flags", "zero-write"),
        ("runtime_ops", "write"),
    ]
    # locals and parameters are not objects; a struct copy is not an address
    assert d.stores == (("runtime_ops", "init", "early_fn", 10), ("runtime_ops", "", "boot_ops", 11))
    assert "unused_obj" not in {r.name for r in d.refs}  # sizeof() emits no reference


def test_zero_initialized_objects_land_in_bss() -> None:
    from hvlint.frontend.treesitter import extract_c
    from hvlint.model import _default_section
    from hvlint.tables import Vocabulary

    src = b"static int a = 0;\nint b = 1;\nvoid *c = NULL;\nstruct s d = { 0 };\nint f;\nconst int g = 0;\n"
    f = extract_c("t.c", src, Vocabulary(), refs=True)
    got = {d.name: _default_section(d) for d in f.decls}
    assert got == {"a": ".bss", "b": ".data", "c": ".bss", "d": ".bss", "f": ".bss", "g": ".rodata"}


# -- what hvlint crosscheck found tree-sitter reading wrong (fixed) ------------------------------


@pytest.mark.parametrize(
    ("src", "name", "section"),
    [
        ("DEFINE_PER_CPU(struct vcpu_info *, xen_vcpu);", "xen_vcpu", ".data..percpu"),
        ("static DEFINE_PER_CPU(int, xen_resched_irq) = -1;", "xen_resched_irq", ".data..percpu"),
        ("DEFINE_PER_CPU_READ_MOSTLY(int, cpu_number);", "cpu_number", ".data..percpu..read_mostly"),
        (
            "DEFINE_PER_CPU_SHARED_ALIGNED(struct pcpu_hot, pcpu_hot) = { 0 };",
            "pcpu_hot",
            ".data..percpu..shared_aligned",
        ),
        ("DEFINE_PER_CPU_PAGE_ALIGNED(struct gdt_page, gdt_page);", "gdt_page", ".data..percpu..page_aligned"),
        (
            "DEFINE_IDTENTRY_RAW(xenpv_exc_nmi)\n{\n\texc_nmi(regs);\n}\n",
            "xenpv_exc_nmi",
            ".noinstr.text",
        ),
        ("DEFINE_IDTENTRY_SYSVEC(sysvec_xen_hvm_callback)\n{\n\tx();\n}\n", "sysvec_xen_hvm_callback", ".noinstr.text"),
    ],
)
def test_declaration_macros_put_their_symbol_in_their_own_section(src: str, name: str, section: str) -> None:
    from hvlint.model import Project

    f = facts(src)
    p = Project.build([f], lambda _: table_for(None))
    assert p.symbols[f"t.c::{name}"].section == section
    assert [d.name for d in f.decls if d.scope is None] == [name]


def test_xen_guest_handles_declare_no_object() -> None:
    f = facts("DEFINE_GUEST_HANDLE(u64);\nDEFINE_GUEST_HANDLE_STRUCT(mmu_update);\nu64 used_here;\n")
    assert [d.name for d in f.decls] == ["used_here"]


def test_labels_are_no_references() -> None:
    src = "int f(void)\n{\n\tif (g())\n\t\tgoto error;\n\treturn 0;\nerror:\n\treturn error_count;\n}\n"
    f = extract_c("t.c", src.encode(), VOCAB, refs=True)
    assert [r.name for r in decl(f, "f").refs] == ["error_count"]
    assert [r.name for r in decl(f, "f").calls] == ["g"]


def test_a_macro_value_as_first_argument_declares_nothing() -> None:
    f = facts(
        "DECLARE_PCI_FIXUP_CLASS_HEADER(PCI_ANY_ID, PCI_ANY_ID,\n\t\t\t       PCI_CLASS_DISPLAY_VGA, 8, fixup);\n"
    )
    assert [d.name for d in f.decls] == []
    assert [i.name for i in f.invocations] == ["DECLARE_PCI_FIXUP_CLASS_HEADER"]
