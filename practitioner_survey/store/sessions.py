"""Coding sessions' names, and whether the session that made a claim may still be running.

A session's name carries the machine and process it runs in (`token@host#pid`), so that a new session of the same
analyst on the same machine can tell an earlier session that was killed (its process is gone: its claims are taken
over at once, and the restart resumes where it stopped) from one still open in another terminal (its claims are
left alone, and the two sessions code different comments). A session on another machine, or named before sessions
carried their machine, cannot be asked: its claims are taken over once it has stopped renewing them (see
store/claims.py), or at once when its name says nothing of where it ran.
"""

from __future__ import annotations

import os
import re
import secrets
import socket

_NAME = re.compile(r"^[0-9a-f]+@(?P<host>.+)#(?P<pid>[0-9]+)$")


def new_session_name() -> str:
    """A new session's name: a random token, this machine's name and this process's id."""
    return f"{secrets.token_hex(8)}@{socket.gethostname()}#{os.getpid()}"


def may_be_running(session: str) -> bool:
    """Whether the session could still be running beside a new one in this process: False for one of this machine
    whose process has ended or is this one, and for a name that says nothing of where it ran (claims made before
    sessions named their machine); True otherwise."""
    found = _NAME.match(session)
    if found is None:
        return False
    if found["host"] != socket.gethostname():
        return True
    pid = int(found["pid"])
    if pid == os.getpid():  # one process runs one session: a new one of the same analyst here replaces it
        return False
    try:
        os.kill(pid, 0)  # signal 0: asks whether the process exists, sends nothing
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process with that id: running
        return True
    return not _zombie(pid)


def _zombie(pid: int) -> bool:
    """Whether the process has ended and waits only for its parent to read its exit status (Linux; else False)."""
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as stat:
            return stat.read().rpartition(")")[2].split()[:1] == ["Z"]
    except OSError:
        return False
