"""Claims that heal: a live coding session renews its claims, a stopped one's comments go to the analyst still
working within two minutes, and that analyst is told who holds the rest meanwhile (also by `survey status`).

Time moves by an injected clock, never by sleeping; every test runs on a SQLite file and on PostgreSQL. The same
with real processes (kill -9 of `survey code`) is in test_code_team.py.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from conftest import BACKENDS, backend_url
from test_code_team import write_returns
from test_coding import FakeSuggester
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.cli.code_keys import ScreenState
from practitioner_survey.coding import worklist
from practitioner_survey.coding.held import nothing_left
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.coding.worklist import Item
from practitioner_survey.errors import ClaimLostError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.claims import CLAIM_TIMEOUT_SECONDS, RENEW_SECONDS, HeldClaims
from practitioner_survey.store.coding import Decision, stamp
from practitioner_survey.store.core import Store
from practitioner_survey.store.overview import describe_claims

YEAR = 2017
Q = "other_comments"
ANSWERS = [  # one sentence each: one comment per service
    "Our funding is only ever for one year at a time.",
    "Court waits are far too long for victims.",
    "We need more training on coercive control.",
    "Refuge spaces for women with older boys are scarce.",
    "Housing officers do not understand the risks.",
    "Thank you for running this survey.",
]
TWO_MINUTES = 120.0


class Clock:
    """The sessions' present, moved on by the test."""

    def __init__(self) -> None:
        self.now = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.now

    def tick(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A 2017 store of six services answering other_comments in one sentence each; the model is a fake."""
    monkeypatch.setattr(worklist, "Suggester", FakeSuggester)
    monkeypatch.setattr(worklist, "bundled_examples", lambda *args, **kwargs: [])
    folder = write_returns(tmp_path, ANSWERS)
    with backend_url(request, request.param, tmp_path) as found:
        with Store(found) as store:
            import_year(store, folder, YEAR)
        yield found


Opener = Callable[..., CodingSession]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def open_session(url: str, clock: Clock) -> Iterator[Opener]:
    """Opens an analyst's session on a connection of its own, on the shared clock; a session never closed is
    one killed (its claims stay open, unrenewed)."""
    stores: list[Store] = []

    def opener(analyst: str, double_code: float = 0.0) -> CodingSession:
        stores.append(Store(url))
        return CodingSession(stores[-1], YEAR, analyst, Q, double_code=double_code, clock=clock)

    yield opener
    for store in stores:
        store.close()


def code_the_rest(session: CodingSession) -> int:
    coded = 0
    while (item := session.next_item()) is not None:
        session.code(item, 1)
        coded += 1
    return coded


def open_claims(url: str) -> list[tuple[str, int]]:
    with Store(url) as store:
        claims = store.claims(YEAR)
    claims = claims[claims["released"] == 0]
    return list(zip(claims["analyst"], claims["comment_id"].astype(int), strict=True))


# -- a stopped session's comment comes back ------------------------------------------------------------------


def test_a_killed_sessions_comment_goes_to_the_analyst_still_coding_within_two_minutes(
    open_session: Opener, clock: Clock
) -> None:
    ana = open_session("ana")
    held = ana.next_item()
    assert held is not None
    # ana's process is killed here: no close(), no more renewals
    ben = open_session("ben")
    assert code_the_rest(ben) == len(ANSWERS) - 1
    # the "19 / 1" of the issue: one comment to do, held by a session nobody can see is dead
    assert ben.progress()[Q] == (len(ANSWERS) - 1, 1)
    assert ben.nothing_left().startswith("Nothing left to code for you for now: ana holds 1 comment;")
    clock.tick(CLAIM_TIMEOUT_SECONDS - 1)
    assert ben.next_free() is None  # ana might still be reading it
    clock.tick(2)
    back = ben.next_free()
    assert back is not None and back.comment_id == held.comment_id
    assert CLAIM_TIMEOUT_SECONDS + 1 < TWO_MINUTES
    ben.code(back, 2)
    assert ben.progress()[Q] == (len(ANSWERS), 0) and ben.next_item() is None
    assert ben.nothing_left() == "Nothing left to code for you"


def test_a_live_session_keeps_its_comment_however_long_the_analyst_reads_it(
    open_session: Opener, clock: Clock, url: str
) -> None:
    ana = open_session("ana")
    held = ana.next_item()
    assert held is not None
    ben = open_session("ben")
    code_the_rest(ben)
    writes = 0
    for second in range(0, 600, 3):  # ten minutes on one comment; the screen's idle tick every 3 s
        writes += ana.renew_claims()
        if second % 60 == 0:
            assert ben.next_free() is None and ben.next_item() is None, f"taken over after {second} s"
            assert [(h.analyst, h.comments) for h in ben.held] == [("ana", 1)]
        clock.tick(3)
    assert writes == 600 // RENEW_SECONDS  # one write per half-minute, however often it is called
    assert open_claims(url) == [("ana", held.comment_id)]
    ana.code(held, 1)
    assert ben.next_free() is None and ben.held == [] and ben.progress()[Q] == (len(ANSWERS), 0)


def test_a_session_that_stops_renewing_loses_its_comment_and_resumes_on_another(
    open_session: Opener, clock: Clock
) -> None:
    ana = open_session("ana")
    first = ana.next_item()
    assert first is not None and ana.renew_claims()
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)  # ana's machine slept through the timeout
    ben = open_session("ben")
    taken = ben.next_item()
    assert taken is not None and taken.comment_id == first.comment_id
    ana.renew_claims()
    again = open_session("ana").next_item()  # ana's next session does not get ben's comment back
    assert again is not None and again.comment_id != first.comment_id


def test_a_quit_session_frees_its_comment_at_once(open_session: Opener) -> None:
    ana = open_session("ana")
    held = ana.next_item()
    ben = open_session("ben")
    code_the_rest(ben)
    assert ben.next_free() is None
    ana.close()
    back = ben.next_free()
    assert held is not None and back is not None and back.comment_id == held.comment_id


def test_blind_second_codings_held_by_others_are_named_only_to_analysts_who_do_them_too(open_session: Opener) -> None:
    ana = open_session("ana")
    first = ana.next_item()
    assert first is not None
    ana.code(first, 1)
    cat = open_session("cat", double_code=1.0)
    again = cat.next_item()
    assert again is not None and again.double and again.comment_id == first.comment_id
    ben = open_session("ben")
    assert code_the_rest(ben) == len(ANSWERS) - 1
    assert ben.held == [] and ben.nothing_left() == "Nothing left to code for you"
    dan = open_session("dan", double_code=1.0)
    assert code_the_rest(dan) == len(ANSWERS) - 1  # ben's comments, blind
    assert [(h.analyst, h.kind, h.comments) for h in dan.held] == [("cat", "double", 1)]
    assert dan.nothing_left().startswith("Nothing left to code for you for now: cat holds 1 comment;")


def test_a_double_coder_with_nothing_left_gets_a_comment_another_analyst_codes_by_hand_meanwhile(
    open_session: Opener, url: str
) -> None:
    eve = open_session("eve")
    held = eve.next_item()
    assert held is not None
    dan = open_session("dan", double_code=1.0)
    assert code_the_rest(dan) == len(ANSWERS) - 1  # every other comment, first-coded by dan himself
    assert dan.next_free() is None and [(h.analyst, h.comments) for h in dan.held] == [("eve", 1)]
    with Store(url) as store:  # eve codes hers and holds her next at once: her count of claims stays 1
        moved_on = next(int(i) for i in store.comments(YEAR, Q)["id"] if int(i) != held.comment_id)
        code = Decision(YEAR, held.comment_id, Q, "eve", "code", "funding")
        store.record([code], "eve", release=[held.comment_id], claim=[(moved_on, "primary")])
    again = dan.next_free()
    assert again is not None and again.double and again.comment_id == held.comment_id


# -- the loop's screen: the message and the comment coming free, without a key -------------------------------


def test_the_screen_names_who_holds_the_rest_then_takes_the_freed_comment_on_an_idle_refresh(
    open_session: Opener, clock: Clock
) -> None:
    ana = open_session("ana")
    held = ana.next_item()
    assert held is not None
    state: ScreenState[Item] = ScreenState(open_session("ben"))
    for _ in range(len(ANSWERS) - 1):
        state.handle_key("enter")
    assert state.item is None and state.progress[Q] == (len(ANSWERS) - 1, 1)
    assert "ana holds 1 comment" in state.waiting
    state.handle_key("z")
    assert "ana holds 1 comment" in state.message
    clock.tick(CLAIM_TIMEOUT_SECONDS / 2)
    assert state.refresh() is False and state.item is None
    clock.tick(CLAIM_TIMEOUT_SECONDS / 2 + 1)
    assert state.refresh() is True
    assert state.item is not None and state.item.comment_id == held.comment_id and state.waiting == ""
    assert state.message == "a comment came free"
    state.handle_key("enter")
    assert state.item is None and state.progress[Q] == (len(ANSWERS), 0)
    assert state.waiting == "Nothing left to code for you"


def test_the_screens_keys_and_idle_ticks_are_the_heartbeat(open_session: Opener, clock: Clock) -> None:
    ana_state: ScreenState[Item] = ScreenState(open_session("ana"))
    assert ana_state.item is not None
    ben = open_session("ben")
    code_the_rest(ben)
    for tick in range(100):  # five minutes: idle ticks every 3 s, with a key now and then
        clock.tick(3)
        if tick % 7 == 0:
            ana_state.handle_key("right")
        else:
            ana_state.refresh()
        assert ben.next_free() is None, f"taken over after {3 * (tick + 1)} s"
    assert ana_state.item is not None


# -- who holds what: the store, the message, survey status ---------------------------------------------------


def test_held_claims_count_each_analysts_live_and_stale_claims_on_comments_still_in_play(url: str) -> None:
    now = datetime.now(UTC)
    with Store(url) as store:
        CodingSession(store, YEAR, "setup", Q).close()  # splits the answers into comments
        ids = store.comments(YEAR, Q)["id"].astype(int).tolist()
        old, recent = stamp(now - timedelta(minutes=10)), stamp(now)
        assert store.claim(YEAR, Q, "ana", "primary", ids[:1], "", recent) == ids[0]
        assert store.claim(YEAR, Q, "ana", "primary", ids[1:2], "", recent) == ids[1]
        assert store.claim(YEAR, Q, "bob", "primary", ids[2:3], "", old) == ids[2]
        assert store.claim(YEAR, Q, "cat", "primary", ids[3:4], "", recent) == ids[3]
        store.record([Decision(YEAR, ids[3], Q, "cat", "code", "funding")], "cat", release=[ids[3]])
        assert store.claim(YEAR, Q, "dan", "double", ids[3:4], "", recent) == ids[3]
        cutoff = stamp(now - timedelta(seconds=CLAIM_TIMEOUT_SECONDS))
        held = store.held_claims(cutoff, YEAR)
        assert [(h.analyst, h.kind, h.comments, h.live) for h in held] == [
            ("ana", "primary", 2, True), ("dan", "double", 1, True), ("bob", "primary", 1, False)
        ]  # fmt: skip
        assert held[0].renewed == recent and held[2].renewed == old
        assert store.renew_claims(YEAR, "bob", recent) == 1
        live = [(h.analyst, h.live) for h in store.held_claims(cutoff)]
        assert live == [("ana", True), ("bob", True), ("dan", True)]
        assert "2017: dan is coding, holding 1 comment of other_comments to code again blind" in " ".join(
            describe_claims(held)
        )
        assert store.held_claims(cutoff, YEAR + 1) == []


def test_nothing_left_says_how_many_comments_each_other_analyst_holds() -> None:
    def held(analyst: str, comments: int, question: str = Q) -> HeldClaims:
        return HeldClaims(YEAR, analyst, question, "primary", comments, "", True)

    assert nothing_left([]) == "Nothing left to code for you"
    assert nothing_left([held("ana", 1)]) == (
        "Nothing left to code for you for now: ana holds 1 comment; it comes to you if their session stops "
        "without finishing"
    )
    assert nothing_left([held("ana", 2), held("ben", 1), held("ana", 1, "biggest_difference")]) == (
        "Nothing left to code for you for now: ana holds 3 comments, ben 1; it comes to you if a session stops "
        "without finishing"
    )


def test_status_shows_who_is_coding_and_whose_session_stopped(open_session: Opener, url: str, clock: Clock) -> None:
    assert open_session("ana").next_item() is not None
    clock.tick(-600)  # bob's claim is ten minutes old and was never renewed
    assert open_session("bob").next_item() is not None
    result = CliRunner().invoke(app, ["--db", url, "status"])
    assert result.exit_code == 0, result.output
    lines = [" ".join(line.split()) for line in result.output.splitlines()]
    assert "Comments held by analysts' coding sessions:" in lines
    assert any(line.startswith("2017: ana is coding, holding 1 comment of other_comments (renewed ") for line in lines)
    stopped = "2017: bob's session stopped 10 min ago holding 1 comment of other_comments; the next analyst"
    assert any(line.startswith(stopped) for line in lines), result.output
    for answer in ANSWERS:
        assert answer not in result.output


def test_describe_claims_words_ages_in_seconds_minutes_hours_and_days() -> None:
    now = datetime(2026, 12, 5, 12, 0, tzinfo=UTC)
    ages = [timedelta(seconds=40), timedelta(minutes=5), timedelta(hours=3), timedelta(days=4)]
    held = [HeldClaims(YEAR, "ana", Q, "primary", 2, stamp(now - age), False) for age in ages]
    assert [line.split(" stopped ")[1].split(" ago")[0] for line in describe_claims(held, now)] == [
        "40 s", "5 min", "3 h", "4 days"
    ]  # fmt: skip


# -- a session paused past the timeout: its comment is taken, and it can no longer write about it -------------


def first_codings(url: str) -> list[int]:
    """The comment ids of the log's first codings (blind second codings aside), with repeats."""
    with Store(url) as store:
        log = store.decisions(YEAR, Q)
    codes = log[(log["action"] == "code") & ~log["payload"].map(lambda p: bool(p.get("double")))]
    return sorted(codes["comment_id"].astype(int))


def test_a_session_paused_past_the_timeout_cannot_code_the_comment_another_analyst_coded_meanwhile(
    open_session: Opener, clock: Clock, url: str
) -> None:
    ana = open_session("ana")
    before = ana.next_item()
    assert before is not None
    ana.code(before, 1)  # work done before the pause stays done
    held = ana.next_item()
    assert held is not None
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)  # Ctrl-Z, or the laptop slept: no heartbeat
    ben = open_session("ben")
    taken = ben.next_item()
    assert taken is not None and taken.comment_id == held.comment_id
    ben.code(taken, 2)
    ana.renew_claims()  # ana is back: the heartbeat has nothing of hers left to renew
    with pytest.raises(ClaimLostError) as lost:
        ana.code(held, 1)
    assert lost.value.comment_id == held.comment_id and lost.value.taken_by == "another analyst (ben)"
    with pytest.raises(ClaimLostError):
        ana.note(held, "a note typed before the pause")
    with pytest.raises(ClaimLostError):
        ana.split(held, held.start + held.answer[held.start : held.end].index(" "))
    assert first_codings(url) == sorted([before.comment_id, held.comment_id])  # one first coding each
    with Store(url) as store:
        log = store.decisions(YEAR, Q)
        assert set(log["action"]) == {"code"} and len(store.comments(YEAR, Q)) == len(ANSWERS)
        assert store.current_codes(YEAR, Q).set_index("comment_id")["analyst"][held.comment_id] == "ben"
    after = ana.next_item()  # ana moves on to a comment nobody has
    assert after is not None and after.comment_id not in (before.comment_id, held.comment_id)
    ana.code(after, 1)
    assert ana.undo() is not None and ana.undo() is not None  # her own codes, as before the pause
    with Store(url) as store:
        assert store.current_codes(YEAR, Q)["comment_id"].tolist() == [held.comment_id]


def test_a_comment_taken_over_but_not_yet_coded_is_refused_too_and_its_new_holder_codes_it(
    open_session: Opener, clock: Clock, url: str
) -> None:
    ana = open_session("ana")
    held = ana.next_item()
    assert held is not None
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)
    ben = open_session("ben")
    taken = ben.next_item()  # ben is reading it
    assert taken is not None and taken.comment_id == held.comment_id
    with pytest.raises(ClaimLostError, match="taken by another analyst \\(ben\\)"):
        ana.accept(held)
    ben.code(taken, 2)
    assert first_codings(url) == [held.comment_id]


def test_the_store_checks_the_claim_in_the_transaction_that_writes_and_writes_nothing_when_it_is_lost(
    url: str,
) -> None:
    with Store(url) as store:
        CodingSession(store, YEAR, "setup", Q).close()
        first, second = store.comments(YEAR, Q)["id"].astype(int).tolist()[:2]
        old, now = stamp(datetime.now(UTC) - timedelta(minutes=10)), stamp(datetime.now(UTC))
        assert store.claim(YEAR, Q, "ana", "primary", [first], "", old, session="ana-1") == first
        cutoff = stamp(datetime.now(UTC) - timedelta(seconds=CLAIM_TIMEOUT_SECONDS))
        assert store.claim(YEAR, Q, "ben", "primary", [first], cutoff, now, session="ben-1") == first
        assert store.claim(YEAR, Q, "ana", "primary", [second], cutoff, now, session="ana-1") == second
        claims_before, log_before = store.claims(YEAR), store.decisions(YEAR)
        code = Decision(YEAR, first, Q, "ana", "code", "funding")
        with pytest.raises(ClaimLostError) as lost:
            store.record([code, Decision(YEAR, second, Q, "ana", "code", "funding")], "ana",
                         release=[first, second], session="ana-1", held=[first, second])  # fmt: skip
        assert lost.value.comment_id == first and lost.value.taker == "ben"
        pd.testing.assert_frame_equal(store.claims(YEAR), claims_before)  # nothing written, nothing released
        pd.testing.assert_frame_equal(store.decisions(YEAR), log_before)
        with pytest.raises(ClaimLostError):  # another session of the same analyst holds nothing of ana-1's
            store.record([Decision(YEAR, second, Q, "ana", "code", "funding")], "ana", session="ana-2", held=[second])
        store.record([Decision(YEAR, first, Q, "ben", "code", "policy")], "ben", [first], session="ben-1", held=[first])
        store.claim(YEAR, Q, "cat", "primary", [first], "", now, session="cat-1")  # a stray claim on a coded one
        with pytest.raises(ClaimLostError):  # ... never makes a second first coding
            store.record([Decision(YEAR, first, Q, "cat", "code", "other")], "cat", session="cat-1", held=[first])
        store.record([Decision(YEAR, second, Q, "ana", "code", "funding")], "ana", [second], session="ana-1",
                     held=[second])  # fmt: skip
        assert [int(c) for c in store.decisions(YEAR)["comment_id"]] == [first, second]


def test_closing_a_session_releases_only_its_own_claims_not_those_of_the_analysts_other_session(
    open_session: Opener, url: str
) -> None:
    laptop = open_session("ana")
    held = laptop.next_item()
    assert held is not None
    desktop = open_session("ana")  # the same analyst starts on a second machine: it takes over her open claim
    adopted = desktop.next_item()
    assert adopted is not None and adopted.comment_id == held.comment_id
    with pytest.raises(ClaimLostError, match="taken by another session of yours"):
        laptop.code(held, 1)
    desktop.code(adopted, 1)
    on_desktop = desktop.next_item()
    on_laptop = laptop.next_item()  # each session now holds a comment of its own: never the other's
    assert on_desktop is not None and on_laptop is not None and on_desktop.comment_id != on_laptop.comment_id
    laptop.close()
    assert open_claims(url) == [("ana", on_desktop.comment_id)]  # the desktop's claim survives the laptop's close
    desktop.code(on_desktop, 2)
    assert first_codings(url) == sorted([held.comment_id, on_desktop.comment_id])


def test_a_version_4_store_keeps_its_open_claims_and_a_new_session_of_their_analyst_resumes_them(
    url: str, clock: Clock
) -> None:
    with Store(url) as store:
        CodingSession(store, YEAR, "setup", Q).close()
        first = int(store.comments(YEAR, Q)["id"].iloc[0])
        assert store.claim(YEAR, Q, "ana", "primary", [first], "", stamp(clock())) == first
        with store._transaction() as conn:  # as a version 4 store has it: claims of no session
            conn.execute("ALTER TABLE claims DROP COLUMN session")
            conn.execute("UPDATE store_meta SET value = '4' WHERE key = 'schema_version'")
    with Store(url) as store:
        assert store._rows("SELECT session FROM claims") == [("",)]
        resumed = CodingSession(store, YEAR, "ana", Q, clock=clock).next_item()
        assert resumed is not None and resumed.comment_id == first
        assert store.claims(YEAR).query("released == 0")["comment_id"].tolist() == [first]


def test_the_screen_says_in_one_line_that_the_comment_was_taken_while_away_and_moves_on_keeping_the_rest(
    open_session: Opener, clock: Clock, url: str
) -> None:
    state: ScreenState[Item] = ScreenState(open_session("ana"))
    state.handle_key("enter")  # coded before the pause
    held = state.item
    assert held is not None and state.coded == 1
    state.handle_key("q")
    for key in " and the rest":
        state.handle_key(key)
    typed = state.edit_text
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)
    ben = open_session("ben")
    taken = ben.next_item()
    assert taken is not None and taken.comment_id == held.comment_id
    ben.code(taken, 2)
    state.handle_key("enter")  # back: the quote is confirmed
    assert state.message == (
        f"while you were away, another analyst (ben) took comment {held.comment_id} (your quote was not saved); "
        "here is the next one"
    )
    assert state.error and "\n" not in state.message and typed not in state.message
    assert state.mode == "code" and state.item is not None and state.item.comment_id != held.comment_id
    assert state.coded == 1 and state.progress[Q] == (2, len(ANSWERS) - 2)
    with Store(url) as store:
        log = store.decisions(YEAR, Q)
    assert "quote" not in set(log["action"]) and first_codings(url).count(held.comment_id) == 1


def test_back_from_the_pause_the_first_idle_refresh_says_the_comment_was_taken_before_any_key(
    open_session: Opener, clock: Clock
) -> None:
    state: ScreenState[Item] = ScreenState(open_session("ana"))
    held = state.item
    assert held is not None and state.refresh() is False and state.item == held
    clock.tick(CLAIM_TIMEOUT_SECONDS + 1)
    ben = open_session("ben")
    taken = ben.next_item()
    assert taken is not None and taken.comment_id == held.comment_id
    assert state.refresh() is True  # ben is still reading it: it is his all the same
    assert state.message.startswith(f"while you were away, another analyst (ben) took comment {held.comment_id}; ")
    assert state.item is not None and state.item.comment_id != held.comment_id
    ben.code(taken, 2)
    state.handle_key("enter")
    assert state.coded == 1 and state.progress[Q] == (2, len(ANSWERS) - 2)


def test_with_nothing_left_an_analyst_is_told_their_other_session_holds_the_rest_and_gets_it_once_that_stops(
    open_session: Opener, clock: Clock, url: str
) -> None:
    desktop = open_session("ana")
    assert code_the_rest(desktop) == len(ANSWERS)
    with Store(url) as store:
        last = int(store.decisions(YEAR, Q)["comment_id"].iloc[-1])  # ana's last code
    laptop = open_session("ana")
    assert laptop.undo() is not None  # the laptop takes back ana's last code: it holds that comment now
    assert laptop.next_item() is not None and desktop.next_item() is None
    assert desktop.nothing_left().startswith(
        "Nothing left to code for you for now: your other session holds 1 comment;"
    )
    clock.tick(CLAIM_TIMEOUT_SECONDS - 1)
    assert desktop.next_free() is None
    clock.tick(2)  # the laptop was closed without quitting: its claim runs out
    back = desktop.next_free()
    assert back is not None and back.comment_id == last
