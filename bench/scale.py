"""The benchmarks of a whole survey year at scale, for bench/run.py: split, suggest, the coding loop's latency,
replay quality and `survey build`, each with the plain baseline it is compared with (the tables' baseline is
bench/plain_tables.py, which must not import what this module imports).

Each function does the work once and returns the figure to report: None for "the wall time of the call" (timed
by run.py), or a number with its own unit (a 95th percentile in ms, a top-1 share).
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from synthetic_year import SHARES, make_year, read_comments

from practitioner_survey.codebook import load_codebook
from practitioner_survey.coding.replay import BaselineModel, Model, OurModel, bundled_examples, replay
from practitioner_survey.coding.session import CodingSession
from practitioner_survey.coding.splitting import split_many
from practitioner_survey.coding.suggest import Suggester
from practitioner_survey.loading.importing import import_year
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.returns.validate import read_returns
from practitioner_survey.store.coding import CodedComment, NewComment
from practitioner_survey.store.core import Store

YEAR = 2030
LOOP_QUESTION = "biggest_difference"
LOOP_CODED = 10_000  # comments already coded when the loop's latency is measured
LOOP_KEYS = 60  # keys timed per run
THINK = 0.25  # seconds between keys: an analyst reading the next comment (the model learns meanwhile)


class BenchmarkError(RuntimeError):
    """A benchmarked command did not do what it should (a timing of a failure would mean nothing)."""


def services_for(n_comments: int) -> int:
    """Services in a synthetic year of n_comments comments: about two comments per answer, as the bundled years."""
    return max(50, n_comments // 5)


def comments_path(folder: Path, n_comments: int, seed: int) -> Path:
    """A synthetic year of n_comments coded comments (bench/synthetic_year.py), made once."""
    out = folder / f"year-{n_comments}"
    if not (out / "load.toml").exists():
        make_year(services_for(n_comments), n_comments, seed, out, YEAR, bank_years=(2017,))
    return out


def loaded_store(folder: Path, n_comments: int, seed: int, survey: Callable[..., str]) -> Path:
    """A store holding that year, its coded comments and a recommended-Idva reference (for tables and build)."""
    db = folder / f"year-{n_comments}.db"
    if not db.exists():
        year = comments_path(folder, n_comments, seed)
        survey("--db", str(db), "load", str(year))
        survey("--db", str(db), "reference", "import", str(year / "reference.csv"), "--year", str(YEAR))
    return db


def answers(folder: Path, n_comments: int, seed: int) -> list[str]:
    """Every non-blank free-text answer of that year."""
    cache = folder / f"answers-{n_comments}.json"
    if not cache.exists():
        services = read_returns(comments_path(folder, n_comments, seed) / "returns.xlsx").services
        found = [str(a) for q in FREE_TEXT_QUESTIONS for a in services[q] if isinstance(a, str) and a.strip()]
        cache.write_text(json.dumps(found), encoding="utf-8")
    loaded: list[str] = json.loads(cache.read_text(encoding="utf-8"))
    return loaded


# --- split and suggest ---------------------------------------------------------------------------------------


def split_all(texts: list[str]) -> int:
    """Split every answer; the number of comments."""
    return sum(len(spans) for spans in split_many(texts))


def suggest_all(comments: list[dict[str, Any]]) -> int:
    """Start each question's model (codebook and bundled comments) and suggest three codes for every comment."""
    return sum(_suggest_question(question, comments) for question in FREE_TEXT_QUESTIONS)


def _suggest_question(question: str, comments: list[dict[str, Any]]) -> int:
    """One question's model, started and used for all its comments; it is gone before the next one starts."""
    codebook = load_codebook(question, 2017)
    model = Suggester(codebook, bundled_examples(question, codebook))
    texts = [str(c["text"]) for c in comments if c["question"] == question]
    return len(model.suggest_many(texts))  # in parts of suggest.SHARE_PART, shared with a forked helper


# --- the coding loop -----------------------------------------------------------------------------------------


def loop_store(folder: Path, seed: int, waiting: int) -> Path:
    """A store whose LOOP_QUESTION has LOOP_CODED comments coded (by an earlier analyst) and `waiting` to code."""
    db = folder / f"loop-{LOOP_CODED}.db"
    if not db.exists():
        n = int((LOOP_CODED + waiting) / 0.45) + 10
        year = comments_path(folder, n, seed)
        comments = [c for c in read_comments(year) if c["question"] == LOOP_QUESTION][: LOOP_CODED + waiting]
        with Store(db) as store:
            import_year(store, year / "returns.xlsx", YEAR)
            coded = [
                CodedComment(str(c["service_id"]), LOOP_QUESTION, int(str(c["start"])), int(str(c["end"])),
                             str(c["category_id"]), str(c["subcategory_id"]))
                for c in comments[:LOOP_CODED]
            ]  # fmt: skip
            store.load_coded(YEAR, coded, "earlier analyst")
            rest = [NewComment(str(c["service_id"]), LOOP_QUESTION, int(str(c["start"])), int(str(c["end"])))
                    for c in comments[LOOP_CODED:]]  # fmt: skip
            store.add_comments(YEAR, rest)
    return db


class _Timed:
    """Wraps a store and adds up the time spent in its methods (the part of a key the session cannot change)."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.seconds = 0.0

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self._store, name)
        if not callable(attribute):
            return attribute

        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return attribute(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        return timed


def loop_latency(db: Path, scratch: Path, keys: int = LOOP_KEYS) -> dict[str, float]:
    """Code `keys` comments by accepting the first suggestion, as the screen does: after each key, the next
    comment and the progress line. Milliseconds per key (p50, p95) in all and spent in the store."""
    work = scratch / "loop.db"
    shutil.copy(db, work)
    with Store(work) as real:
        store = _Timed(real)
        start = time.perf_counter()
        session = CodingSession(store, YEAR, "bench", LOOP_QUESTION)  # type: ignore[arg-type]
        item = session.next_item()
        session.progress()
        opened = time.perf_counter() - start
        total, in_store = [], []
        try:
            for _ in range(keys):
                if item is None:
                    raise BenchmarkError("ran out of comments to code")
                time.sleep(THINK)
                store.seconds = 0.0
                start = time.perf_counter()
                session.accept(item)
                item = session.next_item()
                session.progress()
                total.append(time.perf_counter() - start)
                in_store.append(store.seconds)
            session.wait_for_model()
        finally:
            session.close()
    p95 = statistics.quantiles(total, n=20)[-1] * 1000
    return {"p95_ms": p95, "p50_ms": statistics.median(total) * 1000,
            "store_p95_ms": statistics.quantiles(in_store, n=20)[-1] * 1000,
            "session_p95_ms": statistics.quantiles([t - s for t, s in zip(total, in_store, strict=True)], n=20)[-1]
            * 1000, "open_s": opened}  # fmt: skip


# --- replay quality and the suggestion baseline -------------------------------------------------------------


def replay_year(folder: Path, n_comments: int, seed: int, model: Model = OurModel) -> dict[str, float]:
    """Replay n_comments of a synthetic year made from the 2017 bank (each question's first, in proportion): top-1
    and top-3 over all, and ms per decision. The model starts from the codebook and the bundled 2016 comments."""
    comments = read_comments(comments_path(folder, max(n_comments, 1000), seed))
    right1 = right3 = n = 0
    start = time.perf_counter()
    for question in FREE_TEXT_QUESTIONS:
        share = round(n_comments * SHARES[question])
        records = [(str(c["text"]), str(c["category_id"])) for c in comments if c["question"] == question][:share]
        if not records:
            continue
        codebook = load_codebook(question, 2017)
        result = replay(codebook, records, bundled_examples(question, codebook, before=2017), model)
        right1 += round(result.top1 * result.n)
        right3 += round(result.top3 * result.n)
        n += result.n
    seconds = time.perf_counter() - start
    return {"top1": right1 / n, "top3": right3 / n, "n": n, "per_decision_ms": seconds / n * 1000}


def baseline_replay(folder: Path, n_comments: int, seed: int) -> dict[str, float]:
    return replay_year(folder, n_comments, seed, BaselineModel)


def progress(message: str) -> None:
    print(f"  {message}", file=sys.stderr, flush=True)
