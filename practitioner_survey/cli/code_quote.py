"""The quote editor's message in `survey code`: what the anonymiser replaced and, when it left words that may still
be a person or place, which to check ("check: Will, Summer"), cut with … to fit a 60-column screen. The words are
the analyst's own quote on their own screen: the message is never logged or printed elsewhere."""

from __future__ import annotations

from collections.abc import Sequence

from practitioner_survey.cli.code_text import clip, columns

#: The status line's columns at 60x15, less the space it starts with.
WIDTH = 59
_KEYS = ": Enter confirms, Esc cancels"


def quote_message(replaced: str, doubts: Sequence[str], width: int = WIDTH) -> str:
    """The message shown on opening the quote editor: as before when nothing is in doubt, else what was replaced
    and the words to check, the longest form that fits `width` columns."""
    done = f"*** replaced {replaced}" if replaced else ""
    if not doubts:
        return f"edit the quote's anonymised text{f' ({done})' if done else ''}{_KEYS}"
    words = ", ".join(doubts)
    inner = f"{done}; check: {words}" if done else f"check: {words}"
    for form in (f"edit the quote's anonymised text ({inner}){_KEYS}", f"edit the quote ({inner}): Enter confirms"):
        if columns(form) <= width:
            return form
    head = f"{done}; check: " if done else "check: "
    return head + _fitted(doubts, width - columns(head))


def _fitted(doubts: Sequence[str], width: int) -> str:
    """The words joined by commas, as many as fit `width` columns, then … if some were left out."""
    shown: list[str] = []
    for word in doubts:
        trial = ", ".join([*shown, word])
        rest = ", …" if len(shown) + 1 < len(doubts) else ""
        if columns(trial + rest) > width:
            break
        shown.append(word)
    if not shown:
        return clip(", ".join(doubts), max(width, 1))
    return ", ".join(shown) + (", …" if len(shown) < len(doubts) else "")
