"""The assembly front end (hvlint.frontend.asm): symbols, sections, calls/jumps/refs.

Unit tests read small kernel-shaped snippets; the corpus fixtures in corpus/asm/ are read
as whole files; a real Linux tree (HVLINT_LINUX_TREE) checks the x86 boot files and that
every .S file of the default scope is read quickly and without error.
"""

from __future__ import annotations

import os
import pickle
import random
import textwrap
import time
from pathlib import Path

import pytest

from hvlint import discover
from hvlint.errors import HvlintError
from hvlint.facts import Decl, FileFacts
from hvlint.frontend.asm import extract_asm, load_tables, parse_tables

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "asm"
TREE = os.environ.get("HVLINT_LINUX_TREE", "")


def facts(src: str, path: str = "arch/x86/kernel/t.S") -> FileFacts:
    return extract_asm(path, textwrap.dedent(src).lstrip("\n").encode())


def decls(src: str) -> dict[str, Decl]:
    out: dict[str, Decl] = {}
    for d in facts(src).decls:
        out.setdefault(d.name, d)
    return out


def edges(d: Decl) -> set[tuple[str, str]]:
    return {(r.name, r.kind) for r in d.calls + d.refs}


def summary(d: Decl) -> tuple[str, str | None, str | None]:
    return (d.kind, d.storage, d.section)


# -- symbols ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("src", "name", "kind", "storage"),
    [
        ("SYM_FUNC_START(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", None),
        ("SYM_FUNC_START_LOCAL(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", "static"),
        ("SYM_FUNC_START_NOALIGN(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", None),
        ("SYM_FUNC_START_LOCAL_NOALIGN(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", "static"),
        ("SYM_FUNC_START_WEAK(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", None),
        ("SYM_FUNC_START_WEAK_NOALIGN(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", None),
        ("SYM_TYPED_FUNC_START(f)\n\tret\nSYM_FUNC_END(f)\n", "f", "function", None),
        ("SYM_CODE_START(f)\n\tud2\nSYM_CODE_END(f)\n", "f", "function", None),
        ("SYM_CODE_START_LOCAL(f)\n\tud2\nSYM_CODE_END(f)\n", "f", "function", "static"),
        ("SYM_CODE_START_NOALIGN(f)\n\tud2\nSYM_CODE_END(f)\n", "f", "function", None),
        ("SYM_CODE_START_LOCAL_NOALIGN(f)\n\tud2\nSYM_CODE_END(f)\n", "f", "function", "static"),
        ("SYM_START(f, SYM_L_GLOBAL, SYM_A_NONE)\n\tud2\nSYM_END(f, SYM_T_FUNC)\n", "f", "function", None),
        ("SYM_DATA_START(d)\n\t.quad 0\nSYM_DATA_END(d)\n", "d", "object", None),
        ("SYM_DATA_START_LOCAL(d)\n\t.quad 0\nSYM_DATA_END(d)\n", "d", "object", "static"),
        ("SYM_DATA_START_PAGE_ALIGNED(d)\n\t.fill 512,8,0\nSYM_DATA_END(d)\n", "d", "object", None),
        ("SYM_DATA(d, .long 0)\n", "d", "object", None),
        ("SYM_DATA_LOCAL(d, .fill 48, 1, 0)\n", "d", "object", "static"),
        ("ENTRY(f)\n\tret\nEND(f)\n", "f", "function", None),
        ("ENTRY(f)\n\tret\nENDPROC(f)\n", "f", "function", None),
        ("GLOBAL(f)\n\tret\n", "f", "function", None),
    ],
)
def test_linkage_macros(src: str, name: str, kind: str, storage: str | None) -> None:
    f = facts(src)
    assert f.lang == "asm" and f.size == len(src)
    assert [(d.name, d.kind, d.storage, d.is_definition) for d in f.decls] == [(name, kind, storage, True)]


def test_inner_labels_end_labels_and_aliases() -> None:
    ds = decls(
        """
        SYM_CODE_START(outer)
        \tnop
        SYM_INNER_LABEL(outer_global, SYM_L_GLOBAL)
        \tnop
        SYM_INNER_LABEL_ALIGN(outer_local, SYM_L_LOCAL)
        \tret
        SYM_CODE_END(outer)
        SYM_FUNC_ALIAS(outer_alias, outer)
        SYM_FUNC_ALIAS_LOCAL(outer_local_alias, outer)
        \t.data
        SYM_DATA_START_LOCAL(stack)
        \t.fill 64, 8, 0
        SYM_DATA_END_LABEL(stack, SYM_L_LOCAL, stack_end)
        SYM_DATA_START(table)
        SYM_INNER_LABEL(table_middle, SYM_L_GLOBAL)
        \t.quad 0
        SYM_DATA_END(table)
        """
    )
    assert summary(ds["outer_global"])[:2] == ("function", None)
    assert summary(ds["outer_local"])[:2] == ("function", "static")
    assert summary(ds["outer_alias"])[:2] == ("function", None)
    assert summary(ds["outer_local_alias"])[:2] == ("function", "static")
    assert ("outer", "jump") in edges(ds["outer_alias"])  # an alias runs the code it names
    assert summary(ds["stack_end"]) == ("object", "static", ".data")
    assert summary(ds["table_middle"])[:2] == ("object", None)  # an inner label of data is data
    # An inner label ends at the next one, the last one where its symbol ends.
    assert (ds["outer_global"].span.line, ds["outer_global"].span.end_line) == (3, 4)
    assert ds["outer_local"].span.end_line == ds["outer"].span.end_line == 7


def test_plain_labels() -> None:
    ds = decls(
        """
        \t.text
        \t.globl\tboot_entry
        boot_entry:
        \tcall\tsetup_cpu
        .Lretry:
        \tjmp\t.Lretry
        1:\tjmp\t1b
        helper_loop:
        \tret
        \t.data
        \t.global counter
        counter:\t.long 0
        scratch:
        \t.quad 0
        \t.section .text
        \t.type\ttyped_word, @object
        typed_word:
        \t.skip 8
        SYM_FUNC_START(owner)
        inner_spot:
        \tret
        SYM_FUNC_END(owner)
        SYM_FUNC_START(other)
        \tjmp\tinner_spot
        SYM_FUNC_END(other)
        """
    )
    assert set(ds) == {"boot_entry", "helper_loop", "counter", "scratch", "typed_word", "owner", "other"}
    assert summary(ds["boot_entry"]) == ("function", None, ".text")
    assert summary(ds["helper_loop"]) == ("function", "static", ".text")
    assert summary(ds["counter"]) == ("object", None, ".data")
    assert summary(ds["scratch"]) == ("object", "static", ".data")
    assert summary(ds["typed_word"]) == ("object", "static", ".text")
    # A plain label inside a symbol is a local label of that symbol: a jump to it from
    # elsewhere is a jump to the symbol.
    assert ("owner", "jump") in edges(ds["other"])
    assert ("inner_spot", "jump") not in edges(ds["other"])


def test_spans_and_name_spans() -> None:
    f = facts(
        """
        \t.text
        SYM_FUNC_START(first)
        \tcall\tsecond
        \tret
        SYM_FUNC_END(first)

        SYM_CODE_START_LOCAL(second)
        \tret
        SYM_CODE_END(second)
        """
    )
    first, second = f.decls
    assert (first.span.line, first.span.col, first.span.end_line) == (2, 1, 5)
    assert (first.name_span.line, first.name_span.col, first.name_span.end_col) == (2, 16, 20)
    text = textwrap.dedent(
        """
        \t.text
        SYM_FUNC_START(first)
        \tcall\tsecond
        \tret
        SYM_FUNC_END(first)
        """
    ).lstrip("\n")
    assert (
        text[first.span.start : first.span.end] == "SYM_FUNC_START(first)\n\tcall\tsecond\n\tret\nSYM_FUNC_END(first)"
    )
    assert text[first.name_span.start : first.name_span.end] == "first"
    assert (second.span.line, second.span.end_line, second.name_span.col) == (7, 9, 22)


def test_macro_bodies_are_not_symbols_but_invocations_are() -> None:
    ds = decls(
        """
        .macro make_stub name, nr=0
        SYM_FUNC_START(\\name)
        \tmovl\t$\\nr, %eax
        \tjmp\thypercall_common
        SYM_FUNC_END(\\name)
        .endm
        .macro unused_helper
        SYM_FUNC_START(never_made)
        \tret
        SYM_FUNC_END(never_made)
        .endm

        \tmake_stub stub_yield, 1
        \tmake_stub stub_sched nr=2
        """
    )
    assert set(ds) == {"stub_yield", "stub_sched"}
    assert edges(ds["stub_yield"]) == {("hypercall_common", "jump")}
    d = ds["stub_sched"]
    assert d.span.line == d.span.end_line == 14
    assert d.name_span.col == 12  # the argument that names it


# -- sections --------------------------------------------------------------------------


def test_sections_follow_directives_and_macros() -> None:
    ds = decls(
        """
        SYM_FUNC_START(in_text)
        \tret
        SYM_FUNC_END(in_text)
        \t__HEAD
        SYM_CODE_START(in_head)
        \tud2
        SYM_CODE_END(in_head)
        \t__INIT
        SYM_CODE_START(in_init)
        \tud2
        SYM_CODE_END(in_init)
        \t__FINIT
        SYM_CODE_START(back_in_head)
        \tud2
        SYM_CODE_END(back_in_head)
        \t__INITDATA
        SYM_DATA(in_initdata, .long 0)
        \t__INITRODATA
        SYM_DATA(in_initrodata, .long 0)
        \t__REF
        SYM_CODE_START(in_ref)
        \tud2
        SYM_CODE_END(in_ref)
        \t__REFDATA
        SYM_DATA(in_refdata, .long 0)
        \t__REFCONST
        SYM_DATA(in_refconst, .long 0)
        \t__PAGE_ALIGNED_BSS
        SYM_DATA(in_page_bss, .long 0)
        \t.data
        SYM_DATA(in_data, .long 0)
        \t.bss
        SYM_DATA(in_bss, .long 0)
        \t.section ".entry.text", "ax"
        SYM_CODE_START(in_entry)
        \tud2
        SYM_CODE_END(in_entry)
        \t.section .rodata.cst16.mask, "aM", @progbits, 16
        SYM_DATA(in_cst16, .octa 0)
        """
    )
    got = {name: d.section for name, d in ds.items()}
    assert got == {
        "in_text": ".text",
        "in_head": ".head.text",
        "in_init": ".init.text",
        "back_in_head": ".head.text",  # __FINIT is .previous: back to the section before
        "in_initdata": ".init.data",
        "in_initrodata": ".init.rodata",
        "in_ref": ".ref.text",
        "in_refdata": ".ref.data",
        "in_refconst": ".ref.rodata",
        "in_page_bss": ".bss..page_aligned",
        "in_data": ".data",
        "in_bss": ".bss",
        "in_entry": ".entry.text",
        "in_cst16": ".rodata.cst16.mask",
    }


def test_push_pop_and_previous() -> None:
    ds = decls(
        """
        \t.section .init.text, "ax"
        \t.pushsection .noinstr.text, "ax"
        SYM_FUNC_START(pushed)
        \tret
        SYM_FUNC_END(pushed)
        \t.pushsection .rodata
        SYM_DATA(nested, .long 0)
        \t.popsection
        SYM_FUNC_START(pushed_again)
        \tret
        SYM_FUNC_END(pushed_again)
        \t.popsection
        SYM_FUNC_START(popped)
        \tret
        SYM_FUNC_END(popped)
        \t.data
        \t.previous
        SYM_FUNC_START(after_previous)
        \tret
        SYM_FUNC_END(after_previous)
        \t.previous
        SYM_DATA(previous_again, .long 0)
        \t.popsection
        \t.popsection
        SYM_DATA(unbalanced_pop_is_ignored, .long 0)
        """
    )
    got = {name: d.section for name, d in ds.items()}
    assert got == {
        "pushed": ".noinstr.text",
        "nested": ".rodata",
        "pushed_again": ".noinstr.text",
        "popped": ".init.text",
        "after_previous": ".init.text",
        "previous_again": ".data",
        "unbalanced_pop_is_ignored": ".data",
    }


def test_section_change_ends_a_label() -> None:
    f = facts(
        """
        \t.data
        \t.globl flag
        flag:
        \t.long 0
        \t.text
        \tnop
        """
    )
    (flag,) = f.decls
    assert (flag.span.line, flag.span.end_line) == (3, 4)


# -- calls, jumps, refs ------------------------------------------------------------------


def test_calls_jumps_and_refs() -> None:
    ds = decls(
        """
        SYM_CODE_START(entry)
        \tcall\tdirect_callee
        \tcallq\tdirect_callq
        \tcallq\t*initial_code(%rip)
        \tcall\t*(absolute_pointer)
        \tcall\t__x86_indirect_thunk_rax
        \tcall\tplt_callee@PLT
        \tcall\t*%rax
        \tcall\t1f
        1:\tjz\tzero_path
        \tjnz\t.Llocal
        \tjae\tabove_path
        \tjmp\t*jump_pointer(%rip)
        \tjmp\t*sys_table(,%rax,8)
        \tleaq\tstack_top(%rip), %rsp
        \tmovq\t$boot_params, %rsi
        \tmovq\tphys_base(%rip), %rax
        \tpushq\t$pushed_symbol
        \tmovl\t$MSR_GS_BASE, %ecx
        \tmovq\tTASK_threadsp(%rax), %rsp
        \tleaq\tINIT_PER_CPU_VAR(fixed_percpu_data)(%rip), %rdx
        \tANNOTATE_RETPOLINE_SAFE
        \tjmp\ttail_callee
        .Llocal:
        \tjmp\t2f
        2:\tret
        SYM_CODE_END(entry)
        """
    )
    d = ds["entry"]
    assert edges(d) == {
        ("direct_callee", "call"),
        ("direct_callq", "call"),
        ("initial_code", "call"),
        ("absolute_pointer", "call"),
        ("__x86_indirect_thunk_rax", "call"),
        ("plt_callee", "call"),
        ("zero_path", "jump"),
        ("above_path", "jump"),
        ("jump_pointer", "jump"),
        ("sys_table", "ref"),
        ("stack_top", "ref"),
        ("boot_params", "ref"),
        ("phys_base", "ref"),
        ("pushed_symbol", "ref"),
        ("fixed_percpu_data", "ref"),
        ("tail_callee", "jump"),
    }
    assert all(r.kind in ("call", "jump") for r in d.calls) and all(r.kind == "ref" for r in d.refs)
    assert {r.name: r.line for r in d.calls}["initial_code"] == 4


def test_data_refs() -> None:
    ds = decls(
        """
        \t__REFDATA
        SYM_DATA(initial_code, .quad x86_64_start_kernel)
        \t.data
        SYM_DATA_START(table)
        \t.quad\tlevel3_pgt - __START_KERNEL_map + _PAGE_TABLE_NOENC
        \t.long\tfar_target - table
        \t_ASM_PTR\tasm_ptr_target
        \t.word\t0, 1, 2
        \t.asciz\t"not_a_symbol"
        \t.org\ttable + 64, 0
        SYM_DATA_END(table)
        """
    )
    assert edges(ds["initial_code"]) == {("x86_64_start_kernel", "ref")}
    assert ds["initial_code"].section == ".ref.data"
    # `__START_KERNEL_map` looks like a preprocessor constant; the symbol's own name is no ref.
    assert edges(ds["table"]) == {("level3_pgt", "ref"), ("far_target", "ref"), ("asm_ptr_target", "ref")}


def test_elfnote_and_alternative() -> None:
    ds = decls(
        """
        SYM_CODE_START(entry)
        \tALTERNATIVE "call default_path; movq %rax, %rsp", \\
        \t\t"call xen_path", X86_FEATURE_XENPV
        \tALTERNATIVE "", "jmp .Lskip", X86_FEATURE_PTI
        .Lskip:
        \tret
        SYM_CODE_END(entry)
        \tELFNOTE(Xen, XEN_ELFNOTE_ENTRY, _ASM_PTR note_entry)
        \tELFNOTE(Xen, XEN_ELFNOTE_PHYS32_ENTRY,
        \t\t_ASM_PTR (phys_entry - __START_KERNEL_map))
        \tELFNOTE(Xen, XEN_ELFNOTE_GUEST_OS, .asciz "linux")
        """
    )
    # ELF notes name entry points for the loader: no use by the symbol before them.
    assert edges(ds["entry"]) == {("default_path", "call"), ("xen_path", "call")}
    lines = {r.name: r.line for r in ds["entry"].calls + ds["entry"].refs}
    assert lines["xen_path"] == 3


def test_excluded_names() -> None:
    ds = decls(
        """
        #define rva(x)\t((x) - entry)
        #define SCRATCH\t%r11
        #define STATEP\trdi
        .set\tfile_align, 0x200
        i = 0
        SYM_CODE_START(entry)
        \tleal\trva(gdt_table)(%ebp), %eax
        \tmovq\t(STATEP), %rax
        \tmovq\t%rax, SCRATCH
        \taddl\t$file_align, %eax
        \tpushq\t$i
        \tUNWIND_HINT_IRET_REGS offset=8
        \tCALL_NOSPEC rax
        \tmovq\t%rsp, %rdi
        \tEXPORT_SYMBOL(entry_export)
        \tdefined_word_is_stop = 1
        SYM_CODE_END(entry)
        """
    )
    assert edges(ds["entry"]) == {("gdt_table", "ref")}


def test_dedup_keeps_first_line_and_drops_self() -> None:
    ds = decls(
        """
        SYM_FUNC_START(loop_fn)
        \tcall\thelper
        \tcall\thelper
        \tleaq\thelper(%rip), %rax
        \tjmp\tloop_fn
        SYM_FUNC_END(loop_fn)
        """
    )
    d = ds["loop_fn"]
    assert [(r.name, r.kind, r.line) for r in d.calls + d.refs] == [("helper", "call", 2), ("helper", "ref", 4)]


def test_attribution_and_fall_through() -> None:
    f = facts(
        """
        \tcall\tbefore_any_symbol
        SYM_CODE_START(start)
        \tnop
        SYM_INNER_LABEL(middle, SYM_L_GLOBAL)
        \tcall\tfrom_middle
        \tjmp\telsewhere
        SYM_INNER_LABEL(after_jump, SYM_L_GLOBAL)
        \tret
        SYM_CODE_END(start)
        \t.quad\tbetween_symbols
        """
    )
    ds = {d.name: d for d in f.decls}
    assert edges(ds["start"]) == {("middle", "jump")}  # falls through into the inner label
    assert edges(ds["middle"]) == {("from_middle", "call"), ("elsewhere", "jump")}
    assert edges(ds["after_jump"]) == {("between_symbols", "ref")}  # no fall-through after jmp
    assert all("before_any_symbol" not in edges(d) for d in f.decls)


def test_conditions() -> None:
    ds = decls(
        """
        #ifndef _DEMO_HEAD_S
        #define _DEMO_HEAD_S
        SYM_CODE_START(entry)
        \tcall\talways
        #ifdef CONFIG_X86_5LEVEL
        \tcall\tfive_level
        #if defined(CONFIG_A) && defined(CONFIG_B)
        \tcall\tboth
        #endif
        \tcall\tfive_level_again
        #else
        \tcall\tfour_level
        #endif
        #ifndef CONFIG_SMP
        \tcall\tup_only
        #elif defined(CONFIG_NUMA)
        \tcall\tnuma_only
        #endif
        \tcall\tfive_level
        SYM_CODE_END(entry)
        #endif
        """
    )
    conds = {r.name: r.cond for r in ds["entry"].calls}
    assert conds == {
        "always": None,  # the include guard is no condition
        "five_level": "defined(CONFIG_X86_5LEVEL)",  # the first occurrence's
        "both": "defined(CONFIG_A) && defined(CONFIG_B)",
        "five_level_again": "defined(CONFIG_X86_5LEVEL)",
        "four_level": "!(defined(CONFIG_X86_5LEVEL))",
        "up_only": "!defined(CONFIG_SMP)",
        "numa_only": "!(!defined(CONFIG_SMP)) && (defined(CONFIG_NUMA))",
    }


def test_comments_are_not_code() -> None:
    ds = decls(
        """
        SYM_FUNC_START(f) /* call in_comment_a */
        \t/* call in_comment_b
        \t   call in_comment_c */
        \tcall\treal_one\t# call in_comment_d
        # call in_comment_e
        \tcall\treal_two\t// call in_comment_f
        \tret
        SYM_FUNC_END(f)
        """
    )
    assert edges(ds["f"]) == {("real_one", "call"), ("real_two", "call")}


def test_includes_and_defines_are_skipped() -> None:
    ds = decls(
        """
        #include <linux/linkage.h>
        #define SYM_FUNC_START_FAKE(name) \\
        \tSYM_FUNC_START(name) \\
        \tcall not_from_a_define
        SYM_FUNC_START(real)
        \tret
        SYM_FUNC_END(real)
        """
    )
    assert set(ds) == {"real"} and edges(ds["real"]) == set()


def test_continued_defines_with_comments_and_trailing_semicolons() -> None:
    # The preprocessor joins continued lines before it removes comments: a `/* ... \`
    # comment inside a multi-line #define does not end the #define.
    f = facts(
        """
        SYM_FUNC_START(before)
        \tret
        SYM_FUNC_END(before)
        #define roundsm(x, t) \\
        \t/* S-function \\
        \t */ \\
        \tvpshufb t, x, x; \\
        \tcall in_define_body
        SYM_FUNC_START(f)
        \tvpxor %xmm0, %xmm0, %xmm0;
        \tleaq table_one(%rip), %rax;
        \tcall real_one;
        \tret
        SYM_FUNC_END(f)
        """
    )
    ds = {d.name: d for d in f.decls}
    assert edges(ds["before"]) == set()
    assert edges(ds["f"]) == {("real_one", "call"), ("table_one", "ref")}
    assert {r.name: r.line for r in ds["f"].calls + ds["f"].refs} == {"real_one": 12, "table_one": 11}


def test_linker_scripts_define_nothing() -> None:
    f = extract_asm("arch/x86/kernel/vmlinux.lds.S", b"ENTRY(phys_startup_64)\nSECTIONS\n{\n}\n")
    assert f.lang == "asm" and f.decls == ()


# -- bad input -------------------------------------------------------------------------

BAD_INPUTS = [
    b"",
    b"\n\n\n",
    b"\xff\xfe\x00garbage\x00\x01\x02",
    b"/* unterminated comment\nSYM_FUNC_START(hidden)\n",
    b'SYM_FUNC_START(f)\n\t.asciz "unterminated\n\tcall g\n',
    b"SYM_FUNC_START(\nSYM_FUNC_END(\n)\n",
    b"SYM_FUNC_END(never_started)\nSYM_DATA_END_LABEL(x\n",
    b".macro never_ended\nSYM_FUNC_START(in_macro)\n",
    b".macro m\n m\n.endm\n m\n",
    b"#if\n#elif\n#else\n#endif\n#endif\n#else\n",
    b"\\\n\\\n\\",
    b"\t.popsection\n\t.previous\n\t.section\n\t__FINIT\n",
    b"jmp " + b"(" * 10000 + b"\n",
    b"SYM_FUNC_START(f)\n\tmovq " + b"a" * 1_000_000 + b"(%rip), %rax\n",
    b"call " + b" " * 200_000 + b"x y\n",
    b"x:" * 50_000,
    b"SYM_DATA(d, " + b"sym + " * 100_000 + b"0)\n",
]


@pytest.mark.parametrize("data", BAD_INPUTS, ids=range(len(BAD_INPUTS)))
def test_bad_input_never_raises(data: bytes) -> None:
    t = time.perf_counter()
    f = extract_asm("bad.S", data)
    assert time.perf_counter() - t < 5
    assert f.lang == "asm" and f.size == len(data) and not f.diagnostics
    for d in f.decls:
        assert d.is_definition and d.span.start <= d.name_span.start <= d.span.end <= len(data)
    pickle.loads(pickle.dumps(f))


def test_random_bytes_never_raise() -> None:
    rng = random.Random(1234)
    alphabet = b'SYM_FUNC_START()ENDcalljmp.section.pushsection.popsection#ifdef\n\t ;:,$%*\\"/*abcxyz0123'
    for _ in range(200):
        data = bytes(rng.choice(alphabet) for _ in range(rng.randrange(1, 400)))
        f = extract_asm("fuzz.S", data)
        assert f.size == len(data) and not f.diagnostics


def test_recursive_macros_stop() -> None:
    f = facts(
        """
        .macro grow name
        SYM_FUNC_START(\\name)
        \tgrow \\name\\()_more
        SYM_FUNC_END(\\name)
        .endm
        \tgrow seed
        """
    )
    assert 1 <= len(f.decls) <= 10 and f.decls[0].name == "seed"


# -- the data table --------------------------------------------------------------------


def test_table_loads() -> None:
    t = load_tables()
    assert t.section_macros["__INIT"] == ("set", ".init.text")
    assert t.section_macros["__FINIT"] == ("previous", None)
    assert t.section_directives[".bss"] == ".bss"
    assert t.leading_args == {} and "ELFNOTE" in t.skip_prefixes


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"section_macros": {"__BAD": ".sectoin .init.text"}}, "section_macros.__BAD"),
        ({"section_macros": {"__BAD": 3}}, "section_macros.__BAD"),
        ({"section_macros": {"not a name": ".text"}}, "section_macros.not a name"),
        ({"section_directives": {".text": "text"}}, "section_directives..text"),
        ({"refs": {"leading_args": {"ELFNOTE": -1}}}, "refs.leading_args.ELFNOTE"),
        ({"refs": {"skip_macros": ["OK", 3]}}, "refs.skip_macros"),
        ({"refs": {"stop": "defined"}}, "refs.stop"),
        ({"refs": {"stopp": []}}, "refs.stopp"),
        ({"sections": {}}, "sections"),
    ],
)
def test_bad_table_entries(doc: dict[str, object], key: str) -> None:
    with pytest.raises(HvlintError) as exc:
        parse_tables(doc)
    msg = str(exc.value)
    assert msg.startswith("hvlint/data/asm.toml: ") and f"key '{key}'" in msg


# -- the corpus fixtures ---------------------------------------------------------------


def corpus_facts(name: str) -> dict[str, Decl]:
    path = CORPUS / name
    return {d.name: d for d in extract_asm(name, path.read_bytes()).decls}


def test_corpus_boot_head() -> None:
    ds = corpus_facts("boot_head.S")
    assert summary(ds["demo_startup"]) == ("function", None, ".head.text")
    assert ("demo_common_startup", "ref") in edges(ds["demo_startup"])  # via the .init.rodata pointer
    assert ("demo_enable_encryption", "call") in edges(ds["demo_startup"])
    assert {r.name: r.cond for r in ds["demo_startup"].calls}[
        "demo_enable_encryption"
    ] == "defined(CONFIG_DEMO_ENCRYPT)"
    assert summary(ds["demo_secondary_startup"]) == ("function", None, ".text")
    assert ("demo_common_startup", "jump") in edges(ds["demo_secondary_startup"])
    assert summary(ds["demo_common_startup"]) == ("function", "static", ".text")
    assert {("demo_setup_idt", "call"), ("demo_initial_code", "call")} <= edges(ds["demo_common_startup"])
    assert summary(ds["demo_initial_code"]) == ("object", None, ".ref.data")
    assert edges(ds["demo_initial_code"]) == {("demo_start_kernel", "ref")}
    assert summary(ds["demo_early_fault"]) == ("function", "static", ".init.text")
    assert summary(ds["demo_top_pgt"]) == ("object", None, ".init.data")
    assert summary(ds["demo_boot_stack"]) == ("object", "static", ".init.data")
    assert summary(ds["demo_level3_pgt"]) == ("object", None, ".data")


def test_corpus_hyp_entry() -> None:
    ds = corpus_facts("hyp_entry.S")
    assert summary(ds["demo_hyp_startup"]) == ("function", None, ".init.text")
    assert ("demo_hyp_start_kernel", "call") in edges(ds["demo_hyp_startup"])
    assert summary(ds["demo_hypercall"]) == ("function", None, ".noinstr.text")
    assert {("demo_hypercall_amd", "jump"), ("demo_hypercall_intel", "jump")} <= edges(ds["demo_hypercall"])
    assert summary(ds["demo_hyp_yield"]) == ("function", None, ".text")  # made by the macro
    assert summary(ds["demo_hyp_old_entry"]) == ("function", None, ".text")
    assert summary(ds["demo_hyp_table"]) == ("object", None, ".rodata")
    assert summary(ds["demo_hyp_stack"]) == ("object", "static", ".bss")
    assert "demo_stub" not in ds


# -- a real tree -----------------------------------------------------------------------

needs_tree = pytest.mark.skipif(
    not TREE or not os.path.isdir(TREE),
    reason="HVLINT_LINUX_TREE is not set: no real kernel tree to read (set it to a Linux source tree)",
)


def tree_decls(rel: str) -> dict[str, Decl]:
    data = Path(TREE, rel).read_bytes()
    out: dict[str, Decl] = {}
    for d in extract_asm(rel, data).decls:
        out.setdefault(d.name, d)
    return out


@needs_tree
def test_real_head_64() -> None:
    ds = tree_decls("arch/x86/kernel/head_64.S")
    assert summary(ds["startup_64"]) == ("function", None, ".head.text")
    assert summary(ds["secondary_startup_64"]) == ("function", None, ".text")
    assert summary(ds["common_startup_64"]) == ("function", "static", ".text")  # SYM_INNER_LABEL
    assert ds["initial_code"].kind == "object" and ds["initial_code"].section == ".ref.data"
    assert ("x86_64_start_kernel", "ref") in edges(ds["initial_code"])
    assert any({("early_setup_idt", "call"), ("x86_64_start_kernel", "call")} & edges(d) for d in ds.values())
    assert ("initial_code", "call") in edges(ds["common_startup_64"])


@needs_tree
def test_real_pvh_head() -> None:
    ds = tree_decls("arch/x86/platform/pvh/head.S")
    pvh = ds["pvh_start_xen"]
    assert pvh.section == ".head.text"
    names = {name for name, _ in edges(pvh)}
    assert {"xen_prepare_pvh", "startup_64"} <= names


@needs_tree
def test_real_xen_head() -> None:
    ds = tree_decls("arch/x86/xen/xen-head.S")
    assert summary(ds["startup_xen"]) == ("function", None, ".init.text")
    assert ("xen_start_kernel", "call") in edges(ds["startup_xen"])


@needs_tree
def test_real_scope_reads_fast_and_clean() -> None:
    files = [f for f in discover.scope_files(TREE, "default") if f.endswith(".S")]
    assert len(files) >= 100
    data = [(rel, Path(TREE, rel).read_bytes()) for rel in files]
    load_tables()
    t = time.perf_counter()
    results = [extract_asm(rel, b) for rel, b in data]
    elapsed = time.perf_counter() - t
    assert elapsed < 1.0, f"{len(files)} .S files took {elapsed:.2f}s"
    assert not [f.path for f in results if f.diagnostics]
    assert sum(len(f.decls) for f in results) > 500


# -- writes (Decl.writes) --------------------------------------------------------------


def writes(src: str, name: str = "f") -> set[tuple[str, int]]:
    d = decls(src)[name]
    assert all(w.kind == "write" for w in d.writes)
    return {(w.name, w.line) for w in d.writes}


def test_stores_to_a_symbol_are_writes() -> None:
    src = """
    #define _pa(x) ((x) - __START_KERNEL_map)
    SYM_CODE_START(f)
        movq	%rax, w_rip(%rip)
        movl	$1, w_abs
        movl	%eax, _pa(w_pa)
        incl	w_inc(%rip)
        orl	$X86_CR4_PAE, w_off+4(%rip)
        movq	%rax, w_tbl(,%rcx,8)
        movl	%eax, %gs:w_seg
        btsq	$_PAGE_BIT_NX, w_bts(%rip)
        xchg	w_xchg(%rip), %rax
        popq	w_pop(%rip)
        ALTERNATIVE "movq %rax, w_alt(%rip)", "", X86_FEATURE_XENPV
    SYM_CODE_END(f)
    """
    assert writes(src) == {
        ("w_rip", 3),
        ("w_abs", 4),
        ("w_pa", 5),
        ("w_inc", 6),
        ("w_off", 7),
        ("w_tbl", 8),
        ("w_seg", 9),
        ("w_bts", 10),
        ("w_xchg", 11),
        ("w_pop", 12),
        ("w_alt", 13),
    }
    # every write stays a reference too
    assert {"w_rip", "w_pa", "w_alt"} <= {r.name for r in decls(src)["f"].refs}


def test_reads_are_not_writes() -> None:
    src = """
    SYM_CODE_START(f)
        movq	r_load(%rip), %rax
        cmpl	$0, r_cmp(%rip)
        testb	$1, r_test(%rip)
        btl	$1, r_bt(%rip)
        pushq	r_push(%rip)
        lgdt	r_gdt(%rip)
        leaq	r_lea(%rip), %rax
        movq	$r_imm, %rax
        movq	%rax, 8(%rdi)
        movq	%rax, (PAGE_SIZE - 8)(%rdi)
        imulq	r_mul(%rip)
        call	*r_ptr(%rip)
        jmp	*r_jmp(%rip)
        RET
    SYM_CODE_END(f)
    """
    assert writes(src) == set()
    assert {"r_load", "r_cmp", "r_lea", "r_imm"} <= {r.name for r in decls(src)["f"].refs}


def test_block_writes_at_the_address_in_rdi() -> None:
    src = """
    #define rva(x) ((x) - f)
    SYM_CODE_START(f)
        leal	rva(b_rva)(%ebp), %edi
        mov	%ebx, %esi
        movl	$4, %ecx
        rep
        movsl
        leaq	b_lea(%rip), %rdi
        addq	$8, %rdi
        rep stosq
        movl	$_pa(b_pa), %edi
        stosl
        mov	$b_imm, %edi
        lea	b_semi(%rip), %rdi; rep stosb
    SYM_CODE_END(f)
    """
    # the write is where the string store is: the `movsl` of `rep` / `movsl`
    assert writes(src) == {("b_rva", 7), ("b_lea", 10), ("b_pa", 12), ("b_semi", 14)}


def test_block_register_changes_end_a_block_write() -> None:
    src = """
    SYM_CODE_START(f)
        leaq	b_called(%rip), %rdi
        call	memzero
        rep stosq
        leaq	b_moved(%rip), %rdi
        movq	%rsi, %rdi
        rep movsb
        mov	b_loaded(%rip), %rdi
        rep stosb
        leaq	b_other(%rip), %rdi
        leaq	(%rsi), %rdi
        stosq
        movsbl	(%rsi), %eax
        movsd	%xmm0, w_sse(%rip)
    SYM_CODE_END(f)
    SYM_CODE_START(g)
        rep stosq
    SYM_CODE_END(g)
    """
    # a call, another address, a pointer loaded from memory; a symbol's own code only;
    # `movsbl` and the SSE `movsd` are no string stores
    assert writes(src) == {("w_sse", 14)}
    assert writes(src, "g") == set()


def test_writes_keep_the_first_line_the_condition_and_map_local_labels() -> None:
    src = """
    SYM_CODE_START(f)
    #ifdef CONFIG_X
        movq	%rax, w_cond(%rip)
    #endif
        movq	%rbx, w_cond(%rip)
        movq	%rax, .Lslot(%rip)
        movl	$X86_CR0_PG, SOME_CONSTANT
        movq	%rax, f(%rip)
        ret
    SYM_CODE_END(f)
    SYM_DATA_START(tbl)
    .Lslot:	.quad 0
    SYM_DATA_END(tbl)
    """
    d = decls(src)["f"]
    assert [(w.name, w.line, w.cond) for w in d.writes] == [("w_cond", 3, "defined(CONFIG_X)")]


def test_writes_table_is_checked() -> None:
    t = load_tables()
    assert "movs" in t.block_writes and "rdi" in t.block_registers and "cmp" in t.write_reads
    for doc, key in [
        ({"writes": {"reads": ["Cmp"]}}, "writes.reads"),
        ({"writes": {"both": ["xchg*"]}}, "writes.both"),
        ({"writes": {"block_registers": ["%rdi"]}}, "writes.block_registers"),
        ({"writes": {"block_registers": ["notareg"]}}, "writes.block_registers"),
        ({"writes": {"stores": []}}, "writes.stores"),
        ({"writes": []}, "writes"),
    ]:
        with pytest.raises(HvlintError) as exc:
            parse_tables(doc)
        assert f"key '{key}'" in str(exc.value), (doc, str(exc.value))


@needs_tree
def test_real_boot_writes() -> None:
    pvh = tree_decls("arch/x86/platform/pvh/head.S")["pvh_start_xen"]
    found = {w.name: w for w in pvh.writes}
    # `leal rva(pvh_start_info)(%ebp), %edi` ... `rep` / `movsl`; `movq %rbx, phys_base(%rip)`
    assert set(found) == {"pvh_start_info", "phys_base"}
    src = Path(TREE, "arch/x86/platform/pvh/head.S").read_text().splitlines()
    assert src[found["pvh_start_info"].line - 1].strip() == "movsl"
    assert "phys_base(%rip)" in src[found["phys_base"].line - 1]
    head = tree_decls("arch/x86/kernel/head_64.S")
    assert {w.name for w in head["common_startup_64"].writes} == {"early_pmd_flags"}
    assert not head["startup_64"].writes  # it writes through pointers and C code only
    h32 = tree_decls("arch/x86/kernel/head_32.S")["startup_32"]
    # BSS cleared first (rep stosl from __bss_start), then boot_params copied into it
    lines = {w.name: w.line for w in h32.writes}
    assert {"__bss_start", "boot_params", "boot_command_line"} <= set(lines)
    assert lines["__bss_start"] < lines["boot_params"] < lines["boot_command_line"]
