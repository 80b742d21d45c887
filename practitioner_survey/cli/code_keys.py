"""What each key does in `survey code`: a plain state object that calls the coding session, with no terminal code.

`ScreenState.handle_key` takes a key by name ("enter", "escape", "left", "c-c", or the character typed) and calls
the session; the full-screen view (code_screen.py) only turns key presses into names and draws the state. Tests
drive it with a fake session.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Generic, Literal, Protocol, TypeVar

from practitioner_survey.codebook import Category, Codebook
from practitioner_survey.errors import SurveyError

if TYPE_CHECKING:  # the model (scikit-learn) is loaded only when coding starts
    from practitioner_survey.coding.suggest import Suggestion

Mode = Literal["code", "quote", "note", "help"]

#: Every key of the screen, as the help panel lists them: (keys, what they do).
KEY_HELP: tuple[tuple[str, str], ...] = (
    ("Enter", "accept the first suggestion"),
    ("0-9", "pick a category; then a digit picks its subcategory (Enter: the category alone, Esc: cancel)"),
    ("← →", "move the cursor a word left or right in the comment (Home / End: its start or end)"),
    ("s", "split the comment at the cursor"),
    ("m", "merge the comment with the next one of the same answer"),
    ("q", "mark as a quote: edit the anonymised text, Enter or Ctrl-S confirms, Esc cancels"),
    ("n", "add a note to the comment: Enter saves, Esc cancels"),
    ("u", "undo your last action (again and again, back through the session)"),
    ("?", "show or hide this help"),
    ("x  Esc  Ctrl-C", "quit (everything is already saved)"),
)
EDIT_KEYS = {"backspace", "delete", "left", "right", "home", "end"}
_WORD = re.compile(r"\S+")


class ItemView(Protocol):
    """What the screen reads of a comment to code (coding.Item)."""

    @property
    def comment_id(self) -> int: ...
    @property
    def question(self) -> str: ...
    @property
    def question_text(self) -> str: ...
    @property
    def service_id(self) -> str: ...
    @property
    def service_name(self) -> str: ...
    @property
    def region(self) -> str: ...
    @property
    def answer(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def suggestions(self) -> Sequence[Suggestion]: ...
    @property
    def double(self) -> bool: ...


class QuoteDraftView(Protocol):
    """A quote candidate's suggested anonymised text (coding.session.QuoteDraft)."""

    @property
    def original(self) -> str: ...
    @property
    def suggested(self) -> str: ...
    @property
    def replaced(self) -> str: ...


I = TypeVar("I", bound=ItemView)  # noqa: E741 - the item type, as in the coding API


class Session(Protocol[I]):
    """The part of coding.CodingSession the screen calls."""

    @property
    def codebooks(self) -> Mapping[str, Codebook]: ...
    def next_item(self) -> I | None: ...
    def progress(self) -> dict[str, tuple[int, int]]: ...
    def accept(self, item: I) -> None: ...
    def code(self, item: I, category_key: int, subcategory_key: int | None = None) -> None: ...
    def split(self, item: I, at: int) -> None: ...
    def merge_next(self, item: I) -> None: ...
    def quote_draft(self, item: I) -> QuoteDraftView: ...
    def confirm_quote(self, item: I, text: str, acknowledged: bool = False) -> None: ...
    def note(self, item: I, text: str) -> None: ...
    def undo(self) -> str | None: ...
    def close(self) -> None: ...
    def renew_claims(self) -> bool: ...
    def next_free(self) -> I | None: ...
    def nothing_left(self) -> str: ...


def code_label(category: Category, subcategory_key: int | None) -> str:
    """'Funding/commissioning › cuts', or the category's label alone."""
    sub = category.by_key(subcategory_key) if subcategory_key is not None else None
    return f"{category.label} › {sub.label}" if sub is not None else category.label


def suggestion_label(suggestion: Suggestion) -> str:
    sub = suggestion.subcategory_label
    return f"{suggestion.label} › {sub}" if sub else suggestion.label


class ScreenState(Generic[I]):
    """The screen as data: the comment shown, the mode, a pending category digit, the cursor and a message."""

    def __init__(self, session: Session[I]) -> None:
        self.session = session
        self.item: I | None = None
        self.mode: Mode = "code"
        self.pending: int | None = None  # a category key waiting for its subcategory digit
        self.pending_sub = ""  # subcategory digits typed so far, when a longer key (10, 11) could follow
        self.cursor = 0  # offset into the answer, start <= cursor <= end
        self.message = ""
        self.error = False
        self.edit_text = ""  # the quote or note being edited
        self.edit_cursor = 0
        self.original = ""  # the comment as written, shown above a quote being edited
        self.acknowledging: str | None = None  # a quote text the session refused for its findings: Enter again
        self.progress: dict[str, tuple[int, int]] = {}
        self.done: list[str] = []  # this session's actions not undone, oldest first
        self.quit = False
        self.waiting = ""  # when no comment is left: who holds the rest (the session says)
        self.last_key = time.monotonic()  # when the analyst last pressed a key (idle refreshes wait for a pause)
        self._advance()

    # ------------------------------------------------------------------------------------------ reading

    @property
    def coded(self) -> int:
        """Comments coded in this session (and not undone)."""
        return self.done.count("code")

    @property
    def codebook(self) -> Codebook | None:
        return self.session.codebooks.get(self.item.question) if self.item is not None else None

    @property
    def pending_category(self) -> Category | None:
        codebook = self.codebook
        return codebook.by_key(self.pending) if codebook is not None and self.pending is not None else None

    def category_key(self, suggestion: Suggestion) -> str:
        """The keys that code a suggestion by hand, e.g. '1 2' (category 1, subcategory 2); '' if unknown."""
        codebook = self.codebook
        category = codebook.by_id(suggestion.category_id) if codebook is not None else None
        if category is None:
            return ""
        sub = category.by_id(suggestion.subcategory_id) if suggestion.subcategory_id else None
        return f"{category.key} {sub.key}" if sub is not None else str(category.key)

    # ------------------------------------------------------------------------------------------ keys

    def handle_key(self, key: str) -> None:
        """Act on one key press; a SurveyError from the session becomes the status message."""
        self.last_key = time.monotonic()
        self.session.renew_claims()  # the heartbeat: at most one write every half-minute, whatever the keys
        try:
            if key == "c-c":
                self.quit = True
            elif self.mode == "help":
                self._help_key(key)
            elif self.mode in ("quote", "note"):
                self._edit_key(key)
            else:
                self._code_key(key)
        except SurveyError as exc:
            self._say(str(exc), error=True)

    def paste(self, text: str) -> None:
        """Pasted text goes into the quote or note being edited; elsewhere it is ignored."""
        self.last_key = time.monotonic()
        if self.mode in ("quote", "note"):
            self._insert(" ".join(text.split()))

    def _say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def _help_key(self, key: str) -> None:
        self.mode = "code"
        if key == "x":
            self.quit = True

    def _code_key(self, key: str) -> None:
        key = key.lower() if len(key) == 1 else key  # Caps Lock on: X still quits, S still splits
        if key == "escape":
            if self.pending is None:
                self.quit = True
            else:
                self._clear_pending()
                self._say("cancelled")
        elif key == "x":
            self.quit = True
        elif key == "?":
            self.mode = "help"
        elif key == "u":
            self._undo()
        elif self.item is None:
            self._say(f"{self.waiting}: u undoes your last action, x quits")
        elif len(key) == 1 and key.isdigit():
            self._digit(self.item, int(key))
        elif key == "enter":
            self._enter(self.item)
        elif key in ("left", "right", "home", "end"):
            self._move(self.item, key)
        elif key == "s":
            self._split(self.item)
        elif key == "m":
            self._clear_pending()
            self.session.merge_next(self.item)
            self._did("merge", "merged with the next comment")
        elif key == "q":
            self._clear_pending()
            draft = self.session.quote_draft(self.item)
            self.original, self.acknowledging = draft.original, None
            replaced = f" (*** replaced {draft.replaced})" if draft.replaced else ""
            message = f"edit the quote's anonymised text{replaced}: Enter confirms, Esc cancels"
            self._edit("quote", draft.suggested, message)
        elif key == "n":
            self._clear_pending()
            self._edit("note", "", "type a note: Enter saves, Esc cancels")
        else:
            self._say(f"{_shown(key)} does nothing here: ? lists the keys", error=True)

    def _digit(self, item: I, digit: int) -> None:
        codebook = self.session.codebooks[item.question]
        category = self.pending_category
        if category is None:
            category = codebook.by_key(digit)
            if category is None:
                self._say(f"no category has key {digit}", error=True)
            elif not category.subcategories:
                self._code(item, category, None)
            else:
                self.pending, self.pending_sub = category.key, ""
                self._say(f"{category.label}: press its subcategory's key, Enter for none, Esc to cancel")
            return
        typed = self.pending_sub + str(digit)
        keys = [str(s.key) for s in category.subcategories]
        if any(k.startswith(typed) and k != typed for k in keys):  # 1 could be 1, 10 or 11: wait for more
            self.pending_sub = typed
            self._say(f"{category.label} › {typed}…: another digit, or Enter for {typed}")
        elif typed in keys:
            self._code(item, category, int(typed))
        else:
            self.pending_sub = ""
            self._say(f"{category.label} has no subcategory {typed}: press another, Enter for none", error=True)

    def _enter(self, item: I) -> None:
        category = self.pending_category
        if category is not None:
            sub = category.by_key(self.pending_sub) if self.pending_sub else None
            self._code(item, category, sub.key if sub is not None else None)
        elif not item.suggestions:
            self._say("no suggestion to accept: press a category's key", error=True)
        else:
            first = item.suggestions[0]
            self.session.accept(item)
            self._did("code", f"accepted: {suggestion_label(first)}")

    def _code(self, item: I, category: Category, subcategory_key: int | None) -> None:
        self._clear_pending()
        self.session.code(item, category.key, subcategory_key)
        self._did("code", f"coded: {code_label(category, subcategory_key)}")

    def _move(self, item: I, key: str) -> None:
        starts = [item.start + m.start() for m in _WORD.finditer(item.answer[item.start : item.end])]
        if key == "home":
            self.cursor = item.start
        elif key == "end":
            self.cursor = item.end
        elif key == "right":
            self.cursor = next((s for s in starts if s > self.cursor), item.end)
        else:
            self.cursor = max((s for s in starts if s < self.cursor), default=item.start)

    def _split(self, item: I) -> None:
        self._clear_pending()
        if not item.start < self.cursor < item.end:
            self._say("move the cursor into the comment with → first: s splits it there", error=True)
            return
        self.session.split(item, self.cursor)
        self._did("split", "split at the cursor")

    def _undo(self) -> None:
        self._clear_pending()
        undone = self.session.undo()
        if undone is None:
            self._say("nothing of this session's left to undo")
            return
        if self.done:
            self.done.pop()
        self._advance()
        self._say(undone)

    def _did(self, action: str, message: str) -> None:
        """An action that finished the comment: record it and move on."""
        self.done.append(action)
        self._advance()
        self._say(message)

    def _advance(self) -> None:
        self._clear_pending()
        self.mode = "code"
        self.item = self.session.next_item()
        self.cursor = self.item.start if self.item is not None else 0
        self.waiting = self.session.nothing_left() if self.item is None else ""
        self.progress = self.session.progress()

    def refresh(self) -> bool:
        """Renew the claims, re-read the team's progress and, when nothing was left, look for a comment come free;
        True when the screen changed. Called while the analyst is idle, so others' work shows without a key (the
        comment on screen never changes under the analyst's hand); a busy store just waits for the next refresh."""
        try:
            self.session.renew_claims()
            before = self.progress, self.waiting, self.item
            if self.item is None and (item := self.session.next_free()) is not None:
                self.item, self.cursor = item, item.start
                self._say("a comment came free")
            self.waiting = self.session.nothing_left() if self.item is None else ""
            self.progress = self.session.progress()
        except SurveyError:
            return False
        return (self.progress, self.waiting, self.item) != before

    def _clear_pending(self) -> None:
        self.pending, self.pending_sub = None, ""

    # ------------------------------------------------------------------------------------------ editing

    def _edit(self, mode: Mode, text: str, message: str) -> None:
        self.mode, self.edit_text, self.edit_cursor = mode, text, len(text)
        self._say(message)

    def _edit_key(self, key: str) -> None:
        if key == "escape":
            self._say("quote not marked" if self.mode == "quote" else "note not saved")
            self.mode = "code"
        elif key in ("enter", "c-s"):
            self._save()
        elif key in EDIT_KEYS:
            self._edit_move(key)
        elif len(key) == 1 and key.isprintable():
            self._insert(key)

    def _insert(self, text: str) -> None:
        at = self.edit_cursor
        self.edit_text = self.edit_text[:at] + text + self.edit_text[at:]
        self.edit_cursor = at + len(text)

    def _edit_move(self, key: str) -> None:
        at, text = self.edit_cursor, self.edit_text
        if key == "backspace" and at > 0:
            self.edit_text, self.edit_cursor = text[: at - 1] + text[at:], at - 1
        elif key == "delete":
            self.edit_text = text[:at] + text[at + 1 :]
        elif key in ("left", "right"):
            self.edit_cursor = min(max(at + (1 if key == "right" else -1), 0), len(text))
        elif key in ("home", "end"):
            self.edit_cursor = 0 if key == "home" else len(text)

    def _save(self) -> None:
        text = self.edit_text.strip()
        if self.item is None:
            self.mode = "code"
            return
        if not text:
            self._say(f"the {self.mode} is empty: type it, or Esc to cancel", error=True)
            return
        if self.mode == "quote":
            acknowledged, self.acknowledging = self.acknowledging == text, text  # refused once: Enter again confirms
            self.session.confirm_quote(self.item, text, acknowledged=acknowledged)
            self.acknowledging = None
            self.done.append("quote")
            self._say("quote confirmed")
        else:
            self.session.note(self.item, text)
            self.done.append("note")
            self._say("note saved")
        self.mode = "code"


def _shown(key: str) -> str:
    return repr(key) if len(key) == 1 else key.capitalize()
