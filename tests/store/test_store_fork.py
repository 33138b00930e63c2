"""A forked child opens a store its parent opened before (multiprocessing's default on Linux).

Sessions attach their files to one DuckDB instance per process (ff94d5b); a forked child
inherits its parent's, whose threads stayed in the parent: the child must make its own and
never free the inherited one.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

#: A parent that used a store, then forked children that open one: one by multiprocessing
#: (which ends its child with os._exit), one by os.fork ending with the interpreter's exit.
FORKS = """
import faulthandler, multiprocessing, os, sys
from spillwatch.store import Store
path = sys.argv[1]
Store(path).upsert(__import__("pandas").DataFrame(
    {"series_id": "s", "ts": __import__("pandas").date_range("2024-01-01", periods=3),
     "value": [1.0, 2.0, 3.0]}))

def child():
    faulthandler.dump_traceback_later(20, exit=True)
    Store(path).set_meta("child", "mp")

proc = multiprocessing.get_context("fork").Process(target=child)
proc.start()
proc.join(40)
print("mp", proc.exitcode, Store(path, read_only=True).meta("child"))
pid = os.fork()
if pid == 0:
    faulthandler.dump_traceback_later(20, exit=True)
    Store(path).set_meta("child", "fork")
    sys.exit(0)
print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]),
      Store(path, read_only=True).meta("child"), Store(path, read_only=True).count())
"""



def _run(script: str, path) -> list[str]:
    """The lines ``script`` prints, run in a fresh interpreter on the store at ``path``."""
    out = subprocess.run([sys.executable, "-c", script, str(path)],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout.splitlines()

@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork")
def test_a_forked_child_opens_a_store_its_parent_opened_before(tmp_path):
    # the parent's DuckDB instance, inherited, was freed in the child when it made its own:
    # a multiprocessing child hung, an os.fork child crashed (SIGSEGV, or an abort at its exit)
    assert _run(FORKS, tmp_path / "s.duckdb") == ["mp 0 mp", "fork 0 fork 3"]


#: A parent forking while another of its threads is inside ``_host`` (holding the lock that
#: guards the process's host): the child, which has no such thread, must not wait for it.
FORK_WHILE_HELD = """
import faulthandler, os, sys, threading
from spillwatch.store import Store
from spillwatch.store import duckdb as store_module
path = sys.argv[1]
Store(path).set_meta("parent", "p")
inside, go = threading.Event(), threading.Event()

def busy():
    with store_module._HOST_LOCK:
        inside.set()
        go.wait(60)

thread = threading.Thread(target=busy)
thread.start()
inside.wait(60)
pid = os.fork()
if pid == 0:
    faulthandler.dump_traceback_later(15, exit=True)
    Store(path).set_meta("child", "fork")
    os._exit(0)
go.set()
thread.join()
print("fork", os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]),
      Store(path, read_only=True).meta("child"))
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(os, "register_at_fork"), reason="fork")
def test_a_child_forked_while_a_thread_finds_the_host_opens_a_store(tmp_path):
    # the child inherits the host's lock as it was at the fork: held by a thread it has not,
    # its first session waited for ever (the fork hook gives the child a lock nobody holds)
    assert _run(FORK_WHILE_HELD, tmp_path / "s.duckdb") == ["fork 0 fork"]
