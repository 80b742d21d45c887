"""Coded comments shown again in `survey code`: this analyst's, newest first (r, or `--review`), or every comment
coded under a category (v); coding one again is a new decision in the log. A part of code_keys.ScreenState."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Literal

from practitioner_survey.cli.code_protocols import I, Session
from practitioner_survey.codebook import Codebook

Mode = Literal["code", "quote", "note", "help", "codebook", "category"]


@dataclass
class Review(Generic[I]):
    """Coded comments shown again: which (comment id, question), the one on screen, what they are (for the
    status line) and the comment held for coding meanwhile."""

    found: list[tuple[int, str]]
    at: int
    what: str
    held: I | None


class Reviewing(Generic[I]):
    """The review's keys, mixed into ScreenState (whose attributes and helpers these are)."""

    session: Session[I]
    item: I | None
    mode: Mode
    cursor: int
    marks: frozenset[str]
    book: int | None
    listing: list[tuple[int, str]]
    pick: int
    pending: int | None
    review: Review[I] | None

    @property
    def codebook(self) -> Codebook | None:
        raise NotImplementedError

    def _say(self, message: str, error: bool = False) -> None:
        raise NotImplementedError

    def _clear_pending(self) -> None:
        raise NotImplementedError

    def _turn_book(self, key: str) -> None:
        raise NotImplementedError

    def start_review(self) -> None:
        """r: this analyst's coded comments again, newest first; coding one again is a new decision in the log."""
        found = self.session.coded_by_me()
        if not found:
            self._say("you have nothing coded to review yet")
            return
        self._open_review(found, 0, "your codes, newest first")

    def _category_view(self) -> None:
        """v: every comment coded under a category (the first suggestion's, or pick another), to open and recode."""
        codebook, item = self.codebook, self.item
        if codebook is None or item is None:
            self._say("no codebook here: nothing to list", error=True)
            return
        first = codebook.by_id(item.suggestions[0].category_id) if item.suggestions else None
        self.mode, self.book = "category", (first or codebook.categories[0]).key
        self._turn_book(str(self.book))

    def _pick(self, key: str) -> None:
        if key == "enter" and self.listing and self.item is not None:
            category = self.codebook.by_key(self.book) if self.codebook and self.book is not None else None
            found = [(cid, self.item.question) for cid, _ in self.listing]
            self._open_review(found, self.pick, f"coded under {category.label if category else ''}")
        elif key != "enter":
            self.pick = min(max(self.pick + (1 if key == "down" else -1), 0), max(len(self.listing) - 1, 0))

    def _open_review(self, found: list[tuple[int, str]], at: int, what: str) -> None:
        held = self.review.held if self.review is not None else self.item
        self.review = Review(found, at, what, held)
        self._show_review()
        self._say(f"{what}: {at + 1} of {len(found)} (↓ ↑ to move, Esc to leave the review)")

    def _show_review(self) -> None:
        review = self.review
        if review is None:
            return
        self._clear_pending()
        comment_id, question = review.found[review.at]
        self.mode, self.item = "code", self.session.coded_item(comment_id, question)
        self.cursor = self.item.start
        self.marks = self.session.marks(self.item)

    def _review_key(self, key: str) -> bool:
        """Keys with a meaning of their own in review; True when `key` was one (and has been acted on)."""
        if key in ("up", "down", "r"):  # r again: one further back
            self._step(-1 if key == "up" else 1)
        elif key == "escape" and self.pending is None:
            self.leave_review()
        elif key in ("s", "m", "p", "l"):
            self._say("leave the review (Esc) to split, merge or put back a comment", error=True)
        else:
            return False
        return True

    def _step(self, by: int) -> None:
        review = self.review
        if review is None:
            return
        at = review.at + by
        if not 0 <= at < len(review.found):
            self._say("that was the last one" if by > 0 else "that was the newest one")
            return
        review.at = at
        self._show_review()
        self._say(f"{review.what}: {at + 1} of {len(review.found)}")

    def leave_review(self) -> None:
        """Back to coding, on the comment held before the review began."""
        held = self.review.held if self.review is not None else None
        self.review = None
        self.item = held
        self.cursor = held.start if held is not None else 0
        self.marks = self.session.marks(held) if held is not None else frozenset()
        self._say("back to coding")
