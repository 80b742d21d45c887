"""The one-line editor of `survey code`'s quotes and notes: text and a cursor, moved by key names. No terminal code."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

EDIT_KEYS = {"backspace", "delete", "left", "right", "home", "end"}
#: What a key asks of the editor's owner: save the text, cancel the edit, or nothing (the editor took the key).
Outcome = Literal["save", "cancel", None]


@dataclass
class LineEditor:
    """The text being edited and the cursor in it (an offset, 0 <= cursor <= len(text))."""

    text: str = ""
    cursor: int = 0

    @classmethod
    def holding(cls, text: str) -> LineEditor:
        """An editor holding `text`, its cursor at the end."""
        return cls(text, len(text))

    def key(self, key: str) -> Outcome:
        """Act on a key: Enter or Ctrl-S save, Esc or Ctrl-C cancel (the edit only, never the loop)."""
        if key in ("escape", "c-c"):
            return "cancel"
        if key in ("enter", "c-s"):
            return "save"
        if key in EDIT_KEYS:
            self._move(key)
        elif len(key) == 1 and key.isprintable():
            self.insert(key)
        return None

    def insert(self, text: str) -> None:
        at = self.cursor
        self.text = self.text[:at] + text + self.text[at:]
        self.cursor = at + len(text)

    def _move(self, key: str) -> None:
        at, text = self.cursor, self.text
        if key == "backspace" and at > 0:
            self.text, self.cursor = text[: at - 1] + text[at:], at - 1
        elif key == "delete":
            self.text = text[:at] + text[at + 1 :]
        elif key in ("left", "right"):
            self.cursor = min(max(at + (1 if key == "right" else -1), 0), len(text))
        elif key in ("home", "end"):
            self.cursor = 0 if key == "home" else len(text)
