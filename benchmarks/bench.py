#!/usr/bin/env python3
"""Side-by-side timing of hvlint on a kernel tree: the tree-sitter floor, hvlint cold, checkpatch.

    python benchmarks/bench.py --tree /path/to/linux [--jobs N] [--runs 3]
        [--checkpatch-sample 20] [--seed 0] [--json]

All three measure the same file set: the files `hvlint check TREE` lints (default scope, as
resolved by `hvlint.engine.resolve_inputs`, falling back to `hvlint.discover.scope_files`).

* **floor**: read + bare tree-sitter-c parse of the scope's .c/.h files, in one process and,
  with `--jobs N` > 1, in N `multiprocessing` workers (pool start-up included).  The .S
  files are counted apart: hvlint scans assembly with a line scanner, not the C grammar.
* **hvlint cold**: `hvlint check --format json --jobs N TREE` in a fresh process, `--runs`
  times (best and median wall).  hvlint has no cache to disable (a `--no-cache` flag is
  added if `hvlint check --help` ever lists one).  Peak memory: `ru_maxrss` from
  `os.wait4()` on the child (what `/usr/bin/time -v` reports: the largest RSS of the
  hvlint process or any descendant it waited for), plus the peak of the RSS *sum* over the
  process tree sampled every 20 ms from /proc.
* **checkpatch**: `perl scripts/checkpatch.pl --no-tree -f --terse FILE`, run from the tree
  root, sequentially, on a fixed seeded sample of the scope's .c files.  `--no-tree` skips
  the per-file `get_maintainer.pl` call that tree mode makes; neither mode writes anything
  without `--strict`/`--fix` (tree mode with `--strict` writes a `.checkpatch-camelcase.*`
  cache into the current directory, so neither is ever passed).  The tree's top-level
  listing is compared before and after as a guard.

Nothing is written into the tree; temporary output goes to the system temp directory.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any

import tree_sitter
import tree_sitter_c


def default_scope(root: str) -> list[str]:
    """The files `hvlint check ROOT` lints (default scope plus the section headers the
    table found): hvlint's own resolution."""
    from hvlint.engine import Options, resolve_inputs

    return list(resolve_inputs(Options(paths=[root]))[2])


# ---------------------------------------------------------------------------------------------
# floor: bare tree-sitter-c


def _parse_files(root: str, files: list[str]) -> int:
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))
    n = 0
    for rel in files:
        with open(os.path.join(root, rel), "rb") as fh:
            data = fh.read()
        parser.parse(data)
        n += 1
    return n


def _parse_chunk(args: tuple[str, list[str]]) -> int:
    return _parse_files(*args)


def floor_single(root: str, files: list[str]) -> float:
    t0 = time.perf_counter()
    _parse_files(root, files)
    return time.perf_counter() - t0


def floor_parse_only(root: str, files: list[str]) -> float:
    """Parse time alone, bytes read beforehand."""
    blobs = []
    for rel in files:
        with open(os.path.join(root, rel), "rb") as fh:
            blobs.append(fh.read())
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_c.language()))
    t0 = time.perf_counter()
    for b in blobs:
        parser.parse(b)
    return time.perf_counter() - t0


def floor_parallel(root: str, files: list[str], sizes: dict[str, int], jobs: int) -> float:
    """N worker processes, files dealt largest first round-robin; includes pool start-up."""
    import multiprocessing as mp

    order = sorted(files, key=lambda f: -sizes[f])
    chunks = [(root, order[i::jobs]) for i in range(jobs)]
    t0 = time.perf_counter()
    with mp.get_context("fork").Pool(jobs) as pool:
        done = sum(pool.map(_parse_chunk, chunks, chunksize=1))
    dt = time.perf_counter() - t0
    assert done == len(files)
    return dt


# ---------------------------------------------------------------------------------------------
# child processes: wall time, rusage, sampled RSS of the process tree


def _tree_rss_kb(pid: int) -> int:
    """Sum of VmRSS over pid and its descendants (0 if it is gone)."""
    total = 0
    stack = [pid]
    seen: set[int] = set()
    while stack:
        p = stack.pop()
        if p in seen:
            continue
        seen.add(p)
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            for tid in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{tid}/children") as fh:
                    stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


def run_child(cmd: list[str], cwd: str, sample_rss: bool = False) -> dict[str, Any]:
    """Run cmd with stdout/stderr in temp files; wall seconds, exit code, rusage of the child."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        peak = [0]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        stop = threading.Event()
        sampler = None
        if sample_rss and os.path.isdir("/proc"):

            def sample() -> None:
                while not stop.is_set():
                    peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                    stop.wait(0.02)

            sampler = threading.Thread(target=sample, daemon=True)
            sampler.start()
        _, status, ru = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        stop.set()
        if sampler is not None:
            sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "rc": proc.returncode,
            "maxrss_kb": ru.ru_maxrss,
            "user": ru.ru_utime,
            "sys": ru.ru_stime,
            "tree_rss_peak_kb": peak[0] if sampler is not None else None,
            "stdout": out.read(),
            "stderr": err.read().decode("utf-8", "replace"),
        }


# ---------------------------------------------------------------------------------------------
# hvlint


def hvlint_base_cmd(explicit: str | None) -> list[str]:
    if explicit:
        return shlex.split(explicit)
    exe = shutil.which("hvlint")
    return [exe] if exe else [sys.executable, "-m", "hvlint"]


def hvlint_command(base: list[str], tree: str, jobs: int) -> list[str]:
    top = subprocess.run(base + ["--help"], capture_output=True, text=True, timeout=60).stdout
    sub = ["check"] if "check" in top else []
    helptext = subprocess.run(base + sub + ["--help"], capture_output=True, text=True, timeout=60).stdout
    cmd = base + sub + ["--format", "json", "--jobs", str(jobs)]
    if "--no-cache" in helptext:
        cmd.append("--no-cache")
    if "--quiet" in helptext:
        cmd.append("--quiet")
    return cmd + [tree]


def bench_startup(base: list[str], runs: int) -> float:
    """Best wall time of `hvlint --version`: interpreter start-up and imports."""
    return min(run_child(base + ["--version"], cwd=tempfile.gettempdir())["wall"] for _ in range(runs))


def bench_hvlint(cmd: list[str], runs: int, before: Any = None) -> dict[str, Any]:
    """`runs` runs of `cmd`; `before(i)` is called before run i (to touch a file)."""
    results = []
    for i in range(runs):
        if before is not None:
            before(i)
        r = run_child(cmd, cwd=tempfile.gettempdir(), sample_rss=True)
        if r["rc"] not in (0, 1):
            raise SystemExit(f"hvlint failed (exit {r['rc']}): {' '.join(cmd)}\n{r['stderr'][-2000:]}")
        try:
            doc = json.loads(r["stdout"])
        except ValueError as exc:
            raise SystemExit(f"hvlint did not print JSON: {exc}\n{r['stdout'][:500]!r}") from exc
        r["stats"] = doc.get("stats", {})
        r["findings"] = len(doc.get("findings", []))
        del r["stdout"]
        results.append(r)
    walls = [r["wall"] for r in results]
    last = min(results, key=lambda r: r["wall"])  # the best run's own report
    return {
        "command": " ".join(shlex.quote(c) for c in cmd),
        "runs": runs,
        "walls": [round(w, 3) for w in walls],
        "best": round(min(walls), 3),
        "median": round(statistics.median(walls), 3),
        "user_best_run": round(min(results, key=lambda r: r["wall"])["user"], 2),
        "sys_best_run": round(min(results, key=lambda r: r["wall"])["sys"], 2),
        "maxrss_mb": round(max(r["maxrss_kb"] for r in results) / 1024, 1),
        "tree_rss_peak_mb": round(max(r["tree_rss_peak_kb"] or 0 for r in results) / 1024, 1),
        "stats": last["stats"],
        "findings": last["findings"],
        "exit_code": last["rc"],
    }


# ---------------------------------------------------------------------------------------------
# the cache: warm, one file touched, --patch

TOUCH = "arch/x86/xen/enlighten.c"


def bench_cache_modes(root: str, base: list[str], jobs: int, runs: int, touch: str) -> dict[str, Any]:
    """hvlint with its cache, on a hard-linked copy of the tree next to it (`cp -al`; the
    touched file is unlinked before it is written, so the tree itself never changes):
    filling the cache (a cold run that writes it), warm with nothing changed, warm after
    editing one file (a different comment appended before each run; then a statement added
    in a function body in the middle of the file, which moves the lines below), and `--patch` with
    benchmarks/review_patch.py's 10-file patch (warm, and with --no-cache)."""
    out: dict[str, Any] = {}
    parent = os.path.dirname(root)
    try:
        work = tempfile.mkdtemp(prefix="hvlint-bench-", dir=parent)
    except OSError:
        work = tempfile.mkdtemp(prefix="hvlint-bench-")
    cache_dir = tempfile.mkdtemp(prefix="hvlint-bench-cache-")
    copy = os.path.join(work, "linux")
    try:
        t0 = time.perf_counter()
        cp = subprocess.run(["cp", "-al", root, copy], capture_output=True, text=True)
        if cp.returncode != 0:
            return {"error": f"cp -al failed (another file system?): {cp.stderr.strip()[:200]}"}
        out["copy_seconds"] = round(time.perf_counter() - t0, 2)
        sub = ["check"]
        common = base + sub + ["--format", "json", "--quiet", "--jobs", str(jobs), "--cache-dir", cache_dir]
        out["fill"] = bench_hvlint(common + [copy], 1)
        out["warm"] = bench_hvlint(common + [copy], runs)
        if not os.path.isfile(os.path.join(copy, touch)):  # another tree: its first .c file
            touch = next(f for f in default_scope(root) if f.endswith(".c"))
        target = os.path.join(copy, touch)
        with open(target, "rb") as fh:
            original = fh.read()

        def rewrite(data: bytes) -> None:
            os.unlink(target)  # a hard link to the tree's file: never write through it
            with open(target, "wb") as fh:
                fh.write(data)

        def edit(i: int) -> None:
            rewrite(original + f"/* benchmark edit {i} {time.time()} */\n".encode())

        # A code edit: a statement added at the top of the function body nearest the middle
        # of the file, so that the facts change (a new call, and every line below moves).
        bodies = [m.end() for m in re.finditer(rb"\)\n\{\n", original)]
        at = min(bodies, key=lambda p: abs(p - len(original) // 2)) if bodies else len(original)

        def code_edit(i: int) -> None:
            rewrite(original[:at] + f"\tbarrier(); /* benchmark edit {i} {time.time()} */\n".encode() + original[at:])

        out["touched"] = bench_hvlint(common + [copy], runs, before=edit)
        out["touched_code"] = bench_hvlint(common + [copy], runs, before=code_edit)
        out["touched_code_line"] = original.count(b"\n", 0, at) + 1
        rewrite(original)
        out["touched_file"] = touch
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import review_patch

        patch = os.path.join(work, "xen-10-files.patch")
        try:
            text = review_patch.make(root)
        except (SystemExit, OSError) as exc:  # the patch is written for Linux 6.12's arch/x86/xen
            out["patch_error"] = f"no --patch runs: {exc}"
            return out
        with open(patch, "w", encoding="utf-8") as fh:
            fh.write(text)
        pcmd = base + sub + ["--format", "json", "--quiet", "--jobs", str(jobs), "--patch", patch]
        out["patch_cold"] = bench_hvlint(pcmd + ["--no-cache", root], 1)
        out["patch_warm"] = bench_hvlint(pcmd + ["--cache-dir", cache_dir, root], runs)
        out["patch_files"] = len(review_patch.files_changed())
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(cache_dir, ignore_errors=True)
    return out


# ---------------------------------------------------------------------------------------------
# checkpatch


def bench_checkpatch(root: str, files: list[str], lines: dict[str, int], mode: str) -> dict[str, Any]:
    script = os.path.join("scripts", "checkpatch.pl")
    if not os.path.isfile(os.path.join(root, script)):
        return {"error": f"{script} not found in the tree"}
    perl = shutil.which("perl")
    if perl is None:
        return {"error": "perl not found"}
    opts = ["--no-tree"] if mode == "no-tree" else []
    before = sorted(os.listdir(root))
    per_file = []
    user = 0.0
    for rel in files:
        cmd = [perl, script, *opts, "-f", "--terse", rel]
        r = run_child(cmd, cwd=root)
        if r["rc"] not in (0, 1):
            return {"error": f"checkpatch exit {r['rc']} on {rel}: {r['stderr'][-500:]}"}
        per_file.append({"path": rel, "lines": lines[rel], "wall": round(r["wall"], 3)})
        user += r["user"]
    after = sorted(os.listdir(root))
    if before != after:
        print(
            f"WARNING: the tree's top-level listing changed during checkpatch: {sorted(set(after) ^ set(before))}",
            file=sys.stderr,
        )
    total = sum(p["wall"] for p in per_file)
    nlines = sum(p["lines"] for p in per_file)
    return {
        "mode": mode,
        "command": f"cd {shlex.quote(root)} && perl {script} {' '.join(opts)} -f --terse FILE".replace("  ", " "),
        "files": len(per_file),
        "lines": nlines,
        "seconds": round(total, 2),
        "user_seconds": round(user, 2),
        "per_file": round(total / len(per_file), 4) if per_file else 0.0,
        "ms_per_line": round(1000 * total / nlines, 4) if nlines else 0.0,
        "sample": per_file,
        "tree_listing_unchanged": before == after,
    }


# ---------------------------------------------------------------------------------------------


def count_lines(path: str) -> int:
    with open(path, "rb") as fh:
        data = fh.read()
    return data.count(b"\n") + (1 if data and not data.endswith(b"\n") else 0)


def machine() -> dict[str, Any]:
    model = ""
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import importlib.metadata as md

    def version(pkg: str) -> str:
        try:
            return md.version(pkg)
        except md.PackageNotFoundError:
            return "?"

    return {
        "cpus": os.cpu_count(),
        "cpu_model": model,
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "tree_sitter": version("tree-sitter"),
        "tree_sitter_c": version("tree-sitter-c"),
        "hvlint": version("hvlint"),
    }


def render(rep: dict[str, Any]) -> str:
    out: list[str] = []
    w = out.append
    m = rep["machine"]
    s = rep["scope"]
    w(f"# hvlint benchmark — {rep['tree']}")
    w("")
    w(
        f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), load average at start "
        f"{', '.join(f'{x:.2f}' for x in m['loadavg'] or ())}; Python {m['python']}, tree-sitter {m['tree_sitter']}, "
        f"tree-sitter-c {m['tree_sitter_c']}, hvlint {m['hvlint']}."
    )
    w(
        f"Scope `default`: {s['files']} files = {s['c_h']} .c/.h ({s['c_h_lines']:,} lines) + {s['asm']} .S "
        f"({s['asm_lines']:,} lines); discovery (with the section table) {s['discovery_seconds']:.2f} s."
    )
    w("")
    f = rep["floor"]
    h = rep.get("hvlint")
    c = rep.get("checkpatch")
    jobs = rep["jobs"]
    w("| measurement | wall seconds | notes |")
    w("|---|---|---|")
    w(
        f"| floor: read + tree-sitter-c parse, 1 process | {f['single_best']:.2f} (median {f['single_median']:.2f}) "
        f"| {s['c_h']} .c/.h files; parse alone {f['parse_only']:.2f} s |"
    )
    if f.get("parallel_best") is not None:
        w(
            f"| floor: same, {jobs} processes | {f['parallel_best']:.2f} (median {f['parallel_median']:.2f}) "
            f"| multiprocessing pool start-up included |"
        )
    if h:
        st = h["stats"]
        w(
            f"| hvlint cold, `--jobs {jobs}` | {h['best']:.2f} (median {h['median']:.2f}; runs {h['walls']}) "
            f"| {st.get('files')} files, {st.get('parse_errors')} with parse errors (HV901), {h['findings']} findings; "
            f"self-reported {st.get('seconds')} s; user {h['user_best_run']} s + sys {h['sys_best_run']} s (all processes) |"
        )
        w(
            f"| … of which fixed costs | start-up {h['startup_seconds']:.2f} + file discovery and section-table "
            f"derivation {s['discovery_seconds']:.2f} | `hvlint --version`; `resolve_inputs` in this process |"
        )
        w(
            f"| hvlint peak RSS | {h['maxrss_mb']} MB largest process; {h['tree_rss_peak_mb']} MB process-tree sum "
            f"| `wait4` ru_maxrss; /proc sampling every 20 ms |"
        )
        fl = f["parallel_best"] if f.get("parallel_best") is not None else f["single_best"]
        w(
            f"| **ratio hvlint / floor** (same job count) | **{h['best'] / fl:.2f}×** | vs 1-process floor: "
            f"{h['best'] / f['single_best']:.2f}× |"
        )
    k = rep.get("cached")
    fl_n = f["parallel_best"] if f.get("parallel_best") is not None else f["single_best"]
    if k and "error" not in k:
        for key, label in (
            ("fill", "hvlint cold, filling the cache"),
            ("warm", "hvlint warm, nothing changed"),
            ("touched", f"hvlint warm, one file edited ({k['touched_file']}, a comment appended)"),
            (
                "touched_code",
                f"hvlint warm, one file edited ({k['touched_file']}, a statement added at line "
                f"{k.get('touched_code_line')})",
            ),
            ("patch_cold", f"`--patch`, {k.get('patch_files')}-file patch, no cache"),
            ("patch_warm", f"`--patch`, {k.get('patch_files')}-file patch, warm cache"),
        ):
            if key not in k:
                w(f"| {label} | n/a | {k.get('patch_error', '')} |")
                continue
            r = k[key]
            w(
                f"| {label}, `--jobs {jobs}` | {r['best']:.2f} (median {r['median']:.2f}; runs {r['walls']}) "
                f"| {r['best'] / fl_n:.2f}× the floor; {r['findings']} findings; peak RSS {r['maxrss_mb']} MB "
                f"(process tree {r['tree_rss_peak_mb']} MB) |"
            )
    elif k:
        w(f"| cache runs | n/a | {k['error']} |")
    g = rep.get("callgraph")
    if g:
        fl = f["parallel_best"] if f.get("parallel_best") is not None else f["single_best"]
        w(
            f"| hvlint callgraph cold, `--jobs {jobs}` (parse, project model, header macros, graph) "
            f"| {g['best']:.2f} (median {g['median']:.2f}) | {g['best'] / fl:.1f}× the floor; "
            f"{'; '.join(g['summary'])} |"
        )
    if c and "error" not in c:
        w(
            f"| checkpatch `{'--no-tree ' if c['mode'] == 'no-tree' else ''}-f --terse`, {c['files']} files sampled "
            f"(seed {rep['seed']}) | {c['seconds']:.2f} | {c['lines']:,} lines: {c['per_file'] * 1000:.0f} ms/file, "
            f"{c['ms_per_line']:.3f} ms/line wall (user {c['user_seconds']:.2f} s), sequential |"
        )
        w(
            f"| checkpatch extrapolated to the scope | {rep['checkpatch_extrapolated_by_lines']:.0f} by lines; "
            f"{rep['checkpatch_extrapolated_by_files']:.0f} by files | {s['files']} files, "
            f"{s['c_h_lines'] + s['asm_lines']:,} lines, one process |"
        )
        if h:
            w(
                f"| **per file: checkpatch / hvlint** | {c['per_file'] * 1000:.0f} ms / "
                f"{rep['hvlint_ms_per_file']:.2f} ms = **{rep['ratio_checkpatch_hvlint_per_file']:.0f}×** "
                f"| hvlint wall (best, {jobs} jobs) / files it reported; "
                f"whole scope: checkpatch {rep['checkpatch_extrapolated_by_lines']:.0f} s vs hvlint {h['best']:.2f} s |"
            )
    elif c:
        w(f"| checkpatch | n/a | {c['error']} |")
    w("")
    w(render_targets(rep))
    w("")
    w("Repeat with:")
    w("")
    w("```")
    w(rep["command"])
    if h:
        w(h["command"] + "    # the hvlint run alone")
    if g:
        w(g["command"] + "    # the call graph alone")
    if c and "error" not in c:
        w(c["command"] + "    # checkpatch, per sampled file")
    w("```")
    if c and "error" not in c:
        w("")
        w("checkpatch sample: " + ", ".join(f"{p['path']} ({p['lines']} l, {p['wall']:.2f} s)" for p in c["sample"]))
    return "\n".join(out)


def render_targets(rep: dict[str, Any]) -> str:
    """Issue 7's targets, each with the measured ratio and whether it is met."""
    f = rep["floor"]
    fl = f["parallel_best"] if f.get("parallel_best") is not None else f["single_best"]
    rows = ["| target | measured | met |", "|---|---|---|"]

    def row(name: str, value: float | None, limit: float, unit: str = "×") -> None:
        if value is None:
            rows.append(f"| {name} | n/a | – |")
        else:
            rows.append(f"| {name} | {value:.2f}{unit} | {'yes' if value <= limit else 'no'} |")

    h = rep.get("hvlint")
    k = rep.get("cached") or {}
    row("cold ≤ 1.5× the floor", h["best"] / fl if h else None, 1.5)
    row("warm, nothing changed ≤ 0.5× the floor", k["warm"]["best"] / fl if "warm" in k else None, 0.5)
    row(
        "warm, one file touched (a comment appended) ≤ 1× the floor",
        k["touched"]["best"] / fl if "touched" in k else None,
        1.0,
    )
    row(
        "warm, one file touched (a statement added) ≤ 1× the floor",
        k["touched_code"]["best"] / fl if "touched_code" in k else None,
        1.0,
    )
    ratio = rep.get("ratio_checkpatch_hvlint_per_file")
    rows.append(
        f"| per file ≥ 100× faster than checkpatch | {ratio:.0f}× | {'yes' if ratio >= 100 else 'no'} |"
        if ratio is not None
        else "| per file ≥ 100× faster than checkpatch | n/a | – |"
    )
    peak = max((r["maxrss_mb"] for r in [h, *(v for v in k.values() if isinstance(v, dict))] if r), default=None)
    row("peak memory ≤ 1.5 GiB (1,536 MB), default scope (--scope all is not run here)", peak, 1536, " MB")
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="hvlint vs tree-sitter floor vs checkpatch, same file set.")
    ap.add_argument("--tree", required=True, help="kernel tree root (read only)")
    ap.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="processes for floor and hvlint (default: CPUs)"
    )
    ap.add_argument("--runs", type=int, default=3, help="runs of the floor and of hvlint (default 3)")
    ap.add_argument("--checkpatch-sample", type=int, default=20, help=".c files for checkpatch (default 20; 0: skip)")
    ap.add_argument("--checkpatch-mode", choices=("no-tree", "tree"), default="no-tree")
    ap.add_argument("--seed", type=int, default=0, help="seed of the checkpatch sample (default 0)")
    ap.add_argument("--hvlint", help="command to run hvlint (default: `hvlint` on PATH, else python -m hvlint)")
    ap.add_argument("--skip-hvlint", action="store_true", help="do not run hvlint")
    ap.add_argument(
        "--callgraph", action="store_true", help="also time `hvlint callgraph --format stats` (the graph, cold)"
    )
    ap.add_argument(
        "--no-cache-modes", action="store_true", help="skip the cache runs (warm, one file touched, --patch)"
    )
    ap.add_argument("--touch", default=TOUCH, help=f"the file the touched-file runs edit (default {TOUCH})")
    ap.add_argument("--json", action="store_true", help="print JSON instead of markdown")
    args = ap.parse_args(argv)

    root = os.path.abspath(args.tree)
    cmdline = " ".join(
        ["python", "benchmarks/bench.py"] + [shlex.quote(a) for a in (argv if argv is not None else sys.argv[1:])]
    )
    rep: dict[str, Any] = {"tree": root, "jobs": args.jobs, "seed": args.seed, "command": cmdline, "machine": machine()}

    t0 = time.perf_counter()
    files = default_scope(root)
    disc = time.perf_counter() - t0
    c_h = [f for f in files if f.endswith((".c", ".h"))]
    asm = [f for f in files if f.endswith(".S")]
    lines = {f: count_lines(os.path.join(root, f)) for f in files}
    sizes = {f: os.path.getsize(os.path.join(root, f)) for f in files}
    rep["scope"] = {
        "files": len(files),
        "c_h": len(c_h),
        "asm": len(asm),
        "c_h_lines": sum(lines[f] for f in c_h),
        "asm_lines": sum(lines[f] for f in asm),
        "discovery_seconds": round(disc, 3),
    }

    runs = max(1, args.runs)
    singles = [floor_single(root, c_h) for _ in range(runs)]
    floor: dict[str, Any] = {
        "single_best": round(min(singles), 3),
        "single_median": round(statistics.median(singles), 3),
        "parse_only": round(floor_parse_only(root, c_h), 3),
        "parallel_best": None,
    }
    if args.jobs > 1:
        pars = [floor_parallel(root, c_h, sizes, args.jobs) for _ in range(runs)]
        floor["parallel_best"] = round(min(pars), 3)
        floor["parallel_median"] = round(statistics.median(pars), 3)
    rep["floor"] = floor

    if not args.skip_hvlint:
        base = hvlint_base_cmd(args.hvlint)
        cmd = hvlint_command(base, root, args.jobs)
        h = bench_hvlint(cmd, runs)
        h["startup_seconds"] = round(bench_startup(base, runs), 3)
        rep["hvlint"] = h
        nfiles = h["stats"].get("files") or len(files)
        rep["hvlint_ms_per_file"] = round(1000 * h["best"] / nfiles, 3)
        if h["stats"].get("files") not in (None, len(files)):
            print(
                f"WARNING: hvlint reported {h['stats'].get('files')} files, the scope has {len(files)}", file=sys.stderr
            )

    if not args.skip_hvlint and not args.no_cache_modes:
        rep["cached"] = bench_cache_modes(root, hvlint_base_cmd(args.hvlint), args.jobs, runs, args.touch)

    if args.callgraph:
        base = hvlint_base_cmd(args.hvlint)
        gcmd = base + ["callgraph", "--format", "stats", "--jobs", str(args.jobs), root]
        walls = []
        for _ in range(runs):
            r = run_child(gcmd, cwd=tempfile.gettempdir(), sample_rss=True)
            if r["rc"] != 0:
                raise SystemExit(f"hvlint callgraph failed (exit {r['rc']}):\n{r['stderr'][-2000:]}")
            walls.append(r["wall"])
            out = r["stdout"]
            summary = (out.decode() if isinstance(out, bytes) else out).splitlines()[1:3]
        rep["callgraph"] = {
            "command": " ".join(shlex.quote(c) for c in gcmd),
            "best": round(min(walls), 3),
            "median": round(statistics.median(walls), 3),
            "summary": summary,
        }

    if args.checkpatch_sample > 0:
        cfiles = sorted(f for f in files if f.endswith(".c"))
        sample = random.Random(args.seed).sample(cfiles, min(args.checkpatch_sample, len(cfiles)))
        c = bench_checkpatch(root, sample, lines, args.checkpatch_mode)
        rep["checkpatch"] = c
        if "error" not in c and c["files"]:
            all_lines = rep["scope"]["c_h_lines"] + rep["scope"]["asm_lines"]
            rep["checkpatch_extrapolated_by_lines"] = round(c["ms_per_line"] * all_lines / 1000, 1)
            rep["checkpatch_extrapolated_by_files"] = round(c["per_file"] * len(files), 1)
            if "hvlint" in rep:
                rep["ratio_checkpatch_hvlint_per_file"] = round(1000 * c["per_file"] / rep["hvlint_ms_per_file"], 1)

    if args.json:
        json.dump(rep, sys.stdout, indent=1)
        sys.stdout.write("\n")
    else:
        print(render(rep))
    return 0


if __name__ == "__main__":
    sys.exit(main())
