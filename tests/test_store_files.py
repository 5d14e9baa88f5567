"""What the database file may be, and what happens when it is not what coach
expects (issue 19): anything but an ordinary file is refused in one line
before SQLite touches it; a database damaged or missing a table, or a SQLite
file that is not coach's, is refused in one line and left untouched."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.store import StoreError, open_store


def coach_process(*args: str, timeout: float = 30) -> subprocess.CompletedProcess:
    """`coach ARGS` in its own process: for the app, and for a FIFO, which
    blocked the old code forever (the timeout bounds it)."""
    return subprocess.run([sys.executable, "-m", "coach", *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL)


def coach(*args: str) -> subprocess.CompletedProcess:
    """`coach ARGS` in this process (much quicker); an uncaught exception
    shows as a traceback on stderr, as it would in a terminal."""
    import traceback

    from click.testing import CliRunner

    from coach.cli import cli

    if args[-1:] in (("practice",), ("review",)):
        return coach_process(*args)
    r = CliRunner().invoke(cli, list(args))
    err = r.stderr
    if r.exception is not None and not isinstance(r.exception, SystemExit):
        err += "".join(traceback.format_exception(r.exception))
    done = subprocess.CompletedProcess(args, r.exit_code, r.stdout, err)
    del r
    gc.collect()  # close the command's connection, as leaving the process would
    return done


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
        r = coach_process("--db", str(fifo), *args, timeout=10)  # it used to block forever
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


# -- a damaged or incomplete coach database --------------------------------------


def _seeded(path: Path) -> Path:
    from coach.analysis.types import AnalysedTurn

    store = open_store(path)
    for s in range(40):
        sid = store.start_session(rep=f"rep{s % 3}", scenario_id="x", scenario_title="T", scenario_yaml="id: x\n" * 40)
        for i in range(6):
            text = f"turn {i} of session {s}: what happened after the outage, and who noticed it first?"
            store.add_turn(sid, speaker="rep", text=text, analysed=AnalysedTurn(text=text, labels=("open_question",)))
        store.add_comment(sid, author="mgr", text="good")
    store.db.execute("pragma wal_checkpoint(truncate)")
    store.db.close()
    return path


def _fingerprint(path: Path) -> tuple[bytes, list[str]]:
    return path.read_bytes(), sorted(p.name for p in path.parent.iterdir())


def test_a_missing_table_is_one_line_for_every_reader_and_writer(tmp_path):
    import sqlite3

    db = _seeded(tmp_path / "coach.db")
    conn = sqlite3.connect(db)
    conn.execute("drop table comments")
    conn.commit()
    conn.close()
    before = _fingerprint(db)
    for args in (["sessions"], ["search", "outage"], ["show", "1"], ["comment", "1", "hi"]):
        r = coach("--db", str(db), *args)
        assert r.returncode == 2 and "Traceback" not in r.stderr, (args, r.stderr)
        assert r.stderr.count("\n") == 1, (args, r.stderr)
        assert _fingerprint(db) == before, args


def _damage(path: Path, start: int, length: int) -> None:
    data = bytearray(path.read_bytes())
    data[start : start + length] = b"\x5a" * length
    path.write_bytes(bytes(data))


# practice and review open the database the same way (coach.cli.app.run_app): one of them is enough.
ALL_COMMANDS = (["sessions"], ["search", "outage"], ["show", "1"], ["comment", "1", "hi"], ["review"])


def test_a_database_damaged_past_its_first_pages_is_one_line_everywhere(tmp_path):
    """The issue's damage: bytes 12288-24575 overwritten. Every command, the
    app's included, says so in one line, exits 2 and leaves the file as it was
    (no -wal or -shm beside it either)."""
    db = _seeded(tmp_path / "coach.db")
    _damage(db, 12288, 12288)
    before = _fingerprint(db)
    for args in ALL_COMMANDS:
        r = coach("--db", str(db), *args)
        assert_one_line(r, f"{db}: ")
        assert "corrupt" in r.stderr or "damaged" in r.stderr, r.stderr
        assert _fingerprint(db) == before, args


def test_damage_deep_in_the_data_stops_every_writer_before_it_writes(tmp_path):
    """A data page far from the schema: a reader may not reach it, but the
    writers (comment, the app) read every page first and refuse."""
    db = _seeded(tmp_path / "coach.db")
    size = db.stat().st_size
    _damage(db, size - 3 * 4096, 4096)
    before = _fingerprint(db)
    for args in (["comment", "1", "hi"], ["practice"]):
        r = coach("--db", str(db), *args)
        assert_one_line(r, f"{db}: ")
        assert _fingerprint(db) == before, args


def test_a_sqlite_file_that_is_not_coachs_is_refused_unless_adopted(tmp_path):
    import sqlite3

    db = tmp_path / "foreign.db"
    conn = sqlite3.connect(db)
    conn.execute("create table invoices (id integer primary key, total real)")
    conn.execute("insert into invoices (total) values (12.5)")
    conn.commit()
    conn.close()
    before = _fingerprint(db)
    for args in (["comment", "1", "hi"], ["sessions"], ["practice"]):
        r = coach("--db", str(db), *args)
        assert_one_line(r, f"{db}: a SQLite database, but not coach's")
        assert "--adopt-db" in r.stderr
        assert _fingerprint(db) == before, args
    # Asked for, coach adds its tables beside the file's own.
    r = coach("--db", str(db), "--adopt-db", "sessions")
    assert r.returncode == 2  # reading cannot add tables
    store = open_store(db, adopt=True)
    assert store.sessions() == []
    assert list(store.db.query("select total from invoices")) == [{"total": 12.5}]


def test_an_empty_file_is_a_new_database(tmp_path):
    db = tmp_path / "coach.db"
    db.write_bytes(b"")
    store = open_store(db)
    assert store.sessions() == []


# -- a full disk and a read-only folder, on a real small filesystem --------------


@pytest.fixture
def small_fs(tmp_path):
    """A 64 KB tmpfs mounted for the test (needs the right to mount: root here)."""
    mnt = tmp_path / "mnt"
    mnt.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True).returncode:
        pytest.skip("cannot mount a tmpfs here (needs root)")
    try:
        yield mnt
    finally:
        subprocess.run(["umount", "-l", str(mnt)], check=True)


def test_a_full_disk_is_named_and_leaves_no_empty_database(small_fs):
    (small_fs / "fill").write_bytes(b"\0" * (64 * 1024))
    db = small_fs / "coach.db"
    # Commands that make the database (a comment on a session no database holds no longer does).
    for args in (["assign", "ana", "it-director-outage", "--pass-mark", "70", "--due", "2099-01-01"], ["practice"]):
        r = coach("--db", str(db), *args)
        assert_one_line(r, f"{db}: the disk is full")
        assert sorted(p.name for p in small_fs.iterdir()) == ["fill"]


def test_a_disk_that_fills_while_the_database_is_made(small_fs):
    # Room for the file, not for its journal and schema: the I/O error is named too.
    (small_fs / "fill").write_bytes(b"\0" * (40 * 1024))
    db = small_fs / "coach.db"
    r = coach("--db", str(db), "assign", "ana", "it-director-outage", "--pass-mark", "70", "--due", "2099-01-01")
    assert_one_line(r, f"{db}: the disk is full")
    assert sorted(p.name for p in small_fs.iterdir()) == ["fill"]


def test_a_database_on_a_read_only_filesystem_can_still_be_read(small_fs):
    subprocess.run(["mount", "-o", "remount,size=8m", str(small_fs)], check=True)
    db = _seeded(small_fs / "coach.db")
    subprocess.run(["mount", "-o", "remount,ro", str(small_fs)], check=True)
    r = coach("--db", str(db), "sessions")
    assert r.returncode == 0, r.stderr
    assert "rep0" in r.stdout
    assert coach("--db", str(db), "show", "1").returncode == 0
    assert_one_line(coach("--db", str(db), "comment", "1", "hi"), f"{db}: database is read-only")


def test_a_folder_as_the_scenario_to_practise_is_one_line(tmp_path):
    r = coach("--db", str(tmp_path / "coach.db"), "practice", str(tmp_path))
    assert_one_line(r, f"{tmp_path}: is a folder, not a scenario file")
