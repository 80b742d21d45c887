"""The scrolling panels of `survey code`: the keys (?) and the codebook at hand (c), drawn over the comment, which
they leave as it was."""

from __future__ import annotations

from typing import TypeVar

from prompt_toolkit.formatted_text import StyleAndTextTuples

from practitioner_survey.cli.code_keys import ItemView, ScreenState
from practitioner_survey.cli.code_text import clip, text_line, wrap_spans
from practitioner_survey.codebook import Category

I = TypeVar("I", bound=ItemView)  # noqa: E741
Line = StyleAndTextTuples

#: Every key of the screen, as the help panel lists them: (keys, what they do).
KEY_HELP: tuple[tuple[str, str], ...] = (
    ("Enter", "accept the first suggestion (not offered on a blind second coding)"),
    (
        "0-9",
        "pick a category; then a digit picks its subcategory (a key shown with ↵ needs Enter, as 1 could "
        "begin 10 or 11; Enter alone: the category without one; Esc: cancel)",
    ),
    (
        "← →",
        "move the cursor to the previous or next sentence or clause in the comment (Ctrl-, Shift- or Alt-← →: a "
        "word at a time; Home / End: its start or end); the answer scrolls to follow",
    ),
    ("s", "split the comment at the cursor"),
    ("m  p", "merge the comment with the next (m) or the previous (p) piece of the same answer"),
    ("l", "later: put the comment back and move on; it comes again after the others"),
    (
        "c",
        "the codebook: the highlighted suggestion's category with its description, examples, patterns and "
        "subcategories (← → or a digit: another category; Esc closes, back to the same comment)",
    ),
    (
        "r",
        "review: your coded comments again, newest first (↓ ↑ older / newer; a digit or Enter recodes, as a new "
        "decision in the log; Esc back to coding). `survey code --review` starts here",
    ),
    (
        "v",
        "every comment coded under a category (← → or a digit: another category; ↑ ↓ choose; Enter opens it to recode)",
    ),
    ("q", "mark as a quote: edit the anonymised text, Enter or Ctrl-S confirms, Esc or Ctrl-C cancels"),
    ("n", "add a note to the comment: Enter saves, Esc or Ctrl-C cancels"),
    ("u", "undo your last action, again and again, back through your earlier sessions too"),
    ("Esc", "cancel what is being typed (never quits)"),
    ("Ctrl-Z", "suspend to the shell (fg comes back)"),
    ("?", "show or hide this help"),
    ("x  Ctrl-C", "quit, after asking once (everything is already saved)"),
)


def panel_lines(state: ScreenState[I], width: int, height: int) -> list[Line]:
    """The help or the codebook, scrolled to state.scroll (kept in range), with markers for what is above/below."""
    lines = {"help": help_lines, "codebook": codebook_entry, "category": category_listing}[state.mode](state, width)
    height = max(height, 3)
    if state.mode == "category":  # the chosen comment stays in view
        state.scroll = min(state.scroll, state.pick + 1)
        state.scroll = max(state.scroll, state.pick + 3 - height)
    if len(lines) <= height:
        state.scroll = 0
        return lines
    state.scroll = above = min(max(state.scroll, 0), len(lines) - height + 1)
    content = height - (1 if above else 0)
    below = max(len(lines) - above - content + 1, 0) if above + content < len(lines) else 0
    content -= 1 if below else 0
    up = [text_line(f"  ▲ {above} more line{'' if above == 1 else 's'} above (↑ PgUp)", "class:marker")]
    down = [text_line(f"  ▼ {below} more line{'' if below == 1 else 's'} below (↓ PgDn)", "class:marker")]
    return [*(up if above else []), *lines[above : above + content], *(down if below else [])]


def help_lines(state: ScreenState[I], width: int) -> list[Line]:
    """Every key of the loop, with what it does (wrapped under its key)."""
    out: list[Line] = [text_line(" Keys", "class:label")]
    for keys, text in KEY_HELP:
        out += _wrapped(f"{keys:<16} ", text, width)
    return out


def category_listing(state: ScreenState[I], width: int) -> list[Line]:
    """The comments coded under the category, one line each, the chosen one marked (Enter opens it to recode)."""
    codebook = state.codebook
    category = codebook.by_key(state.book) if codebook is not None and state.book is not None else None
    if category is None:
        return [text_line(" no codebook for this comment")]
    n = len(state.listing)
    head = f" {category.key} {category.label}: {n} comment{'' if n == 1 else 's'} coded under it"
    out: list[Line] = [text_line(clip(head, width), "class:label")]
    for at, (_, text) in enumerate(state.listing):
        chosen = at == state.pick
        out.append([("class:comment" if chosen else "", clip(f" {'›' if chosen else ' '} {' '.join(text.split())}",
                                                             width - 1))])  # fmt: skip
    if not state.listing:
        out.append(text_line("   none yet (← → or a digit: another category)"))
    return out


def codebook_entry(state: ScreenState[I], width: int) -> list[Line]:
    """A category as the codebook gives it: description, examples and patterns, then each subcategory's."""
    codebook = state.codebook
    category = codebook.by_key(state.book) if codebook is not None and state.book is not None else None
    if codebook is None or category is None:
        return [text_line(" no codebook for this comment")]
    keys = " · ".join(f"{c.key} {c.label}" for c in codebook.categories)
    out: list[Line] = [[("class:label", clip(f" {category.key} {category.label}", width))]]
    out += _about(category, width, "  ")
    for sub in category.subcategories:
        out.append([("", "")])
        out.append([("class:label", clip(f"   {state.sub_key(category, sub)} {sub.label}", width))])
        out += _about(sub, width, "     ")
    out += [text_line(""), text_line(" Other categories (press the key)", "class:label")]
    out += [text_line(line) for line in _wrap(keys, width, "  ")]
    return out


def _about(entry: Category | object, width: int, indent: str) -> list[Line]:
    out: list[Line] = [text_line(line) for line in _wrap(str(getattr(entry, "description", "")), width, indent)]
    examples = [f"“{e}”" for e in getattr(entry, "examples", ())]
    if examples:
        out += [text_line(line) for line in _wrap("Examples: " + "; ".join(examples), width, indent)]
    patterns = list(getattr(entry, "patterns", ()))
    if patterns:
        out += [text_line(line) for line in _wrap("Patterns: " + ", ".join(patterns), width, indent)]
    return out


def _wrap(text: str, width: int, indent: str) -> list[str]:
    room = max(width - len(indent) - 1, 10)
    text = " ".join(text.split())
    return [indent + text[a:b].rstrip() for a, b, _ in wrap_spans(text, room)]


def _wrapped(head: str, text: str, width: int) -> list[Line]:
    lines = _wrap(text, width - len(head) - 1, "")
    first, *rest = lines or [""]
    head_line: Line = [("class:label", " " + head), ("", first)]
    return [head_line, *[text_line(" " * (len(head) + 1) + line) for line in rest]]
