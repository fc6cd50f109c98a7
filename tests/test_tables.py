"""The section-macro table: derived from a tree's own headers, arch-aware, with aliases,
conditions and the shipped fallback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from hvlint import tables
from hvlint.errors import HvlintError

HEADERS = {
    "include/linux/compiler_attributes.h": (
        "#define __section(section) __attribute__((__section__(section)))\n"
        "#define __aligned(x) __attribute__((__aligned__(x)))\n"
        "#define __used __attribute__((__used__))\n"
        "#define __cold __attribute__((__cold__))\n"
    ),
    "include/linux/init.h": (
        "#ifndef _LINUX_INIT_H\n#define _LINUX_INIT_H\n"
        '#define __init __section(".init.text") __cold\n'
        '#define __initdata __section(".init.data")\n'
        '#define __initconst __section(".init.rodata")\n'
        "#ifdef CONFIG_MEMORY_HOTPLUG\n#define __meminitdata\n#else\n#define __meminitdata __initdata\n#endif\n"
        "#endif\n"
    ),
    "include/linux/cache.h": (
        "#include <asm/cache.h>\n#ifndef __read_mostly\n#define __read_mostly\n#endif\n"
        '#ifndef __ro_after_init\n#define __ro_after_init __section(".data..ro_after_init")\n#endif\n'
        '#define ORC_LIKE __used __section(".orc") static const int orc_x = 1;\n'
    ),
    "arch/x86/include/asm/cache.h": '#define __read_mostly __section(".data..read_mostly")\n',
    "arch/arm64/include/asm/cache.h": "#define L1_CACHE_SHIFT 6\n",
}


def make_tree(root: Path) -> Path:
    for d in ("arch", "include"):
        (root / d).mkdir(parents=True, exist_ok=True)
    (root / "Makefile").write_text("VERSION = 6\n")
    (root / "Kconfig").write_text('mainmenu "t"\n')
    for rel, text in HEADERS.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    return root


def test_derived_table_follows_the_tree(tmp_path: Path) -> None:
    t = tables.derive_table(str(make_tree(tmp_path)), "x86")
    assert t.section_macro == "__section"
    assert t.entries["__initdata"].section == ".init.data"
    assert t.entries["__initdata"].defined_in == "include/linux/init.h"
    assert t.entries["__init"].extras == ("__cold",)
    # alias through another macro, under a configuration condition
    assert t.entries["__meminitdata"].via == ("__initdata",)
    assert t.entries["__meminitdata"].conditions == ("!(defined(CONFIG_MEMORY_HOTPLUG))",)
    # `#ifndef NAME` defaults are not conditions
    assert t.entries["__ro_after_init"].conditions == ()
    # x86 gives __read_mostly its section; the generic fallback is empty
    assert t.entries["__read_mostly"].section == ".data..read_mostly"
    # a macro that declares an object is not an annotation
    assert "ORC_LIKE" not in t.entries
    assert t.attr_macros["aligned()"] == ("__aligned", True)
    assert "include/linux/init.h" in t.section_headers


def test_table_is_arch_aware(tmp_path: Path) -> None:
    t = tables.derive_table(str(make_tree(tmp_path)), "arm64")
    assert "__read_mostly" not in t.entries  # generic definition is empty
    assert t.named_macro(".data..read_mostly") is None


def test_named_macro_prefers_unconditional_direct_and_fitting(tmp_path: Path) -> None:
    t = tables.derive_table(str(make_tree(tmp_path)), "x86")
    assert t.named_macro(".init.data").name == "__initdata"  # not the conditional alias
    assert t.named_macro(".init.text", "function").name == "__init"
    assert t.named_macro(".init.text", "data") is None
    assert t.named_macro(".init.rodata", "const").name == "__initconst"
    assert t.named_macro(".data") is None
    assert t.counterpart(t.entries["__initdata"], "const").name == "__initconst"
    assert t.counterpart(t.entries["__init"], "data").name == "__initdata"


def test_fallback_table_is_the_reference_kernel() -> None:
    t = tables.table_for(None)
    assert t.entries["__initdata"].section == ".init.data"
    assert t.entries["__read_mostly"].section == ".data..read_mostly"
    assert t.entries["__bss_decrypted"].conditional
    assert t.section_macro == "__section"


def test_not_a_tree_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "include").mkdir()
    with pytest.raises(HvlintError, match="no section macros"):
        tables.derive_table(str(tmp_path), "x86")


def test_real_tree_table_matches_the_kernel_facts() -> None:
    tree = os.environ.get("HVLINT_LINUX_TREE")
    if not tree:
        pytest.skip("HVLINT_LINUX_TREE is not set: no real kernel tree to read (set it to a Linux source tree)")
    t = tables.derive_table(tree, "x86")
    expect = {
        "__init": ".init.text",
        "__initdata": ".init.data",
        "__initconst": ".init.rodata",
        "__exit": ".exit.text",
        "__ref": ".ref.text",
        "__refdata": ".ref.data",
        "__read_mostly": ".data..read_mostly",
        "__ro_after_init": ".data..ro_after_init",
        "__head": ".head.text",
        "noinstr": ".noinstr.text",
        "__meminitdata": ".init.data",
    }
    for name, section in expect.items():
        assert t.entries[name].section == section, name
    assert t.entries["__meminitdata"].conditional and not t.entries["__initdata"].conditional
    assert t.entries["__bss_decrypted"].conditional
    assert "__irq_entry" not in t.entries  # x86 makes it __invalid_section


def test_counterparts_keep_the_family() -> None:
    t = tables.table_for(None)
    assert t.counterpart(t.entries["__initdata_or_module"], "const").name == "__initconst_or_module"
    assert t.counterpart(t.entries["__initdata_or_module"], "function").name == "__init_or_module"
    assert t.counterpart(t.entries["__meminitdata"], "const").name == "__meminitconst"
    assert t.counterpart(t.entries["__initconst"], "data").name == "__initdata"


def test_merge_macro_definitions_keeps_each_alternative_under_its_condition() -> None:
    from hvlint.tables import _merge_variants, macro_calls

    assert _merge_variants([("A", ("f()", "g()")), ("!(A)", ("f()", "h()"))]) == ("f()", "g() @if A", "h() @if !(A)")
    # a definition without a condition (a header included from an #else) stands where the others do not
    assert _merge_variants([("", ("f()", "g()")), ("A", ("f()", "h()"))]) == ("f()", "g() @if !(A)", "h() @if A")
    # two unconditioned definitions (two architectures' headers): only what both call
    assert _merge_variants([("", ("f()", "g()")), ("", ("f()", "h()")), ("A", ("k()",))]) == (
        "f() @if !(A)",
        "k() @if A",
    )
    assert macro_calls("({ if (0) _printk(fmt, ##__VA_ARGS__); 0; })", ("fmt", "...")) == ()
    assert macro_calls("printk_index_wrap(_printk, fmt, ##args)", ("fmt", "args...")) == (
        "printk_index_wrap(_printk,$0,)",
    )


def test_line_start_scans_see_the_first_line_and_only_line_starts() -> None:
    """The header scans are led by a newline (over `_lines_led`): a directive or prototype on
    the file's first line counts, one after other text on its line does not."""
    from hvlint.tables import _EXTERN_FUNCTION, _INCLUDE, _lines_led, _more_than_a_guard

    data = b'#include <linux/a.h>\n  # include "b.h"\nx; #include <c.h>\n'
    got = [(m.start(), m.group(2)) for m in _INCLUDE.finditer(_lines_led(data))]
    assert got == [(0, b"linux/a.h"), (21, b"b.h")]  # where each line starts in `data`
    assert not _more_than_a_guard(_lines_led(b"#ifndef A_H\n#define A_H\n#endif\n"))
    assert _more_than_a_guard(_lines_led(b"#ifndef A_H\n #if B\n#endif\n#endif\n"))
    assert not _more_than_a_guard(_lines_led(b"#ifndef A_H\nx #if B\n#endif\n"))
    protos = b"void xen_init(int a);\n\treturn foo(x);\nextern int  __init bar(void) __cold;\nz = baz(1);\n"
    assert _EXTERN_FUNCTION.findall(_lines_led(protos)) == [b"xen_init", b"bar"]
