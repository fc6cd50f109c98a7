"""`hvlint crosscheck`: where tree-sitter's fast reading and libclang's precise one of the
same files disagree, symbol by symbol (the section a definition lands in) and edge by edge
(what a definition calls and references), so that the fast path can be improved and users
know what it misses.

Both graphs are built over the whole scope; only the symbols defined in files libclang
parsed are compared.  An edge tree-sitter makes under a preprocessor condition (`cond`)
that libclang does not see is another configuration's, not a miss: it is counted apart.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

KINDS = {
    "section": "the symbol's section differs",
    "only-tree-sitter-symbol": "a definition only tree-sitter sees (another configuration, or a misreading)",
    "only-libclang-symbol": "a definition only libclang sees (made by a macro tree-sitter does not expand)",
    "only-tree-sitter-edge": "a call/reference only tree-sitter makes, under no condition",
    "other-configuration-edge": "a call/reference only tree-sitter makes, under a condition this build leaves out",
    "only-libclang-edge": "a call/reference only libclang makes (tree-sitter missed it)",
}


@dataclass(frozen=True)
class Disagreement:
    kind: str
    path: str
    line: int
    symbol: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "path": self.path, "line": self.line, "symbol": self.symbol, "detail": self.detail}


@dataclass
class Report:
    files: list[str]
    symbols: int = 0
    edges_tree_sitter: int = 0
    edges_libclang: int = 0
    agreeing_edges: int = 0
    found: list[Disagreement] = field(default_factory=list)
    # (path, caller, member, struct.member): the calls through a struct member libclang typed
    member_calls: list[tuple[str, str, str, str]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(d.kind for d in self.found)


def _name(g: Any, n: str) -> str:
    return str(g.nodes[n].get("name") or n.rsplit("::", 1)[-1])


def _targets(g: Any, u: str) -> dict[str, dict[str, Any]]:
    """u's out-edges by the target's name (ids differ only for externals: `::f` vs a path)."""
    out: dict[str, dict[str, Any]] = {}
    for _, v, e in g.out_edges(u, data=True):
        out.setdefault(_name(g, v), e)
    return out


def compare(g_ts: Any, g_lc: Any, files: set[str]) -> Report:
    rep = Report(sorted(files))

    def mine(g: Any) -> dict[str, str]:
        return {n: n for n, d in g.nodes(data=True) if d.get("path") in files and d.get("kind") != "external"}

    ts_nodes, lc_nodes = mine(g_ts), mine(g_lc)
    for n in sorted(set(ts_nodes) | set(lc_nodes)):
        a = g_ts.nodes[n] if n in g_ts else None
        b = g_lc.nodes[n] if n in g_lc else None
        node = a or b
        assert node is not None
        path, line, name = str(node.get("path")), int(node.get("line") or 0), str(node.get("name"))
        if n not in ts_nodes:
            rep.found.append(
                Disagreement("only-libclang-symbol", path, line, name, f"in {b.get('section') if b else None}")
            )
            continue
        if n not in lc_nodes:
            rep.found.append(Disagreement("only-tree-sitter-symbol", path, line, name, ""))
            continue
        rep.symbols += 1
        assert a is not None and b is not None
        if a.get("section") != b.get("section") and not a.get("sections"):
            rep.found.append(
                Disagreement(
                    "section", path, line, name, f"tree-sitter {a.get('section')}, libclang {b.get('section')}"
                )
            )
        ta, tb = _targets(g_ts, n), _targets(g_lc, n)
        rep.edges_tree_sitter += len(ta)
        rep.edges_libclang += len(tb)
        for t in sorted(set(ta) | set(tb)):
            ea, eb = ta.get(t), tb.get(t)
            if ea is not None and eb is not None:
                rep.agreeing_edges += 1
                continue
            e = ea if ea is not None else eb
            assert e is not None
            how = f"{e.get('kind')} {t}" + (f" (via macro {e['macro']})" if e.get("macro") else "")
            at = int(e.get("line") or line)
            if eb is None:
                kind = "other-configuration-edge" if e.get("cond") else "only-tree-sitter-edge"
                if e.get("cond"):
                    how += f" [under {e['cond']}]"
            else:
                kind = "only-libclang-edge"
            rep.found.append(Disagreement(kind, path, at, name, how))
    return rep


def member_calls(views: Any) -> list[tuple[str, str, str, str]]:
    """The calls through struct members in libclang's views, with the struct they go
    through: what tree-sitter knows only by the member's name."""
    out = []
    for path, v in sorted(views.items()):
        for d in v.decls:
            for member, typed in d.through:
                out.append((path, d.name, member, typed))
    return out


def render_text(rep: Report, precise_summary: str) -> list[str]:
    structs = len({t for *_, t in rep.member_calls})
    out = [
        f"{precise_summary}; {rep.symbols} symbols defined in both, "
        f"{rep.agreeing_edges} edges agree (tree-sitter {rep.edges_tree_sitter}, libclang {rep.edges_libclang}); "
        f"{len(rep.member_calls)} calls through {structs} struct members typed by libclang"
    ]
    counts = rep.counts()
    for kind, what in KINDS.items():
        out.append(f"  {counts.get(kind, 0):6}  {kind}: {what}")
    for d in sorted(rep.found, key=lambda d: (d.path, d.line, d.kind, d.symbol, d.detail)):
        out.append(f"{d.path}:{d.line}: {d.kind}: {d.symbol}: {d.detail}")
    return out


def render_json(rep: Report, precise_summary: str) -> dict[str, Any]:
    return {
        "summary": precise_summary,
        "files": rep.files,
        "symbols_compared": rep.symbols,
        "edges": {"tree-sitter": rep.edges_tree_sitter, "libclang": rep.edges_libclang, "agree": rep.agreeing_edges},
        "counts": {k: rep.counts().get(k, 0) for k in KINDS},
        "member_calls": [{"path": p, "caller": c, "member": m, "through": t} for p, c, m, t in rep.member_calls],
        "disagreements": [d.as_dict() for d in sorted(rep.found, key=lambda d: (d.path, d.line, d.kind, d.symbol))],
    }
