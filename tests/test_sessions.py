"""The same analyst in two live sessions: a new session takes over the claims of the analyst's sessions that have
stopped (a killed process on this machine at once, any other once it stops renewing) and leaves a running one its
comment, so neither loses its place. Runs on a SQLite file and on PostgreSQL, with real processes standing in for
the other session's."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import test_claims
from test_claims import Clock, Opener, open_claims

from practitioner_survey.store.claims import CLAIM_TIMEOUT_SECONDS
from practitioner_survey.store.sessions import may_be_running, new_session_name


@pytest.fixture
def other_process() -> Iterator[subprocess.Popen[bytes]]:
    """A process of this machine standing in for another terminal's `survey code`."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield process
    process.kill()
    process.wait()


url = test_claims.url  # the fixtures of test_claims: a store on each backend, its clock, sessions on it
clock = test_claims.clock
open_session = test_claims.open_session


def name_in(pid: int, host: str | None = None) -> str:
    return f"{os.urandom(8).hex()}@{host or socket.gethostname()}#{pid}"


def test_a_session_name_says_where_it_runs_and_whether_it_may_still_be_running(
    other_process: subprocess.Popen[bytes],
) -> None:
    mine = new_session_name()
    assert mine.endswith(f"@{socket.gethostname()}#{os.getpid()}") and mine != new_session_name()
    assert not may_be_running(mine)  # a new session in this process replaces this process's earlier one
    running = name_in(other_process.pid)
    assert may_be_running(running)
    other_process.kill()
    deadline = time.monotonic() + 10
    while may_be_running(running) and time.monotonic() < deadline:  # until the kill lands
        time.sleep(0.05)
    assert not may_be_running(running)  # killed, not yet waited for (a zombie): its claims can be taken at once
    other_process.wait()
    assert not may_be_running(running)  # and gone
    assert may_be_running(name_in(other_process.pid, host="another-machine"))  # cannot be asked: running
    assert not may_be_running("") and not may_be_running("0123abcd")  # named before sessions said where


def test_a_second_session_of_the_same_analyst_leaves_the_running_one_its_comment_and_a_restart_resumes_it(
    open_session: Opener, url: str, other_process: subprocess.Popen[bytes]
) -> None:
    laptop = open_session("ana")
    laptop.session_id = name_in(other_process.pid)  # as if laptop ran in the other process, still running
    held = laptop.next_item()
    assert held is not None
    desktop = open_session("ana")  # a second terminal of the same analyst
    own = desktop.next_item()
    assert own is not None and own.comment_id != held.comment_id  # the laptop keeps its place
    laptop.code(held, 1)  # no claim lost
    desktop.code(own, 2)
    again = laptop.next_item()
    assert again is not None and again.comment_id not in (held.comment_id, own.comment_id)
    other_process.kill()  # the laptop's process is killed (kill -9) holding `again`
    other_process.wait()
    restart = open_session("ana")
    resumed = restart.next_item()
    assert resumed is not None and resumed.comment_id == again.comment_id  # at once, not after the timeout
    assert open_claims(url) == [("ana", again.comment_id)]


def test_a_session_on_another_machine_keeps_its_comment_until_it_stops_renewing(
    open_session: Opener, url: str, clock: Clock
) -> None:
    away = open_session("ana")
    away.session_id = name_in(4242, host="another-machine")
    held = away.next_item()
    assert held is not None
    here = open_session("ana")
    first = here.next_item()
    assert first is not None and first.comment_id != held.comment_id
    here.close()
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)  # the other machine went to sleep: no heartbeat
    later = open_session("ana")
    resumed = later.next_item()
    assert resumed is not None and resumed.comment_id == held.comment_id
