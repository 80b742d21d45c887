"""`survey` in a pseudo-terminal (pexpect) and the screen it draws (pyte), for the tests that drive the coding loop
for real: test_code_terminal (and test_code_team) and test_crash_code each add their own waiting and key sending."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import pexpect
import pyte

ROWS, COLUMNS = 40, 120


class PtyScreen:
    """`python ARGS...` started in `cwd` in a ROWS x COLUMNS pseudo-terminal, and the screen as it stands."""

    def __init__(self, args: list[str], cwd: Path, env: dict[str, str] | None = None) -> None:
        environment = {**os.environ, "TERM": "xterm-256color", "LINES": str(ROWS), "COLUMNS": str(COLUMNS)}
        environment.pop("NO_COLOR", None)
        environment.update(env or {})
        self.child = pexpect.spawn(sys.executable, args, env=environment, dimensions=(ROWS, COLUMNS), cwd=str(cwd))
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.ended = False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def comment(self) -> str:
        """The comment being coded: the text drawn in reverse video between the title bar and the progress line."""
        lines = []
        for y in range(1, ROWS - 3):
            row = self.screen.buffer[y]
            lines.append("".join(row[x].data for x in range(COLUMNS) if row[x].reverse))
        return " ".join(" ".join(lines).split())

    def read(self, wait: float) -> None:
        """Take in what the command draws within `wait` seconds, noting its end (after which it waits out `wait`,
        so that a loop reading an ended command does not spin)."""
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=wait))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            self.ended = True
            time.sleep(wait)
