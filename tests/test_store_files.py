"""What the database file may be, and what happens when it is not what coach
expects (issue 19): anything but an ordinary file is refused in one line
before SQLite touches it; a database damaged or missing a table, or a SQLite
file that is not coach's, is refused in one line and left untouched."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.store import StoreError, open_store


def coach(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """`coach ARGS` in its own process (a FIFO would block this one forever)."""
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def assert_one_line(r: subprocess.CompletedProcess, message: str) -> None:
    assert r.returncode == 2, r.stderr
    assert r.stdout == ""
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr, r.stderr
    assert message in r.stderr


@pytest.fixture
def fifo(tmp_path) -> Path:
    path = tmp_path / "fifo.db"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_at_once_for_reading_and_writing(fifo):
    for args in (["sessions"], ["comment", "1", "hi"]):
        r = coach("--db", str(fifo), *args, timeout=10)  # it used to block forever
        assert_one_line(r, f"{fifo}: is a named pipe (FIFO), not a database file")


def test_a_folder_is_one_line_not_a_usage_error(tmp_path):
    r = coach("--db", str(tmp_path), "sessions")
    assert_one_line(r, f"{tmp_path}: is a folder, not a database file")


@pytest.mark.parametrize("through_a_link", [False, True])
def test_dev_null_is_refused_and_no_journal_is_made_beside_it(tmp_path, through_a_link):
    journal_before = os.path.exists("/dev/null-journal")
    target = Path("/dev/null")
    if through_a_link:
        target = tmp_path / "link.db"
        target.symlink_to("/dev/null")
    for args in (["sessions"], ["comment", "1", "hi"]):
        assert_one_line(coach("--db", str(target), *args), f"{target}: is a device, not a database file")
    assert os.path.exists("/dev/null-journal") == journal_before


def test_the_store_refuses_a_non_regular_file_itself(fifo):
    with pytest.raises(StoreError, match="named pipe"):
        open_store(fifo)
    with pytest.raises(StoreError, match="named pipe"):
        open_store(fifo, readonly=True)
