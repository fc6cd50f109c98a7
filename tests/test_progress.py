"""The progress bar: on stderr, only on a terminal, only for runs over a second (the delay
is lowered here with HVLINT_PROGRESS_DELAY), wiped at the end, never with --quiet,
--no-progress or TERM=dumb, and never on stdout."""

from __future__ import annotations

import fcntl
import os
import pty
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

TREE = Path(__file__).resolve().parent.parent / "corpus" / "trees" / "pvh-mini"


def _run_on_terminal(args: list[str], env: dict[str, str] | None = None, tty: bool = True) -> tuple[bytes, bytes]:
    """(stdout, stderr) of `python -m hvlint ARGS`, stderr on a 120x40 pseudo-terminal."""
    full_env = {**os.environ, "TERM": "xterm", **(env or {})}
    full_env.pop("NO_COLOR", None)
    if not tty:
        p = subprocess.run([sys.executable, "-m", "hvlint", *args], capture_output=True, env=full_env, timeout=120)
        return p.stdout, p.stderr
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    p = subprocess.Popen([sys.executable, "-m", "hvlint", *args], stdout=subprocess.PIPE, stderr=slave, env=full_env)
    os.close(slave)
    err = b""
    while True:
        try:
            chunk = os.read(master, 4096)
        except OSError:  # the other side closed
            break
        if not chunk:
            break
        err += chunk
    out = p.stdout.read() if p.stdout else b""
    p.wait(timeout=120)
    os.close(master)
    return out, err


def test_no_bar_for_a_short_run() -> None:
    _, err = _run_on_terminal(["--select", "HV2", str(TREE)])
    assert b"hvlint: parsing" not in err and b"%|" not in err
    assert err.startswith(b"Found ")


def test_bar_shown_and_wiped_when_the_run_is_long_enough() -> None:
    out, err = _run_on_terminal(["--select", "ALL", str(TREE)], {"HVLINT_PROGRESS_DELAY": "0"})
    assert b"hvlint: " in err and b"file" in err and b"%|" in err
    summary = err.index(b"Found ")
    assert err[:summary].endswith(b"\r") and err[:summary].rstrip(b"\r").endswith(b" " * 20)  # wiped
    plain, _ = _run_on_terminal(["--select", "ALL", str(TREE)], tty=False)
    assert out == plain  # the bar never reaches stdout


@pytest.mark.parametrize(
    ("args", "env", "tty"),
    [
        (["--quiet"], {}, True),
        (["--no-progress"], {}, True),
        ([], {"TERM": "dumb"}, True),
        ([], {}, False),
    ],
)
def test_no_bar(args: list[str], env: dict[str, str], tty: bool) -> None:
    _, err = _run_on_terminal(["--select", "ALL", *args, str(TREE)], {"HVLINT_PROGRESS_DELAY": "0", **env}, tty=tty)
    assert b"%|" not in err
