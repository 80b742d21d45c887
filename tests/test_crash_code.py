"""kill -9 `survey code` at random points: no decision the analyst saw confirmed is lost, and the next session resumes.

Each run starts `survey code` in a pseudo-terminal (pexpect; pyte keeps the screen), codes, accepts, splits, merges,
notes and undoes at random, and is killed with SIGKILL after a seeded random delay, during start-up or while coding.
Before each action a key that does nothing clears the status line, so that an action's confirmation on screen is
unambiguous. After each kill the store must open and pass `survey check`, every confirmed action must be in the
log, and the next run (the resume) must show the comment the killed session held and the team's true progress.
SURVEY_CRASH_RUNS scales the number of kills (default 16 for imports, a quarter as many here: each start takes seconds).
"""

from __future__ import annotations

import os
import random
import re
import signal
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from pty_screen import ROWS, PtyScreen
from typer.testing import CliRunner

from practitioner_survey.cli import app
from practitioner_survey.codebook import load_codebook
from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.check import check_store
from practitioner_survey.store.core import Store

HARNESS = Path(__file__).with_name("traced_survey.py")
RUNS = max(int(os.environ.get("SURVEY_CRASH_RUNS", "16")) // 4, 2)
START = 120  # seconds allowed for the first screen on a busy machine
STEP = 30
QUESTION = "other_comments"
TOPICS = ["funding is only ever for one year at a time", "the Marac works really well with the police",
          "court waits are far too long for victims and witnesses", "we need more training on coercive control",
          "caseloads are too high for each Idva", "refuge space is hard to find for women with older sons",
          "commissioners keep moving to generic services", "awareness campaigns in schools have helped"]  # fmt: skip
WORD, ENTER = "\x1b[1;5C", "\r"  # Ctrl-→: a word to the right
CLEAR = "does nothing here"  # the status line after "z", a key the loop ignores


def flat(text: str) -> str:
    return " ".join(str(text).split())


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """30 services whose other_comments answer three things on three lines: 90 comments, each text unique."""
    folder = tmp_path / "returns"
    folder.mkdir()
    services = ["service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments"]
    staffing = ["service_id,police_force_area,idva_headcount,idva_fte,idva_fte_high_risk"]
    rng = random.Random(7)
    for n in range(1, 31):
        lines = [f"Service {n}{part} says {topic}." for part, topic in zip("abc", rng.sample(TOPICS, 3), strict=True)]
        services.append(f'S{n:03d},Service {n},yes,online,marac,"{chr(10).join(lines)}"')
        staffing.append(f"S{n:03d},Kent,2,2,1")
    (folder / "services.csv").write_text("\n".join(services) + "\n", encoding="utf-8")
    (folder / "staffing.csv").write_text("\n".join(staffing) + "\n", encoding="utf-8")
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, folder, 2017)
    return path


class Terminal(PtyScreen):
    """`survey code 2017 --question other_comments --analyst ana`, traced, in a pseudo-terminal; the screen it draws."""

    def __init__(self, db: Path, trace: Path) -> None:
        command = [str(HARNESS), "--db", str(db), "code", "2017", "--question", QUESTION, "--analyst", "ana"]
        super().__init__(command, db.parent, {"SURVEY_TRACE": str(trace)})

    def status(self) -> str:
        """The status line: the row under the progress line."""
        rows = self.screen.display
        at = next((y for y, row in enumerate(rows) if row.startswith(" Progress (done / to do)")), ROWS - 3)
        return rows[at + 1].strip()

    def progress(self) -> tuple[int, int] | None:
        found = re.search(rf"{QUESTION} (\d+) / (\d+)", self.text())
        return (int(found.group(1)), int(found.group(2))) if found else None

    def until(self, done: Callable[[], bool], timeout: float = STEP, fail: bool = True) -> bool:
        """Keep the screen up to date until `done()` holds (True) or the command has ended (False); after
        `timeout` seconds, fail (or return False)."""
        deadline = time.monotonic() + timeout
        while not done():
            if self.ended:
                return False
            if time.monotonic() > deadline:
                assert not fail, f"nothing after {timeout}s; the screen shows:\n{self.text()}"
                return False
            self.read(0.05)
        return True

    def drain(self) -> None:
        """Take in whatever the command has drawn so far (noticing its end), without waiting."""
        self.read(0)

    def press(self, *keys: str) -> None:
        for key in keys:
            if not self.ended:
                try:
                    self.child.send(key)
                except OSError:  # killed meanwhile
                    self.ended = True

    def finish(self) -> int | None:
        """Read to the end of the output; the exit status (None when killed)."""
        self.until(lambda: False, START)
        self.child.close()
        return self.child.exitstatus


@dataclass(frozen=True)
class Confirmed:
    """An action the analyst saw confirmed on screen: what, on which comment's text, and the code or comment id."""

    action: str
    text: str
    category_id: str = ""
    comment_id: int = 0


def kill_inside_a_transaction(term: Terminal, trace: Path, begins: int, delay: float) -> threading.Thread:
    """A watcher that kills the command `delay` seconds after the trace shows its `begins`-th BEGIN."""

    def watch() -> None:
        deadline = time.monotonic() + 20
        while not term.ended and time.monotonic() < deadline:
            if trace.exists() and trace.read_text().count("B") >= begins:
                break
            time.sleep(0.0005)
        time.sleep(delay)
        term.child.kill(signal.SIGKILL)

    thread = threading.Thread(target=watch)
    thread.start()
    return thread


def expected_resume(db: Path) -> tuple[str | None, tuple[int, int]]:
    """The comment a new session for ana must show first (her newest open claim still to code), and the progress."""
    with Store(db, create=False) as store:
        comments = store.comments(2017, QUESTION)
        coded = set(store.current_codes(2017, QUESTION)["comment_id"])
        claims = store.claims(2017)
    texts = {int(i): flat(t) for i, t in zip(comments["id"], comments["text"], strict=True)}
    mine = claims[(claims["analyst"] == "ana") & (claims["released"] == 0)].sort_values("id", ascending=False)
    held = next((int(c) for c in mine["comment_id"] if int(c) in texts and int(c) not in coded), None)
    done = len(set(texts) & coded)
    return (texts[held] if held is not None else None), (done, len(texts) - done)


def act(term: Terminal, rng: random.Random, codebook_keys: list[tuple[int, str, str, list[int]]]) -> Confirmed | None:
    """One random action; what was confirmed on screen, or None (killed first, or the action was refused)."""
    term.drain()
    term.press("z")
    if not term.until(lambda: CLEAR in term.status()):
        return None
    text = term.comment()
    if not text:  # nothing left to code: only undo is of use
        term.press("u")
        term.until(lambda: CLEAR not in term.status(), fail=False)
        return None
    roll = rng.random()
    if roll < 0.40:
        key, category_id, _label, subs = rng.choice(codebook_keys)
        if subs and rng.random() < 0.5:
            term.press(str(key), str(rng.choice(subs)))
        else:
            term.press(str(key), *([ENTER] if subs else []))
        word, wanted = "coded: ", category_id
    elif roll < 0.65:
        term.press(ENTER)
        word, wanted = "accepted: ", ""
    elif roll < 0.77:
        term.press("u")
        word, wanted = "undid the ", ""
    elif roll < 0.87:
        term.press(WORD, WORD, "s")
        word, wanted = "split at the cursor", ""
    elif roll < 0.92:
        term.press("m")
        word, wanted = "merged with the next", ""
    else:
        term.press("n", *"checked after a crash test", ENTER)
        word, wanted = "note saved", ""
    final = (word, "!", "nothing")
    if not term.until(lambda: CLEAR not in term.status() and term.status().startswith(final), fail=False):
        return None
    status = term.status()
    if not status.startswith(word):
        return None  # refused (e.g. nothing to undo, the last comment of its answer), or still on its way
    kind = {"coded: ": "code", "accepted: ": "code", "undid the ": "undo", "split at the cursor": "split",
            "merged with the next": "merge", "note saved": "note"}[word]  # fmt: skip
    undone = re.search(r"comments? (\d+)", status) if kind == "undo" else None
    return Confirmed(kind, text, wanted, int(undone.group(1)) if undone else 0)


def assert_in_log(db: Path, confirmed: list[Confirmed], run: int) -> None:
    """Every action confirmed on screen is in the log, on the comment whose text was shown."""
    with Store(db, create=False) as store:
        log = store.decisions(2017, QUESTION)
        every = store.comments(2017, QUESTION, active_only=False)
    text_of = {int(i): flat(t) for i, t in zip(every["id"], every["text"], strict=True)}
    entries = [(r.action, text_of.get(int(r.comment_id), ""), r.category_id, int(r.comment_id), r.payload)
               for r in log[log["analyst"] == "ana"].itertuples()]  # fmt: skip
    for c in confirmed:
        if c.action == "undo":
            found = any(a == "undo" and cid == c.comment_id for a, _, _, cid, _ in entries)
        else:
            found = any(a == c.action and t == c.text and (not c.category_id or cat == c.category_id)
                        for a, t, cat, _, _ in entries)  # fmt: skip
        assert found, f"run {run}: a confirmed {c.action} of comment {c.comment_id or repr(c.text)} is not in the log"


def test_kill_9_at_random_points_of_a_coding_session_loses_no_confirmed_decision(db: Path) -> None:
    rng = random.Random(112358)
    codebook = load_codebook(QUESTION, 2017)
    keys = [(c.key, c.id, c.label, [s.key for s in c.subcategories if s.key < 10 and len(c.subcategories) < 10])
            for c in codebook.categories]  # fmt: skip
    tally: Counter[str] = Counter()
    confirmed_total: Counter[str] = Counter()
    for run in range(RUNS + 1):  # the last run only resumes, checks and quits
        trace = db.parent / f"run{run}.trace"
        resume, progress = expected_resume(db)
        term = Terminal(db, trace)
        last = run == RUNS
        timer: threading.Thread | None = None
        if not last and rng.random() < 0.2:  # during start-up: reading, splitting (the first time), the model
            timer = threading.Timer(rng.uniform(0.3, 6.0), term.child.kill, [signal.SIGKILL])
            timer.start()
        appeared = term.until(lambda t=term: t.progress() is not None, START)
        if appeared and progress != (0, 0):
            assert term.progress() == progress, f"run {run}: the progress line disagrees with the log"
            if resume is not None:
                assert term.comment() == resume, f"run {run}: did not resume on the comment the last session held"
        confirmed: list[Confirmed] = []
        if appeared and not last:
            if timer is None and rng.random() < 0.35:  # anywhere while coding
                timer = threading.Timer(rng.uniform(0.0, 2.5), term.child.kill, [signal.SIGKILL])
                timer.start()
            elif timer is None:  # aimed at one of the next few transactions: a claim, a decision, a split
                begins = (trace.read_text().count("B") if trace.exists() else 0) + rng.randint(1, 12)
                timer = kill_inside_a_transaction(term, trace, begins, rng.uniform(0, 0.0003))
            while not term.ended:
                done = act(term, rng, keys)
                if done is not None:
                    confirmed.append(done)
        if last:
            term.press("x", "x")
            assert term.finish() == 0
        else:
            assert timer is not None
            timer.join()
            term.finish()
            seen = trace.read_text() if trace.exists() else ""
            where = "mid-transaction" if seen.endswith("B") else "between transactions"
            tally[where + ("" if appeared else " (during start-up)")] += 1
        with Store(db, create=False) as store:
            report = check_store(store)
            made = store.comments(2017, active_only=False)
        assert report.ok, f"run {run}: {report.problems}"
        assert (made["origin"] == "splitter").sum() in (0, 90), f"run {run}: the answers were half split"
        result = CliRunner().invoke(app, ["--db", str(db), "check"])
        assert result.exit_code == 0, result.output
        assert_in_log(db, confirmed, run)
        confirmed_total.update(c.action for c in confirmed)
    print(f"\nkill -9 of survey code, {RUNS} runs: {dict(tally)}; confirmed on screen before the kills, all found in "
          f"the log: {dict(confirmed_total)}")  # fmt: skip
    assert sum(confirmed_total.values()) > 0
