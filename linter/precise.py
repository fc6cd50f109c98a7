"""Precise mode in a run: the files a compile database lists get libclang's view over
their tree-sitter facts (hvlint.frontend.clang), parsed in a process pool; the others stay
tree-sitter's.  What each front end gave is counted for the run's summary."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

from hvlint.errors import HvlintError
from hvlint.facts import FileFacts
from hvlint.frontend import clang
from hvlint.frontend.clang import ClangView, Command, Database, file_states, find_database, load_database, merge


@dataclass
class Precise:
    """A run's precise mode: the database, libclang's views of its files (kept for the
    run: the project rules ask for the same files again as context), and the counts."""

    db: Database
    views: dict[str, ClangView] = field(default_factory=dict)
    libclang: set[str] = field(default_factory=set)
    tree_sitter: set[str] = field(default_factory=set)
    fell_back: dict[str, str] = field(default_factory=dict)
    from_cache: int = 0  # views the cache gave (their files unchanged)
    parsed: set[str] = field(default_factory=set)  # files libclang parsed in this run

    def summary(self) -> str:
        back = f" ({len(self.fell_back)} fell back to tree-sitter)" if self.fell_back else ""
        if self.from_cache:
            back += f"; {self.from_cache} libclang views from the cache"
        return f"precise mode: {len(self.libclang)} files from libclang, {len(self.tree_sitter)} from tree-sitter{back}"

    def details(self) -> list[str]:
        """What --verbose prints: the database, the flags dropped by reason, each fallback,
        files whose parse reported compiler errors, and libclang's time per file."""
        out = [f"compile database {self.db.source}: {len(self.db.commands)} C files of the tree"]
        if self.db.skipped:
            out.append(
                f"  {len(self.db.skipped)} entries skipped, e.g. {self.db.skipped[0][0]}: {self.db.skipped[0][1]}"
            )
        for why, n in self.db.dropped_counts().items():
            flags = sorted({f for c in self.db.commands.values() for f, w in c.dropped if w == why})
            shown = ", ".join(flags[:6]) + (f", ... ({len(flags)} distinct)" if len(flags) > 6 else "")
            out.append(f"  dropped {n} flags: {why}: {shown}")
        rejected = sorted({r for v in self.views.values() for r in v.rejected})
        if rejected:
            out.append(f"  clang rejected (dropped, parsed again): {' '.join(rejected)}")
        for path, why in sorted(self.fell_back.items()):
            out.append(f"  {path}: tree-sitter only: {why}")
        with_errors = [v for v in self.views.values() if v.errors and v.failed is None]
        for v in sorted(with_errors, key=lambda v: v.path)[:10]:
            out.append(f"  {v.path}: libclang reported {len(v.errors)} error(s), first: {v.errors[0]}")
        parsed = [v for rel, v in self.views.items() if v.failed is None and rel in self.parsed]
        if parsed:
            total = sum(v.seconds for v in parsed)
            out.append(f"  libclang: {len(parsed)} files, {total:.1f} s CPU, {total / len(parsed):.2f} s a file")
        return out


def open_precise(root: str, compile_commands: str | None, build_dir: str | None, explicit: bool) -> Precise | None:
    """The run's precise mode: from `compile_commands` (or the database found in the build
    folder or at the root), None when there is none.  Asked for explicitly, a missing
    database or libclang is an error; found by itself, a missing libclang is not."""
    path = compile_commands or find_database(root, build_dir)
    if path is None:
        if explicit:
            raise HvlintError(
                f"no compile_commands.json in {build_dir or root} (give --compile-commands FILE)"
                if build_dir
                else "no compile_commands.json at the tree root (give --compile-commands FILE)"
            )
        return None
    why = clang.available()  # looked up here: tests replace it
    if why is not None:
        if explicit:
            raise HvlintError(why)
        return None
    if build_dir is not None and not os.path.isdir(build_dir):
        raise HvlintError(f"--build-dir {build_dir}: not a folder")
    return Precise(load_database(path, root, build_dir))


def _parse_one(args: tuple[str, Command, float]) -> ClangView:
    """libclang's view of one file, given at most `limit` seconds: libclang runs in C, where
    no alarm reaches it, so it parses in a thread of its own and is left behind (a daemon,
    ended with the process) when it takes longer."""
    import threading

    from hvlint.frontend.clang import parse

    root, cmd, limit = args
    if limit <= 0:
        return parse(root, cmd)
    box: list[ClangView] = []
    t = threading.Thread(target=lambda: box.append(parse(root, cmd)), daemon=True)
    t.start()
    t.join(limit)
    if box:
        return box[0]
    return ClangView(cmd.path, failed=f"libclang took over {limit:g} s: not parsed (see --file-timeout)")


def _view_key(root: str, cmd: Command) -> bytes:
    from hvlint.cache import digest, salt

    data = b""
    try:
        with open(os.path.join(root, cmd.path), "rb") as fh:
            data = fh.read()
    except OSError:
        pass
    return digest(salt(), b"libclang", os.path.realpath(root), cmd.path, "\0".join(cmd.args), digest(data))


def ensure_views(p: Precise, root: str, paths: list[str], jobs: int) -> None:
    """libclang's views of those of `paths` the database lists, parsed once a run.  A view
    is kept in the cache under the file's text and flags, and used while every file the
    parse read (each header, generated ones in the build folder too) has the same size and
    modification time."""
    from hvlint import cache

    todo = [rel for rel in paths if rel in p.db.commands and rel not in p.views]
    if not todo:
        return
    c = cache.current()
    keys = {rel: _view_key(root, p.db.commands[rel]) for rel in todo} if c is not None and c.enabled else {}
    if keys:
        got = c.get_many("libclang", keys.values())
        for rel, k in keys.items():
            v = got.get(k)
            if (
                isinstance(v, ClangView)
                and v.failed is None
                and v.read
                and file_states(f for f, _, _ in v.read) == v.read
            ):
                p.views[rel] = v
                p.from_cache += 1
        todo = [rel for rel in todo if rel not in p.views]
    from hvlint import engine

    work = [(root, p.db.commands[rel], engine.FILE_TIMEOUT) for rel in todo]
    if not work:
        return
    if jobs > 1 and len(work) > 1:
        with ProcessPoolExecutor(max_workers=min(jobs, len(work))) as pool:
            views = list(pool.map(_parse_one, work, chunksize=1))
    else:
        views = [_parse_one(w) for w in work]
    for v in views:
        p.views[v.path] = v
        p.parsed.add(v.path)
        if v.path in keys and v.failed is None:
            c.put("libclang", keys[v.path], v)


def apply(p: Precise, root: str, facts: list[FileFacts], jobs: int) -> list[FileFacts]:
    """`facts` with libclang's view merged into those of the files the database lists."""
    ensure_views(p, root, [f.path for f in facts if f.lang == "c"], jobs)
    out: list[FileFacts] = []
    for f in facts:
        v = p.views.get(f.path) if f.lang == "c" else None
        if v is None:
            p.tree_sitter.add(f.path)
            out.append(f)
        elif v.failed is not None:
            p.fell_back[f.path] = v.failed
            p.tree_sitter.add(f.path)
            out.append(f)
        elif f.diagnostics and not f.decls:
            p.fell_back[f.path] = "not parsed by tree-sitter either: " + f.diagnostics[0].message
            p.tree_sitter.add(f.path)
            out.append(f)
        else:
            p.libclang.add(f.path)
            out.append(merge(f, v))
    return out
