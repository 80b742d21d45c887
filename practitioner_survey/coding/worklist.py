"""The coding loop's worklist: which comment to show an analyst next, with the machine's suggestions. No terminal
code here.

A Worklist serves one analyst one comment at a time, whole answers in reading order, the least sure answer first
(coding/order.py), claiming it in the store so that two analysts at once never get the same one; a comment the
analyst had claimed and not finished (after a crash, an undo, a split or merge) comes first. While the analyst
works, the screen calls renew_claims (the heartbeat that keeps their claims from being taken over) on every key and
idle tick; when nothing is left, next_free looks again each time what other analysts hold changes, so that a
comment left by a stopped session comes to the analyst still working. What it reads of the store (the questions'
comments, those still waiting, the blind sample for double coding) it keeps and brings up to date from the codes
logged since. Each question's suggestion model (learning.QuestionModel) is started here; session.CodingSession adds
the analyst's decisions and undo.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar, cast

import pandas as pd

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding.earning import MACHINE, Record, require_earned
from practitioner_survey.coding.held import nothing_left, utc_now
from practitioner_survey.coding.learning import QuestionModel, Quiet
from practitioner_survey.coding.order import Answers, first_in_order, reading_order
from practitioner_survey.coding.replay import bundled_examples
from practitioner_survey.coding.splitting import split_many
from practitioner_survey.coding.suggest import Example, Suggester, Suggestion
from practitioner_survey.errors import StoreError, SurveyError
from practitioner_survey.reference import police_force_areas, region_of
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.claims import CLAIM_TIMEOUT_SECONDS, RENEW_SECONDS, HeldClaims, Progress
from practitioner_survey.store.coding import Decision, NewComment, stamp
from practitioner_survey.store.core import Store
from practitioner_survey.store.sessions import new_session_name

REFRESH_KEYS = 100  # keys after which the session reads its questions' comments from the store again
_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(frozen=True)
class Item:
    """One comment as the screen shows it."""

    comment_id: int
    question: str
    question_text: str
    service_id: str
    service_name: str
    region: str
    answer: str
    start: int
    end: int
    suggestions: list[Suggestion]
    double: bool = False  # a blind second coding: no suggestions, and the other analyst's code is never shown
    coded_as: str = ""  # its current code's label, when it is shown again for review
    held: bool = True  # given by a claim, which the session must still hold to write about it (False: in review)


def serving(method: Callable[_P, _R]) -> Callable[_P, _R]:
    """Marks a session method the screen calls between a key and the next comment: the models' learning
    waits while it runs and for QUIET_SECONDS after."""

    @functools.wraps(method)
    def serving(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        quiet = cast("Worklist", args[0])._quiet
        quiet.touch()
        try:
            return method(*args, **kwargs)
        finally:
            quiet.touch()

    return serving


class Worklist:
    """What one analyst is offered next of a year's comments (one question, or all three in turn); see
    CodingSession, which adds the decisions, for the arguments."""

    def __init__(
        self,
        store: Store,
        year: int,
        analyst: str,
        question: str | None = None,
        double_code: float = 0.0,
        auto_accept: float | None = None,
        seed: int = 0,
        claim_timeout: float = CLAIM_TIMEOUT_SECONDS / 60,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        analyst = analyst.strip()
        if not analyst or analyst.startswith(MACHINE):
            raise SurveyError(f"name the analyst coding (not empty, not starting {MACHINE!r})")
        if question is not None and question not in FREE_TEXT_QUESTIONS:
            raise SurveyError(f"unknown question {question!r}; choose one of {', '.join(FREE_TEXT_QUESTIONS)}")
        if not 0 <= double_code <= 1:
            raise SurveyError(f"the double-coding share must be between 0 and 1 (10% is 0.1), not {double_code}")
        if auto_accept is not None and not 0 < auto_accept <= 1:
            raise SurveyError(f"--auto-accept takes a confidence above 0 and at most 1, not {auto_accept}")
        self.store, self.year, self.analyst, self.seed = store, year, analyst, seed
        self.double_code, self.claim_timeout, self._clock = double_code, claim_timeout, clock
        self.session_id = new_session_name()  # names this session's claims: the analyst may have another open
        self._adopted = False  # whether this session has taken over the claims of the analyst's earlier sessions
        self._renewed: datetime | None = None  # when this session last renewed its claims (by its clock)
        self.held: list[HeldClaims] = []  # others' live claims, as last read when nothing was left
        self._marker: tuple[object, ...] | None = None  # what next_free saw when nothing was left
        self.questions: tuple[str, ...] = (question,) if question else FREE_TEXT_QUESTIONS
        services = store.services(year)  # NotFoundError when the year is not in the store
        self.codebooks: dict[str, Codebook] = {q: load_codebook(q, year) for q in self.questions}
        self._service_names = dict(zip(services["service_id"], services["service_name"], strict=True))
        self._answers = {q: dict(zip(services["service_id"], services[q], strict=True)) for q in self.questions}
        regions = region_of()
        staffing = store.staffing(year)
        by_service: dict[str, set[str]] = {}
        for sid, area in zip(staffing["service_id"], staffing["police_force_area"], strict=True):
            by_service.setdefault(sid, set()).update([regions[area]] if area in regions else [])
        self._regions = {sid: "; ".join(sorted(r)) for sid, r in by_service.items()}
        self._areas = sorted(set(police_force_areas()["police_force_area"]) | set(staffing["police_force_area"]))
        self._models: dict[str, QuestionModel] = {}
        self._quiet = Quiet()  # when the screen last used the session, for the models' learning
        self._prepared: dict[int, tuple[list[Suggestion], str]] = {}
        self._shown: dict[int, str] = {}  # comment id -> version of the model whose suggestions were shown
        self._frames: dict[str, pd.DataFrame] = {}  # question -> its active comments, as last read from the store
        self._answers_of: dict[str, Answers] = {}  # question -> its comments' answers, each in reading order
        self._current: dict[str, str] = {}  # question -> the answer (service) whose piece this analyst saw last
        self._todo: dict[str, dict[int, str]] = {}  # question -> comments nobody had coded, as last known
        self._samples: dict[str, list[int]] = {}  # question -> the blind sample not yet double-coded, as last known
        self._seen: dict[str, int] = {}  # question -> the newest live code taken into _todo and _samples
        self._progress: dict[str, Progress] = {}  # question -> its counts as last read (the store updates them)
        self._later: set[int] = set()  # comments this analyst put back for later: offered after the others
        self._keys = 0  # decisions since the comments were last read from the store
        self._claims_open = True  # this analyst may hold claims still to do (after a resume, split, merge or undo)
        self._closed = False
        self.auto_coded = 0  # comments machine-coded at the start (--auto-accept)
        self.auto_records: list[Record] = []  # this year's record that earned --auto-accept, per question
        self._begin()
        for q in self.questions:
            self._ensure_comments(q)
        if auto_accept is not None:
            self._auto_accept(auto_accept)

    def _begin(self) -> None:
        """A subclass's own state, set up before the comments are read (CodingSession's undo list)."""

    # -- comments and models -----------------------------------------------------------------------------------

    def _ensure_comments(self, question: str) -> None:
        """Split the question's answers into comments the first time any session opens it."""
        if self.store.question_has_comments(self.year, question):
            return
        answers = [(sid, a) for sid, a in self._answers[question].items() if str(a or "").strip()]
        spans = split_many([a for _, a in answers])
        new = [NewComment(sid, question, s.start, s.end) for (sid, _), found in zip(answers, spans, strict=True)
               for s in found]  # fmt: skip
        self.store.ensure_comments(self.year, question, new)

    def _frame(self, question: str) -> pd.DataFrame:
        """The question's active comments, read from the store once and again after this session splits, merges
        or undoes, every REFRESH_KEYS decisions, or when another analyst's split makes a comment it does not hold."""
        if question not in self._frames:
            self._frames[question] = self.store.comments(self.year, question).set_index("id", drop=False)
        return self._frames[question]

    def _answers_in(self, question: str) -> Answers:
        """Which answer (service) each of the question's active comments belongs to, and where in it."""
        if question not in self._answers_of:
            frame = self._frame(question)
            found = zip(frame["id"], frame["service_id"], frame["start_offset"], strict=True)
            self._answers_of[question] = Answers.from_places((int(i), str(s), int(o)) for i, s, o in found)
        return self._answers_of[question]

    def _waiting(self, question: str) -> dict[int, str]:
        """Active comments nobody has coded, id -> text (as last read: a claim checks again in the store)."""
        if question not in self._todo:
            frame, state = self._frame(question), self.store.coding_state(self.year, question)
            self._todo[question] = {
                int(i): str(t) for i, t in zip(frame["id"], frame["text"], strict=True) if int(i) not in state.coded
            }
            sample = [cid for cid, (who, action) in state.coded.items() if self._sampled(cid, who, action)]
            self._samples[question] = sorted(cid for cid in sample if cid not in state.doubled)
            self._seen[question] = state.last
        return self._todo[question]

    def _catch_up(self, question: str) -> None:
        """Take in the codes logged since the question was read (by anyone): a comment coded leaves the waiting
        comments, a hand code by another analyst may join the blind sample, a double coding leaves it."""
        if question not in self._todo:
            return
        waiting, sample = self._todo[question], self._samples[question]
        for code in self.store.new_codes(self.year, question, self._seen[question]):
            self._seen[question] = code.decision_id
            at = bisect.bisect_left(sample, code.comment_id)
            present = at < len(sample) and sample[at] == code.comment_id
            if code.kind == "primary":
                waiting.pop(code.comment_id, None)
            if code.kind == "primary" and self._sampled(code.comment_id, code.analyst, code.action):
                if not present:
                    sample.insert(at, code.comment_id)
            elif present:
                del sample[at]

    def _sampled(self, comment_id: int, analyst: str, action: str) -> bool:
        """Whether a comment with this live code belongs to this analyst's blind sample (a fixed share of the
        comments another analyst coded by hand)."""
        if self.double_code <= 0 or action != "code" or analyst == self.analyst:
            return False
        digest = hashlib.sha256(f"{self.seed}:{self.year}:{comment_id}".encode()).digest()
        return int.from_bytes(digest[:8], "big") / 2**64 < self.double_code

    def _refresh(self, *questions: str) -> None:
        """Forget what was read of these questions' comments (all when none is named). Their progress is kept:
        the store brings it up to date from the decisions since (counting in full itself after an undo, split or
        merge)."""
        for q in questions or self.questions:
            self._frames.pop(q, None)
            self._answers_of.pop(q, None)
            self._todo.pop(q, None)

    def _model(self, question: str) -> QuestionModel:
        """The question's model, started on first use from the codebook, earlier years and this year's codes."""
        if question not in self._models:
            codebook = self.codebooks[question]
            prior = list(bundled_examples(question, codebook, before=self.year))
            codes = self.store.current_codes(self.year, question)
            texts = self._frame(question)["text"]
            for cid, cat, sub, action in codes[["comment_id", "category_id", "subcategory_id", "action"]].values:
                if action != "auto" and codebook.by_id(cat) is not None:
                    prior.append(Example(str(texts[cid]), str(cat), str(sub)))
            self._models[question] = QuestionModel(question, Suggester(codebook, prior, seed=self.seed), self._quiet)
        return self._models[question]

    def wait_for_model(self) -> None:
        """Block until every model has learnt every decision so far (for tests and benchmarks)."""
        for model in self._models.values():
            model.wait()

    def _auto_accept(self, threshold: float) -> None:
        """Machine-code the comments whose first suggestion is at `threshold` or more, once this year's analysts'
        decisions show the threshold is earned for every question with comments waiting (see earning.py); else
        SurveyError before anything is coded or claimed."""
        questions = tuple(q for q in self.questions if self._waiting(q))
        self.auto_records = require_earned(self.store, self.year, questions, threshold)
        for q in questions:
            waiting = self._waiting(q)
            model = self._model(q)
            confidence = model.score(waiting)
            sure = [i for i in waiting if confidence[i] >= threshold]
            if not sure:
                continue
            ranked, version = model.suggest([waiting[i] for i in sure])
            decisions = [
                Decision(self.year, i, q, MACHINE + self.analyst, "auto", s[0].category_id, s[0].subcategory_id,
                         {"threshold": threshold}, [asdict(x) for x in s], version,
                         str(self.codebooks[q].version))
                for i, s in zip(sure, ranked, strict=True) if s[0].confidence >= threshold
            ]  # fmt: skip
            self.auto_coded += len(self.store.auto_code(decisions, self._cutoff()))
            self._refresh(q)

    # -- what to show ------------------------------------------------------------------------------------------

    @serving
    def next_item(self) -> Item | None:
        """The next comment for this analyst, claimed for them; None when nothing is left for them.

        First a comment this analyst had claimed and not finished (after a crash, an undo, a split or merge),
        then a double coding when sampled, then the rest of the answer the analyst is reading, then the answer the
        model is least sure of from its start (coding/order.py), one another analyst is reading last.
        """
        if self._closed:
            raise SurveyError("this coding session is closed; start a new one")
        if self._keys >= REFRESH_KEYS:
            self._keys = 0
            self._refresh()
        now, cutoff = stamp(self._clock()), self._cutoff()
        if self._claims_open:
            claim = self.store.resume_claim(self.year, self.questions, self.analyst, now, self.session_id,
                                            adopt=not self._adopted, cutoff=cutoff)  # fmt: skip
            self._adopted = True
            if claim is not None:
                return self._item(claim.comment_id, claim.question, claim.kind == "double")
            self._claims_open = False
        if self.double_code > 0:
            for q in self.questions:
                sample = self._double_sample(q)
                picked = self.store.claim(self.year, q, self.analyst, "double", sample, cutoff, now, self.session_id)
                if picked:
                    self._samples[q] = [c for c in self._samples[q] if c != picked]
                    return self._item(picked, q, True)
        for q in self.questions:
            for fresh in (q not in self._todo, True):
                waiting = self._waiting(q)
                if waiting:
                    confidence, answers = self._model(q).score(waiting), self._answers_in(q)
                    order = reading_order(waiting, confidence, answers, self._later, self._current.get(q))
                    picked = self.store.claim(self.year, q, self.analyst, "primary", order, cutoff, now,
                                              self.session_id, answers.answer)  # fmt: skip
                    if picked:
                        return self._item(picked, q)
                if fresh:
                    break
                self._refresh(q)  # what was read may be out of date: read again before giving up
        self.held = self.held_by_others()
        self._marker = self._free_marker(self.held)
        return None

    # -- claims: the heartbeat, and who holds what -------------------------------------------------------------

    def _cutoff(self) -> str:
        """Claims renewed at or before this moment belong to a stopped session: others may take their comments."""
        return stamp(self._clock() - timedelta(minutes=self.claim_timeout))

    def renew_claims(self) -> bool:
        """The heartbeat that keeps this analyst's claims from being taken over while the session lives: renews
        them in the store once RENEW_SECONDS have passed since the last renewal (by the session's clock), so the
        screen may call it on every key and idle tick. False when nothing was due, or the store was busy (the next
        call tries again, long before the claims could go stale)."""
        now = self._clock()
        if self._closed or (self._renewed is not None and (now - self._renewed).total_seconds() < RENEW_SECONDS):
            return False
        try:
            self.store.renew_claims(self.year, self.analyst, stamp(now), self.session_id)
        except StoreError:
            return False
        self._renewed = now
        return True

    def held_by_others(self) -> list[HeldClaims]:
        """The comments of this session's questions that other live sessions hold (other analysts', or this
        analyst's on another machine: this one, with nothing left, holds none), per analyst, question and kind
        (blind second codings only when this session does them too)."""
        kinds = ("primary", "double") if self.double_code > 0 else ("primary",)
        held = self.store.held_claims(self._cutoff(), self.year)
        return [h for h in held if h.live and h.kind in kinds and h.question in self.questions]

    @serving
    def next_free(self) -> Item | None:
        """When next_item has found nothing: the next comment, looked for again only when what other analysts hold
        has changed since (a claim finished, released or gone stale) or, for a session that double-codes, when a
        decision has been logged since; a small query or two while nothing has."""
        if self._free_marker(self.held_by_others()) == self._marker:
            return None
        return self.next_item()

    def _free_marker(self, held: list[HeldClaims]) -> tuple[object, ...]:
        """What next_free compares to know whether a comment may have come free since next_item found none."""
        counts = tuple((h.analyst, h.question, h.kind, h.comments) for h in held)
        if self.double_code <= 0:  # new comments to code come only from claims let go
            return counts
        for q in self.questions:  # a hand code by another analyst may add to the blind sample
            self._progress[q] = self.store.coding_progress(self.year, q, self._progress.get(q))
        return (counts, *(self._progress[q].last for q in self.questions))

    def nothing_left(self) -> str:
        """What to tell the analyst when next_item has found nothing: who holds the comments still to do."""
        return nothing_left(self.held, self.analyst)

    def _double_sample(self, question: str) -> list[int]:
        """The blind sample: a fixed share of the comments another analyst coded by hand, not yet double-coded
        (as last known, brought up to date with the codes logged since; a claim checks again in the store)."""
        self._waiting(question)
        self._catch_up(question)
        return sorted(self._samples[question], key=lambda i: i in self._later)

    def _item(self, comment_id: int, question: str, double: bool = False) -> Item:
        if comment_id not in self._frame(question).index:  # made by another analyst's split or merge
            self._refresh(question)
        record = self._frame(question).loc[comment_id].to_dict()
        suggestions: list[Suggestion] = []
        if not double:
            self._current[question] = str(record["service_id"])
            if comment_id in self._prepared:
                suggestions, self._shown[comment_id] = self._prepared[comment_id]
            else:
                [suggestions], self._shown[comment_id] = self._model(question).suggest([str(record["text"])])
        self._prepared.clear()
        return self._build(question, record, suggestions, double)

    def _build(self, question: str, record: Mapping[Any, Any], suggestions: list[Suggestion], double: bool) -> Item:
        sid = str(record["service_id"])
        return Item(int(record["id"]), question, self.codebooks[question].text, sid,
                    str(self._service_names.get(sid, "")), self._regions.get(sid, ""), str(record["answer"]),
                    int(record["start_offset"]), int(record["end_offset"]), suggestions, double)  # fmt: skip

    def _prepare(self, question: str, waiting: dict[int, str]) -> None:
        """Suggest for the comment likely to come next, before the model takes in the last decision."""
        mine = pd.DataFrame()
        if self._claims_open:  # after a resume, split, merge or undo: the newest claim comes next
            claims = self.store.claims(self.year)
            mine = claims[(claims["released"] == 0) & (claims["session"] == self.session_id)
                          & (claims["analyst"] == self.analyst) & claims["question"].isin(self.questions)]  # fmt: skip
        if len(mine):
            comment_id, q = int(mine["comment_id"].iloc[-1]), str(mine["question"].iloc[-1])
            if mine["kind"].iloc[-1] == "double" or q != question:
                return
        else:  # the comment first in order; if another analyst holds it, the next one's are made on demand
            confidence, answers = self._model(question).confidence, self._answers_in(question)
            first = first_in_order(waiting, confidence, answers, self._later, self._current.get(question))
            if first is None:
                return
            comment_id = first
        text = waiting.get(comment_id)
        if text is not None:
            [suggestions], version = self._model(question).suggest([text])
            self._prepared = {comment_id: (suggestions, version)}

    @serving
    def progress(self) -> dict[str, tuple[int, int]]:
        """Per question: (comments coded, comments still to code), for the whole team."""
        out = {}
        for q in self.questions:
            self._progress[q] = counted = self.store.coding_progress(self.year, q, self._progress.get(q))
            out[q] = (counted.coded, counted.active - counted.coded)
            self._catch_up(q)  # comments others coded since are no longer waiting
        return out

    def machine_coded(self) -> list[Item]:
        """Comments whose current code is a machine code (--auto-accept), with the suggestions it took, for
        spot checks; coding one of them by hand replaces its machine code."""
        out = []
        for q in self.questions:
            codes = self.store.current_codes(self.year, q)
            auto = set(codes.loc[codes["action"] == "auto", "comment_id"])
            log = self.store.decisions(self.year, q)
            log = log[(log["action"] == "auto") & log["comment_id"].isin(auto)].groupby("comment_id").tail(1)
            records = {int(r["id"]): r for r in self._frame(q).to_dict("records")}
            for cid, suggestion in zip(log["comment_id"], log["suggestion"], strict=True):
                shown = [Suggestion(**s) for s in json.loads(suggestion)]
                out.append(replace(self._build(q, records[int(cid)], shown, False), held=False))
        return out
