"""Boot order (hvlint.bootorder): the boot-path data, what runs before BSS is cleared, and
the .bss writes there (HV306's facts).

The fixture tree corpus/trees/boot-bss marks each write that must be found with
`/* expect: HV306 */` on its line (tests/test_corpus.py reads the same marks through the
rule); here the analysis itself is compared with them, both ways.  Hand-built facts check
the rules of the order (lines before the clearing call, weak definitions, an assembly
clear); a real Linux tree (HVLINT_LINUX_TREE) checks the data and the boot paths of 6.12.
"""

from __future__ import annotations

import os
import re
import textwrap
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from hvlint import bootorder
from hvlint.bootorder import BootOrder, BootPath, BssWrite, bss_writes, data_checks, parse_table, pre_clear
from hvlint.callgraph import Graph, build
from hvlint.engine import Options, build_graph, collect
from hvlint.errors import HvlintError
from hvlint.facts import Annotation, Decl, FileFacts, Ref, Span
from hvlint.frontend.asm import extract_asm
from hvlint.model import Project
from hvlint.tables import SectionTable, entries

TREE = Path(__file__).resolve().parent.parent / "corpus" / "trees" / "boot-bss"
REAL = os.environ.get("HVLINT_LINUX_TREE", "")
# A mark on the line of a write: `/* expect: HV306 */` (C and .S), or `# expect: HV306` (.S).
MARK = re.compile(r"(?:/\*\s*|#\s*)expect:\s*HV306\b")


def graph_of(root: str | Path) -> tuple[Project, Graph]:
    res = collect(Options(paths=[str(root)], jobs=1))
    project, g, _ = build_graph(res.root, res.in_tree, res.facts, "x86")
    return project, g


def marks(root: Path) -> set[tuple[str, int]]:
    out: set[tuple[str, int]] = set()
    for p in sorted(root.rglob("*")):
        if p.suffix in (".c", ".h", ".S") and p.is_file():
            for n, line in enumerate(p.read_text(encoding="latin-1").splitlines(), 1):
                if MARK.search(line):
                    out.add((p.relative_to(root).as_posix(), n))
    return out


# -- the data -----------------------------------------------------------------------------


def test_table_loads_and_names_entries_of_entries_toml() -> None:
    t = bootorder.load_table()
    names = [p.name for p in t.paths]
    assert {"x86_64", "xen-pv", "pvh"} <= set(names)
    known = {(e.name, e.path) for e in entries()}
    for p in t.paths:
        assert (p.entry, p.file) in known, p
        assert p.reason and "\n" not in p.reason
    by = {p.name: p for p in t.paths}
    assert by["x86_64"].clears_in_id == "arch/x86/kernel/head64.c::x86_64_start_kernel"
    assert by["pvh"].clears_in == "x86_64_start_kernel"  # PVH reaches startup_64: cleared there
    assert by["xen-pv"].clears_in_id == "arch/x86/xen/enlighten_pv.c::xen_start_kernel"
    assert ".bss" in t.bss_sections
    assert t.other_images and all(p.endswith("/") for p in t.other_images)


GOOD_PATH = {
    "name": "p",
    "entry": "e",
    "file": "a/e.S",
    "clears_in": "c",
    "clears_in_file": "a/c.c",
    "clear": "clear_bss",
    "reason": "r",
}


@pytest.mark.parametrize(
    ("doc", "key"),
    [
        ({"paths": []}, "paths"),
        ({"path": []}, "path"),
        ({"path": [{**GOOD_PATH, "extra": "x"}]}, "path[0].extra"),
        ({"path": [{**GOOD_PATH, "clear": ""}]}, "path[0].clear"),
        ({"path": [{k: v for k, v in GOOD_PATH.items() if k != "entry"}]}, "path[0].entry"),
        ({"path": [{**GOOD_PATH, "file": "/abs/e.S"}]}, "path[0].file"),
        ({"path": [{**GOOD_PATH, "clears_in_file": "a/../c.c"}]}, "path[0].clears_in_file"),
        ({"path": [GOOD_PATH, GOOD_PATH]}, "path"),
        ({"path": [GOOD_PATH], "bss": {"sections": "bss"}}, "bss.sections"),
        ({"path": [GOOD_PATH], "bss": {"sections": ["bss"]}}, "bss.sections"),
        ({"path": [GOOD_PATH], "images": {"other": [3]}}, "images.other"),
    ],
)
def test_bad_table_entries(doc: dict[str, Any], key: str) -> None:
    with pytest.raises(HvlintError) as exc:
        parse_table(doc)
    msg = str(exc.value)
    assert msg.startswith("hvlint/data/bootorder.toml: ") and f"key '{key}'" in msg, msg


def test_good_table_defaults() -> None:
    t = parse_table({"path": [{**GOOD_PATH, "reason": "two\n   lines"}]})
    assert t.paths == (BootPath("p", "e", "a/e.S", "c", "a/c.c", "clear_bss", "two lines"),)
    assert t.bss_sections == frozenset({".bss"}) and t.other_images == ()


# -- the fixture tree -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def fixture_graph() -> tuple[Project, Graph]:
    return graph_of(TREE)


@pytest.fixture(scope="module")
def fixture_writes(fixture_graph: tuple[Project, Graph]) -> list[BssWrite]:
    project, g = fixture_graph
    return bss_writes(g, project)


def test_fixture_writes_are_exactly_the_marked_lines(fixture_writes: list[BssWrite]) -> None:
    expected = marks(TREE)
    assert len(expected) == 5, expected  # the marks are read at all
    found = {(w.path, w.line) for w in fixture_writes}
    assert found == expected, f"not found: {sorted(expected - found)}; not marked: {sorted(found - expected)}"
    assert len(fixture_writes) == len(found)  # one per site, even when two paths reach it


def by_object(ws: Iterable[BssWrite]) -> dict[str, BssWrite]:
    return {w.object.split("::")[1]: w for w in ws}


def test_fixture_writers_paths_and_traces(fixture_graph: tuple[Project, Graph], fixture_writes: list[BssWrite]) -> None:
    project, g = fixture_graph
    ws = by_object(fixture_writes)
    assert set(ws) == {"early_boot_info", "early_scratch", "pvh_start_info", "early_pgt_count", "xen_boot_attempts"}
    # asm store and asm block write, on the native path (PVH reaches them too: reported once)
    assert ws["early_boot_info"].writer == "arch/x86/kernel/head_64.S::startup_64"
    assert ws["early_boot_info"].object == "arch/x86/kernel/head64.c::early_boot_info"
    assert ws["early_boot_info"].boot_path == "x86_64"
    assert ws["early_scratch"].object == "arch/x86/kernel/head_64.S::early_scratch"
    assert ws["pvh_start_info"].boot_path == "pvh"
    assert ws["pvh_start_info"].trace == ("arch/x86/platform/pvh/head.S::pvh_start_xen",)
    # C: called before clear_bss(), reached through initial_code's `.quad x86_64_start_kernel`
    assert ws["early_pgt_count"].trace == (
        "arch/x86/kernel/head_64.S::startup_64",
        "arch/x86/kernel/head_64.S::initial_code",
        "arch/x86/kernel/head64.c::x86_64_start_kernel",
        "arch/x86/kernel/head64.c::early_tables",
    )
    assert ws["xen_boot_attempts"].boot_path == "xen-pv"
    assert ws["xen_boot_attempts"].writer == "arch/x86/xen/enlighten_pv.c::xen_start_kernel"
    for w in fixture_writes:
        assert g.nodes[w.object]["section"] == ".bss"
        assert w.trace[-1] == w.writer and g.nodes[w.trace[0]]["entry"] is True
        assert all(g.has_edge(a, b) for a, b in zip(w.trace, w.trace[1:])), w.trace


def test_fixture_pre_clear_sets(fixture_graph: tuple[Project, Graph]) -> None:
    project, g = fixture_graph
    paths = {p.name: p for p in bootorder.load_table().paths}
    native = set(pre_clear(g, project, paths["x86_64"]))
    assert {
        "arch/x86/kernel/head_64.S::startup_64",
        "arch/x86/kernel/head64.c::__startup_64",
        "arch/x86/kernel/head64.c::x86_64_start_kernel",
        "arch/x86/kernel/head64.c::early_tables",
    } <= native
    # called after clear_bss(), or clear_bss() itself: not before
    assert not native & {
        "arch/x86/kernel/head64.c::late_setup",
        "arch/x86/kernel/head64.c::clear_bss",
        "init/main.c::start_kernel",
    }
    pvh = set(pre_clear(g, project, paths["pvh"]))
    assert (
        native | {"arch/x86/platform/pvh/head.S::pvh_start_xen", "arch/x86/platform/pvh/enlighten.c::xen_prepare_pvh"}
        <= pvh
    )
    xen = set(pre_clear(g, project, paths["xen-pv"]))
    assert xen == {"arch/x86/xen/xen-head.S::startup_xen", "arch/x86/xen/enlighten_pv.c::xen_start_kernel"}


def test_fixture_negatives(fixture_writes: list[BssWrite]) -> None:
    objects = {w.object.split("::")[1] for w in fixture_writes}
    # out of .bss (__section(".data"), __initdata, .data in assembly), or written after the clear
    assert not objects & {
        "early_data_copy",
        "early_saved",
        "early_pgt_limit",
        "pvh_saved_info",
        "pvh_bootflags",
        "late_state",
        "xen_start_info",
        "xen_start_flags",
    }


def test_fixture_data_checks() -> None:
    # the fixture has the native, PVH and Xen PV paths, not the 32-bit one
    problems = data_checks(str(TREE))
    others = [p for p in problems if not p.startswith("x86_32: ")]
    assert others == [] and any("arch/x86/kernel/head_32.S" in p for p in problems), problems
    t = bootorder.load_table()
    wrong = [
        BootPath(
            "a", "startup_64", "arch/x86/kernel/head_64.S", "late_setup", "arch/x86/kernel/head64.c", "clear_bss", "r"
        ),
        BootPath("b", "nosuch", "arch/x86/kernel/head_64.S", "nosuch_fn", "arch/x86/kernel/head64.c", "clear_bss", "r"),
        BootPath("c", "startup_64", "arch/x86/kernel/nosuch.S", "start_kernel", "init/nosuch.c", "clear_bss", "r"),
    ]
    got = data_checks(str(TREE), BootOrder(tuple(wrong), t.bss_sections, t.other_images))
    assert got == [
        "a: late_setup (arch/x86/kernel/head64.c) does not clear BSS with clear_bss",
        "b: entry nosuch (arch/x86/kernel/head_64.S) is not an entry of entries.toml",
        "b: arch/x86/kernel/head_64.S does not define the entry nosuch",
        "b: arch/x86/kernel/head64.c does not define nosuch_fn",
        "c: entry startup_64 (arch/x86/kernel/nosuch.S) is not an entry of entries.toml",
        "c: no file arch/x86/kernel/nosuch.S",
        "c: no file init/nosuch.c",
    ], got


# -- hand-built facts -----------------------------------------------------------------------

SPAN = Span(1, 1, 1, 1, 0, 1)


def fn(name: str, calls: Iterable[tuple[str, int]] = (), writes: Iterable[tuple[str, int]] = (), **kw: Any) -> Decl:
    return Decl(
        name,
        "function",
        SPAN,
        SPAN,
        True,
        calls=tuple(Ref(n, line, "call") for n, line in calls),
        writes=tuple(Ref(n, line, "write") for n, line in writes),
        **kw,
    )


def obj(name: str, **kw: Any) -> Decl:
    return Decl(name, "object", SPAN, SPAN, True, **kw)


def no_table(path: str) -> SectionTable:
    return SectionTable()  # no section macros: the hand-built objects land in .bss or .data


def analyse(facts: list[FileFacts], order: BootOrder) -> list[BssWrite]:
    project = Project.build(facts, no_table)
    g, _ = build(project)
    return bss_writes(g, project, order)


def order_of(*paths: BootPath) -> BootOrder:
    return BootOrder(paths, frozenset({".bss"}), ("arch/x86/boot/",))


ENTRY = BootPath("p", "entry", "a/entry.c", "start", "a/entry.c", "clear_bss", "test")


def test_only_lines_before_the_clear_run_before_it() -> None:
    f = FileFacts(
        "a/entry.c",
        "c",
        decls=(
            obj("early"),
            obj("late"),
            obj("kept", has_init=True),  # .data
            fn("entry", calls=[("start", 3)], writes=[("kept", 2)]),
            fn("before", writes=[("early", 10)]),
            fn("after", writes=[("late", 20)]),
            fn("clear_bss"),
            fn("start", calls=[("before", 30), ("clear_bss", 31), ("after", 32)], writes=[("early", 29), ("late", 33)]),
        ),
    )
    got = {(w.writer.split("::")[1], w.object.split("::")[1], w.line) for w in analyse([f], order_of(ENTRY))}
    assert got == {("before", "early", 10), ("start", "early", 29)}


def test_a_weak_definition_yields_to_the_strong_one() -> None:
    weak = Annotation("__weak", SPAN, owner=1)
    a = FileFacts(
        "a/entry.c",
        "c",
        decls=(fn("entry", calls=[("hook", 2)]), fn("hook", storage=None, annotations=(0,))),
        annotations=(weak,),
    )
    b = FileFacts("a/strong.c", "c", decls=(obj("state"), fn("hook", writes=[("state", 7)])))
    path = BootPath("p", "entry", "a/entry.c", "nowhere", "a/entry.c", "clear_bss", "test")
    ws = analyse([a, b], order_of(path))
    assert [(w.writer, w.object, w.trace) for w in ws] == [
        ("a/strong.c::hook", "a/strong.c::state", ("a/entry.c::entry", "a/strong.c::hook"))
    ]
    # without __weak the file's own definition is the one called
    a2 = FileFacts("a/entry.c", "c", decls=a.decls[:1] + (fn("hook"),))
    assert analyse([a2, b], order_of(path)) == []


def test_other_images_and_pointer_calls_are_not_followed() -> None:
    f = FileFacts(
        "a/entry.c",
        "c",
        decls=(
            obj("state"),
            fn("entry", calls=[("decompressor_fn", 2)], refs=(Ref("callback", 3, "ref"),)),
            fn("callback", writes=[("state", 9)]),
        ),
    )
    other = FileFacts("arch/x86/boot/main.c", "c", decls=(fn("decompressor_fn", writes=[("state", 5)]),))
    path = BootPath("p", "entry", "a/entry.c", "nowhere", "a/entry.c", "clear_bss", "test")
    assert analyse([f, other], order_of(path)) == []
    # the same code linked into vmlinux would run before the clear
    ws = analyse([f, other], BootOrder((path,), frozenset({".bss"}), ()))
    assert [(w.writer, w.path, w.line) for w in ws] == [
        ("arch/x86/boot/main.c::decompressor_fn", "arch/x86/boot/main.c", 5)
    ]


def asm_facts(path: str, src: str) -> FileFacts:
    return extract_asm(path, textwrap.dedent(src).lstrip("\n").encode())


def test_an_assembly_clear_ends_the_window_on_every_path() -> None:
    head = asm_facts(
        "a/head_32.S",
        """
        SYM_CODE_START(startup_32)
            movl	%eax, early_word
            movl	$__bss_start, %edi
            movl	$__bss_stop, %ecx
            subl	%edi, %ecx
            rep ; stosl
            movl	%esi, late_word
            call	start32
        SYM_CODE_END(startup_32)
        SYM_CODE_START(other_entry)
            movl	%eax, other_word
            jmp	startup_32
        SYM_CODE_END(other_entry)
        """,
    )
    data = FileFacts("a/data.c", "c", decls=(obj("early_word"), obj("late_word"), obj("other_word")))
    c = FileFacts("a/c.c", "c", decls=(fn("start32", writes=[("late_word", 4)]),))
    x86_32 = BootPath("x86_32", "startup_32", "a/head_32.S", "startup_32", "a/head_32.S", "__bss_start", "test")
    other = BootPath("other", "other_entry", "a/head_32.S", "nowhere", "a/c.c", "clear_bss", "test")
    got = {(w.boot_path, w.object.split("::")[1], w.line) for w in analyse([head, data, c], order_of(x86_32, other))}
    assert got == {("x86_32", "early_word", 2), ("other", "other_word", 11)}


# -- the real tree --------------------------------------------------------------------------

needs_tree = pytest.mark.skipif(not REAL, reason="HVLINT_LINUX_TREE is not set: no real kernel tree")


@pytest.fixture(scope="module")
def real_graph() -> tuple[Project, Graph]:
    if not REAL:
        pytest.skip("HVLINT_LINUX_TREE is not set: no real kernel tree")
    return graph_of(REAL)


@needs_tree
def test_real_tree_data_holds() -> None:
    assert data_checks(REAL) == []


def test_real_tree_boot_paths(real_graph: tuple[Project, Graph]) -> None:
    project, g = real_graph
    paths = {p.name: p for p in bootorder.load_table().paths}
    native = pre_clear(g, project, paths["x86_64"])
    assert {
        "arch/x86/kernel/head64.c::__startup_64",
        "arch/x86/mm/mem_encrypt_identity.c::sme_enable",
        "arch/x86/kernel/head_64.S::common_startup_64",
        "arch/x86/kernel/head64.c::x86_64_start_kernel",
        "arch/x86/kernel/head64.c::reset_early_page_tables",
    } <= set(native)
    # what x86_64_start_kernel() calls after clear_bss() does not run before it
    assert not set(native) & {
        "init/main.c::start_kernel",
        "arch/x86/kernel/head64.c::copy_bootdata",
        "arch/x86/kernel/head64.c::x86_64_start_reservations",
        "arch/x86/kernel/head64.c::clear_bss",
    }
    assert not [n for n in native if str(g.nodes[n]["path"]).startswith(("arch/x86/boot/", "arch/x86/realmode/"))]
    pvh = pre_clear(g, project, paths["pvh"])
    assert set(native) | {"arch/x86/platform/pvh/enlighten.c::xen_prepare_pvh"} <= set(pvh)
    assert "arch/x86/xen/enlighten_pvh.c::xen_pvh_init" in pvh  # the strong one of the __weak hook
    xen = pre_clear(g, project, paths["xen-pv"])
    assert set(xen) == {"arch/x86/xen/xen-head.S::startup_xen", "arch/x86/xen/enlighten_pv.c::xen_start_kernel"}


def test_real_tree_bss_writes(real_graph: tuple[Project, Graph]) -> None:
    project, g = real_graph
    ws = bss_writes(g, project)
    assert isinstance(ws, list)
    order = bootorder.load_table()
    paths = {p.name: p for p in order.paths}
    for w in ws:
        node = g.nodes[w.object]
        assert node["section"] in order.bss_sections and node["kind"] in ("object", "asm"), w
        assert w.writer in pre_clear(g, project, paths[w.boot_path]) and w.trace[-1] == w.writer
    # setup_ghcb() runs before the clear ("The first exception comes in before the bss
    # section is cleared", arch/x86/coco/sev/core.c, from common_startup_64) but only
    # memsets boot_ghcb_page to zero: clear_bss() writes the same zeros, nothing is lost
    paths_x86 = pre_clear(g, project, paths["x86_64"])
    assert "arch/x86/coco/sev/core.c::setup_ghcb" in paths_x86
    assert "arch/x86/coco/sev/core.c::boot_ghcb_page" not in {w.object for w in ws}
    assert ws == [], ws  # the pristine 6.12 tree writes no .bss object before its clear
    # xen_start_kernel() writes xen_start_info (.bss) right after clear_bss(): not before it
    assert "arch/x86/xen/enlighten.c::xen_start_info" not in {w.object for w in ws}


def test_an_object_in_bss_in_some_configuration_counts() -> None:
    # `#ifdef X  int state = 1;  #else  int state;  #endif`: .data in one branch, .bss in the other
    f = FileFacts(
        "a/entry.c",
        "c",
        decls=(obj("state", has_init=True), obj("state"), fn("entry", writes=[("state", 9)])),
    )
    path = BootPath("p", "entry", "a/entry.c", "nowhere", "a/entry.c", "clear_bss", "test")
    project = Project.build([f], no_table)
    g, _ = build(project)
    assert g.nodes["a/entry.c::state"]["section"] == ".data"
    assert [(w.object, w.line) for w in bss_writes(g, project, order_of(path))] == [("a/entry.c::state", 9)]
