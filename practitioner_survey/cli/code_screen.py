"""The full-screen view of `survey code`: draws a ScreenState and passes key presses to it.

prompt_toolkit owns the terminal; everything the keys do is in code_keys.ScreenState, so this module only turns
key presses into names and the state into styled text. The render functions are plain and tested without a terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import time
from typing import TypeVar

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import FormattedTextControl, HSplit, Layout, Window
from prompt_toolkit.styles import Style

from practitioner_survey.cli.code_keys import KEY_HELP, ItemView, ScreenState, Session, suggestion_label

I = TypeVar("I", bound=ItemView)  # noqa: E741

STYLE = Style.from_dict(
    {
        "bar": "reverse",
        "comment": "reverse",  # the comment being coded, inside its answer: readable in monochrome too
        "cursor": "underline bold",
        "question": "bold",
        "label": "bold",
        "pending": "bold underline",
        "edit": "bold",
        "error": "bold fg:ansired",
    }
)
#: Key presses the screen understands by name; printable characters are passed as themselves.
KEY_NAMES = {
    Keys.ControlM: "enter", Keys.ControlJ: "enter", Keys.Escape: "escape", Keys.ControlC: "c-c", Keys.ControlS: "c-s",
    Keys.Left: "left", Keys.Right: "right", Keys.Home: "home", Keys.End: "end", Keys.ControlA: "home",
    Keys.ControlE: "end", Keys.ControlH: "backspace", Keys.Delete: "delete",
}  # fmt: skip
CURSOR = ("[SetCursorPosition]", "")
#: While the analyst pauses, the team's progress is re-read this often (seconds).
REFRESH_SECONDS = 3.0
_TOKEN = re.compile(r"[^\S\n]*\S+[^\S\n]*")


def key_name(key: Keys | str) -> str | None:
    """The name ScreenState.handle_key takes for a key press, or None for keys the screen ignores."""
    if key in KEY_NAMES:
        return KEY_NAMES[Keys(key)]
    text = str(key)
    return text if len(text) == 1 and text.isprintable() else None


# ---------------------------------------------------------------------------------------------------- rendering


def wrap_spans(text: str, width: int) -> list[tuple[int, int, bool]]:
    """Lines of `text` word-wrapped to `width`, as (start, end, ends_a_line_of_the_text) offsets into it."""
    spans: list[tuple[int, int, bool]] = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        begin = line_start
        for token in _TOKEN.finditer(line):
            at = line_start + token.start()
            if at > begin and len(token.group().rstrip()) + at - begin > width:
                spans.append((begin, at, False))
                begin = at
        spans.append((begin, line_end, True))
        line_start = line_end + 1
    return spans


def wrapped(
    text: str, width: int, *, indent: int = 2, cursor: int | None = None, mark: tuple[int, int] | None = None,
    style: str = "",
) -> StyleAndTextTuples:  # fmt: skip
    """`text` word-wrapped and indented, the `mark` span highlighted and the terminal's cursor placed at `cursor`."""
    out: StyleAndTextTuples = []
    start, end = mark if mark is not None else (0, 0)
    for line_start, line_end, last in wrap_spans(text, max(width - indent, 10)):
        out.append(("", " " * indent))
        points = {line_start, line_end, *(p for p in (start, end) if line_start < p < line_end)}
        if cursor is not None and line_start <= cursor < line_end:
            points |= {cursor, cursor + 1}
        cuts = sorted(points)
        for a, b in itertools.pairwise(cuts):
            piece = style + (" class:comment" if start <= a < end else "")
            if a == cursor:
                out.append(CURSOR)
                out.append((piece + " class:cursor", text[a]))
                a += 1
            if a < b:
                out.append((piece, text[a:b]))
        if last and cursor == line_end:
            out += [CURSOR, (style + " class:cursor", " ")]
        out.append(("", "\n"))
    return out


def render_body(state: ScreenState[I], width: int) -> StyleAndTextTuples:
    """The middle of the screen: the comment in its answer, the suggestions, the codebook; or the help panel."""
    if state.mode == "help":
        return [("class:label", "Keys\n\n"), *[("", f"  {keys:<16} {text}\n") for keys, text in KEY_HELP]]
    item, codebook = state.item, state.codebook
    if item is None or codebook is None:
        return [("class:label", f"\n  {state.waiting}\n"), ("", "\n  u undoes your last action; x quits\n")]
    out: StyleAndTextTuples = [("class:question", item.question_text)]
    if item.double:
        out.append(("", "   (blind second coding: code it as you see it)"))
    out += [("", "\n"), ("class:label", "Service "), ("", f"{item.service_name} ({item.service_id})   "),
            ("class:label", "Region "), ("", f"{item.region or 'not known'}\n\n")]  # fmt: skip
    cursor = state.cursor if state.mode == "code" else None
    out += wrapped(item.answer, width, cursor=cursor, mark=(item.start, item.end))
    out.append(("class:label", "\nSuggestions\n"))
    for n, suggestion in enumerate(item.suggestions[:3]):
        keys = state.category_key(suggestion)
        out.append(("class:label" if n == 0 else "", f"  {'Enter' if n == 0 else '':<6}{keys:<6}"
                    f"{suggestion_label(suggestion):<60} {suggestion.confidence:>4.0%}\n"))  # fmt: skip
    if not item.suggestions:
        out.append(("", "  none: press a category's key\n"))
    out.append(("class:label", "\nCodebook\n"))
    entries = [(c.key == state.pending, f"{c.key} {c.label}") for c in codebook.categories]
    out += _entries(entries, width)
    category = state.pending_category
    if category is not None:
        out.append(("class:label", f"\n{category.key} {category.label} ›\n"))
        out += _entries([(str(s.key) == state.pending_sub, f"{s.key} {s.label}") for s in category.subcategories],
                        width)  # fmt: skip
        out.append(("", "  Enter: the category alone · Esc: cancel\n"))
    if state.mode == "quote":
        out += [("class:label", "\nQuote as written\n"), *wrapped(state.original, width)]
        out.append(("class:label", "Quote as it may be printed (names replaced by ***): edit, Enter confirms\n"))
        out += wrapped(state.edit_text, width, cursor=state.edit_cursor, style="class:edit")
    elif state.mode == "note":
        out.append(("class:label", "\nNote (Enter saves, Esc cancels)\n"))
        out += wrapped(state.edit_text, width, cursor=state.edit_cursor, style="class:edit")
    return out


def _entries(entries: list[tuple[bool, str]], width: int) -> StyleAndTextTuples:
    """Short entries side by side, wrapped at `width`; the chosen one stands out."""
    out: StyleAndTextTuples = [("", " ")]
    used = 1
    for chosen, text in entries:
        if used + len(text) + 2 > width and used > 1:
            out.append(("", "\n "))
            used = 1
        out += [("", " "), ("class:pending" if chosen else "", text), ("", " ")]
        used += len(text) + 2
    out.append(("", "\n"))
    return out


def render_header(state: ScreenState[I], title: str) -> StyleAndTextTuples:
    return [("", f" {title}   coded this session: {state.coded}")]


def render_progress(state: ScreenState[I]) -> StyleAndTextTuples:
    out: StyleAndTextTuples = [("class:label", " Progress (coded / to do) ")]
    current = state.item.question if state.item is not None else ""
    for n, (question, (coded, to_do)) in enumerate(state.progress.items()):
        style = "class:label" if question == current else ""
        out += [("", " · " if n else " "), (style, f"{question} {coded} / {to_do}")]
    return out


def render_status(state: ScreenState[I]) -> StyleAndTextTuples:
    return [("class:error", f" ! {state.message}")] if state.error else [("", f" {state.message}")]


def render_keys(state: ScreenState[I]) -> StyleAndTextTuples:
    if state.mode == "help":
        text = "any key closes the help · x quit"
    elif state.mode in ("quote", "note"):
        text = "Enter save · Esc cancel · ←/→ Home End move · Backspace delete · Ctrl-C quit"
    elif state.item is None:
        text = "u undo · ? help · x quit"
    elif state.pending is not None:
        text = "digit: subcategory · Enter: the category alone · Esc: cancel · x quit"
    else:
        text = "Enter accept · 0-9 code · ←/→ cursor · s split · m merge · q quote · n note · u undo · ? help · x quit"
    return [("", f" {text}")]


# ---------------------------------------------------------------------------------------------------- the app


def build_app(state: ScreenState[I], title: str) -> Application[None]:
    """The full-screen application over `state`: every key goes to state.handle_key; x / Esc / Ctrl-C end it."""
    bindings = KeyBindings()

    @bindings.add(Keys.Any)
    def _key(event: KeyPressEvent) -> None:
        for press in event.key_sequence:
            name = key_name(press.key)
            if name is not None:
                state.handle_key(name)
        if state.quit:
            event.app.exit()

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        state.paste(event.data)

    def width() -> int:
        return get_app().output.get_size().columns

    body = FormattedTextControl(lambda: render_body(state, width() - 2), focusable=True, show_cursor=True)
    no_cursor = Condition(lambda: state.item is None or state.mode == "help")
    layout = Layout(
        HSplit([
            Window(FormattedTextControl(lambda: render_header(state, title)), height=1, style="class:bar"),
            Window(body, wrap_lines=True, always_hide_cursor=no_cursor),
            Window(FormattedTextControl(lambda: render_progress(state)), wrap_lines=True, dont_extend_height=True),
            Window(FormattedTextControl(lambda: render_status(state)), height=1),
            Window(FormattedTextControl(lambda: render_keys(state)), height=1, style="class:bar"),
        ]),
        focused_element=body,
    )  # fmt: skip
    app: Application[None] = Application(layout=layout, key_bindings=bindings, style=STYLE, full_screen=True)
    app.ttimeoutlen = 0.05  # Esc alone acts at once instead of waiting for an escape sequence

    async def refresh_while_idle() -> None:  # others' progress shows without a key being pressed
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            if time.monotonic() - state.last_key >= REFRESH_SECONDS and state.refresh():
                app.invalidate()

    def start_refreshing() -> None:
        app.create_background_task(refresh_while_idle())

    app.pre_run_callables.append(start_refreshing)
    return app


def run_screen(session: Session[I], title: str) -> ScreenState[I]:
    """Run the screen until the analyst quits; the session is closed however it ends."""
    try:
        state = ScreenState(session)
        app = build_app(state, title)
        with contextlib.suppress(KeyboardInterrupt):  # SIGINT from outside the terminal: quit as Ctrl-C does
            app.run()
        return state
    finally:
        session.close()
