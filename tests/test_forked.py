"""Sharing large batches with forked helpers: the same suggestions and splits as one process, a fallback, cleanup."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Hashable, Iterator
from pathlib import Path

import pytest

from practitioner_survey.codebook import load_codebook
from practitioner_survey.coding import forked, splitting, suggest
from practitioner_survey.coding.suggest import Example, Suggester

ROOT = Path(__file__).resolve().parents[1]
Q = "biggest_difference"


@pytest.fixture
def two_cpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sharing as on a machine with two processors or more (this suite runs on Linux, where fork is), so that these
    tests run, and can fail, on any machine."""
    monkeypatch.setattr(forked, "usable_cpus", lambda: 2)


def bundled(question: str) -> list[dict[str, str]]:
    lines = (ROOT / "responses" / "2017" / "comments-2017.jsonl").read_text(encoding="utf-8").splitlines()
    return [r for r in map(json.loads, filter(str.strip, lines)) if r["question"] == question]


@pytest.fixture
def no_helpers_left() -> Iterator[None]:
    """No thread but this one (helpers are forked only then: threads other tests left are given time to end),
    and no helpers left after the test."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(timeout=10)
    left = [t.name for t in threading.enumerate() if t is not threading.current_thread()]
    assert not left, f"threads another test left running, so no helpers can be forked: {left}"
    yield
    forked.shutdown()


@pytest.fixture
def model() -> Suggester:
    codebook = load_codebook(Q, 2017)
    prior = [Example(r["text"], r["category_id"], r.get("subcategory_id", "")) for r in bundled(Q)[:60]]
    return Suggester(codebook, prior)


@pytest.fixture
def made(monkeypatch: pytest.MonkeyPatch) -> list[forked.Helpers | None]:
    """Every set of helpers forked.helpers gives while the test runs, in order (None where none could be made)."""
    made: list[forked.Helpers | None] = []
    real = forked.helpers

    def recorded(owner: object, state: Hashable) -> forked.Helpers | None:
        made.append(real(owner, state))
        return made[-1]

    monkeypatch.setattr(forked, "helpers", recorded)
    return made


def test_suggestions_shared_with_a_forked_helper_are_those_of_one_process_before_and_after_learning(
    model: Suggester,
    monkeypatch: pytest.MonkeyPatch,
    no_helpers_left: None,
    two_cpus: None,
    made: list[forked.Helpers | None],
) -> None:
    monkeypatch.setattr(suggest, "PARALLEL_MIN", 10)
    monkeypatch.setattr(suggest, "SHARE_PART", 30)  # 100 texts in two parts of 60 and 40, shared by two processes
    texts = [r["text"] for r in bundled(Q)[60:160]]
    shared = model.suggest_many(texts)
    assert made and made[0] is not None and made[0].count >= 1  # the shared path ran
    assert "helpers" not in forked._CURRENT  # and its helpers stopped after, not to keep a copy of the model
    assert shared == model.suggest_here(texts)
    for r in bundled(Q)[160:180]:  # the model changes: new helpers are forked with the model as it now is
        model.learn(r["text"], r["category_id"])
    again = model.suggest_many(texts)
    assert len(made) == 2 and made[1] is not None and made[1] is not made[0]
    assert again == model.suggest_here(texts) and again != shared


def test_without_fork_suggestions_and_splits_are_made_in_this_process(
    model: Suggester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forked, "available", lambda: False)
    monkeypatch.setattr(suggest, "PARALLEL_MIN", 10)
    monkeypatch.setattr(splitting, "PARALLEL_MIN", 10)
    texts = [r["text"] for r in bundled(Q)[60:100]]
    assert model.suggest_many(texts) == model.suggest_here(texts)
    assert splitting.split_many(texts) == splitting._split_here(texts, 256)
    assert forked.helpers(model, model.version) is None


def test_no_helpers_are_forked_while_other_threads_run(model: Suggester) -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert forked.helpers(model, model.version) is None
    finally:
        stop.set()
        other.join()


def test_answers_split_with_a_forked_helper_are_cut_as_in_one_process(
    monkeypatch: pytest.MonkeyPatch, no_helpers_left: None, two_cpus: None, made: list[forked.Helpers | None]
) -> None:
    monkeypatch.setattr(splitting, "PARALLEL_MIN", 10)
    texts = [r["text"] for r in bundled(Q)[:200]]
    answers = [" ".join(texts[i : i + 3]) for i in range(0, 200, 3)]  # answers of several comments
    answers += ["Also; more Idvas.\n- refuge\n- housing", "", "One thing. Secondly, another thing."]
    assert splitting.split_many(answers) == splitting._split_here(answers, 256)
    assert made and made[0] is not None  # the work was shared
    assert "helpers" not in forked._CURRENT  # and the helpers stopped after


def test_a_helper_dies_with_its_parent_even_when_the_parent_is_killed() -> None:
    code = (
        "import sys, time; from practitioner_survey.coding import forked\n"
        "forked.usable_cpus = lambda: 2\n"  # as on a machine with two processors or more
        "class Owner:\n    def pid(self):\n        import os; return os.getpid()\n"
        "helpers = forked.helpers(Owner(), 0)\n"
        "print(helpers.call('pid').result(), flush=True); time.sleep(60)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert parent.stdout is not None
        helper = int(parent.stdout.readline())
        assert helper != parent.pid and _alive(helper)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()
    deadline = time.monotonic() + 20
    while _alive(helper) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _alive(helper)


def _alive(pid: int) -> bool:
    """Whether the process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


class _DiesInHelpers:
    """Doubles numbers; in a helper it kills the helper instead."""

    def __init__(self) -> None:
        self.parent = os.getpid()

    def work(self, items: list[int]) -> list[int]:
        if os.getpid() != self.parent:
            os._exit(1)
        return [2 * i for i in items]


def test_a_part_whose_helper_died_is_done_in_this_process(no_helpers_left: None, two_cpus: None) -> None:
    owner = _DiesInHelpers()
    helpers = forked.helpers(owner, 0)
    assert helpers is not None
    assert forked.share(helpers, owner.work, "work", list(range(10))) == [2 * i for i in range(10)]
    assert "helpers" not in forked._CURRENT  # the broken helpers were shut down
