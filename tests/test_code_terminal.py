"""`survey code` driven in a real pseudo-terminal: code, accept, split, undo, quote, note, quit; kill -9 and resume.

pexpect runs the command as an analyst would; pyte keeps the screen the command draws (prompt_toolkit redraws only
what changed, so the raw output is no place to look for words). What counts is then read back from the store.
"""

from __future__ import annotations

import csv
import io
import re
import signal
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from pty_screen import PtyScreen
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.cli.code_cmd import parse_share
from practitioner_survey.errors import SurveyError
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.core import Store

QUESTION_TEXT = "Do you have any other comments?"
START = 90  # seconds: the first screen waits for the comments to be split and the model to be fitted
STEP = 30  # seconds for one key's effect
SERVICES = """service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments
S001,Harbour Outreach,yes,online,marac,Our funding is only ever for one year at a time.
S002,Northern Refuge Trust,yes,online,marac,The Marac in our area works really well with the police.
S003,Valley Support,yes,online,both,Court waits are far too long for victims and witnesses.
S004,City Idva Service,yes,phone,marac,We need more training on coercive control for frontline staff.
"""
STAFFING = """service_id,police_force_area,idva_headcount,idva_fte,idva_fte_high_risk
S001,Cumbria,2,2,2
S002,Lancashire,1,1,1
S003,Kent,3,2.5,2
S004,Surrey,1,1,1
"""


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store holding a tiny 2017: four services, each with a one-sentence answer to other_comments."""
    return store_of(tmp_path, SERVICES, STAFFING)


def store_of(tmp_path: Path, services: str, staffing: str) -> Path:
    """A store holding 2017 imported from these services.csv and staffing.csv texts."""
    folder = tmp_path / "returns"
    folder.mkdir()
    (folder / "services.csv").write_text(services, encoding="utf-8")
    (folder / "staffing.csv").write_text(staffing, encoding="utf-8")
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, folder, 2017)
    return path


class Terminal(PtyScreen):
    """`survey code 2017 --question other_comments --analyst ana` in a pseudo-terminal, and the screen it draws."""

    def __init__(self, db: Path, *extra: str, rows: int = 40, columns: int = 120) -> None:
        command = ["-c", "from practitioner_survey.cli import app; app()", "--db", str(db), "code", "2017",
                   "--question", "other_comments", "--analyst", "ana", *extra]  # fmt: skip
        super().__init__(command, db.parent, rows=rows, columns=columns)

    def wait_for(self, words: str, timeout: float = STEP) -> None:
        """Read the output until `words` are on the screen."""
        self.until(lambda: words in self.text(), f"{words!r} on the screen", timeout)

    def wait_screen(self, timeout: float = START) -> None:
        """Read the output until the first screen is drawn whole: the question at its top, then the key bar at its
        bottom, drawn last (the comment and suggestions between are read only then)."""
        self.wait_for(QUESTION_TEXT, timeout)
        self.wait_for("x quit")

    def until(self, done: Callable[[], bool], what: str, timeout: float = STEP) -> None:
        """Keep the screen up to date until `done()` holds."""
        deadline = time.monotonic() + timeout
        while not done():
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} after {timeout}s; the screen shows:\n{self.text()}")
            self.read(0.1)

    def press(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)
            time.sleep(0.05)

    def finish(self) -> int:
        self.until(lambda: self.ended, "end of the command")
        self.child.close()
        return int(self.child.exitstatus if self.child.exitstatus is not None else -1)


WORD, RIGHT, ENTER, CTRL_S = "\x1b[1;5C", "\x1b[C", "\r", "\x13"  # Ctrl-→: a word; →: a sentence or clause


def log(db: Path) -> pd.DataFrame:
    with Store(db, create=False) as store:
        return store.decisions(2017, "other_comments")


def codes(db: Path) -> pd.DataFrame:
    with Store(db, create=False) as store:
        return store.current_codes(2017, "other_comments")


def actions(db: Path, action: str) -> pd.DataFrame:
    frame = log(db)
    return frame[frame["action"] == action]


def test_an_analyst_codes_accepts_splits_undoes_quotes_notes_and_quits(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    term.wait_for("other_comments 0 / 4")  # the progress line is drawn last
    assert "Region" in term.text()

    first = term.comment()
    term.press("1")  # Funding/commissioning ...
    term.wait_for("sustainable funding")
    term.press("2")  # ... › cuts
    term.until(lambda: len(actions(db, "code")) == 1, "first code in the log")
    term.wait_for("coded: Funding/commissioning › cuts")

    second = term.comment()
    assert second != first
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 2, "accepted code in the log")
    term.wait_for("accepted:")

    third = term.comment()
    term.press(WORD, WORD, "s")
    term.wait_for("split at the cursor")
    with Store(db, create=False) as store:
        active = store.comments(2017, "other_comments")
    assert len(active) == 5 and third not in set(active["text"])
    assert third.startswith(term.comment())  # the first part comes next

    term.press("u")
    term.wait_for("undid the split")
    assert term.comment() == third
    with Store(db, create=False) as store:
        assert len(store.comments(2017, "other_comments")) == 4

    term.press("q")
    term.wait_for("Quote as written")
    term.press(" (edited)", ENTER)
    term.until(lambda: len(actions(db, "quote")) == 1, "quote in the log")
    term.wait_for("quote confirmed")

    term.press("n", *"check this one with Sam", ENTER)
    term.until(lambda: len(actions(db, "note")) == 1, "note in the log")
    term.wait_for("note saved")

    term.press("x", "x")
    term.wait_for("coded 2 comments in this session")
    assert term.finish() == 0

    decisions = log(db)
    assert {"code", "undo", "quote", "note"} <= set(decisions["action"])
    assert (decisions["analyst"] == "ana").all()
    coded = codes(db)
    assert len(coded) == 2
    assert ("funding-commissioning", "cuts") in set(zip(coded["category_id"], coded["subcategory_id"], strict=True))
    accepted = actions(db, "code").iloc[1]
    assert accepted["suggestion"] and accepted["category_id"]  # the suggestion shown is logged with the code
    quote = actions(db, "quote").iloc[0]
    assert quote["payload"].get("confirmed") is True
    assert str(quote["payload"].get("anonymised", "")).endswith("(edited)")
    assert quote["comment_id"] not in set(coded["comment_id"])  # quoted, not coded yet
    note = actions(db, "note").iloc[0]
    assert "check this one with Sam" in str(note["payload"])


def test_kill_9_mid_session_loses_nothing_and_the_next_session_resumes_at_the_next_comment(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    term.press("9", "2")  # Criminal Justice System › court processes
    term.until(lambda: len(actions(db, "code")) == 1, "code in the log")
    term.wait_for("coded: Criminal Justice System")
    waiting = term.comment()
    term.child.kill(signal.SIGKILL)
    term.finish()

    coded = codes(db)
    assert len(coded) == 1 and coded.iloc[0]["category_id"] == "criminal-justice-system"
    assert coded.iloc[0]["subcategory_id"] == "court-processes"

    again = Terminal(db)
    again.wait_screen()
    again.wait_for("other_comments 1 / 3")  # the progress line is drawn last; fails here if the code was lost
    assert again.comment() == waiting  # where the killed session stopped
    again.press(ENTER)
    again.until(lambda: len(actions(db, "code")) == 2, "second code in the log")
    again.press("x", "x")
    again.wait_for("coded 1 comment in this session")
    assert again.finish() == 0
    assert len(codes(db)) == 2


# ---------------------------------------------------------------------------------------------------- the command


def test_code_refuses_without_a_terminal(db: Path) -> None:
    result = CliRunner().invoke(app, ["--db", str(db), "code", "2017"])
    assert result.exit_code == 1
    assert "survey code needs a terminal" in result.stderr


@pytest.mark.parametrize(("text", "share"), [("10%", 0.1), ("0.1", 0.1), ("0", 0.0), ("100%", 1.0), (".25", 0.25)])
def test_double_code_takes_a_percentage_or_a_fraction(text: str, share: float) -> None:
    assert parse_share(text) == pytest.approx(share)


@pytest.mark.parametrize("text", ["ten", "10", "150%", "-5%"])
def test_double_code_refuses_what_is_not_a_share(text: str) -> None:
    with pytest.raises(SurveyError, match="--double-code"):
        parse_share(text)


# ---------------------------------------------------------------------------------------------------- stray keys

ESC, CTRL_C, CTRL_Z, DOWN = "\x1b", "\x03", "\x1a", "\x1b[B"


def test_escape_never_quits_quitting_asks_once_and_ctrl_c_in_the_note_editor_cancels_only_it(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    shown = term.comment()
    term.press(ESC)
    term.wait_for("nothing was (x quits)")
    term.press("n", *"half a note", CTRL_C)
    term.wait_for("note not saved")
    assert not term.ended and actions(db, "note").empty and term.comment() == shown
    term.press("x")
    term.wait_for("quit? x or y quits")
    term.press("1")  # any other key carries on, and does nothing else
    term.wait_for("carrying on")
    assert not term.ended and "sustainable funding" not in term.text()
    term.press(CTRL_C)
    term.wait_for("quit? x or y quits")
    term.press(CTRL_C)
    term.wait_for("coded 0 comments in this session")
    assert term.finish() == 0 and log(db).query("action != 'undo'").empty


class Shell(Terminal):
    """An interactive bash in a pseudo-terminal (the loop is typed into it)."""

    def __init__(self, cwd: Path) -> None:
        PtyScreen.__init__(self, ["-c", "import os; os.execvp('bash', ['bash', '--norc', '--noprofile', '-i'])"], cwd,
                           env={"PS1": "$ "})  # fmt: skip


def test_ctrl_z_suspends_to_the_shell_and_fg_brings_the_same_comment_back(db: Path) -> None:
    shell = Shell(db.parent)  # a shell with job control, as an analyst's terminal has
    command = f"{sys.executable} -c 'from practitioner_survey.cli import app; app()' --db {db} code 2017 " \
              "--question other_comments --analyst ana"  # fmt: skip
    shell.press(command + "\r")
    shell.wait_screen()
    shown = shell.comment()
    shell.press(CTRL_Z)
    shell.wait_for("Stopped")  # the shell's job control took over: the loop is suspended
    shell.press("fg\r")
    shell.wait_for("back from the shell")
    assert shell.comment() == shown
    shell.press("x", "x")
    shell.wait_for("coded 0 comments in this session")
    shell.press("exit\r")
    assert shell.finish() == 0


def test_l_puts_a_comment_back_for_later_and_it_comes_after_the_others(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    later = term.comment()
    term.press("l")
    term.wait_for("put back for later")
    assert term.comment() != later and actions(db, "code").empty
    for n in (1, 2, 3):
        term.press(ENTER)
        term.until(lambda n=n: len(actions(db, "code")) == n, f"code {n} in the log")
        term.wait_for(f"other_comments {n} / {4 - n}")
    assert term.comment() == later
    term.press("x", "x")
    assert term.finish() == 0


def test_undo_after_a_restart_takes_back_the_code_made_in_the_earlier_session(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    coded = term.comment()
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 1, "the code in the log")
    term.press("x", "x")
    assert term.finish() == 0

    again = Terminal(db)
    again.wait_for("other_comments 1 / 3", START)
    again.press("u")
    again.wait_for("undid the code")
    again.wait_for("other_comments 0 / 4")
    assert again.comment() == coded  # the comment comes back to be coded again
    undo = actions(db, "undo")
    assert len(undo) == 1 and undo.iloc[0]["payload"]["undoes"] == int(actions(db, "code").iloc[0]["id"])
    assert codes(db).empty
    again.press("u")
    again.wait_for("nothing of yours left to undo")
    again.press("x", "x")
    assert again.finish() == 0


def test_c_shows_the_suggestions_category_from_the_codebook_and_escape_returns_to_the_same_comment(db: Path) -> None:
    term = Terminal(db, rows=24, columns=80)
    term.wait_screen()
    shown = term.comment()
    first = next(term.line(y) for y in range(term.rows) if term.line(y).startswith("  Enter "))
    label = first[16:].split("›")[0].rsplit("%", 1)[0].strip()
    term.press("c")
    term.wait_for("Examples:")
    assert term.line(1).strip().endswith(label) and "Patterns:" in term.text()
    assert "more lines below" in term.text()  # a category with its subcategories is longer than 24 rows
    term.press(*[DOWN] * 8)
    term.wait_for("more lines above")
    term.press("2")
    term.wait_for("2 Specialist services")
    term.press(ESC)
    term.wait_for(QUESTION_TEXT)
    assert term.comment() == shown and log(db).empty
    term.press("x", "x")
    assert term.finish() == 0


# ---------------------------------------------------------------------------------------------------- review, split


def test_r_reviews_my_codes_and_v_lists_a_category_and_a_recode_is_a_new_decision(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    first = term.comment()
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 1, "the first code")
    term.wait_for("other_comments 1 / 3")
    second = term.comment()
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 2, "the second code")
    term.wait_for("other_comments 2 / 2")
    held = term.comment()

    term.press("r")
    term.wait_for("review (your codes, newest first: 1 of 2)")
    assert term.comment() == second
    term.press(DOWN)
    term.wait_for("2 of 2")
    assert term.comment() == first
    # Policy › policy: a category no first suggestion for these comments is, whatever order the model shows them in
    term.press("8", "1")
    term.wait_for("recoded: Policy")
    term.until(lambda: len(actions(db, "code")) == 3, "the recode in the log, as a decision of its own")
    recoded = codes(db).set_index("comment_id").loc[int(actions(db, "code").iloc[-1]["comment_id"])]
    assert (recoded["category_id"], recoded["subcategory_id"]) == ("policy", "policy")
    term.wait_for("other_comments 2 / 2")  # a recode leaves the count as it was
    term.press(ESC)
    term.wait_for("back to coding")
    assert term.comment() == held

    term.press("v")
    term.wait_for("coded under it")
    term.press("8")
    term.wait_for("8 Policy: 1 comment coded under it")
    term.press(ENTER)
    term.wait_for("review (coded under Policy: 1 of 1)")
    assert term.comment() == first
    term.press(ESC, "x", "x")
    assert term.finish() == 0


STORY = "Courts are slow. Training helps a great deal. Refuges are full."


@pytest.fixture
def story(tmp_path: Path) -> Path:
    """A store whose one answer is three sentences the splitter leaves as one comment."""
    services = SERVICES.splitlines()[0] + f"\nS001,Harbour Outreach,yes,online,marac,{STORY}\n"
    return store_of(tmp_path, services, "\n".join(STAFFING.splitlines()[:2]) + "\n")


def test_split_jumps_by_sentence_pieces_come_in_reading_order_and_a_merge_asks_which_code_survives(
    story: Path,
) -> None:
    term = Terminal(story)
    term.wait_screen()
    assert term.comment() == STORY
    term.press(RIGHT, "s")  # → jumps to the next sentence: a split in two keys
    term.wait_for("split at the cursor")
    assert term.comment() == "Courts are slow."  # the first piece first
    term.press(ENTER)
    term.until(lambda: len(actions(story, "code")) == 1, "the first piece's code")
    term.wait_for("other_comments 1 / 1")
    assert term.comment() == "Training helps a great deal. Refuges are full."  # then the next, in reading order
    term.press("p")
    term.wait_for("the previous piece is coded")
    assert len(actions(story, "merge")) == 0  # nothing happens before the answer
    term.press("y")
    term.wait_for("merged with the previous piece, keeping its code")
    term.wait_for("other_comments 1 / 0 (100%)")
    coded = codes(story)
    assert len(coded) == 1 and len(actions(story, "merge")) == 1
    with Store(story, create=False) as store:
        merged = store.comments(2017, "other_comments")
    assert merged["text"].tolist() == [STORY] and int(merged["id"].iloc[0]) == int(coded["comment_id"].iloc[0])
    term.press("x", "x")
    assert term.finish() == 0


LISTED = {  # answer -> its pieces, as the splitter cuts them when the question is first opened
    "S001": ["Longer funding for our Idvas.", "More refuge spaces for women with sons.",
             "Training on coercive control for magistrates."],
    "S002": ["The Marac in our area works really well with the police."],
    "S003": ["Also we need a Marac coordinator.", "Also, better housing for families."],
}  # fmt: skip


@pytest.fixture
def listed(tmp_path: Path) -> Path:
    """A store whose answers the splitter cuts into three, one and two comments."""
    answers = {"S001": "1) " + "\n2) ".join(LISTED["S001"][:2]) + "\n3) " + LISTED["S001"][2],
               "S002": LISTED["S002"][0], "S003": " ".join(LISTED["S003"])}  # fmt: skip
    out = io.StringIO()
    table = csv.writer(out, lineterminator="\n")
    table.writerow(SERVICES.splitlines()[0].split(","))
    table.writerows([*row.split(",")[:5], answers[row.split(",")[0]]] for row in SERVICES.splitlines()[1:4])
    return store_of(tmp_path, out.getvalue(), "\n".join(STAFFING.splitlines()[:4]) + "\n")


def test_the_pieces_of_an_answer_come_one_after_another_in_reading_order(listed: Path) -> None:
    term = Terminal(listed)
    term.wait_screen()
    seen = []
    for n in range(1, 7):
        seen.append(term.comment())
        term.press(ENTER)
        term.until(lambda n=n: len(actions(listed, "code")) == n, f"code {n} in the log")
        if n < 6:
            term.wait_for(f"other_comments {n} / {6 - n}")
    answers = [next(a for a, pieces in LISTED.items() if text in pieces) for text in seen]
    runs = [a for i, a in enumerate(answers) if i == 0 or answers[i - 1] != a]
    assert sorted(runs) == sorted(LISTED)  # each answer's pieces one after another, never interleaved
    assert [text for a in runs for text in LISTED[a]] == seen  # and from its start, in reading order
    term.press("x", "x")
    assert term.finish() == 0


def test_a_blind_second_coding_says_how_many_remain_offers_no_accept_and_a_note_shows_on_the_comment(
    db: Path,
) -> None:
    from practitioner_survey.coding.session import CodingSession

    with Store(db, create=False) as store, CodingSession(store, 2017, "bob", "other_comments") as bob:
        while (item := bob.next_item()) is not None:
            bob.code(item, 3)  # Multi-agency working, by another analyst
    term = Terminal(db, "--double-code", "100%")
    term.wait_for("blind second coding", START)
    term.wait_for("3 more to do after this one")
    assert "Enter accept" not in term.text() and not any(term.line(y).startswith("  Enter ") for y in range(40))
    term.press(ENTER)
    term.wait_for("has no suggestion to accept")
    assert "[note]" not in term.text()
    term.press("n", *"second look", ENTER)
    term.wait_for("note saved")
    term.wait_for("[note]")
    term.press("x", "x")
    assert term.finish() == 0


def test_review_option_starts_on_my_newest_code_and_esc_goes_on_coding(db: Path) -> None:
    term = Terminal(db)
    term.wait_screen()
    coded = term.comment()
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 1, "the code in the log")
    term.press("x", "x")
    assert term.finish() == 0

    again = Terminal(db, "--review")
    again.wait_for("review (your codes, newest first: 1 of 1)", START)
    again.until(lambda: again.comment() == coded, "the coded comment highlighted")  # drawn below the review line
    again.press(ESC)
    again.wait_for("back to coding")
    assert again.comment() != coded and "review (" not in again.text()
    again.press("x", "x")
    assert again.finish() == 0


def test_a_comment_taken_while_the_loop_was_stopped_is_not_coded_twice_and_the_typed_note_is_not_kept(
    db: Path,
) -> None:
    """The loop stopped (Ctrl-Z, a sleeping laptop) past the claim timeout: another analyst takes its comment and
    codes it. Back, before any key, the screen says so in one line, names the note typed for it as not saved (never
    its text) and moves on; nothing else is lost."""
    from practitioner_survey.store.claims import CLAIM_TIMEOUT_SECONDS
    from practitioner_survey.store.coding import Decision, stamp

    term = Terminal(db)
    term.wait_screen()
    term.press(ENTER)  # one comment coded before the pause
    term.until(lambda: len(actions(db, "code")) == 1, "the first code in the log")
    term.wait_for("other_comments 1 / 3")
    shown = term.comment()
    term.press("n", *"rang the client back twice")
    term.wait_for("rang the client back twice")
    term.child.kill(signal.SIGSTOP)
    with Store(db, create=False) as store:  # the timeout passes with no heartbeat: as the store then has it
        [(held, session)] = store._rows("SELECT comment_id, session FROM claims WHERE released = 0")
        away = stamp(datetime.now(UTC) - timedelta(seconds=CLAIM_TIMEOUT_SECONDS + 1))
        with store._transaction() as conn:
            conn.execute("UPDATE claims SET at = ? WHERE session = ?", (away, session))
        cutoff = stamp(datetime.now(UTC) - timedelta(seconds=CLAIM_TIMEOUT_SECONDS))
        assert store.claim(2017, "other_comments", "ben", "primary", [held], cutoff, session="ben-1") == held
        code = Decision(2017, held, "other_comments", "ben", "code", "other")
        store.record([code], "ben", [held], session="ben-1", held=[held])
    term.child.kill(signal.SIGCONT)
    term.wait_for(f"while you were away, another analyst (ben) took comment {held} (your note was not saved)")
    term.wait_for("other_comments 2 / 2")
    assert term.comment() != shown and "rang the client" not in term.text()
    assert actions(db, "note").empty
    coded = actions(db, "code")
    assert sorted(coded["comment_id"].value_counts().tolist()) == [1, 1]  # nobody coded a comment twice
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 3, "the next comment coded")
    term.press("x", "x")
    term.wait_for("coded 2 comments in this session")
    assert term.finish() == 0


ALT_LEFT, ALT_RIGHT, OPTION_B, OPTION_F = "\x1b[1;3D", "\x1b[1;3C", "\x1bb", "\x1bf"  # a Mac's Option: Esc b, Esc f


def test_alt_arrows_move_the_split_cursor_a_word_at_a_time_as_the_help_says_and_esc_alone_still_cancels(
    story: Path,
) -> None:
    term = Terminal(story)
    term.wait_screen()
    term.press("?")
    term.until(lambda: "Ctrl-, Shift- or Alt-← →: a word at a time" in " ".join(term.text().split()), "the help")
    term.press("?")
    term.wait_for("Do you have any other comments?")
    # → alone jumps a sentence: these land on words only if each Alt key is one key, not Esc and then another
    term.press(ALT_RIGHT, ALT_RIGHT, ALT_RIGHT, OPTION_B, "s")
    term.wait_for("split at the cursor")
    assert term.comment() == "Courts are"
    term.press("u")
    term.wait_for("undid the split")
    assert term.comment() == STORY
    term.press(OPTION_F, ALT_RIGHT, ALT_LEFT, "s")
    term.wait_for("split at the cursor")
    assert term.comment() == "Courts"
    term.press(ESC)
    term.wait_for("nothing was (x quits)")
    term.press("x", "x")
    assert term.finish() == 0
    assert len(actions(story, "split")) == 2


#: The loop as `survey code` runs it, with a clock that runs two minutes a second: run_screen's clock parameter.
FAST_CLOCK_LOOP = """
import sys, time
from practitioner_survey.cli.code_screen import run_screen
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.store.core import Store

start = time.monotonic()
with Store(sys.argv[1], create=False) as store:
    session = CodingSession(store, 2017, "ana", "other_comments")
    run_screen(session, "survey code 2017 · ana", clock=lambda: start + 120 * (time.monotonic() - start))
"""
TIME_LEFT = re.compile(r"other_comments 3 / 1 \(75%\) · about [\d.]+ (min|h) left")


class FastClockLoop(Terminal):
    """FAST_CLOCK_LOOP on the store at `db`, in a pseudo-terminal."""

    def __init__(self, db: Path) -> None:
        PtyScreen.__init__(self, ["-c", FAST_CLOCK_LOOP, str(db)], db.parent)


def test_after_a_few_minutes_work_the_progress_line_shows_the_time_left(db: Path) -> None:
    term = FastClockLoop(db)
    term.wait_screen()
    for n in (1, 2):
        term.press(ENTER)
        term.wait_for(f"other_comments {n} / {4 - n}")
    assert not re.search(r"(min|h) left", term.text())  # minutes have passed by its clock: too few comments yet
    term.press(ENTER)
    term.until(lambda: TIME_LEFT.search(term.text()) is not None, "the time left on the progress line")
    term.press("x", "x")
    assert term.finish() == 0
