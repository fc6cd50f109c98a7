"""Patches under review: read a unified diff or a mail (one message, or an mbox of a
`git format-patch` series with its cover letter), and apply it in memory to a view of the
tree.  Nothing is written: the result is the new text of each file the patch touches, with,
for every line, which patch and hunk added it.

Mail is read with the standard library's `mailbox` and `email` (MIME, quoted-printable,
base64, charsets, patches sent as attachments), diffs with `unidiff`.  Applying is strict
like `git apply`: context and removed lines must match; a hunk may have moved (it is looked
for nearby, as patch(1) does), but never fuzzed.
"""

from __future__ import annotations

import email
import email.policy
import gzip
import mailbox
import os
import re
import tempfile
from dataclasses import dataclass, field
from email.message import EmailMessage

from unidiff.errors import UnidiffParseError
from unidiff.patch import Hunk, PatchSet

from hvlint import discover
from hvlint.errors import HvlintError

_SUBJECT_NUMBER = re.compile(r"\[[^\]]*?(\d+)/(\d+)\s*\]")
_MBOX_FROM = re.compile(rb"^From \S+")
_HEADER_LINE = re.compile(rb"^[A-Za-z][A-Za-z0-9-]*:[ \t]")
_DIFF_START = re.compile(r"^(diff --git |--- \S|Index: )", re.M)
MAX_PATCH_BYTES = 64 << 20


@dataclass
class Message:
    """One mail of a series (or the whole of a plain diff)."""

    index: int  # position in the input, 0-based
    subject: str = ""
    message_id: str = ""
    sender: str = ""
    date: str = ""
    to: str = ""
    cc: str = ""
    references: str = ""
    number: tuple[int, int] | None = None  # (n, m) of "[PATCH n/m]"
    body: str = ""
    patch: PatchSet | None = None

    @property
    def label(self) -> str:
        """How messages name this patch: 'patch 2/11 ("xen/hvmlite: ...")'."""
        if self.number:
            head = f"patch {self.number[0]}/{self.number[1]}"
        else:
            head = "patch" if self.subject else "the patch"
        return f'{head} ("{_short(self.subject)}")' if self.subject else head


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an added line comes from: the message, the file's diff and the hunk in it, and
    the position of the line in that hunk."""

    message: int
    path: str
    hunk: int
    at: int


@dataclass
class FileChange:
    """A file of the tree before and after the patch (None: absent)."""

    path: str
    old: bytes | None
    new: bytes | None
    origins: list[Origin | None] = field(default_factory=list)  # per line of `new`

    @property
    def added_lines(self) -> set[int]:
        """1-based numbers of the lines of `new` the patch added or changed."""
        return {i + 1 for i, o in enumerate(self.origins) if o is not None}


@dataclass
class Applied:
    messages: list[Message]
    changes: dict[str, FileChange]
    notes: list[str] = field(default_factory=list)  # hunks applied at an offset, binary files skipped

    def view(self) -> dict[str, bytes | None]:
        return {p: c.new for p, c in self.changes.items()}

    def base(self) -> dict[str, bytes | None]:
        return {p: c.old for p, c in self.changes.items()}


def _short(subject: str, n: int = 60) -> str:
    s = re.sub(r"^\s*(\[[^\]]*\]\s*)+", "", subject).strip()
    return s if len(s) <= n else s[: n - 3] + "..."


# -- reading ---------------------------------------------------------------------------------


def read_bytes(path: str) -> bytes:
    """The patch file's bytes (`-` is stdin; gzip is undone), or a one-line error."""
    import sys

    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_PATCH_BYTES + 1)
        else:
            with open(path, "rb") as fh:
                data = fh.read(MAX_PATCH_BYTES + 1)
    except OSError as exc:
        raise HvlintError(f"--patch {path}: cannot read: {exc.strerror or exc}") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise HvlintError(f"--patch {path}: a broken gzip file: {exc}") from exc
    if len(data) > MAX_PATCH_BYTES:
        raise HvlintError(f"--patch {path}: over {MAX_PATCH_BYTES >> 20} MiB; not a patch hvlint will read")
    return data


def parse(data: bytes, name: str = "patch") -> list[Message]:
    """The messages of an mbox, a single mail or a plain diff, each with its parsed diff."""
    if not data.strip():
        raise HvlintError(f"{name}: empty; no patch to review")
    if b"\0" in data[:8192]:
        raise HvlintError(f"{name}: binary data, not a patch or a mail")
    first = data.lstrip(b"\n").split(b"\n", 1)[0]
    if _MBOX_FROM.match(first) and not first.startswith(b"From:"):
        raws = _mbox_messages(data)
    elif _HEADER_LINE.match(first) and not first.startswith((b"diff ", b"Index:")):
        raws = [data]
    else:
        return [_diff_message(0, data.decode("utf-8", "surrogateescape"), name)]
    messages = [_mail_message(i, raw, name) for i, raw in enumerate(raws)]
    if not any(m.patch for m in messages):
        raise HvlintError(f"{name}: {len(messages)} mail(s) and no diff in any of them")
    return messages


def _mbox_messages(data: bytes) -> list[bytes]:
    """An mbox's messages, split by the standard library's reader (which needs a file)."""
    with tempfile.TemporaryDirectory(prefix="hvlint-mbox-") as tmp:
        path = os.path.join(tmp, "series.mbox")
        with open(path, "wb") as fh:
            fh.write(data)
        box = mailbox.mbox(path, create=False)
        try:
            return [box.get_bytes(key) for key in box.keys()]
        finally:
            box.close()


def _text_parts(msg: EmailMessage) -> list[str]:
    """The text of the parts that may hold a diff: the body, and patches attached."""
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        ctype = part.get_content_type()
        if ctype.startswith("text/") or ctype in ("application/octet-stream",) and part.get_filename():
            try:
                content = part.get_content()
            except (LookupError, ValueError):  # unknown charset, broken transfer encoding
                payload = part.get_payload(decode=True)
                content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
            if isinstance(content, bytes):
                content = content.decode("utf-8", "replace")
            out.append(content)
    return out


def _mail_message(index: int, raw: bytes, name: str) -> Message:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)

    def header(key: str) -> str:
        try:
            v = msg.get(key)
        except (ValueError, IndexError):  # a malformed header
            return ""
        return " ".join(str(v).split()) if v is not None else ""

    subject = header("Subject")
    m = _SUBJECT_NUMBER.search(subject)
    out = Message(
        index=index,
        subject=subject,
        message_id=header("Message-ID"),
        sender=header("From"),
        date=header("Date"),
        to=header("To"),
        cc=header("Cc"),
        references=header("References") or header("In-Reply-To"),
        number=(int(m.group(1)), int(m.group(2))) if m else None,
    )
    texts = [t for t in _text_parts(msg) if _DIFF_START.search(t)]
    out.body = "\n".join(_text_parts(msg)[:1])
    if texts:
        parsed = _diff_message(index, "\n".join(texts), f"{name}: {out.label}")
        out.patch = parsed.patch
    return out


def _diff_message(index: int, text: str, where: str) -> Message:
    text = text.replace("\r\n", "\n")
    m = _DIFF_START.search(text)
    if m is None:
        raise HvlintError(f"{where}: no unified diff found (no 'diff --git' or '---'/'+++' lines)")
    try:
        ps = PatchSet(text[m.start() :])
    except UnidiffParseError as exc:
        raise HvlintError(f"{where}: malformed diff: {exc}") from exc
    if not len(ps):
        raise HvlintError(f"{where}: no file changes in the diff")
    return Message(index=index, body=text, patch=ps)


def load(path: str) -> list[Message]:
    return parse(read_bytes(path), "--patch " + path)


# -- applying --------------------------------------------------------------------------------


def _clean_path(raw: str | None, where: str) -> str | None:
    """A diff's file name as a root-relative path (None for /dev/null); refuses names that
    leave the tree."""
    if raw is None:
        return None
    p = raw.strip()
    if p == "/dev/null":
        return None
    if p.startswith(("a/", "b/")):
        p = p[2:]
    p = p.replace("\\", "/")
    parts = [x for x in p.split("/") if x not in ("", ".")]
    if p.startswith("/") or ".." in parts or not parts:
        raise HvlintError(f"{where}: file name '{raw}' leaves the tree; not applied")
    return "/".join(parts)


def _split(data: bytes) -> list[str]:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    out = [ln + "\n" for ln in lines[:-1]]
    if lines[-1]:
        out.append(lines[-1])
    return out


def _join(lines: list[str]) -> bytes:
    return "".join(lines).encode("utf-8", "surrogateescape")


def _hunk_lines(hunk: Hunk) -> tuple[list[str], list[tuple[str, int]]]:
    """(the lines the hunk expects, the lines it leaves with their index in the hunk)."""
    old: list[str] = []
    new: list[tuple[str, int]] = []
    last: str | None = None
    for i, line in enumerate(hunk):
        if line.line_type == "\\":  # "\ No newline at end of file": the line before has none
            if last in (" ", "-") and old:
                old[-1] = old[-1].rstrip("\n")
            if last in (" ", "+") and new:
                new[-1] = (new[-1][0].rstrip("\n"), new[-1][1])
            continue
        if line.line_type in (" ", "-"):
            old.append(line.value)
        if line.line_type in (" ", "+"):
            new.append((line.value, i))
        last = line.line_type
    return old, new


def _find(lines: list[str], want: list[str], near: int) -> int:
    """Where `want` occurs in `lines`: at `near`, else the closest place (as patch(1) looks
    for a moved hunk); -1 if nowhere."""
    n = len(want)
    if lines[near : near + n] == want:
        return near
    for d in range(1, len(lines) + 1):
        for at in (near - d, near + d):
            if 0 <= at <= len(lines) - n and lines[at : at + n] == want:
                return at
        if near - d < 0 and near + d > len(lines) - n:
            break
    return -1


def _describe_mismatch(lines: list[str], want: list[str], at: int) -> str:
    for k, w in enumerate(want):
        have = lines[at + k] if at + k < len(lines) else None
        if have != w:
            shown = "end of file" if have is None else f"'{have.rstrip()[:70]}'"
            return f"line {at + k + 1} should be '{w.rstrip()[:70]}', the file has {shown}"
    return "the context does not match"


def apply(root: str, messages: list[Message]) -> Applied:
    """Apply every message's diff in order to the tree's text, in memory."""
    state: dict[str, list[str] | None] = {}
    origins: dict[str, list[Origin | None]] = {}
    old: dict[str, bytes | None] = {}
    notes: list[str] = []

    def current(rel: str, where: str) -> list[str] | None:
        if rel not in state:
            res = discover.read_source(root, rel)
            if res.data is None and res.error and "vanished" not in res.error:
                raise HvlintError(f"{where}: {rel}: {res.error}")
            old[rel] = res.data
            state[rel] = None if res.data is None else _split(res.data)
            origins[rel] = [None] * len(state[rel] or [])
        return state[rel]

    for msg in messages:
        if msg.patch is None:
            continue
        for pf in msg.patch:
            where = f"{msg.label}"
            src = _clean_path(pf.source_file, where)
            dst = _clean_path(pf.target_file, where)
            if pf.is_binary_file:
                notes.append(f"{where}: binary change to {dst or src} not applied (hvlint lints source only)")
                continue
            if src is None and dst is None:
                raise HvlintError(f"{where}: a diff with no file name")
            if pf.is_added_file or src is None:
                assert dst is not None
                if current(dst, where) is not None:
                    raise HvlintError(f"{where}: creates {dst}, which already exists in the tree")
                lines: list[str] = []
                orig: list[Origin | None] = []
            else:
                have = current(src, where)
                if have is None:
                    raise HvlintError(f"{where}: patches {src}, which is not in the tree")
                lines, orig = list(have), list(origins[src])
            shift = 0
            for h_index, hunk in enumerate(pf):
                want, new = _hunk_lines(hunk)
                near = max(0, hunk.source_start - 1 + shift) if hunk.source_length else hunk.source_start + shift
                at = _find(lines, want, near) if want else min(near, len(lines))
                name = dst or src or ""
                hunk_id = f"hunk #{h_index + 1} of {name} (@@ -{hunk.source_start},{hunk.source_length} +{hunk.target_start},{hunk.target_length} @@)"
                if at < 0:
                    raise HvlintError(
                        f"{where}: {hunk_id} does not apply: {_describe_mismatch(lines, want, min(near, len(lines)))}"
                    )
                if at != near:
                    notes.append(f"{where}: {hunk_id} applied at offset {at - near:+d} lines")
                kept = orig[at : at + len(want)]
                # Context lines keep their origin (an earlier patch may have added them).
                ctx_origin = iter([o for o, w in zip(kept, want)])
                new_orig: list[Origin | None] = []
                types = [ln.line_type for ln in hunk if ln.line_type != "\\"]
                k = 0
                for t in types:
                    if t == " ":
                        new_orig.append(next(ctx_origin, None))
                        k += 1
                    elif t == "-":
                        next(ctx_origin, None)
                    else:
                        new_orig.append(Origin(msg.index, name, h_index, new[k][1]))
                        k += 1
                lines[at : at + len(want)] = [v for v, _ in new]
                orig[at : at + len(want)] = new_orig
                shift += (at - near) + len(new) - len(want)
            if src is not None and (dst is None or dst != src):
                state[src] = None  # deleted, or renamed away
                origins[src] = []
            if dst is not None:
                if dst != src:
                    current(dst, where)  # record the old text (absent) of the new name
                state[dst] = lines
                origins[dst] = orig
    changes = {}
    for rel, lines_ in state.items():
        new_bytes = None if lines_ is None else _join(lines_)
        if new_bytes == old.get(rel):
            continue
        changes[rel] = FileChange(rel, old.get(rel), new_bytes, origins.get(rel, []) if lines_ is not None else [])
    return Applied(messages, changes, notes)
