"""What each key does in `survey code`: a plain state object that calls the coding session, with no terminal code.

`ScreenState.handle_key` takes a key by name ("enter", "escape", "left", "c-c", or the character typed) and calls
the session; the full-screen view (code_screen.py) only turns key presses into names and draws the state. Tests
drive it with a fake session.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from practitioner_survey.cli.code_editor import LineEditor
from practitioner_survey.cli.code_protocols import I, ItemView, QuoteDraftView, Session, code_label, suggestion_label
from practitioner_survey.cli.code_quote import quote_message
from practitioner_survey.cli.code_review import Mode, Review, Reviewing
from practitioner_survey.cli.code_text import stops
from practitioner_survey.codebook import Category, Codebook, Subcategory
from practitioner_survey.errors import ClaimLostError, SurveyError

if TYPE_CHECKING:  # the model (scikit-learn) is loaded only when coding starts
    from practitioner_survey.coding.suggest import Suggestion

__all__ = ["ItemView", "Mode", "QuoteDraftView", "Review", "ScreenState", "Session", "code_label", "suggestion_label"]


ETA_AFTER = 120.0  # seconds of work before the time left is estimated


class ScreenState(Reviewing[I]):
    """The screen as data: the comment shown, the mode, a pending category digit, the cursor and a message."""

    def __init__(self, session: Session[I], clock: Callable[[], float] = time.monotonic, review: bool = False) -> None:
        self.session = session
        self.clock = clock
        self.item: I | None = None
        self.mode: Mode = "code"
        self.pending: int | None = None  # a category key waiting for its subcategory digit
        self.pending_sub = ""  # subcategory digits typed so far, when a longer key (10, 11) could follow
        self.cursor = 0  # offset into the answer, start <= cursor <= end
        self.message = ""
        self.error = False
        self.editor = LineEditor()  # the quote or note being edited
        self.original = ""  # the comment as written, shown above a quote being edited
        self.acknowledging: str | None = None  # a quote text the session refused for its findings: Enter again
        self.progress: dict[str, tuple[int, int]] = {}
        self.marks: frozenset[str] = frozenset()  # "note", "quote": what the comment on screen already has
        self.doubles_left = 0  # blind second codings still to do after the one on screen
        self.waiting = ""  # when no comment is left: who holds the rest (the session says)
        self.book: int | None = None  # the category the codebook panel (or the category view) shows
        self.listing: list[tuple[int, str]] = []  # the category view: comments coded under `book` (id, text)
        self.pick = 0  # the comment chosen in the category view
        self.review: Review[I] | None = None  # coded comments shown again, to check or recode
        self.scroll = 0  # the help's or codebook's first line shown
        self.done: list[str] = []  # this session's actions not undone, oldest first
        self.asking_quit = False
        self.asking_merge: bool | None = None  # merging with a coded piece: forward (True) or back, until y / n
        self.quit = False
        self.suspend = False  # Ctrl-Z: the screen suspends to the shell where it can
        self.started = clock()
        self.last_key = time.monotonic()  # when the analyst last pressed a key (idle refreshes wait for a pause)
        self._advance()
        if review:
            self.start_review()

    # ------------------------------------------------------------------------------------------ reading

    @property
    def coded(self) -> int:
        """Comments coded in this session (and not undone)."""
        return self.done.count("code")

    @property
    def edit_text(self) -> str:
        return self.editor.text

    @property
    def edit_cursor(self) -> int:
        return self.editor.cursor

    @property
    def codebook(self) -> Codebook | None:
        return self.session.codebooks.get(self.item.question) if self.item is not None else None

    @property
    def pending_category(self) -> Category | None:
        codebook = self.codebook
        return codebook.by_key(self.pending) if codebook is not None and self.pending is not None else None

    def sub_key(self, category: Category, sub: Subcategory) -> str:
        """The keys that pick a subcategory once its category is chosen: '1', or '1↵' when 1 could begin 10."""
        typed = str(sub.key)
        return typed + ("↵" if any(str(s.key).startswith(typed) and s is not sub for s in category.subcategories)
                        else "")  # fmt: skip

    def category_key(self, suggestion: Suggestion) -> str:
        """The keys that code a suggestion by hand, e.g. '1 2' (category 1, subcategory 2); '' if unknown."""
        codebook = self.codebook
        category = codebook.by_id(suggestion.category_id) if codebook is not None else None
        if category is None:
            return ""
        sub = category.by_id(suggestion.subcategory_id) if suggestion.subcategory_id else None
        return f"{category.key} {self.sub_key(category, sub)}" if sub is not None else str(category.key)

    def time_left(self) -> str:
        """'about 25 min left' at this session's pace, once it has worked a few minutes; '' before."""
        elapsed = self.clock() - self.started
        if elapsed < ETA_AFTER or self.coded < 3:
            return ""
        minutes = sum(to_do for _, to_do in self.progress.values()) * elapsed / self.coded / 60
        return f"about {minutes:.0f} min left" if minutes < 90 else f"about {minutes / 60:.1f} h left"

    # ------------------------------------------------------------------------------------------ keys

    def handle_key(self, key: str) -> None:
        """Act on one key press; a SurveyError from the session becomes the status message."""
        self.last_key = time.monotonic()
        self.session.renew_claims()  # the heartbeat: at most one write every half-minute, whatever the keys
        try:
            if self.asking_quit:
                self._answer_quit(key)
            elif self.asking_merge is not None:
                self._answer_merge(key)
            elif key == "c-z":
                self.suspend = True
            elif self.mode in ("help", "codebook", "category"):
                self._panel_key(key)
            elif self.mode in ("quote", "note"):
                self._edit_key(key)
            else:
                self._code_key(key)
        except ClaimLostError as lost:
            self._taken(lost)
        except SurveyError as exc:
            self._say(str(exc), error=True)

    def _taken(self, lost: ClaimLostError) -> None:
        """The comment on screen was taken over while the analyst was away (nothing was written): say so in one
        line, naming what they typed for it as not saved (never its text), and move on to the next."""
        unsaved = f" (your {self.mode} was not saved)" if self.mode in ("quote", "note") else ""
        self.asking_merge, self.acknowledging = None, None
        try:
            self._advance()
        except SurveyError as exc:  # the store is busy: the next key tries again
            self._say(str(exc), error=True)
            return
        self._say(f"while you were away, {lost.taken_by} took comment {lost.comment_id}{unsaved}; here is the next one",
                  error=True)  # fmt: skip

    def paste(self, text: str) -> None:
        """Pasted text goes into the quote or note being edited; elsewhere it is ignored."""
        self.last_key = time.monotonic()
        if self.mode in ("quote", "note"):
            self.editor.insert(" ".join(text.split()))

    def _say(self, message: str, error: bool = False) -> None:
        self.message, self.error = message, error

    def _ask_quit(self) -> None:
        self.asking_quit = True
        self._say("quit? x or y quits (everything is saved); any other key carries on")

    def _answer_quit(self, key: str) -> None:
        self.asking_quit = False
        if key.lower() in ("x", "y", "c-c"):
            self.quit = True
        else:
            self._say("carrying on")

    def _panel_key(self, key: str) -> None:
        steps = {"up": -1, "down": 1, "pageup": -10, "pagedown": 10, " ": 10}
        if key in steps and self.mode != "category":
            self.scroll += steps[key]
        elif key in ("x", "X", "c-c"):
            self._ask_quit()
        elif self.mode == "category" and key in ("up", "down", "enter"):
            self._pick(key)
        elif self.mode in ("codebook", "category") and (key in ("left", "right") or key.isdigit()):
            self._turn_book(key)
        elif self.mode == "help" or key in ("escape", "c", "enter", "q"):
            self.mode = "code"  # the comment is as it was: only the panel closes
            self._say("")

    def _turn_book(self, key: str) -> None:
        codebook = self.codebook
        if codebook is None:
            return
        keys = [c.key for c in codebook.categories]
        if key.isdigit():
            if codebook.by_key(key) is None:
                self._say(f"no category has key {key}", error=True)
                return
            self.book = int(key)
        else:
            at = keys.index(self.book) if self.book in keys else 0
            self.book = keys[(at + (1 if key == "right" else -1)) % len(keys)]
        self.scroll = 0
        if self.mode == "category" and self.item is not None:
            category = codebook.by_key(self.book)
            self.listing = self.session.coded_under(self.item.question, category.id) if category else []
            self.pick = 0

    def _code_key(self, key: str) -> None:
        key = key.lower() if len(key) == 1 else key  # Caps Lock on: X still quits, S still splits
        if self.review is not None and self._review_key(key):
            return
        if key == "escape":
            if self.pending is None:
                self._say("Esc cancels what is being typed; nothing was (x quits)")
            else:
                self._clear_pending()
                self._say("cancelled")
        elif key in ("x", "c-c"):
            self._ask_quit()
        elif key == "?":
            self.mode, self.scroll = "help", 0
        elif key == "u":
            self._undo()
        elif key == "r":
            self.start_review()
        elif key == "v":
            self._category_view()
        elif self.item is None:
            self._say(f"{self.waiting}: u undoes your last action, r reviews your codes, x quits")
        elif len(key) == 1 and key.isdigit():
            self._digit(self.item, int(key))
        elif key == "enter":
            self._enter(self.item)
        elif key in ("left", "right", "home", "end", "c-left", "c-right"):
            self._move(self.item, key)
        else:
            self._clear_pending()
            self._act(self.item, key)

    def _act(self, item: I, key: str) -> None:
        if key == "s":
            self._split(item)
        elif key in ("m", "p"):
            forward = key == "m"
            kept = self.session.merge_code(item, forward)
            if kept:  # the other piece is coded: which code survives is the analyst's to say
                self.asking_merge = forward
                which = "next" if forward else "previous"
                self._say(f"the {which} piece is coded {kept}: y merges and keeps that code for the whole, n merges "
                          "and leaves the whole to code, Esc cancels")  # fmt: skip
            else:
                self._merge(item, forward, keep=False)
        elif key == "l":
            self.session.skip(item)
            self._advance()
            self._say("put back for later: it comes again after the others")
        elif key == "c":
            first = item.suggestions[0].category_id if item.suggestions else ""
            codebook = self.codebook
            category = codebook.by_id(first) if codebook is not None else None
            self.mode, self.scroll = "codebook", 0
            self.book = category.key if category is not None else (codebook.categories[0].key if codebook else None)
        elif key == "q":
            draft = self.session.quote_draft(item)
            self.original, self.acknowledging = draft.original, None
            self._edit("quote", draft.suggested, quote_message(draft.replaced, draft.doubts))
        elif key == "n":
            self._edit("note", "", "type a note: Enter saves, Esc cancels")
        else:
            self._say(f"{_shown(key)} does nothing here: ? lists the keys", error=True)

    def _merge(self, item: I, forward: bool, keep: bool) -> None:
        (self.session.merge_next if forward else self.session.merge_previous)(item, keep)
        which = "next" if forward else "previous"
        self._did("merge", f"merged with the {which} piece" + (", keeping its code" if keep else ""))
        if keep:
            self.done.append("code")

    def _answer_merge(self, key: str) -> None:
        forward, self.asking_merge = self.asking_merge, None
        if key.lower() in ("y", "n") and self.item is not None and forward is not None:
            self._merge(self.item, forward, keep=key.lower() == "y")
        else:
            self._say("not merged")

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
        elif item.double:
            self._say("a blind second coding has no suggestion to accept: press a category's key", error=True)
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
        """The cursor to the next or previous sentence or clause (a word with Ctrl), or the comment's ends."""
        starts = [item.start + s for s in stops(item.answer[item.start : item.end], key in ("left", "right"))]
        if key == "home":
            self.cursor = item.start
        elif key == "end":
            self.cursor = item.end
        elif key in ("right", "c-right"):
            self.cursor = next((s for s in starts if s > self.cursor), item.end)
        else:
            self.cursor = max((s for s in starts if s < self.cursor), default=item.start)

    def _split(self, item: I) -> None:
        if not item.start < self.cursor < item.end:
            self._say("move the cursor into the comment with → first: s splits it there", error=True)
            return
        self.session.split(item, self.cursor)
        self._did("split", "split at the cursor")

    def _undo(self) -> None:
        self._clear_pending()
        self.review = None
        undone = self.session.undo()
        if undone is None:
            self._say("nothing of yours left to undo")
            return
        if self.done:
            self.done.pop()
        self._advance()
        self._say(undone)

    def _did(self, action: str, message: str) -> None:
        """An action that finished the comment: record it and move on (in review: show the comment's new code)."""
        if self.review is not None:
            self.done.append("recode")
            self._show_review()
            self._say("recoded: " + message.split(": ", 1)[-1])
            return
        self.done.append(action)
        self._advance()
        self._say(message)

    def _advance(self) -> None:
        self._clear_pending()
        self.mode = "code"
        self._show(self.session.next_item())
        self.progress = self.session.progress()

    def _show(self, item: I | None) -> None:
        """The comment to code next on screen (None: nothing left, and the session says who holds the rest)."""
        self.item, self.cursor = item, item.start if item is not None else 0
        self.marks = self.session.marks(item) if item is not None else frozenset()
        self.doubles_left = self.session.doubles_left() if item is not None and item.double else 0
        self.waiting = self.session.nothing_left() if item is None else ""

    def refresh(self) -> bool:
        """Renew the claims, re-read the team's progress and, when nothing was left, look for a comment come free;
        True when the screen changed. Called while the analyst is idle, so others' work shows without a key (the
        comment on screen never changes under the analyst's hand, unless another analyst took it over while this
        one was away: then the screen says so and moves on); a busy store just waits for the next refresh."""
        try:
            self.session.renew_claims()
            if self.item is not None:  # back from a pause: the comment may have been taken meanwhile
                self.session.check_held(self.item)
            before = self.progress, self.waiting, self.item
            if self.item is None and (item := self.session.next_free()) is not None:
                self._show(item)
                self._say("a comment came free")
            elif self.item is None:
                self.waiting = self.session.nothing_left()
            self.progress = self.session.progress()
        except ClaimLostError as lost:
            self._taken(lost)
            return True
        except SurveyError:
            return False
        return (self.progress, self.waiting, self.item) != before

    def _clear_pending(self) -> None:
        self.pending, self.pending_sub = None, ""

    # ------------------------------------------------------------------------------------------ editing

    def _edit(self, mode: Mode, text: str, message: str) -> None:
        self.mode, self.editor = mode, LineEditor.holding(text)
        self._say(message)

    def _edit_key(self, key: str) -> None:
        outcome = self.editor.key(key)
        if outcome == "cancel":
            self._say("quote not marked" if self.mode == "quote" else "note not saved")
            self.mode = "code"
        elif outcome == "save":
            self._save()

    def _save(self) -> None:
        text = self.editor.text.strip()
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
        else:
            self.session.note(self.item, text)
        self.done.append(self.mode)
        self.marks = self.marks | {self.mode}
        self._say("quote confirmed" if self.mode == "quote" else "note saved")
        self.mode = "code"


def _shown(key: str) -> str:
    return repr(key) if len(key) == 1 else key.capitalize()
