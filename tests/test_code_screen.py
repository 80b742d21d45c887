"""The coding screen's keys and drawing, driven through ScreenState with a small in-memory session."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from prompt_toolkit.formatted_text import fragment_list_to_text
from prompt_toolkit.keys import Keys

from practitioner_survey.cli.code_keys import ScreenState
from practitioner_survey.cli.code_screen import key_name
from practitioner_survey.cli.code_text import columns, wrap_spans, wrapped_lines
from practitioner_survey.cli.code_views import render_keys, render_progress, render_screen
from practitioner_survey.codebook import Category, Codebook, Subcategory
from practitioner_survey.coding.suggest import Suggestion
from practitioner_survey.coding.worklist import Item
from practitioner_survey.errors import ClaimLostError, SurveyError

QUESTION = "other_comments"


def _sub(key: int, label: str) -> Subcategory:
    return Subcategory(label.replace(" ", "-"), key, label, f"About {label}.")


CODEBOOK = Codebook(
    QUESTION, 2017, 2017, "Do you have any other comments?", 1,
    (
        Category("funding", 1, "Funding", "Money.", (), (_sub(1, "sustainable funding"), _sub(2, "cuts"))),
        Category("services", 2, "Specialist services", "Services.", (),
                 tuple(_sub(k, f"kind {k}") for k in range(1, 12))),  # 11 subcategories: keys 10 and 11 too
        Category("policy", 3, "Policy", "Policy.", ()),  # no subcategories
        Category("other", 0, "Other", "Anything else.", (), (_sub(1, "other"),)),
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Draft:
    comment_id: int
    original: str
    suggested: str
    replaced: str = ""
    doubts: tuple[str, ...] = ()


FUNDING_CUTS = Suggestion("funding", "Funding", 0.87, "cuts", "cuts")
POLICY = Suggestion("policy", "Policy", 0.08)


def item(comment_id: int, answer: str, start: int = 0, end: int | None = None, **kw: object) -> Item:
    fields = dict(question=QUESTION, question_text=CODEBOOK.text, service_id=f"S00{comment_id}",
                  service_name=f"Hope Service {comment_id}", region="North West", answer=answer, start=start,
                  end=len(answer) if end is None else end, suggestions=[FUNDING_CUTS, POLICY])  # fmt: skip
    return Item(comment_id, **{**fields, **kw})  # type: ignore[arg-type]


@dataclass
class FakeSession:
    """The coding session's methods over a list of comments; `calls` records what the screen asked for."""

    items: list[Item]
    codebooks: dict[str, Codebook] = field(default_factory=lambda: {QUESTION: CODEBOOK})
    calls: list[tuple[object, ...]] = field(default_factory=list)
    done: set[int] = field(default_factory=set)
    history: list[tuple[str, int]] = field(default_factory=list)
    fail: str = ""  # a method that raises SurveyError
    coded_pieces: dict[tuple[int, bool], str] = field(default_factory=dict)  # (comment, forward) -> the code merged
    closed: bool = False
    renewals: int = 0  # calls of the claims' heartbeat
    left: str = "Nothing left to code for you"  # what nothing_left says (who holds the rest)
    taken: int | None = None  # a comment another analyst (ben) took over: checking or writing about it refuses

    def _check(self, name: str, it: Item | None = None) -> None:
        if self.fail == name:
            raise SurveyError(f"{name} went wrong")
        if it is not None and it.comment_id == self.taken:
            self.done.add(it.comment_id)  # ben codes it
            raise ClaimLostError(it.comment_id, "ben")

    def check_held(self, it: Item) -> None:
        self._check("check_held", it)

    def next_item(self) -> Item | None:
        return next((i for i in self.items if i.comment_id not in self.done), None)

    def progress(self) -> dict[str, tuple[int, int]]:
        self._check("progress")
        return {"biggest_difference": (0, 5), QUESTION: (len(self.done), len(self.items) - len(self.done))}

    def _finish(self, action: str, it: Item) -> None:
        self.done.add(it.comment_id)
        self.history.append((action, it.comment_id))

    def accept(self, it: Item) -> None:
        self._check("accept")
        self.calls.append(("accept", it.comment_id))
        self._finish("code", it)

    def code(self, it: Item, category_key: int, subcategory_key: int | None = None) -> None:
        self._check("code", it)
        self.calls.append(("code", it.comment_id, category_key, subcategory_key))
        self._finish("code", it)

    def split(self, it: Item, at: int) -> None:
        self.calls.append(("split", it.comment_id, at))
        if not it.start < at < it.end:
            raise SurveyError("split outside the comment")
        at_list = self.items.index(it)
        self.items[at_list : at_list + 1] = [replace(it, comment_id=100 + it.comment_id, end=at),
                                             replace(it, comment_id=200 + it.comment_id, start=at)]  # fmt: skip
        self.history.append(("split", it.comment_id))

    def merge_code(self, it: Item, forward: bool = True) -> str:
        return self.coded_pieces.get((it.comment_id, forward), "")

    def merge_next(self, it: Item, keep: bool = False) -> None:
        self.calls.append(("merge", it.comment_id) + (("keep",) if keep else ()))
        later = [i for i in self.items if i.answer == it.answer and i.start >= it.end]
        if not later:
            raise SurveyError("this is the answer's last comment: nothing to merge it with")
        self.items.remove(later[0])
        self.items[self.items.index(it)] = replace(it, end=later[0].end)
        self.history.append(("merge", it.comment_id))

    def merge_previous(self, it: Item, keep: bool = False) -> None:
        self.calls.append(("merge previous", it.comment_id) + (("keep",) if keep else ()))
        earlier = [i for i in self.items if i.answer == it.answer and i.end <= it.start]
        if not earlier:
            raise SurveyError("this is the answer's first comment: nothing to merge it with")
        self.items.remove(earlier[-1])
        self.items[self.items.index(it)] = replace(it, start=earlier[-1].start)
        self.history.append(("merge", it.comment_id))

    def skip(self, it: Item) -> None:
        self.calls.append(("skip", it.comment_id))
        self.items.remove(it)
        self.items.append(it)

    def doubles_left(self) -> int:
        return sum(1 for i in self.items if i.double and i.comment_id not in self.done) - 1

    def marks(self, it: Item) -> frozenset[str]:
        return frozenset(action for action, cid in self.history if cid == it.comment_id and action in ("note", "quote"))

    def coded_by_me(self) -> list[tuple[int, str]]:
        return [(cid, QUESTION) for action, cid in reversed(self.history) if action == "code"]

    def coded_under(self, question: str, category_id: str) -> list[tuple[int, str]]:
        coded = {cid for action, cid in self.history if action == "code"}
        return [(i.comment_id, i.answer[i.start : i.end]) for i in self.items if i.comment_id in coded
                and category_id == "funding"]  # fmt: skip

    def coded_item(self, comment_id: int, question: str) -> Item:
        self.calls.append(("review", comment_id))
        return replace(next(i for i in self.items if i.comment_id == comment_id), coded_as="Funding")

    def quote_draft(self, it: Item) -> Draft:
        text = it.answer[it.start : it.end]
        return Draft(it.comment_id, text, text.replace("Leeds", "***"))

    def confirm_quote(self, it: Item, text: str, acknowledged: bool = False) -> None:
        self.calls.append(("quote", it.comment_id, text))
        self.history.append(("quote", it.comment_id))

    def note(self, it: Item, text: str) -> None:
        self._check("note", it)
        self.calls.append(("note", it.comment_id, text))
        self.history.append(("note", it.comment_id))

    def undo(self) -> str | None:
        self.calls.append(("undo",))
        if not self.history:
            return None
        action, comment_id = self.history.pop()
        self.done.discard(comment_id)
        return f"undid the {action} of comment {comment_id}"

    def close(self) -> None:
        self.closed = True

    def renew_claims(self) -> bool:
        self.renewals += 1
        return True

    def next_free(self) -> Item | None:
        return self.next_item()

    def nothing_left(self) -> str:
        return self.left


ANSWER = "Funding in Leeds is always short term. Training helps."


def screen(*items: Item) -> tuple[ScreenState[Item], FakeSession]:
    session = FakeSession(list(items or (item(1, ANSWER), item(2, "Courts are slow."), item(3, "More refuges."))))
    return ScreenState(session), session


def press(state: ScreenState[Item], *keys: str) -> None:
    for key in keys:
        state.handle_key(key)


def keys_text(state: ScreenState[Item], width: int = 118) -> str:
    return "\n".join(fragment_list_to_text(line) for line in render_keys(state, width))


def body_text(state: ScreenState[Item], width: int = 118, height: int = 40) -> str:
    return fragment_list_to_text(render_screen(state, "survey code", width, height))


# ---------------------------------------------------------------------------------------------------- coding keys


def test_refresh_shows_others_progress_but_never_changes_the_comment_on_screen() -> None:
    session = FakeSession(items=[item(1, "First point."), item(2, "Second point.")])
    state = ScreenState(session)
    assert state.item is not None and state.item.comment_id == 1 and state.progress[QUESTION] == (0, 2)
    assert state.refresh() is False  # nothing changed elsewhere
    session.done.add(2)  # a colleague codes comment 2
    assert state.refresh() is True
    assert state.progress[QUESTION] == (1, 1) and state.item.comment_id == 1
    session.fail = "progress"
    session.done.add(3)
    assert state.refresh() is False and state.progress[QUESTION] == (1, 1)  # a busy store: try again later


def test_screen_starts_on_the_sessions_first_comment_with_the_cursor_at_its_start() -> None:
    state, _ = screen(item(1, ANSWER, start=39))
    assert state.item is not None and state.item.comment_id == 1
    assert (state.mode, state.cursor, state.pending, state.coded) == ("code", 39, None, 0)
    assert state.progress[QUESTION] == (0, 1)


def test_enter_accepts_the_first_suggestion_and_moves_to_the_next_comment() -> None:
    state, session = screen()
    press(state, "enter")
    assert session.calls == [("accept", 1)]
    assert state.item is not None and state.item.comment_id == 2
    assert state.message == "accepted: Funding › cuts" and not state.error
    assert state.coded == 1 and state.progress[QUESTION] == (1, 2)


def test_enter_with_no_suggestion_asks_for_a_category_key() -> None:
    state, session = screen(item(1, ANSWER, suggestions=[]))
    press(state, "enter")
    assert session.calls == [] and state.error and "category" in state.message


def test_two_digits_code_a_category_and_subcategory_without_enter() -> None:
    state, session = screen()
    press(state, "1")
    assert state.pending == 1 and session.calls == []
    press(state, "2")
    assert session.calls == [("code", 1, 1, 2)]
    assert state.pending is None and state.message == "coded: Funding › cuts"
    assert state.item is not None and state.item.comment_id == 2


def test_enter_after_a_first_digit_codes_the_category_alone() -> None:
    state, session = screen()
    press(state, "0", "enter")
    assert session.calls == [("code", 1, 0, None)] and state.message == "coded: Other"


def test_escape_cancels_a_pending_digit_and_never_quits() -> None:
    state, session = screen()
    press(state, "1", "escape")
    assert state.pending is None and not state.quit and session.calls == []
    press(state, "escape", "escape", "escape")
    assert not state.quit and not state.asking_quit and "x quits" in state.message


def test_a_category_without_subcategories_is_coded_at_once() -> None:
    state, session = screen()
    press(state, "3")
    assert session.calls == [("code", 1, 3, None)] and state.pending is None


def test_a_digit_with_no_category_says_so() -> None:
    state, session = screen()
    press(state, "7")
    assert state.error and state.message == "no category has key 7" and state.pending is None
    assert session.calls == []


def test_a_digit_with_no_subcategory_says_so_and_keeps_the_category_pending() -> None:
    state, session = screen()
    press(state, "1", "5")
    assert state.error and "no subcategory 5" in state.message
    assert state.pending == 1 and session.calls == []
    press(state, "1")
    assert session.calls == [("code", 1, 1, 1)]


def test_subcategory_keys_above_nine_take_two_digits_and_enter_settles_an_ambiguous_one() -> None:
    state, session = screen()
    press(state, "2", "1")
    assert session.calls == [] and state.pending_sub == "1"  # 1, 10 or 11
    press(state, "0")
    assert session.calls == [("code", 1, 2, 10)]
    press(state, "2", "1", "enter")
    assert session.calls[-1] == ("code", 2, 2, 1)
    press(state, "2", "5")
    assert session.calls[-1] == ("code", 3, 2, 5)


def test_an_error_from_the_session_is_shown_in_the_status_line_not_raised() -> None:
    state, session = screen()
    session.fail = "code"
    press(state, "3")
    assert state.error and state.message == "code went wrong"
    assert state.item is not None and state.item.comment_id == 1 and state.coded == 0


# ------------------------------------------------------------------------------------------ cursor, split, merge


def test_ctrl_left_and_right_move_the_cursor_by_word_within_the_comment_and_home_end_to_its_ends() -> None:
    state, _ = screen(item(1, ANSWER, start=39))  # "Training helps."
    press(state, "c-right")
    assert state.cursor == ANSWER.index("helps")
    press(state, "c-right")
    assert state.cursor == len(ANSWER)
    press(state, "c-left", "c-left", "c-left")
    assert state.cursor == 39
    press(state, "end")
    assert state.cursor == len(ANSWER)
    press(state, "home")
    assert state.cursor == 39


LONG = (
    "Refuge is full most nights, and the waiting list grows; outreach cannot keep up. Courts are slow!\nTraining helps"
)


def test_left_and_right_jump_between_sentences_and_clauses() -> None:
    state, _ = screen(item(1, LONG))
    stops = []
    for _ in range(5):
        press(state, "right")
        stops.append(state.cursor)
    assert stops == [LONG.index("and the"), LONG.index("outreach"), LONG.index("Courts"), LONG.index("Training"),
                     len(LONG)]  # fmt: skip
    press(state, "left", "left")
    assert state.cursor == LONG.index("Courts")


def test_s_splits_at_the_cursor_and_moves_on_to_the_first_part() -> None:
    state, session = screen()
    press(state, "right", "s")
    at = ANSWER.index("Training")
    assert session.calls == [("split", 1, at)] and state.message == "split at the cursor"
    assert state.item is not None and (state.item.start, state.item.end) == (0, at)


def test_s_with_the_cursor_at_the_comments_start_explains_instead_of_splitting() -> None:
    state, session = screen()
    press(state, "s")
    assert session.calls == [] and state.error and "→" in state.message


def test_m_merges_with_the_next_comment_and_at_the_last_one_shows_the_sessions_error() -> None:
    first, second = item(1, ANSWER, end=38), item(2, ANSWER, start=39)
    state, session = screen(first, second)
    press(state, "m")
    assert session.calls == [("merge", 1)]
    assert state.item is not None and (state.item.start, state.item.end) == (0, len(ANSWER))
    press(state, "m")
    assert state.error and "last comment" in state.message


# ---------------------------------------------------------------------------------------------------- quote and note


def test_q_shows_the_anonymised_quote_which_can_be_edited_and_enter_confirms_it() -> None:
    state, session = screen()
    press(state, "q")
    assert state.mode == "quote" and state.edit_text == "Funding in *** is always short term. Training helps."
    assert state.original == ANSWER
    press(state, "end", *["backspace"] * len(". Training helps."), "!", "home", "delete", "f")
    press(state, "enter")
    assert session.calls == [("quote", 1, "funding in *** is always short term!")]
    assert state.mode == "code" and state.message == "quote confirmed"
    assert state.item is not None and state.item.comment_id == 1  # still to be coded


def test_ctrl_s_also_confirms_a_quote_and_escape_cancels_one() -> None:
    state, session = screen()
    press(state, "q", "escape")
    assert state.mode == "code" and session.calls == [] and not state.quit
    press(state, "q", "c-s")
    assert session.calls == [("quote", 1, "Funding in *** is always short term. Training helps.")]


def test_n_adds_a_note_typed_key_by_key_and_escape_leaves_none() -> None:
    state, session = screen()
    press(state, "n", *"ask Sam? x", "enter")
    assert session.calls == [("note", 1, "ask Sam? x")] and state.message == "note saved" and not state.quit
    press(state, "n", "a", "escape")
    assert len(session.calls) == 1 and state.mode == "code"


def test_an_empty_note_is_refused_and_editing_continues() -> None:
    state, session = screen()
    press(state, "n", " ", "enter")
    assert state.mode == "note" and state.error and session.calls == []


def test_pasted_text_goes_into_the_note_on_one_line() -> None:
    state, session = screen()
    press(state, "n")
    state.paste("two\nlines")
    press(state, "enter")
    assert session.calls == [("note", 1, "two lines")]


# ---------------------------------------------------------------------------------------------------- undo, help, quit


def test_u_undoes_and_the_undone_comment_comes_back() -> None:
    state, _ = screen()
    press(state, "enter", "3")
    assert state.coded == 2 and state.item is not None and state.item.comment_id == 3
    press(state, "u")
    assert state.message == "undid the code of comment 2" and state.coded == 1
    assert state.item is not None and state.item.comment_id == 2
    press(state, "u", "u")
    assert state.message == "nothing of yours left to undo" and state.coded == 0


def test_question_mark_toggles_the_help_panel_and_any_key_closes_it_without_acting() -> None:
    state, session = screen()
    press(state, "?")
    assert state.mode == "help" and "s " in body_text(state) and "undo" in body_text(state)
    press(state, "?")
    assert state.mode == "code"
    press(state, "?", "1")
    assert state.mode == "code" and state.pending is None and session.calls == []
    press(state, "?", "x", "x")
    assert state.quit


@pytest.mark.parametrize("keys", [["x", "x"], ["X", "y"], ["c-c", "c-c"], ["1", "c-c", "x"], ["?", "x", "y"]])
def test_quitting_asks_once(keys: list[str]) -> None:
    state, session = screen()
    press(state, *keys[:-1])
    assert state.asking_quit and not state.quit and "quit?" in state.message
    press(state, keys[-1])
    assert state.quit and session.calls == []


@pytest.mark.parametrize("other", ["1", "enter", "escape", "s"])
def test_any_other_key_after_quit_carries_on_and_does_nothing_else(other: str) -> None:
    state, session = screen()
    press(state, "x", other)
    assert not state.quit and not state.asking_quit and session.calls == [] and state.pending is None
    assert state.message == "carrying on"


@pytest.mark.parametrize("mode", ["n", "q"])
def test_ctrl_c_in_the_note_or_quote_editor_cancels_the_editor_only(mode: str) -> None:
    state, session = screen()
    press(state, mode, *"half typed", "c-c")
    assert state.mode == "code" and not state.quit and not state.asking_quit and session.calls == []
    assert state.item is not None and state.item.comment_id == 1


def test_ctrl_z_asks_the_screen_to_suspend_and_changes_nothing_else() -> None:
    state, session = screen()
    press(state, "1", "c-z")
    assert state.suspend and state.pending == 1 and session.calls == []


def test_l_puts_the_comment_back_for_later_and_it_comes_after_the_others() -> None:
    state, session = screen()
    press(state, "l")
    assert session.calls == [("skip", 1)] and "later" in state.message
    assert state.item is not None and state.item.comment_id == 2
    press(state, "enter", "enter")
    assert state.item is not None and state.item.comment_id == 1


def test_when_nothing_is_left_the_screen_says_so_and_only_undo_help_and_quit_act() -> None:
    state, session = screen(item(1, ANSWER))
    press(state, "enter")
    assert state.item is None and "Nothing left to code for you" in body_text(state)
    press(state, "enter", "1", "s")
    assert session.calls == [("accept", 1)] and "Nothing left" in state.message
    press(state, "u")
    assert state.item is not None and state.item.comment_id == 1
    press(state, "enter", "x", "x")
    assert state.quit and state.coded == 1


# ---------------------------------------------------------------------------------------------------- drawing


def test_the_screen_shows_question_answer_service_region_suggestions_and_codebook_keys() -> None:
    state, _ = screen(item(1, ANSWER, start=39))
    text = body_text(state)
    for shown in ("Do you have any other comments?", ANSWER, "Hope Service 1 (S001)", "Region North West",
                  "Funding › cuts", "87%", "Policy", "8%", "1 Funding", "2 Specialist services",
                  "0 Other"):  # fmt: skip
        assert shown in text
    assert "Enter 1 2" in " ".join(text.split())  # the first suggestion's keys
    assert "blind second coding" not in text


def test_a_blind_second_coding_says_how_many_remain_and_never_offers_enter_accept() -> None:
    state, session = screen(*(item(n, ANSWER, double=True, suggestions=[]) for n in (1, 2, 3)))
    text = body_text(state)
    assert "blind second coding" in text and "2 more to do after this one" in text
    assert "Enter accept" not in text and "accept" not in text
    press(state, "enter")
    assert session.calls == [] and state.error and "blind" in state.message


def test_the_comment_is_drawn_in_reverse_inside_its_answer_with_the_cursor_on_it() -> None:
    state, _ = screen(item(1, ANSWER, start=39))
    fragments = render_screen(state, "survey code", 118, 40)
    marked = "".join(fragment[1] for fragment in fragments if "class:comment" in fragment[0])
    assert marked == "Training helps."
    at = fragments.index(("[SetCursorPosition]", ""))
    assert fragments[at + 1] == (" class:comment class:cursor", "T")


def test_after_a_first_digit_the_categorys_subcategory_keys_are_shown() -> None:
    state, _ = screen()
    assert "sustainable funding" not in body_text(state)
    press(state, "1")
    text = body_text(state)
    assert "1 Funding ›" in text and "1 sustainable funding" in text and "2 cuts" in text
    assert "subcategory" in keys_text(state)


def test_the_quote_being_edited_is_shown_with_the_comment_as_written() -> None:
    state, _ = screen()
    press(state, "q")
    text = body_text(state)
    assert "Quote as written" in text and "Funding in *** is" in text
    assert "Enter save" in keys_text(state)


def test_progress_lists_coded_and_to_do_per_question_and_errors_stand_out() -> None:
    state, _ = screen()
    assert "other_comments 0 / 3" in fragment_list_to_text(render_progress(state, 118))
    assert "biggest_difference 0 / 5" in fragment_list_to_text(render_progress(state, 118))
    press(state, "7")
    assert ("class:error", " ! no category has key 7") in render_screen(state, "survey code", 118, 40)


def test_long_answers_wrap_at_word_boundaries_and_keep_every_character() -> None:
    text = "One two three four five six seven.\nEight nine ten eleven."
    spans = wrap_spans(text, 12)
    lines = [text[a:b] for a, b, _ in spans]
    assert all(len(line.rstrip()) <= 12 for line in lines)
    assert "".join(lines) == text.replace("\n", "")
    assert [last for _, _, last in spans].count(True) == 2
    drawn = "\n".join(fragment_list_to_text(line) for line in wrapped_lines(text, 15, indent=2, cursor=len(text)))
    assert drawn.replace("\n", "").replace(" ", "") == text.replace("\n", "").replace(" ", "")


def test_key_presses_map_to_the_names_the_state_takes() -> None:
    assert key_name(Keys.ControlM) == "enter" and key_name(Keys.Escape) == "escape"
    assert key_name(Keys.ControlH) == "backspace" and key_name(Keys.ControlC) == "c-c"
    assert key_name(Keys.Right) == "right" and key_name("7") == "7" and key_name("q") == "q"
    assert key_name(Keys.F5) is None and key_name(Keys.CPRResponse) is None


# ---------------------------------------------------------------------------------------------------- review


def test_r_steps_back_through_my_codes_newest_first_and_a_recode_is_a_new_decision() -> None:
    state, session = screen()
    press(state, "enter", "enter")
    assert state.item is not None and state.item.comment_id == 3
    press(state, "r")
    assert state.review is not None and state.item.comment_id == 2 and "coded now: Funding" in body_text(state)
    press(state, "down")
    assert state.item.comment_id == 1 and state.message == "your codes, newest first: 2 of 2"
    press(state, "down")
    assert state.item.comment_id == 1 and state.message == "that was the last one"
    press(state, "3")  # recode comment 1 as Policy
    assert session.calls[-2] == ("code", 1, 3, None) and state.message == "recoded: Policy"
    assert state.review is not None and state.item.comment_id == 1 and state.coded == 2
    press(state, "s")
    assert state.error and "leave the review" in state.message
    press(state, "escape")
    assert state.review is None and state.item.comment_id == 3 and state.message == "back to coding"


def test_v_lists_the_comments_coded_under_a_category_and_enter_opens_the_chosen_one() -> None:
    state, session = screen()
    press(state, "enter", "enter", "v")
    assert state.mode == "category" and state.book == 1
    text = body_text(state)
    assert "1 Funding: 2 comments coded under it" in text and "› Funding in Leeds" in text
    press(state, "down", "enter")
    assert state.mode == "code" and state.review is not None and state.item is not None
    assert state.item.comment_id == 2 and session.calls[-1] == ("review", 2)
    press(state, "escape")
    assert state.item.comment_id == 3


def test_review_with_nothing_coded_says_so() -> None:
    state, _ = screen()
    press(state, "r")
    assert state.review is None and state.message == "you have nothing coded to review yet"


# ---------------------------------------------------------------------------------------------------- layout


@pytest.mark.parametrize(("width", "height"), [(60, 15), (80, 24), (100, 30), (140, 45)])
@pytest.mark.parametrize("mode", ["code", "pending", "help", "codebook", "note", "quote", "category"])
def test_every_line_fits_the_screen_and_undo_help_and_quit_are_always_in_the_key_bar(
    width: int, height: int, mode: str
) -> None:
    long = " ".join(f"Sentence {n}: the Idva caseloads keep rising and waits grow." for n in range(150))
    state, _ = screen(item(1, long, start=4000, end=4500), item(2, "Courts are slow."))
    press(state, *{"code": [], "pending": ["1"], "help": ["?"], "codebook": ["c"], "note": ["n"], "quote": ["q"],
                   "category": ["enter", "v"]}[mode])  # fmt: skip
    lines = body_text(state, width, height).split("\n")
    assert len(lines) == height and all(columns(line) <= width for line in lines)
    if mode in ("code", "pending"):
        assert "Do you have any other comments?" in lines[1] and any(line.startswith("  Enter ") for line in lines)
        assert any("more lines above" in line for line in lines) and any("more lines below" in line for line in lines)
    if mode in ("code", "pending"):
        assert {"undo", "help", "quit"} <= set(" ".join(lines[-2:]).split()), lines[-2:]


def test_the_comment_and_the_cursor_stay_in_view_as_the_cursor_moves_to_its_end() -> None:
    long = " ".join(f"Sentence {n}: the Idva caseloads keep rising and waits grow." for n in range(150))
    state, _ = screen(item(1, long, start=600, end=6000))
    press(state, "end")
    fragments = render_screen(state, "survey code", 80, 24)
    assert ("[SetCursorPosition]", "") in fragments  # the cursor is drawn, so its line is on screen
    assert "Sentence 96" in fragment_list_to_text(fragments)  # the comment's end, far below its start


def test_progress_shows_a_percentage_and_after_a_few_minutes_the_time_left() -> None:
    now = [0.0]
    session = FakeSession([item(n, f"Point {n}.") for n in range(1, 11)])
    state = ScreenState(session, clock=lambda: now[0])
    press(state, "enter", "enter", "enter", "enter")
    assert "other_comments 4 / 6 (40%)" in fragment_list_to_text(render_progress(state, 118))
    assert "left" not in fragment_list_to_text(render_progress(state, 118))  # too soon to say
    now[0] = 240.0  # four comments in four minutes: one a minute
    assert "about 11 min left" in fragment_list_to_text(render_progress(state, 118))  # 6 + 5 to do


def test_progress_drops_whole_entries_rather_than_wrapping_mid_number() -> None:
    state, _ = screen()
    text = fragment_list_to_text(render_progress(state, 60))
    assert text.endswith("(0%)") and "biggest_difference" not in text and columns(text) <= 60


def test_a_note_and_a_quote_show_on_the_comment() -> None:
    state, _ = screen()
    assert "[note]" not in body_text(state)
    press(state, "n", "x", "enter", "q", "enter")
    assert "[note] [quote]" in body_text(state)


def test_subcategory_keys_that_could_begin_a_longer_one_show_that_they_need_enter() -> None:
    state, _ = screen()
    press(state, "2")
    text = body_text(state)
    assert "1↵ kind 1" in text and "10 kind 10" in text and "2 kind 2" in text


@pytest.mark.parametrize("text", ["আমাদের এলাকায় পরামর্শদাতা খুব কম", "我们地区的辅导员太少了，等待时间很长。" * 6,
                                  "Diolch 🙏 żółć " * 12])  # fmt: skip
def test_wrapping_counts_columns_not_characters(text: str) -> None:
    for width in (12, 30):
        for a, b, _ in wrap_spans(text, width):
            assert columns(text[a:b].rstrip()) <= width


@pytest.mark.parametrize(("answer", "call"), [("y", ("merge", 1, "keep")), ("n", ("merge", 1)), ("escape", None)])
def test_merging_with_a_coded_piece_names_its_code_and_asks_whether_it_survives(
    answer: str, call: tuple[object, ...] | None
) -> None:
    first, second = item(1, ANSWER, end=38), item(2, ANSWER, start=39)
    state, session = screen(first, second)
    session.coded_pieces[(1, True)] = "Funding › cuts"
    press(state, "m")
    assert session.calls == [] and "the next piece is coded Funding › cuts" in state.message
    assert "y merge, keeping the code" in keys_text(state)
    press(state, answer)
    assert session.calls == ([call] if call else []) and state.asking_merge is None
    assert state.message == ("not merged" if call is None else "merged with the next piece" + (
        ", keeping its code" if answer == "y" else ""))  # fmt: skip


def test_p_merges_with_the_previous_piece() -> None:
    first, second = item(1, ANSWER, end=38), item(2, ANSWER, start=39)
    state, session = screen(second, first)
    press(state, "p")
    assert session.calls == [("merge previous", 2)] and state.message == "merged with the previous piece"
    assert state.item is not None and (state.item.start, state.item.end) == (0, len(ANSWER))


def test_a_long_suggestion_label_is_cut_so_that_its_confidence_still_ends_the_line() -> None:
    long = Suggestion("services", "Specialist services", 0.12, "kind-1", "a subcategory with a very long label indeed")
    state, _ = screen(item(1, ANSWER, suggestions=[FUNDING_CUTS, long, POLICY]))
    for width in (60, 80):
        lines = [line for line in body_text(state, width, 24).split("\n") if "Specialist services ›" in line]
        assert len(lines) == 1 and lines[0].rstrip().endswith("12%") and columns(lines[0]) <= width


def test_the_codebook_panel_never_breaks_a_category_name_across_lines() -> None:
    state, _ = screen()
    press(state, "c")
    text = body_text(state, 40, 30)
    assert "1 Funding" in text and "About sustainable funding." in text
    assert "2 Specialist services" in text and "0 Other" in text  # the other categories, whole
    for line in text.split("\n"):
        assert columns(line) <= 40


def test_when_the_rest_is_held_by_others_the_screen_says_who_holds_how_many_instead_of_only_nothing_left() -> None:
    state, session = screen(item(1, ANSWER))
    session.left = ("Nothing left to code for you for now: ana holds 5 comments; it comes to you if their session "
                    "stops without finishing")  # fmt: skip # as the session says it (worklist.nothing_left)
    press(state, "enter")
    assert state.item is None and state.waiting == session.left
    assert "ana holds 5 comments" in body_text(state)
    narrow = body_text(state, 60, 15)
    assert "ana holds 5 comments" in narrow and "without finishing" in narrow  # wrapped, not cut
    assert all(columns(line) <= 60 for line in narrow.split("\n"))
    press(state, "z")
    assert state.message.startswith(session.left) and "u undoes" in state.message


def test_a_comment_come_free_on_an_idle_refresh_shows_with_its_marks_and_the_heartbeat_runs() -> None:
    state, session = screen(item(1, ANSWER))
    press(state, "n", *"check", "enter", "enter")  # a note on comment 1, then its code: nothing left
    assert state.item is None and state.waiting == session.left and state.marks == frozenset()
    renewals = session.renewals
    session.items.append(item(2, "Courts are slow."))  # a stopped session's claim ran out
    session.history.append(("note", 2))  # it had a note from the analyst who held it
    assert state.refresh() is True
    assert session.renewals == renewals + 1
    assert state.item is not None and state.item.comment_id == 2 and state.cursor == 0
    assert state.waiting == "" and state.message == "a comment came free" and state.marks == frozenset({"note"})
    assert "[note]" in body_text(state) and "Nothing left" not in body_text(state)


def test_an_idle_refresh_finds_the_comment_taken_while_away_says_so_and_moves_on_dropping_the_typed_note() -> None:
    state, session = screen()
    press(state, "n", *"call back Friday")
    assert state.refresh() is False and state.mode == "note"  # still held: the note is being typed
    session.taken = 1  # the analyst was away past the timeout: ben took comment 1 and coded it
    assert state.refresh() is True
    assert state.message == "while you were away, another analyst (ben) took comment 1 (your note was not saved); " \
        "here is the next one"  # fmt: skip
    assert state.error and state.mode == "code" and state.item is not None and state.item.comment_id == 2
    assert "call back Friday" not in body_text(state)
    assert [c for c in session.calls if c[0] == "note"] == []


def test_a_key_on_the_comment_taken_while_away_says_so_and_the_next_comment_comes() -> None:
    state, session = screen()
    session.taken = 1
    press(state, "1", "2")  # Funding › cuts, on a comment no longer this analyst's
    assert state.message.startswith("while you were away, another analyst (ben) took comment 1; here is")
    assert state.item is not None and state.item.comment_id == 2 and state.coded == 0
    press(state, "enter")
    assert state.coded == 1 and ("accept", 2) in session.calls
