"""Several analysts at once: three real `survey code` processes on one store, SQLite file or PostgreSQL database.

Each runs in its own pseudo-terminal (pexpect, with pyte keeping the screen, as in test_code_terminal.py). They
accept comments at the same moment and in turn; the store's log then shows that no comment was coded by two of
them (the blind double-coding sample aside), that every key that coded a comment is in the log, and each screen's
progress line showed the whole team's work, not just its own.
"""

from __future__ import annotations

import re
import signal
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd
import pytest
from conftest import BACKENDS, backend_url
from pty_screen import PtyScreen
from test_code_terminal import ENTER, Terminal

from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.core import Store

START = 300  # seconds: three processes split the comments and fit their models at once, on a shared machine
ANSWERS = [
    "Our funding is only ever for one year at a time.",
    "The Marac in our area works really well with the police.",
    "Court waits are far too long for victims and witnesses.",
    "We need more training on coercive control for frontline staff.",
    "Refuge spaces for women with older boys are almost impossible to find.",
    "Housing officers do not understand the risks survivors face.",
    "Children's services rarely attend our multi-agency meetings.",
    "Thank you for running this survey every year.",
    "Mental health support has a waiting list of over a year.",
]
DOUBLE = "blind second coding"
NOTHING_LEFT = "Nothing left to code for you"
PROGRESS = re.compile(r"other_comments (\d+) / (\d+)")


@pytest.fixture(params=BACKENDS)
def team_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A 2017 store of nine services, each answering other_comments in one sentence (so nine comments)."""
    with backend_url(request, request.param, tmp_path) as url:
        with Store(url) as store:
            import_year(store, write_returns(tmp_path), 2017)
        yield url


def write_returns(tmp_path: Path, answers: Sequence[str] = ANSWERS) -> Path:
    """Returns of one service per answer (other_comments), as a folder to import: by default the nine."""
    folder = tmp_path / "returns"
    folder.mkdir()
    services = "service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments\n"
    services += "".join(f"S{n:03},Service {n},yes,online,marac,{a}\n" for n, a in enumerate(answers, start=1))
    staffing = "service_id,police_force_area,idva_headcount,idva_fte\n"
    staffing += "".join(f"S{n:03},Kent,1,1\n" for n in range(1, len(answers) + 1))
    (folder / "services.csv").write_text(services, encoding="utf-8")
    (folder / "staffing.csv").write_text(staffing, encoding="utf-8")
    return folder


class Analyst(Terminal):
    """`survey code 2017 --question other_comments --analyst NAME [options]` on the store at `url`."""

    def __init__(self, url: str, name: str, *options: str, cwd: Path) -> None:
        command = ["-c", "from practitioner_survey.cli import app; app()", "--db", url, "code", "2017",
                   "--question", "other_comments", "--analyst", name, *options]  # fmt: skip
        PtyScreen.__init__(self, command, cwd)
        self.name = name
        self.pressed = 0  # keys that coded a comment

    def progress(self) -> tuple[int, int] | None:
        found = PROGRESS.search(self.text())
        return (int(found.group(1)), int(found.group(2))) if found else None

    def has_comment(self) -> bool:
        return NOTHING_LEFT not in self.text()

    def code_one(self) -> None:
        """Accept the first suggestion; a blind second coding has none, so code it as category 1."""
        self.press(*(("1", ENTER) if DOUBLE in self.text() else (ENTER,)))
        self.pressed += 1

    def wait_coded(self) -> None:
        """Until the screen has moved on to the next comment after the last key that coded one."""
        self.wait_for(f"coded this session: {self.pressed}")
        self.until(lambda: self.progress() is not None, "progress line")


def log(url: str) -> pd.DataFrame:
    with Store(url, create=False) as store:
        return store.decisions(2017, "other_comments")


def first_codes(frame: pd.DataFrame) -> pd.DataFrame:
    """Code decisions that are not blind second codings."""
    return frame[(frame["action"] == "code") & ~frame["payload"].map(lambda p: bool(p.get("double")))]


def test_three_analysts_at_once_never_share_a_comment_lose_no_write_and_see_each_others_progress(
    team_store: str, tmp_path: Path
) -> None:
    team = [Analyst(team_store, "ana", cwd=tmp_path), Analyst(team_store, "ben", cwd=tmp_path),
            Analyst(team_store, "cat", "--double-code", "100%", cwd=tmp_path)]  # fmt: skip
    try:
        for analyst in team:
            analyst.wait_screen(START)
            analyst.wait_for(f"other_comments 0 / {len(ANSWERS)}")
        shown = [analyst.comment() for analyst in team]
        assert len(set(shown)) == 3, shown  # three comments claimed at once, three different ones

        seen_others: dict[str, int] = {}
        for turn in range(40):
            busy = [a for a in team if a.has_comment()]
            if not busy:
                break
            if turn % 2 == 0:  # everyone at the same moment
                for analyst in busy:
                    analyst.code_one()
                for analyst in busy:
                    analyst.wait_coded()
            else:  # one after another: each screen's progress counts the whole team's codes
                for analyst in busy:
                    analyst.code_one()
                    analyst.wait_coded()
                    coded = first_codes(log(team_store))
                    expected = (len(coded), len(ANSWERS) - len(coded))
                    analyst.until(lambda a=analyst, e=expected: a.progress() == e, f"progress {expected}")
                    others = int((coded["analyst"] != analyst.name).sum())
                    seen_others[analyst.name] = max(seen_others.get(analyst.name, 0), others)
        else:
            raise AssertionError("the analysts were still coding after 40 turns")

        # idle screens re-read the team's progress: every analyst, finished or not, comes to see all nine done
        for analyst in team:
            analyst.until(lambda a=analyst: a.progress() == (len(ANSWERS), 0), "the team's work, shown while idle")
        for analyst in team:
            analyst.press("x", "x")
        for analyst in team:
            noun = "comment" if analyst.pressed == 1 else "comments"
            analyst.wait_for(f"coded {analyst.pressed} {noun} in this session")
            assert analyst.finish() == 0
    finally:
        for analyst in team:
            if analyst.child.isalive():
                analyst.child.terminate(force=True)

    decisions = log(team_store)
    codes = decisions[decisions["action"] == "code"]
    firsts = first_codes(decisions)
    # every comment coded once, by one analyst; nothing was undone, so every code stands
    assert sorted(firsts["comment_id"].value_counts().tolist()) == [1] * len(ANSWERS)
    assert set(decisions["action"]) == {"code"}
    # no write lost: each analyst's keys that coded a comment are each in the log
    for analyst in team:
        assert int((codes["analyst"] == analyst.name).sum()) == analyst.pressed
    # the double-coding sample: only cat (--double-code) codes again, blind, comments someone else coded first
    doubles = codes[codes["payload"].map(lambda p: bool(p.get("double")))]
    assert set(doubles["analyst"]) <= {"cat"} and doubles["comment_id"].is_unique
    first_coder = dict(zip(firsts["comment_id"], firsts["analyst"], strict=True))
    assert all(first_coder[c] != "cat" for c in doubles["comment_id"])
    # all three took part, and each saw progress that included others' codes
    assert set(firsts["analyst"]) == {"ana", "ben", "cat"}
    assert all(seen_others.get(a.name, 0) > 0 for a in team), seen_others


def test_a_killed_analysts_comment_goes_to_the_one_still_coding_within_two_minutes(tmp_path: Path) -> None:
    """kill -9 of one `survey code`: the other analyst, out of comments, is told who holds the last one (instead of
    a bare "nothing left" beside a progress of 8 / 1) and is given it, without a key, once the dead session's
    claim has gone unrenewed for the timeout."""
    url = str(tmp_path / "survey.db")
    with Store(url) as store:
        import_year(store, write_returns(tmp_path), 2017)
    ana, ben = Analyst(url, "ana", cwd=tmp_path), Analyst(url, "ben", cwd=tmp_path)
    try:
        for analyst in (ana, ben):
            analyst.wait_screen(START)
        held = ana.comment()
        ana.child.kill(signal.SIGKILL)
        killed = time.monotonic()
        told = False
        for _ in ANSWERS:
            ben.code_one()
            ben.wait_coded()
            if NOTHING_LEFT in ben.text():
                told = "ana holds 1 comment" in ben.text() and ben.progress() == (len(ANSWERS) - 1, 1)
                break
        assert told, ben.text()
        left = 120 - (time.monotonic() - killed)
        ben.until(lambda: ben.comment() == held, "ana's comment, come free", timeout=max(left, 0))
        assert "a comment came free" in ben.text()
        ben.code_one()
        ben.wait_coded()
        ben.until(lambda: ben.progress() == (len(ANSWERS), 0), "every comment coded")
        ben.press("x", "x")  # quitting asks once
        ben.wait_for(f"coded {len(ANSWERS)} comments in this session; nothing left to code for you")
        assert ben.finish() == 0
    finally:
        for analyst in (ana, ben):
            if analyst.child.isalive():
                analyst.child.terminate(force=True)
    firsts = first_codes(log(url))
    assert sorted(firsts["comment_id"].value_counts().tolist()) == [1] * len(ANSWERS)
    assert set(firsts["analyst"]) == {"ben"}


def test_the_same_analyst_in_two_terminals_keeps_both_places_and_a_restart_after_kill_resumes_at_once(
    tmp_path: Path,
) -> None:
    """Two `survey code` of one analyst: the second leaves the first its comment (before, it took it over, and
    the first lost its place); after kill -9 of the first, a new session of hers resumes its comment at once."""
    url = str(tmp_path / "survey.db")
    with Store(url) as store:
        import_year(store, write_returns(tmp_path), 2017)
    laptop = Analyst(url, "ana", cwd=tmp_path)
    desktop: Analyst | None = None
    restart: Analyst | None = None
    try:
        laptop.wait_screen(START)
        held = laptop.comment()
        desktop = Analyst(url, "ana", cwd=tmp_path)
        desktop.wait_screen(START)
        assert desktop.comment() != held
        for analyst in (laptop, desktop):
            analyst.code_one()
            analyst.wait_coded()
        assert "taken" not in laptop.text() and "taken" not in desktop.text()
        again = laptop.comment()
        laptop.child.kill(signal.SIGKILL)
        started = time.monotonic()
        restart = Analyst(url, "ana", cwd=tmp_path)
        restart.wait_screen(START)
        assert restart.comment() == again  # the killed session's comment, not another one
        assert time.monotonic() - started < START  # not held back for the claim's timeout (90 s) either
    finally:
        for analyst in (laptop, desktop, restart):
            if analyst is not None and analyst.child.isalive():
                analyst.child.terminate(force=True)
    coded = first_codes(log(url))
    assert sorted(coded["comment_id"].value_counts().tolist()) == [1, 1] and set(coded["analyst"]) == {"ana"}
