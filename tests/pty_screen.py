"""`survey` in a pseudo-terminal (pexpect) and the screen it draws (pyte), for the tests that drive the coding loop
for real: test_code_terminal (and test_code_team) and test_crash_code each add their own waiting and key sending."""

from __future__ import annotations

import os
import sys
import time
import unicodedata
from pathlib import Path

import pexpect
import pyte
from wcwidth import wcwidth

ROWS, COLUMNS = 40, 120


class WcwidthScreen(pyte.Screen):  # type: ignore[misc]
    """pyte's screen, with every character wcwidth counts as zero columns joined to the cell before it, as
    terminals following wcwidth do: pyte itself stops drawing at one Unicode does not call combining (Bengali's
    vowel signs)."""

    def draw(self, data: str) -> None:
        run = ""
        for char in data:
            if run and wcwidth(char) == 0 and not unicodedata.combining(char):
                super().draw(run)
                run = ""
                x = max(self.cursor.x - 1, 0)
                cell = self.buffer[self.cursor.y][x]
                self.buffer[self.cursor.y][x] = cell._replace(data=cell.data + char)
            else:
                run += char
        if run:
            super().draw(run)


class PtyScreen:
    """`python ARGS...` started in `cwd` in a `rows` x `columns` pseudo-terminal, and the screen as it stands."""

    def __init__(
        self, args: list[str], cwd: Path, env: dict[str, str] | None = None, rows: int = ROWS, columns: int = COLUMNS
    ) -> None:
        environment = {**os.environ, "TERM": "xterm-256color", "LINES": str(rows), "COLUMNS": str(columns)}
        environment.pop("NO_COLOR", None)
        environment.update(env or {})
        self.rows, self.columns = rows, columns
        self.child = pexpect.spawn(sys.executable, args, env=environment, dimensions=(rows, columns), cwd=str(cwd))
        self.screen = WcwidthScreen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        self.ended = False

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def comment(self) -> str:
        """The comment being coded: the text drawn in reverse video between the title bar and the progress line."""
        lines = []
        for y in range(1, self.rows - 3):
            row = self.screen.buffer[y]
            lines.append("".join(row[x].data for x in range(self.columns) if row[x].reverse))
        return " ".join(" ".join(lines).split())

    def line(self, y: int) -> str:
        """Row `y` of the screen as text (a wide character's second cell left out)."""
        row = self.screen.buffer[y]
        return "".join(row[x].data for x in range(self.columns))

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
