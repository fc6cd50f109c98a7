"""The on-disk cache: per-file facts, the tables derived from a tree's headers, and whole
run results, so that a second run on an unchanged tree (or one with a file touched) does not
parse again.

Storage: one SQLite database in WAL mode (`hvlint-cache.sqlite3` in the cache directory).
SQLite gives what hvlint needs without hand-made locking: a write is a transaction, so a run
killed halfway leaves the old entries or the new ones, never half of one; readers do not
block the writer, and two hvlint processes writing at once are serialised by SQLite's own
lock (with a busy timeout) instead of corrupting anything.  Each value carries a BLAKE2b
digest of its bytes: an entry that does not match it, or that does not unpickle, is a miss
and is written again; a database file SQLite cannot open is moved aside and started anew.
A cache that cannot be written (read-only directory, full disk) never fails the lint: the
run goes on without it and says so once on stderr.

Keys are content addressed: a file's facts are found by the BLAKE2b hash of its bytes, its
path, the vocabulary it was parsed with and the *salt* -- a hash of hvlint's own source
files and the versions of tree-sitter and its C grammar, so that a new hvlint (or an edited
one) never reads facts an older front end made.

Where: `--cache-dir DIR`, else `$HVLINT_CACHE_DIR`, else the platform's user cache directory
(`platformdirs`: `~/.cache/hvlint` on Linux, honouring `$XDG_CACHE_HOME`).  `--no-cache`
turns it off.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import sys
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

DB_NAME = "hvlint-cache.sqlite3"
_SCHEMA = 1
_DIGEST = 16


def default_dir() -> str:
    env = os.environ.get("HVLINT_CACHE_DIR")
    if env:
        return env
    from platformdirs import user_cache_dir

    return user_cache_dir("hvlint", appauthor=False)


@lru_cache(maxsize=1)
def salt() -> bytes:
    """What every key includes: hvlint's source (every module of the package and its data
    files) and the parser's versions."""
    from importlib.metadata import PackageNotFoundError, version

    import hvlint

    h = hashlib.blake2b(digest_size=_DIGEST)
    h.update(f"schema {_SCHEMA}\0".encode())
    for pkg in ("tree-sitter", "tree-sitter-c"):
        try:
            h.update(f"{pkg} {version(pkg)}\0".encode())
        except PackageNotFoundError:
            h.update(f"{pkg} ?\0".encode())
    base = os.path.dirname(os.path.abspath(hvlint.__file__))
    roots = [base]
    try:
        import hvlint.rules as rules_pkg

        roots.append(os.path.dirname(os.path.abspath(rules_pkg.__file__)))
    except ImportError:  # pragma: no cover
        pass
    for top in roots:
        for dirpath, dirnames, filenames in os.walk(top):
            dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
            for name in sorted(filenames):
                if name.endswith((".py", ".toml", ".scm")):
                    try:
                        with open(os.path.join(dirpath, name), "rb") as fh:
                            h.update(name.encode() + b"\0" + fh.read())
                    except OSError:
                        continue
    return h.digest()


def digest(*parts: bytes | str) -> bytes:
    h = hashlib.blake2b(digest_size=_DIGEST)
    for p in parts:
        b = p.encode("utf-8", "surrogateescape") if isinstance(p, str) else p
        h.update(len(b).to_bytes(8, "little"))
        h.update(b)
    return h.digest()


class Cache:
    """The cache of one run.  Every method swallows storage errors (a cache must never fail
    a lint): after the first one the cache turns itself off and `problem` says why."""

    def __init__(self, directory: str | None) -> None:
        self.directory = directory
        self.problem: str | None = None
        self.hits = 0
        self.misses = 0
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[str, bytes, bytes]] = []
        self._pending_bytes = 0
        if directory is not None:
            self._open()

    # -- opening -------------------------------------------------------------------------

    @property
    def enabled(self) -> bool:
        return self._db is not None

    @property
    def path(self) -> str | None:
        return os.path.join(self.directory, DB_NAME) if self.directory else None

    def _open(self) -> None:
        assert self.directory is not None
        try:
            os.makedirs(self.directory, exist_ok=True)
            self._db = self._connect()
        except sqlite3.DatabaseError as exc:
            # Not a database (a truncated or foreign file): set it aside and start anew.
            try:
                bad = f"{self.path}.corrupt-{int(time.time())}"
                os.replace(str(self.path), bad)
                for suffix in ("-wal", "-shm"):
                    if os.path.exists(f"{self.path}{suffix}"):
                        os.unlink(f"{self.path}{suffix}")
                self._db = self._connect()
                self._warn(f"the cache database was unreadable ({exc}); moved it to {bad} and started a new one")
                self.problem = None
            except (OSError, sqlite3.Error) as exc2:
                self._disable(f"cannot use the cache in {self.directory}: {exc2}")
        except OSError as exc:
            self._disable(f"cannot use the cache in {self.directory}: {exc.strerror or exc}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=10.0, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute(
            "CREATE TABLE IF NOT EXISTS entries (kind TEXT NOT NULL, key BLOB NOT NULL, sum BLOB NOT NULL, value BLOB NOT NULL, PRIMARY KEY (kind, key)) WITHOUT ROWID"
        )
        db.execute("SELECT count(*) FROM entries WHERE 0").fetchone()  # fails on a corrupt file
        return db

    def _warn(self, message: str) -> None:
        print(f"hvlint: cache: {message}", file=sys.stderr)

    def _disable(self, why: str) -> None:
        if self.problem is None:
            self.problem = why
            self._warn(f"{why}; going on without it")
        self._pending.clear()
        self._shut()

    def _shut(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
        self._db = None

    # -- values --------------------------------------------------------------------------

    def get(self, kind: str, key: bytes) -> Any | None:
        """The value stored under (kind, key), or None (also for a damaged entry)."""
        got = self.get_many(kind, [key])
        return got.get(key)

    def get_many(self, kind: str, keys: Iterable[bytes]) -> dict[bytes, Any]:
        db = self._db
        wanted = list(keys)
        if db is None or not wanted:
            return {}
        out: dict[bytes, Any] = {}
        try:
            for chunk in _chunks(wanted, 500):
                marks = ",".join("?" * len(chunk))
                rows = db.execute(
                    f"SELECT key, sum, value FROM entries WHERE kind = ? AND key IN ({marks})", (kind, *chunk)
                ).fetchall()
                for key, total, blob in rows:
                    value = self._decode(kind, key, total, blob)
                    if value is not None:
                        out[key] = value
        except sqlite3.DatabaseError as exc:
            self._disable(f"cannot read the cache: {exc}")
            return {}
        self.hits += len(out)
        self.misses += len(wanted) - len(out)
        return out

    def _decode(self, kind: str, key: bytes, total: bytes, blob: bytes) -> Any | None:
        if hashlib.blake2b(blob, digest_size=_DIGEST).digest() != total:
            self._forget(kind, key)  # damaged on disk: rewritten by this run
            return None
        try:
            return pickle.loads(blob)
        except Exception:  # a value an older/other hvlint wrote differently: a miss
            self._forget(kind, key)
            return None

    def _forget(self, kind: str, key: bytes) -> None:
        try:
            if self._db is not None:
                self._db.execute("DELETE FROM entries WHERE kind = ? AND key = ?", (kind, key))
        except sqlite3.DatabaseError:
            pass

    def put(self, kind: str, key: bytes, value: Any) -> None:
        """Store later (at `flush`), in one transaction with the run's other values."""
        if self._db is None:
            return
        try:
            blob = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # pragma: no cover - every stored type pickles
            return
        self._add(kind, key, blob)

    def put_bytes(self, kind: str, key: bytes, blob: bytes) -> None:
        """`put` for a value pickled already (by a worker process)."""
        if self._db is not None:
            self._add(kind, key, blob)

    def _add(self, kind: str, key: bytes, blob: bytes) -> None:
        self._pending.append((kind, key, blob))
        self._pending_bytes += len(blob)
        if self._pending_bytes > 64 << 20:  # write as it goes: the whole tree's facts are ~800 MB
            self.flush()

    def flush(self) -> None:
        db = self._db
        if db is None or not self._pending:
            return
        rows = [(k, key, hashlib.blake2b(b, digest_size=_DIGEST).digest(), b) for k, key, b in self._pending]
        self._pending.clear()
        self._pending_bytes = 0
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("INSERT OR REPLACE INTO entries (kind, key, sum, value) VALUES (?, ?, ?, ?)", rows)
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            try:
                db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._disable(f"cannot write the cache: {exc}")

    def close(self) -> None:
        self.flush()
        self._shut()


def _chunks(items: list[bytes], n: int) -> Iterator[list[bytes]]:
    for i in range(0, len(items), n):
        yield items[i : i + n]


# The run's cache, as the engine and the table code reach it (None: no cache).
_CURRENT: list[Cache | None] = [None]


def current() -> Cache | None:
    return _CURRENT[0]


@contextmanager
def opened(disabled: bool, directory: str | None) -> Iterator[Cache]:
    """The cache of a command (`--no-cache`, `--cache-dir`), the current one while it runs,
    closed (pending values written) at the end."""
    store = Cache(None if disabled else (directory or default_dir()))
    use(store)
    try:
        yield store
    finally:
        store.close()
        use(None)


def use(c: Cache | None) -> None:
    _CURRENT[0] = c
