"""What `survey code` draws: the whole screen laid out line by line for the terminal's size, as plain functions of
a ScreenState (tested without a terminal).

Whatever the size, the screen keeps the title bar, the question, the top three suggestions, the progress line, the
status line and a key bar showing at least undo, help and quit; the answer gets the lines left over and scrolls so
that the comment (and the cursor) is in view, with a marker for text above and below it. The codebook's keys are
shown where there is room; otherwise `c` opens them.
"""

from __future__ import annotations

from typing import TypeVar

from prompt_toolkit.formatted_text import StyleAndTextTuples

from practitioner_survey.cli.code_keys import ItemView, ScreenState, suggestion_label
from practitioner_survey.cli.code_panels import panel_lines
from practitioner_survey.cli.code_text import (
    clip,
    clip_line,
    columns,
    flow,
    line_of,
    pad,
    text_line,
    wrap_spans,
    wrapped_lines,
)

I = TypeVar("I", bound=ItemView)  # noqa: E741
Line = StyleAndTextTuples
MIN_ANSWER = 4  # lines the answer keeps however small the screen (two of text, two markers)


def render_screen(state: ScreenState[I], title: str, width: int, height: int) -> StyleAndTextTuples:
    """The whole screen, `height` lines of at most `width` columns each."""
    width, height = max(width, 20), max(height, 8)
    top = [pad(render_header(state, title, width), width, "class:bar")]
    status = text_line(f" ! {state.message}", "class:error") if state.error else text_line(f" {state.message}")
    bottom: list[Line] = [render_progress(state, width), status]
    keys = render_keys(state, width)
    if state.mode in ("help", "codebook", "category"):
        middle_height = height - len(top) - len(bottom) - len(keys)
        middle = panel_lines(state, width, middle_height)
    else:
        top += question_lines(state, width)
        suggestions = suggestion_lines(state, width)
        codebook = codebook_lines(state, width)
        service = service_line(state, width)
        spare = height - len(top) - len(bottom) - len(keys) - len(suggestions) - MIN_ANSWER
        if spare < len(codebook) + 1:  # not room for the codebook's keys: `c` shows them
            codebook = []
        if spare - len(codebook) < 1:
            service = []
        if spare - len(codebook) - len(service) < 0 and len(keys) > 1:
            keys = render_keys(state, width, max_lines=1)
        top += service
        bottom = [*suggestions, *codebook, *bottom]
        middle_height = height - len(top) - len(bottom) - len(keys)
        middle = editor_lines(state, width, middle_height) if state.mode in ("quote", "note") else (
            answer_lines(state, width, middle_height))  # fmt: skip
    gap = [text_line("") for _ in range(height - len(top) - len(middle) - len(bottom) - len(keys))]
    lines: list[Line] = [*top, *middle, *gap, *bottom, *[pad(k, width, "class:bar") for k in keys]]
    out: StyleAndTextTuples = []
    for n, line in enumerate(lines[:height]):
        out += clip_line(line, width)
        if n < height - 1:
            out.append(("", "\n"))
    return out


# ---------------------------------------------------------------------------------------------------- the parts


def render_header(state: ScreenState[I], title: str, width: int) -> Line:
    right = f"coded this session: {state.coded} "
    left = clip(f" {title}", max(width - columns(right) - 1, 10))
    return [("class:bar", left), ("class:bar", " " * max(width - columns(left) - columns(right), 1)),
            ("class:bar", right)]  # fmt: skip


def question_lines(state: ScreenState[I], width: int) -> list[Line]:
    """The question (on one line, or two when it needs them), and what kind of coding this is."""
    item = state.item
    if item is None:
        return []
    lines = [text_line(text, "class:question") for text in _lines_of(item.question_text, width, 2)]
    review = state.review
    if review is not None:
        text = f" review ({review.what}: {review.at + 1} of {len(review.found)}) · coded now: {item.coded_as or 'none'}"
        lines.append(text_line(clip(text, width), "class:mark"))
    if item.double:
        left = state.doubles_left
        text = f" blind second coding: code it as you see it · {left} more to do after this one"
        lines.append(text_line(clip(text, width), "class:label"))
    return lines


def service_line(state: ScreenState[I], width: int) -> list[Line]:
    item = state.item
    if item is None:
        return []
    marks = [("class:mark", f" [{m}]") for m in ("note", "quote") if m in state.marks]
    room = width - sum(columns(t) for _, t in marks)
    text = f" Service {item.service_name} ({item.service_id}) · Region {item.region or 'not known'}"
    return [[("", clip(text, room)), *marks]]


def answer_lines(state: ScreenState[I], width: int, height: int) -> list[Line]:
    """The answer word-wrapped, scrolled so that the comment (and the cursor) is in view, with markers above and
    below when it does not all fit."""
    item = state.item
    if item is None:
        left = _lines_of(state.waiting or "Nothing left to code for you", width, max(height - 1, 1))
        waiting = [text_line(line, "class:label") for line in left]
        return [*waiting, text_line("  u undoes your last action; x quits")]
    cursor = state.cursor if state.mode == "code" else None
    spans = wrap_spans(item.answer, max(width - 3, 10))  # as wrapped_lines wraps it

    def draw(top: int, count: int) -> list[Line]:
        return wrapped_lines(
            item.answer, width, cursor=cursor, mark=(item.start, item.end), lines=slice(top, top + count)
        )

    if len(spans) <= height:
        return draw(0, len(spans))
    first, last = line_of(spans, item.start), line_of(spans, max(item.end - 1, item.start))
    at = line_of(spans, state.cursor)
    content = max(height - 2, 1)
    top = max(first - 1, 0) if last - first + 1 <= content - 1 else first
    if at >= top + content:
        top = at - content + 2
    top = min(max(min(top, at), 0), len(spans) - content)
    above, below = top, len(spans) - top - content
    if above == 0:  # no marker above: one more line of text
        content += 1
        below = max(len(spans) - content, 0)
    elif below == 0:
        content += 1
        top -= 1
        above = top
    rest = " (the comment goes on)" if top + content <= last else ""
    up = [text_line(f"  ▲ {above} more line{'' if above == 1 else 's'} above", "class:marker")] if above else []
    down = [text_line(f"  ▼ {below} more line{'' if below == 1 else 's'} below{rest}", "class:marker")] if below else []
    return [*up, *draw(top, content), *down]


def suggestion_lines(state: ScreenState[I], width: int) -> list[Line]:
    """The top three suggestions, each with the keys that pick it by hand; the first one Enter accepts."""
    item = state.item
    if item is None or item.double:
        return []
    if not item.suggestions:
        return [text_line("  no suggestion: press a category's key")]
    out: list[Line] = []
    for n, suggestion in enumerate(item.suggestions[:3]):
        head = f"  {'Enter' if n == 0 else '':<6}{state.category_key(suggestion):<8}"
        tail = f" {suggestion.confidence:>4.0%}"
        label = clip(suggestion_label(suggestion), max(width - len(head) - len(tail) - 1, 5))
        fill = " " * max(width - len(head) - columns(label) - len(tail), 1)
        out.append([("class:label" if n == 0 else "", head + label + fill + tail)])
    return out


def codebook_lines(state: ScreenState[I], width: int) -> list[Line]:
    """The categories' keys, or the pending category's subcategories'."""
    codebook, category = state.codebook, state.pending_category
    if codebook is None or state.item is None:
        return []
    if category is not None:
        head: Line = [("class:label", clip(f" {category.key} {category.label} › ", width))]
        subs = flow([("class:pending" if str(s.key) == state.pending_sub else "",
                      f"{state.sub_key(category, s)} {s.label}") for s in category.subcategories], width)  # fmt: skip
        return [head, *subs]
    entries = [("class:pending" if c.key == state.pending else "", f"{c.key} {c.label}") for c in codebook.categories]
    return flow(entries, width)


def editor_lines(state: ScreenState[I], width: int, height: int) -> list[Line]:
    """The quote or note being edited, under the comment as written (cut to leave the editor room)."""
    if state.mode == "quote":
        original = wrapped_lines(state.original, width)
        label = "Quote as it may be printed (names replaced by ***): Enter confirms"
        edit = wrapped_lines(state.edit_text, width, cursor=state.edit_cursor, style="class:edit")
        keep = max(height - len(edit) - 2, 1)
        if len(original) > keep:
            original = [*original[: keep - 1], [("class:marker", f"  ▼ {len(original) - keep + 1} more lines")]]
        return [[("class:label", "Quote as written")], *original, [("class:label", clip(label, width))], *edit]
    edit = wrapped_lines(state.edit_text, width, cursor=state.edit_cursor, style="class:edit")
    item = state.item
    context = wrapped_lines(item.answer[item.start : item.end], width) if item is not None else []
    keep = max(height - len(edit) - 2, 0)
    if len(context) > keep:
        context = [*context[: max(keep - 1, 0)], text_line("  ▼ …", "class:marker")][:keep]
    return [*context, [("class:label", "Note (Enter saves, Esc cancels)")], *edit]


def render_progress(state: ScreenState[I], width: int) -> Line:
    """Done / to do per question, the current one first with its share and the time left; whole entries only."""
    current = state.item.question if state.item is not None else ""
    order = sorted(state.progress, key=lambda q: q != current)
    out: Line = [("class:label", " Progress (done / to do)")]
    used = columns(" Progress (done / to do)")
    for question in order:
        coded, to_do = state.progress[question]
        text = f"{question} {coded} / {to_do} ({coded / max(coded + to_do, 1):.0%})"
        if question == current:
            left = state.time_left()
            text += f" · {left}" if left else ""
        if used + 3 + columns(text) > width:
            continue
        out += [("", " · " if len(out) > 1 else "  "), ("class:label" if question == current else "", text)]
        used += 3 + columns(text)
    return out


def key_items(state: ScreenState[I]) -> list[tuple[str, str]]:
    """The keys that act now, most used first; undo, help and quit (or cancel) always last."""
    if state.asking_quit:
        return [("x / y", "quit now"), ("any other key", "stay")]
    if state.asking_merge is not None:
        return [("y", "merge, keeping the code"), ("n", "merge, to code again"), ("Esc", "cancel")]
    if state.mode == "help":
        return [("↑ ↓", "scroll"), ("Esc", "close"), ("x", "quit")]
    if state.mode == "codebook":
        return [("↑ ↓ PgUp PgDn", "scroll"), ("← → 0-9", "category"), ("Esc", "close"), ("x", "quit")]
    if state.mode == "category":
        return [("↑ ↓", "choose"), ("Enter", "open to recode"), ("← → 0-9", "category"), ("Esc", "close"),
                ("x", "quit")]  # fmt: skip
    if state.mode in ("quote", "note"):
        return [("Enter", "save"), ("Esc / Ctrl-C", "cancel"), ("← → Home End", "move"), ("Backspace", "delete")]
    end = [("u", "undo"), ("?", "help"), ("x", "quit")]
    if state.item is None:
        return [("r", "review"), *end]
    if state.pending is not None:
        return [("digit", "subcategory"), ("Enter", "category alone"), ("Esc", "cancel"), *end]
    if state.review is not None:
        return [("↓ ↑", "older/newer"), ("Enter", "accept"), ("0-9", "recode"), ("c", "codebook"), ("v", "category"),
                ("Esc", "leave review"), *end]  # fmt: skip
    accept = [] if state.item.double else [("Enter", "accept")]
    return [*accept, ("0-9", "code"), ("←→", "move"), ("s", "split"), ("m p", "merge"), ("l", "later"),
            ("c", "codebook"), ("q", "quote"), ("n", "note"), ("r", "review"), ("v", "category"), *end]  # fmt: skip


def render_keys(state: ScreenState[I], width: int, max_lines: int = 2) -> list[Line]:
    """The key bar in one or two lines; what does not fit is left to the help (?), never undo, help or quit."""
    items = key_items(state)
    fixed = items[-3:] if len(items) > 3 else items
    others = items[: len(items) - len(fixed)]
    while True:
        entries = [("", f"{k} {what}") for k, what in [*others, *fixed]]
        lines = flow(entries, width, sep=" · ")
        if len(lines) <= max_lines or not others:
            return lines[:max_lines]
        others = others[:-1]


def _lines_of(text: str, width: int, most: int) -> list[str]:
    spans = wrap_spans(text, width - 1)
    lines = [" " + text[a:b].rstrip() for a, b, _ in spans]
    return [*lines[: most - 1], clip(" ".join(lines[most - 1 :]), width)] if len(lines) > most else lines
