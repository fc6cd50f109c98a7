"""Tree root, scope and file list; reading files.

Paths handed to the rest of hvlint are relative to the tree root with `/` separators.
Nothing here follows a symlink out of the root or reads anything but regular files.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass

from hvlint.errors import HvlintError

SOURCE_SUFFIXES = (".c", ".h", ".S")
# The default scope: what the x86 boot, Xen and PVH code is made of.
DEFAULT_SCOPE_DIRS = ("arch/x86", "drivers/xen", "include/xen", "init")
MAX_FILE_BYTES = 16 << 20


def is_tree_root(path: str) -> bool:
    return (
        os.path.isfile(os.path.join(path, "Makefile"))
        and os.path.isfile(os.path.join(path, "Kconfig"))
        and os.path.isdir(os.path.join(path, "arch"))
        and os.path.isdir(os.path.join(path, "include"))
    )


def find_root(path: str) -> str | None:
    """The nearest folder at or above `path` that holds Makefile, Kconfig, arch/ and include/."""
    cur = os.path.abspath(path)
    if not os.path.isdir(cur):
        cur = os.path.dirname(cur)
    while True:
        if is_tree_root(cur):
            return cur
        parent = os.path.dirname(cur)
        if parent == cur:
            return None
        cur = parent


def relpath(path: str, root: str) -> str:
    return os.path.relpath(os.path.abspath(path), root).replace(os.sep, "/")


def _walk(root: str, top: str, out: list[str]) -> None:
    """Regular source files below `top`; directory symlinks are not followed."""
    base = os.path.join(root, top) if top else root
    if not os.path.isdir(base):
        return
    for dirpath, dirnames, filenames in os.walk(base, followlinks=False, onerror=None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                out.append(relpath(os.path.join(dirpath, name), root))


def scope_files(root: str, scope: str = "default", section_headers: tuple[str, ...] = ()) -> list[str]:
    """Root-relative paths of the files a scope lints, sorted.  The default scope also takes
    the headers outside its folders that define section macros (`section_headers`, found
    by the section table: include/linux/init.h, cache.h, compiler_types.h, ...)."""
    out: list[str] = []
    if scope == "all":
        _walk(root, "", out)
    elif scope == "default":
        for top in DEFAULT_SCOPE_DIRS:
            _walk(root, top, out)
        out.extend(h for h in section_headers if os.path.isfile(os.path.join(root, h)))
    else:
        raise HvlintError(f"unknown scope '{scope}' (use default or all)")
    return sorted(set(out))


def explicit_files(root: str, paths: list[str]) -> list[str]:
    """Files named on the command line (folders expanded), relative to root."""
    out: list[str] = []
    for p in paths:
        ap = os.path.abspath(p)
        rel = relpath(ap, root)
        if rel.startswith("../") or rel == "..":
            raise HvlintError(f"{p}: not inside the tree at {root}")
        if os.path.isdir(ap):
            _walk(root, "" if rel == "." else rel, out)
        elif os.path.lexists(ap):
            out.append(rel)
        else:
            raise HvlintError(f"{p}: no such file or directory")
    return sorted(set(out))


@dataclass(frozen=True, slots=True)
class ReadResult:
    data: bytes | None
    error: str | None = None


def read_source(root: str, rel: str) -> ReadResult:
    """The bytes of a file, or why they cannot be had.  Refuses symlinks that leave the root,
    non-regular files and files over MAX_FILE_BYTES."""
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            real = os.path.realpath(path)
            rroot = os.path.realpath(root)
            if os.path.commonpath([real, rroot]) != rroot:
                return ReadResult(None, "symbolic link that points outside the tree; not followed")
            st = os.stat(path)
        if not stat.S_ISREG(st.st_mode):
            return ReadResult(None, "not a regular file")
        if st.st_size > MAX_FILE_BYTES:
            return ReadResult(None, f"file is {st.st_size} bytes, over the {MAX_FILE_BYTES}-byte limit")
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        return ReadResult(None, "file vanished before it could be read")
    except PermissionError:
        return ReadResult(None, "permission denied")
    except OSError as exc:
        return ReadResult(None, f"cannot read: {exc.strerror or exc}")
    return ReadResult(data)
