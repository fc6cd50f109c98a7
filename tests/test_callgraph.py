"""The project model and call graph: each kind of edge on corpus/trees/graph-edges, the
export formats of the contract, `hvlint path`, and the boot paths of the real tree."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import networkx as nx
import pytest

from hvlint.cli import main
from hvlint.tables import entries

TREE = Path(__file__).resolve().parent.parent / "corpus" / "trees" / "graph-edges"
REAL = os.environ.get("HVLINT_LINUX_TREE", "")


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def graph() -> dict[str, Any]:
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["callgraph", "--scope", "all", "--format", "json", str(TREE)]) == 0
    return json.loads(buf.getvalue())


def edge(g: dict[str, Any], u: str, v: str) -> dict[str, Any]:
    found = [e for e in g["edges"] if e["source"] == u and e["target"] == v]
    assert found, f"no edge {u} -> {v}"
    return found[0]


def node(g: dict[str, Any], nid: str) -> dict[str, Any]:
    found = [n for n in g["nodes"] if n["id"] == nid]
    assert found, f"no node {nid}"
    return found[0]


def test_contract_shape(graph: dict[str, Any]) -> None:
    assert set(graph) >= {"nodes", "edges", "directed"} and graph["directed"] is True
    for n in graph["nodes"]:
        assert {"id", "name", "path", "line", "kind", "section", "entry"} <= set(n)
        assert n["kind"] in ("function", "object", "asm")
        assert n["id"] == (f"{n['path']}::{n['name']}" if n["path"] else f"::{n['name']}")
    for e in graph["edges"]:
        assert e["kind"] in ("call", "ref", "jump") and isinstance(e["line"], int)
    # networkx reads it back
    g = nx.node_link_graph(graph, edges="edges")
    assert g.number_of_nodes() == len(graph["nodes"])


def test_direct_calls_and_statics_per_file(graph: dict[str, Any]) -> None:
    assert edge(graph, "init/main.c::start_kernel", "arch/x86/kernel/setup.c::setup_arch")["kind"] == "call"
    assert edge(graph, "arch/x86/kernel/setup.c::setup_arch", "arch/x86/kernel/setup.c::helper")["line"] == 15
    assert edge(graph, "drivers/demo/plat.c::demo_plat_init", "drivers/demo/plat.c::helper")
    assert not [
        e for e in graph["edges"] if e["source"].startswith("arch/") and e["target"] == "drivers/demo/plat.c::helper"
    ]


def test_sections_from_annotations_prototypes_and_defaults(graph: dict[str, Any]) -> None:
    assert node(graph, "arch/x86/kernel/setup.c::setup_arch")["section"] == ".init.text"
    # no annotation on the definition: the header prototype's __init decides
    assert node(graph, "drivers/demo/proto.c::demo_proto_setup")["section"] == ".init.text"
    assert node(graph, "drivers/demo/plat.c::demo_plat_ops")["section"] == ".init.rodata"
    assert node(graph, "arch/x86/kernel/setup.c::demo_init")["section"] == ".bss"
    assert node(graph, "drivers/demo/proto.c::demo_exported")["section"] == ".text"


def test_static_inline_in_header_is_one_node_reached_from_every_includer(graph: dict[str, Any]) -> None:
    inline = "include/linux/demo.h::demo_inline_helper"
    assert edge(graph, "arch/x86/kernel/setup.c::setup_arch", inline)
    assert edge(graph, "drivers/demo/plat.c::demo_param", inline)
    assert edge(graph, inline, "drivers/demo/proto.c::demo_exported")


def test_member_calls_reach_what_is_assigned_to_the_member(graph: dict[str, Any]) -> None:
    e = edge(graph, "arch/x86/kernel/setup.c::setup_arch", "drivers/demo/plat.c::demo_plat_init")
    assert e["kind"] == "call" and e["via"] == "init_platform"
    assert edge(graph, "drivers/demo/plat.c::demo_plat_ops", "drivers/demo/plat.c::demo_plat_init")["kind"] == "ref"


def test_registration_macros_add_their_runners_call(graph: dict[str, Any]) -> None:
    e = edge(graph, "init/main.c::do_pre_smp_initcalls", "drivers/demo/plat.c::demo_early")
    assert e["via"] == "early_initcall"
    assert edge(graph, "init/main.c::obsolete_checksetup", "drivers/demo/plat.c::demo_param")["via"] == "__setup"
    assert edge(graph, "init/main.c::do_initcall_level", "drivers/demo/proto.c::demo_device")
    assert node(graph, "drivers/demo/proto.c::demo_exported")["roles"] == ["export"]


def test_macros_are_not_callees_and_unknown_functions_are_outside_nodes(graph: dict[str, Any]) -> None:
    names = {n["name"] for n in graph["nodes"]}
    assert "DEMO_MACRO" not in names
    assert node(graph, "::demo_outside")["path"] is None  # called under #ifdef: every branch counts


def test_runtime_roots(graph: dict[str, Any]) -> None:
    roots = {n["id"]: n.get("runtime_root") for n in graph["nodes"] if n.get("runtime_root")}
    assert roots["drivers/demo/proto.c::demo_exported"].startswith("exported")
    assert roots["drivers/demo/proto.c::demo"] == "system call"
    assert roots["arch/x86/kernel/traps.c::exc_demo"].startswith("exception or interrupt handler")
    assert roots["drivers/demo/plat.c::demo_shutdown"] == "address stored in demo_runtime_ops (.rodata)"
    # an __initconst table does not outlive init: demo_plat_init is no root through it
    assert "drivers/demo/plat.c::demo_plat_init" not in roots


def test_entries(graph: dict[str, Any]) -> None:
    assert node(graph, "init/main.c::start_kernel")["entry"] is True
    assert node(graph, "arch/x86/kernel/setup.c::setup_arch")["entry"] is False


def test_cut_path_and_formats(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--from", "setup_arch", "--depth", "1", str(TREE))
    ids = {n["id"] for n in json.loads(out)["nodes"]}
    assert code == 0 and "arch/x86/kernel/setup.c::helper" in ids and "init/main.c::start_kernel" not in ids
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--to", "demo_exported", str(TREE))
    ids = {n["id"] for n in json.loads(out)["nodes"]}
    assert "init/main.c::do_initcall_level" in ids and "drivers/demo/plat.c::demo_shutdown" not in ids
    code, out, _ = run(capsys, "path", "start_kernel", "demo_device", "--scope", "all", str(TREE))
    assert code == 0 and out.splitlines() == [
        "init/main.c:22: start_kernel",
        "init/main.c:12: do_initcall_level    [call at init/main.c:27]",
        "drivers/demo/proto.c:16: demo_device    [call via device_initcall at drivers/demo/proto.c:20]",
    ]
    code, _, err = run(capsys, "path", "demo_shutdown", "start_kernel", "--scope", "all", str(TREE))
    assert code == 1 and "no path" in err
    code, _, err = run(capsys, "path", "nosuchsymbol", "start_kernel", str(TREE))
    assert code == 2 and "no symbol" in err
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--format", "dot", str(TREE))
    assert out.startswith("digraph hvlint {") and '"init/main.c::start_kernel" -> ' in out
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--format", "graphml", str(TREE))
    g = nx.parse_graphml(out)
    assert "init/main.c::start_kernel" in g


def test_entries_exist_in_the_real_tree() -> None:
    if not REAL:
        pytest.skip("HVLINT_LINUX_TREE is not set: no real kernel tree to check the entry points against")
    for e in entries():
        assert (Path(REAL) / e.path).is_file(), e


@pytest.fixture(scope="module")
def real_graph() -> nx.DiGraph:
    if not REAL:
        pytest.skip("HVLINT_LINUX_TREE is not set: no real kernel tree")
    from contextlib import redirect_stdout

    buf = io.StringIO()
    with redirect_stdout(buf):
        assert main(["callgraph", "--format", "json", "--jobs", "2", REAL]) == 0
    return nx.node_link_graph(json.loads(buf.getvalue()), edges="edges")


@pytest.mark.parametrize(
    ("source", "target", "via"),
    [
        ("start_kernel", "init_hypervisor_platform", ["setup_arch"]),
        ("start_kernel", "xen_hvm_guest_init", ["init_hypervisor_platform"]),
        # across the assembly/C border: initial_code holds x86_64_start_kernel
        ("startup_64", "start_kernel", ["initial_code", "x86_64_start_kernel"]),
        ("pvh_start_xen", "xen_prepare_pvh", []),
        ("startup_xen", "xen_start_kernel", []),
    ],
)
def test_real_tree_paths(real_graph: nx.DiGraph, source: str, target: str, via: list[str]) -> None:
    from hvlint import callgraph

    hops = callgraph.shortest_path(real_graph, callgraph.find(real_graph, source), callgraph.find(real_graph, target))
    assert hops is not None, f"no path {source} -> {target}"
    names = [real_graph.nodes[n]["name"] for n in hops]
    assert names[0] == source and names[-1] == target and all(v in names for v in via), names


def test_real_tree_entries_and_sections(real_graph: nx.DiGraph) -> None:
    entry = {d["name"] for _, d in real_graph.nodes(data=True) if d.get("entry")}
    assert {"startup_64", "secondary_startup_64", "pvh_start_xen", "startup_xen", "start_kernel"} <= entry
    node = real_graph.nodes["arch/x86/kernel/head_64.S::startup_64"]
    assert node["kind"] == "asm" and node["section"] == ".head.text"
    assert real_graph.nodes["arch/x86/platform/pvh/enlighten.c::xen_prepare_pvh"]["section"] == ".init.text"
    assert real_graph.nodes["arch/x86/kernel/cpu/hypervisor.c::init_hypervisor_platform"]["section"] == ".init.text"
    assert real_graph.nodes["arch/x86/kernel/traps.c::exc_divide_error"]["runtime_root"].startswith("exception")
    assert "runtime_root" not in real_graph.nodes["init/main.c::start_kernel"]


def test_config_dependent_macros_keep_every_alternative_with_its_condition(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--from", "demo_msr_user", str(TREE))
    g = json.loads(out)
    u = "drivers/demo/msr.c::demo_msr_user"
    assert edge(g, u, "::paravirt_demo_read_msr")["cond"] == "defined(CONFIG_DEMO_PARAVIRT)"
    # the macro's other definition, or the direct call under #ifdef CONFIG_X86_64
    assert (
        edge(g, u, "::native_demo_read_msr")["cond"] == "(!(defined(CONFIG_DEMO_PARAVIRT))) || (defined(CONFIG_X86_64))"
    )
    # a function with CONFIG_DEMO_DEBUG, a macro without it: both edges, each with its condition
    assert edge(g, u, "::demo_count_add")["cond"] == "defined(CONFIG_DEMO_DEBUG)"
    assert edge(g, u, "::__demo_count_add")["cond"] == "!(defined(CONFIG_DEMO_DEBUG))"
    targets = {e["target"] for e in g["edges"] if e["source"] == u}
    # `if (0) demo_printk(...)`, a `##`-pasted name and a cast to `void (*)(int)` are no calls
    assert not targets & {"::demo_printk", "::__COUNTER__", "::void", "::__demo_assert_"}, targets


def test_config_restricts_the_graph_to_one_configuration(capsys: pytest.CaptureFixture[str]) -> None:
    config = TREE / "configs" / "paravirt.config"
    code, out, _ = run(
        capsys, "callgraph", "--scope", "all", "--config", str(config), "--from", "demo_msr_user", str(TREE)
    )
    g = json.loads(out)
    u = "drivers/demo/msr.c::demo_msr_user"
    targets = {e["target"] for e in g["edges"] if e["source"] == u}
    assert targets == {"::paravirt_demo_read_msr", "::native_demo_read_msr", "::__demo_count_add"}
    code, out, _ = run(capsys, "callgraph", "--scope", "all", "--config", str(config), "--format", "stats", str(TREE))
    assert code == 0 and "2 left out by --config" in out
    code, _, err = run(capsys, "callgraph", "--config", str(TREE / "nosuch.config"), str(TREE))
    assert code == 2 and "cannot read config" in err and "Traceback" not in err


def test_edges_kept_in_the_cache_give_the_same_graph(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """A file's edges are replayed from the cache while its facts and what resolves names
    are unchanged; a body edit works out that file's edges again, an edit that changes what
    the scope declares works out every file's; the graph is always the one a build without
    the cache gives."""
    import shutil

    tree = tmp_path / "tree"
    shutil.copytree(TREE, tree)
    cache = str(tmp_path / "cache")

    def graph_of() -> tuple[str, str]:
        """(the graph as JSON, the stats line on the edge cache of the first run)"""
        code, stats, _ = run(
            capsys, "callgraph", "--scope", "all", "--format", "stats", "--cache-dir", cache, str(tree)
        )
        assert code == 0
        counted = next(ln for ln in stats.splitlines() if ln.startswith("edges of "))
        code, with_cache, _ = run(
            capsys, "callgraph", "--scope", "all", "--format", "json", "--cache-dir", cache, str(tree)
        )
        code, without, _ = run(capsys, "callgraph", "--scope", "all", "--format", "json", "--no-cache", str(tree))
        assert code == 0 and with_cache == without
        return with_cache, counted

    first, counted = graph_of()
    files = int(counted.split()[8])
    assert files > 3 and counted == f"edges of 0 files from the cache, of {files} worked out"
    assert graph_of() == (first, f"edges of {files} files from the cache, of 0 worked out")
    source = next(p for p in sorted(tree.rglob("*.c")) if ")\n{\n" in p.read_text())
    text = source.read_text()
    at = text.index(")\n{\n") + 4
    source.write_text(text[:at] + "\tnew_callee_for_the_test();\n" + text[at:])  # a body edit: lines move
    edited, counted = graph_of()
    assert edited != first and "new_callee_for_the_test" in edited
    assert counted == f"edges of {files - 1} files from the cache, of 1 worked out"
    source.write_text(text + "\nint a_new_global_for_the_test(void) { return 0; }\n")  # a new symbol
    _, counted = graph_of()
    assert counted == f"edges of 0 files from the cache, of {files} worked out"
    # each file keeps one entry, replaced: re-keying every file's edges does not pile up
    import sqlite3

    with sqlite3.connect(Path(cache) / "hvlint-cache.sqlite3") as db:
        assert db.execute("SELECT count(*) FROM entries WHERE kind = 'edges'").fetchone()[0] == files
