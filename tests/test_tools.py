"""Smoke tests of tools/parse_quality.py and benchmarks/bench.py on a tiny generated tree.

No real kernel tree is needed: each test writes a minimal tree (Makefile, Kconfig, arch/,
include/linux/{compiler_attributes,init}.h, a few sources, a stand-in checkpatch.pl) into
pytest's tmp_path.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parent.parent
PARSE_QUALITY = REPO / "tools" / "parse_quality.py"
BENCH = REPO / "benchmarks" / "bench.py"


def _load(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def pq() -> ModuleType:
    return _load(PARSE_QUALITY, "hvlint_tools_parse_quality")


FILES = {
    "Makefile": "# tiny\n",
    "Kconfig": "# tiny\n",
    "include/linux/compiler_attributes.h": (
        "#ifndef _LINUX_COMPILER_ATTRIBUTES_H\n#define _LINUX_COMPILER_ATTRIBUTES_H\n"
        "#define __section(section) __attribute__((__section__(section)))\n"
        "#define __aligned(x) __attribute__((__aligned__(x)))\n#endif\n"
    ),
    "include/linux/init.h": (
        "#ifndef _LINUX_INIT_H\n#define _LINUX_INIT_H\n#include <linux/compiler_attributes.h>\n"
        '#define __init __section(".init.text")\n'
        '#define __initdata __section(".init.data")\n'
        '#define __initconst __section(".init.rodata")\n#endif\n'
    ),
    "arch/x86/kernel/a.c": (
        "#include <linux/init.h>\n"
        "/* __initdata in a comment */\n"
        "static int __initdata counter = 1;\n"
        'static const char *const names[] __initconst = { "a", "__init" };\n'
        "static int __init setup_a(void)\n{\n\treturn counter;\n}\n"
        "struct boot { int x; };\n"
        "static struct boot bp __initdata;\n"
        'int late __section(".data") = 0;\n'
        "static void (* __initdata hook)(void);\n"
        "#define MY_ATTR __initdata\n"
    ),
    "arch/x86/kernel/b.c": (
        "#include <linux/init.h>\nvoid f(void)\n{\n\tcase_macro(x, struct foo, member);\n\tfoo(;\n}\n"
    ),
    "arch/x86/kernel/head.S": '\t.section ".init.text","ax"\nSYM_FUNC_START(x)\n\tret\n',
    "scripts/checkpatch.pl": '#!/usr/bin/perl\nprint "total: 0 errors, 0 warnings\\n";\nexit 0;\n',
}


@pytest.fixture()
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "linux"
    for rel, text in FILES.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (root / "arch/x86/include/asm").mkdir(parents=True, exist_ok=True)
    return root


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    out = {}
    for dirpath, _, files in os.walk(root):
        for f in files:
            st = os.stat(os.path.join(dirpath, f))
            out[os.path.relpath(os.path.join(dirpath, f), root)] = (st.st_size, st.st_mtime_ns)
    return out


def test_grep_declared_names(pq: ModuleType) -> None:
    names = frozenset({"__init", "__initdata", "__initconst", "__read_mostly", "__ro_after_init"})
    src = (
        "static void (* __initdata old_setup)(void);\n"
        "static __initdata struct hash { int ino; char name[3]; } *head[32];\n"
        "static const typeof(pv_ops) xen_cpu_ops __initconst = { };\n"
        "int a = 1, b __initdata = 2;\n"
        "static DECLARE_BITMAP(mask, NR_CPUS) __initdata;\n"
        "DEFINE_PER_CPU(int, pc) __read_mostly;\n"
        "static int __init foo(int x) { return x; }\n"
        "static int (*const fns[2])(void) __initconst = { 0 };\n"
        "char __initdata cmdline[COMMAND_LINE_SIZE];\n"
        "static struct foo bar __initdata __aligned(8) = { .x = 1 };\n"
        '/* __init */ const char *s = "__init";\n'
        "#define X __initdata \\\n  __init\n"
        "reg(a, __initdata);\n"
        '__section(".data") int y;\n'
        'int z __attribute__((__section__(".x"), aligned(4)));\n'
        "int w __attribute__((aligned(4)));\n"
        "static enum { A, B } mode __ro_after_init =\n#ifdef C\n A;\n#else\n B;\n#endif\n"
        "void f(void) { static int q __initdata; }\n"
        "__init int g(int (*h[])(struct s *)) { return 0; }\n"
        'DEFINE_ASM_FUNC(x, "cli", .noinstr.text);\n'
    )
    got = [(o.line, o.name, o.how, o.block_scope) for o in pq.grep_annotated(src, names | {"noinstr"}, "__section")]
    assert got == [
        (1, "old_setup", "funcptr", False),
        (2, "head", "declarator", False),
        (3, "xen_cpu_ops", "declarator", False),
        (4, "b", "declarator", False),
        (5, "mask", "macro-first", False),
        (6, "pc", "macro-last", False),
        (7, "foo", "function", False),
        (8, "fns", "funcptr", False),
        (9, "cmdline", "declarator", False),
        (10, "bar", "declarator", False),
        (14, None, "in-parens", False),
        (15, "y", "declarator", False),
        (16, "z", "declarator", False),
        (18, "mode", "declarator", False),
        (24, "q", "declarator", True),
        (25, "g", "function", False),
    ]


def test_strip_source_keeps_offsets(pq: ModuleType) -> None:
    text = 'int a; /* x\n y */ char *s = "q\\"r"; // c\n#define M(x) \\\n  x\nint b;\n'
    out = pq.strip_source(text)
    assert len(out) == len(text)
    assert out.count("\n") == text.count("\n")
    assert "define" not in out and "/*" not in out and "q" not in out
    assert out.index("int b;") == text.index("int b;")


def test_classify(pq: ModuleType) -> None:
    assert pq.classify("#ifdef X", "#ifdef X")[0] == "preprocessor"
    assert pq.classify("\tmovq %rax, \\reg", "\tmovq %rax, \\reg")[0] == "assembly"
    assert pq.classify("static int __foo bar;", "static int __foo bar;")[0] == "annotation"
    assert pq.classify("X86_CONFIG(.event=1);", "X86_CONFIG(.event=1);")[0] == "macro DSL / odd macro args"
    assert pq.detail("\tcase 1 ... 3:", "\tcase 1 ... 3:").startswith("GNU case range")
    assert pq.detail("\tlist_for_each_entry(p, h, m) {", "").startswith("iterator macro")
    assert pq.detail("x = container_of(p, struct foo, m);", "") == "type as macro argument"


def test_parse_quality_json(tree: Path) -> None:
    before = _snapshot(tree)
    res = subprocess.run(
        [sys.executable, str(PARSE_QUALITY), "--tree", str(tree), "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert _snapshot(tree) == before
    assert rep["files"] >= 4  # a.c, b.c and the two headers
    assert rep["meta"]["asm_files"] == 1
    assert rep["bare"]["files_with_errors"] >= rep["hvlint"]["files_with_errors"] >= 1  # b.c stays broken
    assert rep["remaining"]["error_sites"] >= 1
    ann = rep["annotated"]
    # a.c: counter, names, setup_a, bp, late (__section), hook; not the comment/string/#define
    assert ann["grep_occurrences"] == 6
    assert ann["found_by_hvlint"] == 6
    assert ann["same_name"] == 6, ann["disagreements"]
    md = subprocess.run(
        [sys.executable, str(PARSE_QUALITY), "--tree", str(tree)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )
    assert md.returncode == 0, md.stderr
    assert "## 3. Annotated declarations check" in md.stdout


def _hvlint_works() -> bool:
    try:
        r = subprocess.run([sys.executable, "-m", "hvlint", "--version"], capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return r.returncode == 0


def test_bench_json(tree: Path) -> None:
    before = _snapshot(tree)
    cmd = [
        sys.executable,
        str(BENCH),
        "--tree",
        str(tree),
        "--jobs",
        "2",
        "--runs",
        "1",
        "--checkpatch-sample",
        "1" if shutil.which("perl") else "0",
        "--json",
        "--hvlint",
        f"{sys.executable} -m hvlint",
    ]
    if not _hvlint_works():
        cmd.append("--skip-hvlint")
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=REPO)
    assert res.returncode == 0, res.stderr
    rep = json.loads(res.stdout)
    assert _snapshot(tree) == before
    assert rep["scope"]["asm"] == 1 and rep["scope"]["c_h"] >= 4
    assert rep["floor"]["single_best"] >= 0 and rep["floor"]["parallel_best"] is not None
    if "--skip-hvlint" not in cmd:
        assert rep["hvlint"]["stats"]["files"] == rep["scope"]["files"]
        assert rep["hvlint"]["maxrss_mb"] > 0
    if shutil.which("perl"):
        assert rep["checkpatch"]["files"] == 1 and rep["checkpatch"]["tree_listing_unchanged"]


def test_rule_docs_are_generated_from_the_rules() -> None:
    import importlib.util

    path = Path(__file__).resolve().parent.parent / "tools" / "gen_rule_docs.py"
    spec = importlib.util.spec_from_file_location("gen_rule_docs", path)
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    assert mod.main(["--check"]) == 0, "docs/rules/ is out of date: run python tools/gen_rule_docs.py"
