"""The full-screen view of `survey code`: draws a ScreenState and passes key presses to it.

prompt_toolkit owns the terminal; everything the keys do is in code_keys.ScreenState, and what is drawn is laid out
for the terminal's size by code_views.render_screen, so this module only turns key presses into names.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from prompt_toolkit.application import Application, get_app
from prompt_toolkit.filters import Condition
from prompt_toolkit.formatted_text import StyleAndTextTuples
from prompt_toolkit.key_binding import KeyBindings, KeyPressEvent
from prompt_toolkit.keys import Keys
from prompt_toolkit.layout import FormattedTextControl, Layout, Window
from prompt_toolkit.styles import Style

from practitioner_survey.cli.code_keys import ItemView, ScreenState, Session
from practitioner_survey.cli.code_views import render_screen

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
        "marker": "italic",
        "mark": "bold",
    }
)
#: Key presses the screen understands by name; printable characters are passed as themselves.
KEY_NAMES = {
    Keys.ControlM: "enter", Keys.ControlJ: "enter", Keys.Escape: "escape", Keys.ControlC: "c-c", Keys.ControlS: "c-s",
    Keys.Left: "left", Keys.Right: "right", Keys.Home: "home", Keys.End: "end", Keys.ControlA: "home",
    Keys.ControlE: "end", Keys.ControlH: "backspace", Keys.Delete: "delete", Keys.Up: "up", Keys.Down: "down",
    Keys.PageUp: "pageup", Keys.PageDown: "pagedown", Keys.ControlLeft: "c-left", Keys.ControlRight: "c-right",
    Keys.ControlZ: "c-z", Keys.ShiftLeft: "c-left", Keys.ShiftRight: "c-right",
}  # fmt: skip
#: Alt-← and Alt-→ arrive as Esc then the arrow (or, from a Mac's Option key, Esc b and Esc f): a word at a time,
#: as Ctrl- and Shift-← → are.
ALT_WORD_KEYS = {Keys.Left: "c-left", Keys.Right: "c-right", "b": "c-left", "f": "c-right"}
#: While the analyst pauses, the team's progress is re-read this often (seconds).
REFRESH_SECONDS = 3.0


def key_name(key: Keys | str) -> str | None:
    """The name ScreenState.handle_key takes for a key press, or None for keys the screen ignores."""
    if key in KEY_NAMES:
        return KEY_NAMES[Keys(key)]
    text = str(key)
    return text if len(text) == 1 and text.isprintable() else None


# ---------------------------------------------------------------------------------------------------- the app


def build_app(state: ScreenState[I], title: str) -> Application[None]:
    """The full-screen application over `state`: every key goes to state.handle_key; it ends when the state quits."""
    bindings = KeyBindings()

    @bindings.add(Keys.Any)
    def _key(event: KeyPressEvent) -> None:
        for press in event.key_sequence:
            name = key_name(press.key)
            if name is not None:
                state.handle_key(name)
            if state.suspend:
                state.suspend = False
                suspend(event, state)
        if state.quit:
            event.app.exit()

    def _alt_word(event: KeyPressEvent) -> None:
        state.handle_key(ALT_WORD_KEYS[event.key_sequence[-1].key])

    for second in ALT_WORD_KEYS:
        bindings.add(Keys.Escape, second)(_alt_word)

    @bindings.add(Keys.BracketedPaste)
    def _paste(event: KeyPressEvent) -> None:
        state.paste(event.data)

    def draw() -> StyleAndTextTuples:
        size = get_app().output.get_size()
        return render_screen(state, title, size.columns, size.rows)

    screen = FormattedTextControl(draw, focusable=True, show_cursor=True)
    no_cursor = Condition(
        lambda: state.item is None or state.mode in ("help", "codebook", "category") or state.asking_quit
    )
    layout = Layout(Window(screen, always_hide_cursor=no_cursor), focused_element=screen)
    app: Application[None] = Application(layout=layout, key_bindings=bindings, style=STYLE, full_screen=True)
    app.ttimeoutlen = 0.05  # Esc alone acts at once instead of waiting for an escape sequence ...
    app.timeoutlen = 0.05  # ... or for the arrow that would make it Alt-← or Alt-→

    async def refresh_while_idle() -> None:  # others' progress shows without a key being pressed
        while True:
            await asyncio.sleep(REFRESH_SECONDS)
            if time.monotonic() - state.last_key >= REFRESH_SECONDS and state.refresh():
                app.invalidate()

    def start_refreshing() -> None:
        app.create_background_task(refresh_while_idle())

    app.pre_run_callables.append(start_refreshing)
    return app


def suspend(event: KeyPressEvent, state: ScreenState[I]) -> None:
    """Ctrl-Z: back to the shell as terminals do (fg returns), where the system has job control; else say why not."""
    if hasattr(signal, "SIGTSTP"):
        event.app.suspend_to_background()
        state.message, state.error = "back from the shell (Ctrl-Z suspends; fg returns)", False
    else:
        state.message, state.error = "Ctrl-Z cannot suspend here (no job control on this system): x quits", True


def run_screen(
    session: Session[I], title: str, review: bool = False, clock: Callable[[], float] = time.monotonic
) -> ScreenState[I]:
    """Run the screen until the analyst quits (starting in review of this analyst's codes, given `review`; `clock`
    times the session's pace for the time left); the session is closed however it ends."""
    try:
        state = ScreenState(session, clock, review=review)
        app = build_app(state, title)
        gc.freeze()  # the model and comments loaded so far: never walked again by a full collection mid-key
        with contextlib.suppress(KeyboardInterrupt):  # SIGINT from outside the terminal: quit as Ctrl-C does
            app.run()
        return state
    finally:
        session.close()
