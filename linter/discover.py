"""Tree root, scope and file list; reading files.

Paths handed to the rest of hvlint are relative to the tree root with `/` separators.
Nothing here follows a symlink out of the root or reads anything but regular files.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass

from hvlint.errors import HvlintError

SOURCE_SUFFIXES = (".c", ".h", ".S")
# The default scope: what the x86 boot, Xen and PVH code is made of.
DEFAULT_SCOPE_DIRS = ("arch/x86", "drivers/xen", "include/xen", "init")
MAX_FILE_BYTES = 16 << 20

# -- the view: files whose text differs from the disk (a patch under review) --------------
# Root-relative path -> the text in the view, or None for a file the view deletes.  Every
# reader of tree files goes through `read_source`, `is_file` and the walks below, so a
# patch applied in memory is seen by the whole pipeline and nothing is written.
_VIEW: dict[str, bytes | None] = {}
_VIEW_ROOT: list[str] = []


def set_view(root: str, files: dict[str, bytes | None]) -> None:
    """Lint `root` as if `files` held this text (None: absent).  An empty dict: the disk."""
    _VIEW.clear()
    _VIEW.update(files)
    _VIEW_ROOT[:] = [os.path.realpath(root)] if files else []


def view() -> tuple[str | None, dict[str, bytes | None]]:
    return (_VIEW_ROOT[0] if _VIEW_ROOT else None), dict(_VIEW)


def in_view(root: str, rel: str) -> tuple[bool, bytes | None]:
    if not _VIEW or rel not in _VIEW or os.path.realpath(root) != _VIEW_ROOT[0]:
        return False, None
    return True, _VIEW[rel]


def is_file(root: str, rel: str) -> bool:
    """Whether root/rel is a file in the linted view."""
    hit, data = in_view(root, rel)
    if hit:
        return data is not None
    return os.path.isfile(os.path.join(root, rel))


def lexists(path: str) -> bool:
    """os.path.lexists, with the view's added files there and its deleted ones gone."""
    if _VIEW and _VIEW_ROOT:
        rel = os.path.relpath(os.path.realpath(os.path.abspath(path)), _VIEW_ROOT[0]).replace(os.sep, "/")
        if rel in _VIEW:
            return _VIEW[rel] is not None
    return os.path.lexists(path)


def view_files_below(root: str, top: str, suffixes: tuple[str, ...]) -> tuple[set[str], set[str]]:
    """(files the view adds below `top`, files it deletes there), root-relative."""
    if not _VIEW or os.path.realpath(root) != _VIEW_ROOT[0]:
        return set(), set()
    prefix = top.rstrip("/") + "/" if top else ""
    added: set[str] = set()
    deleted: set[str] = set()
    for rel, data in _VIEW.items():
        if rel.startswith(prefix) and rel.endswith(suffixes):
            (deleted if data is None else added).add(rel)
    return added, deleted


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
        out.extend(sorted(view_files_below(root, top, SOURCE_SUFFIXES)[0]))
        return
    found: list[str] = []

    def unreadable(exc: OSError) -> None:
        # a folder the walk cannot list: kept as an entry, so that it gets its HV901
        # (read_source says why) instead of its files going silently unlinted
        if exc.filename and os.path.isdir(exc.filename):
            found.append(relpath(exc.filename, root))

    for dirpath, dirnames, filenames in os.walk(base, followlinks=False, onerror=unreadable):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.endswith(SOURCE_SUFFIXES):
                found.append(relpath(os.path.join(dirpath, name), root))
    added, deleted = view_files_below(root, top, SOURCE_SUFFIXES)
    out.extend(sorted((set(found) | added) - deleted) if added or deleted else found)


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
        out.extend(existing(root, section_headers))
    else:
        raise HvlintError(f"unknown scope '{scope}' (use default or all)")
    return sorted(set(out))


def existing(root: str, rels: tuple[str, ...]) -> list[str]:
    """Those of `rels` that are files under root."""
    return [h for h in rels if is_file(root, h)]


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
        elif lexists(ap):
            out.append(rel)
        else:
            raise HvlintError(f"{p}: no such file or directory")
    return sorted(set(out))


# Kbuild variables whose objects are built as user-space programs, without the kernel's
# forced `-include compiler_types.h` (so without `__section()` and friends): host programs
# (scripts/Makefile.host) and UML's user-side objects (arch/um/scripts/Makefile.rules).
_USER_VARS = re.compile(
    r"^[ \t]*(hostprogs(?:-[\w$()]+)?|USER_OBJS|UNPROFILE_OBJS|USER_SINGLE_OBJS|[\w.-]+-objs)[ \t]*[:+?]?=(.*)$", re.M
)
_USERSPACE_PREFIXES = ("include/uapi/", "tools/", "scripts/", "usr/", "samples/")


def _makefile_user_sources(root: str, folder: str) -> set[str]:
    """Root-relative .c files that `folder/Makefile` builds as user-space code."""
    data = read_source(root, os.path.join(folder, "Makefile").replace(os.sep, "/")).data
    if data is None:
        return set()
    text = data[: 1 << 20].decode("latin-1").replace("\\\n", " ")
    hostprogs: set[str] = set()
    objects: set[str] = set()
    composite: dict[str, list[str]] = {}
    for m in _USER_VARS.finditer(text):
        var, words = m.group(1), m.group(2).split()
        if var.startswith("hostprogs"):
            hostprogs.update(w for w in words if "$" not in w)
        elif var.endswith("-objs"):
            composite.setdefault(var[: -len("-objs")], []).extend(words)
        else:
            objects.update(w for w in words if w.endswith(".o"))
    for prog in hostprogs:
        parts = composite.get(prog)
        objects.update(parts if parts else [prog + ".o"])
    out = set()
    for obj in objects:
        if obj.endswith(".o") and "$" not in obj:
            rel = os.path.normpath(os.path.join(folder, obj[:-2] + ".c")).replace(os.sep, "/")
            out.add(rel)
    return out


def userspace_files(root: str, files: list[str]) -> set[str]:
    """The files among `files` that are compiled as user-space code, not kernel code."""
    out: set[str] = set()
    folders: dict[str, set[str]] = {}
    for rel in files:
        if rel.startswith(_USERSPACE_PREFIXES) or "/include/uapi/" in rel:
            out.add(rel)
            continue
        if rel.startswith(("arch/um/", "arch/x86/um/")) and (rel.endswith("_user.c") or "/os-Linux/" in rel):
            out.add(rel)
            continue
        folder = os.path.dirname(rel)
        # A Makefile names its objects relative to its own folder (`tools/build` in
        # arch/x86/boot/Makefile): look in the file's folder and the folders above it.
        cur = folder
        while cur and cur != "arch":
            if cur not in folders:
                folders[cur] = _makefile_user_sources(root, cur)
            if rel in folders[cur]:
                out.add(rel)
                break
            cur = os.path.dirname(cur)
    return out


@dataclass(frozen=True, slots=True)
class ReadResult:
    data: bytes | None
    error: str | None = None


def read_source(root: str, rel: str) -> ReadResult:
    """The bytes of a file, or why they cannot be had.  Refuses symlinks that leave the root,
    non-regular files and files over MAX_FILE_BYTES."""
    hit, viewed = in_view(root, rel)
    if hit:
        return ReadResult(viewed) if viewed is not None else ReadResult(None, "deleted by the patch under review")
    path = os.path.join(root, rel)
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            if not os.path.exists(path):
                return ReadResult(None, f"broken symbolic link (to {os.readlink(path)})")
            real = os.path.realpath(path)
            rroot = os.path.realpath(root)
            if os.path.commonpath([real, rroot]) != rroot:
                return ReadResult(None, "symbolic link that points outside the tree; not followed")
            st = os.stat(path)
        if stat.S_ISDIR(st.st_mode):
            try:
                os.listdir(path)
            except OSError as exc:
                return ReadResult(None, f"cannot read this folder ({exc.strerror or exc}): its files are not linted")
            return ReadResult(None, "a folder, not a file")
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
