"""`kill PID` (SIGTERM) while the app runs leaves the terminal as it found it
(issue 19 item 9): the app, started for real in a pseudo-terminal, switches
mouse reporting off and leaves the alternate screen before it exits. (The
handler is the app's, the same for practice and review.)"""

from __future__ import annotations

import os
import re
import select
import signal
import sys
import time

import pytest

pty = pytest.importorskip("pty")

#: What the app switches on (and must switch off): the alternate screen and
#: the mouse reporting modes.
MODES = ("1049", "1000", "1003", "1006")


def _read(fd: int, until, timeout: float) -> bytes:
    out = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end and not until(out):
        ready, _, _ = select.select([fd], [], [], 0.1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        out += chunk
    return out


def _last_setting(data: bytes, mode: str) -> str | None:
    """'h' (on) or 'l' (off): the last time the private mode was set, or None."""
    found = re.findall(rb"\x1b\[\?" + mode.encode() + rb"([hl])", data)
    return found[-1].decode() if found else None


def test_sigterm_restores_the_terminal(tmp_path):
    import fcntl
    import struct
    import termios

    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command line, in the pseudo-terminal
        os.environ["TERM"] = "xterm-256color"
        os.execv(sys.executable, [sys.executable, "-m", "coach", "--db", str(tmp_path / "coach.db"), "practice"])
    try:
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        started = _read(fd, lambda out: all(_last_setting(out, m) == "h" for m in MODES), timeout=60)
        assert all(_last_setting(started, m) == "h" for m in MODES), started[-400:]
        os.kill(pid, signal.SIGTERM)
        after = _read(fd, lambda out: False, timeout=30)  # until the child closes the terminal
    finally:
        try:
            _, status = os.waitpid(pid, 0)
        finally:
            os.close(fd)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 143, status
    for mode in MODES:
        assert _last_setting(after, mode) == "l", (mode, after[-400:])
