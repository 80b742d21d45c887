"""The coding loop's core: the analyst's decisions on the comment shown, and undo. No terminal code here.

A CodingSession is a worklist.Worklist (which comment to show next, claimed for this analyst) that writes every
decision to the append-only log at once: kill -9 at any key loses nothing, and a new session for the same analyst
resumes on the comment it had claimed. Each question's suggestion model learns from every decision in a background
thread, so the loop never waits for it: the next comment's suggestions are made just before the model takes in the
last decision, and the thread starts its work only once the screen has drawn the next comment (see learning.Quiet),
so that it never competes with a key.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from types import TracebackType
from typing import TYPE_CHECKING

from practitioner_survey.coding.anonymise import Anonymiser, Finding, kinds_summary
from practitioner_survey.coding.doubts import doubted
from practitioner_survey.coding.quote_guard import acknowledgement, year_anonymiser
from practitioner_survey.coding.worklist import Item, Worklist, serving
from practitioner_survey.errors import ClaimLostError, SurveyError
from practitioner_survey.store.coding import Decision, LiveCodeRow, NewComment, undone_ids

if TYPE_CHECKING:
    import pandas as pd

UNDOABLE = ("code", "split", "merge", "quote", "note")  # an analyst's own decisions that undo takes back


@dataclass(frozen=True)
class QuoteDraft:
    """A comment's suggested quote: what the anonymiser replaced, by kind ("1 name, 1 place"), and the words it
    left that may still be a person or place (`doubts`, as written), never shown outside the quote editor."""

    comment_id: int
    original: str
    suggested: str
    findings: tuple[Finding, ...] = ()
    doubts: tuple[str, ...] = ()

    @property
    def replaced(self) -> str:
        return kinds_summary(self.findings)


@dataclass(frozen=True)
class _Done:
    """One of this session's actions, for undo."""

    kind: str  # code | split | merge | quote | note
    decision_id: int
    item: Item
    label: str = ""
    new: list[int] = field(default_factory=list)
    old: list[int] = field(default_factory=list)


class CodingSession(Worklist):
    """One analyst's coding of a year's comments (one question, or all three in turn).

    double_code: the share (0-1) of comments another analyst coded by hand to offer again, blind; auto_accept: a
    confidence at or above which comments are machine-coded at the start, once this year's hand codes have earned
    it (else SurveyError, see earning.py); claim_timeout: minutes without renewal after which a claim left by a
    stopped session may be taken by another analyst (the same analyst resumes it at once); clock: the present, as
    an aware datetime (tests move it on).
    """

    def _begin(self) -> None:
        self._done: list[_Done] = []
        self._anonymiser: Anonymiser | None = None

    # -- decisions ---------------------------------------------------------------------------------------------

    @serving
    def accept(self, item: Item) -> None:
        """Code the comment as its first suggestion (with its subcategory)."""
        if not item.suggestions:
            raise SurveyError("nothing to accept: a blind double coding has no suggestions; press a category's digit")
        first = item.suggestions[0]
        self._code(item, first.category_id, first.subcategory_id, first.label)

    @serving
    def code(self, item: Item, category_key: int, subcategory_key: int | None = None) -> None:
        """Code the comment by the codebook's keys: a category's digit, then optionally a subcategory's."""
        codebook = self.codebooks[item.question]
        category = codebook.by_key(category_key)
        if category is None:
            keys = ", ".join(str(c.key) for c in codebook.categories)
            raise SurveyError(f"no category has key {category_key} for this question (keys: {keys})")
        sub = None
        if subcategory_key is not None:
            sub = category.by_key(subcategory_key)
            if sub is None:
                keys = ", ".join(str(s.key) for s in category.subcategories) or "none"
                raise SurveyError(f"{category.label} has no subcategory with key {subcategory_key} (keys: {keys})")
        self._code(item, category.id, sub.id if sub else "", category.label)

    def _code(self, item: Item, category_id: str, subcategory_id: str, label: str) -> None:
        self._require_active(item)
        decision = Decision(
            self.year, item.comment_id, item.question, self.analyst, "code", category_id, subcategory_id,
            {"double": True} if item.double else {}, [asdict(s) for s in item.suggestions],
            self._shown.get(item.comment_id, ""), str(self.codebooks[item.question].version),
        )  # fmt: skip
        [decision_id] = self._record([decision], item, release=[item.comment_id])
        self._done.append(_Done("code", decision_id, item, label))
        self._keys += 1
        if not item.double:  # a double coding leaves the comment's code, and so the model, as it was
            waiting = self._waiting(item.question)
            waiting.pop(item.comment_id, None)
            self._prepare(item.question, waiting)
            model = self._model(item.question)
            model.learn(item.answer[item.start : item.end], category_id, subcategory_id, waiting, decision_id)

    def _record(self, decisions: list[Decision], item: Item, release: Sequence[int] = ()) -> list[int]:
        """Log decisions about the comment on screen; ClaimLostError (nothing written) when it was given by a claim
        this session no longer holds: another analyst or session took it over while this one was away."""
        try:
            return self.store.record(decisions, self.analyst, release, session=self.session_id,
                                     held=[item.comment_id] if item.held else [])  # fmt: skip
        except ClaimLostError as lost:
            raise self._lost(item, lost) from None

    def check_held(self, item: Item) -> None:
        """ClaimLostError when the comment on screen was given by a claim this session no longer holds (taken over
        while it was away), so that the screen can say so before the analyst works on it; every write checks
        again."""
        if item.held:
            try:
                self.store.check_held(self.analyst, self.session_id, item.comment_id)
            except ClaimLostError as lost:
                raise self._lost(item, lost) from None

    def _lost(self, item: Item, lost: ClaimLostError) -> ClaimLostError:
        """Forget what this session knew of a comment it no longer holds (it is read again from the store); the
        error, saying whether the analyst's own other session took it."""
        self._prepared.clear()
        self._later.discard(item.comment_id)
        self._refresh(item.question)
        return ClaimLostError(lost.comment_id, lost.taker, self.analyst)

    def _require_active(self, item: Item) -> None:
        if item.comment_id not in self._frame(item.question).index:
            raise SurveyError(f"comment {item.comment_id} has been split or merged since it was shown; move on")

    @serving
    def split(self, item: Item, at: int) -> None:
        """Split the comment in two at `at` (an offset into the answer, start < at < end)."""
        if item.double:
            raise SurveyError("a blind double coding is coded as it stands: it cannot be split or merged")
        if not item.start < at < item.end:
            raise SurveyError("split inside the comment: put the cursor between two of its words")
        left = item.start + len(item.answer[item.start : at].rstrip())
        right = item.end - len(item.answer[at : item.end].lstrip())
        if left <= item.start or right >= item.end:
            raise SurveyError("a split there leaves an empty part: put the cursor between two words")
        new = [NewComment(item.service_id, item.question, item.start, left, "split"),
               NewComment(item.service_id, item.question, right, item.end, "split")]  # fmt: skip
        decision = Decision(self.year, item.comment_id, item.question, self.analyst, "split", payload={"at": at})
        self._restructure("split", item, decision, new, [item.comment_id])

    @serving
    def merge_next(self, item: Item, keep: bool = False) -> None:
        """Merge the comment with the next piece of the same answer; `keep`: the merged comment takes the code that
        piece had (else it is left to code, and the team's count of coded comments falls by one)."""
        self._merge(item, True, keep)

    @serving
    def merge_previous(self, item: Item, keep: bool = False) -> None:
        """Merge the comment with the previous piece of the same answer (`keep` as for merge_next)."""
        self._merge(item, False, keep)

    def merge_code(self, item: Item, forward: bool = True) -> str:
        """The label of the code the next (or previous) piece has, which a merge would drop unless kept; '' if none."""
        other = int(self._neighbour(item, forward)["id"])
        return self._label(item.question, self.store.live_primary_codes(self.year, item.question, other).get(other))

    def _neighbour(self, item: Item, forward: bool) -> pd.Series:
        if item.double:
            raise SurveyError("a blind double coding is coded as it stands: it cannot be split or merged")
        frame = self._frame(item.question)
        same = frame[frame["service_id"] == item.service_id].sort_values("start_offset")
        near = same[same["start_offset"] >= item.end] if forward else same[same["end_offset"] <= item.start]
        if near.empty:
            where = "last comment of its answer: there is nothing after" if forward else (
                "first comment of its answer: there is nothing before")  # fmt: skip
            raise SurveyError(f"this is the {where} it to merge with")
        return near.iloc[0 if forward else -1]

    def _merge(self, item: Item, forward: bool, keep: bool) -> None:
        other = self._neighbour(item, forward)
        other_id = int(other["id"])
        code = self.store.live_primary_codes(self.year, item.question, other_id).get(other_id) if keep else None
        start, end = (item.start, int(other["end_offset"])) if forward else (int(other["start_offset"]), item.end)
        new = [NewComment(item.service_id, item.question, start, end, "merge")]
        merged = [item.comment_id, other_id] if forward else [other_id, item.comment_id]
        decision = Decision(self.year, item.comment_id, item.question, self.analyst, "merge", payload={"of": merged})
        self._restructure("merge", item, decision, new, merged, self._cutoff())
        if code is not None:  # the whole takes the code the piece had: a code of its own in the log
            whole = replace(item, comment_id=self._done[-1].new[0], start=start, end=end, suggestions=[])
            self._code(whole, code.category_id, code.subcategory_id, self._label(item.question, code))

    def _label(self, question: str, code: LiveCodeRow | None) -> str:
        """A current code as the screen names it: 'Funding › cuts', with who coded it when not this analyst."""
        if code is None:
            return ""
        category = self.codebooks[question].by_id(code.category_id)
        sub = category.by_id(code.subcategory_id) if category is not None else None
        label = (category.label if category else code.category_id) + (f" › {sub.label}" if sub else "")
        return label + (f" (by {code.analyst})" if code.analyst != self.analyst else "")

    @serving
    def skip(self, item: Item) -> None:
        """Put the comment back for later: its claim is released and it comes again after the others."""
        self._later.add(item.comment_id)
        self.store.record([], self.analyst, release=[item.comment_id], session=self.session_id)

    def doubles_left(self) -> int:
        """Blind second codings still waiting for this analyst (as last known)."""
        return sum(len(self._samples.get(q, ())) for q in self.questions)

    def marks(self, item: Item) -> frozenset[str]:
        """What the comment has besides its code: "note", "quote"."""
        return self.store.comment_marks(self.year, item.comment_id)

    def _restructure(
        self, kind: str, item: Item, decision: Decision, new: list[NewComment], old: list[int], cutoff: str = ""
    ) -> None:
        try:
            decision_id, ids = self.store.restructure(decision, new, old, held_after=cutoff or None,
                                                      session=self.session_id, held=[item.comment_id] if item.held
                                                      else [])  # fmt: skip
        except ClaimLostError as lost:
            raise self._lost(item, lost) from None
        finally:
            self._refresh(item.question)
        self._claims_open = True
        self._done.append(_Done(kind, decision_id, item, new=ids, old=old))

    @property
    def anonymiser(self) -> Anonymiser:
        """The year's anonymiser (its services, their places, the police force areas), made when first needed."""
        if self._anonymiser is None:
            self._anonymiser = year_anonymiser(self._service_names.values(), self._areas)
        return self._anonymiser

    # -- review ------------------------------------------------------------------------------------------------

    def coded_by_me(self) -> list[tuple[int, str]]:
        """The comments whose current code is this analyst's, newest first: (comment id, question), for review."""
        found = []
        for q in self.questions:
            active = self._frame(q).index
            codes = self.store.live_primary_codes(self.year, q)
            found += [(row.decision_id, cid, q) for cid, row in codes.items() if row.analyst == self.analyst
                      and cid in active]  # fmt: skip
        return [(cid, q) for _, cid, q in sorted(found, reverse=True)]

    def coded_under(self, question: str, category_id: str) -> list[tuple[int, str]]:
        """The comments currently coded under a category (by anyone), oldest first: (comment id, its text)."""
        texts = self._frame(question)["text"]
        codes = self.store.live_primary_codes(self.year, question)
        return [(cid, str(texts[cid])) for cid, row in codes.items() if row.category_id == category_id
                and cid in texts.index]  # fmt: skip

    @serving
    def coded_item(self, comment_id: int, question: str) -> Item:
        """A coded comment shown again to review or recode: the model's suggestions for it and its current code.
        Coding it again is a new decision in the log, as any code is."""
        if comment_id not in self._frame(question).index:
            self._refresh(question)
        if comment_id not in self._frame(question).index:
            raise SurveyError(f"comment {comment_id} has been split or merged since: it is no longer coded as such")
        record = self._frame(question).loc[comment_id].to_dict()
        [suggestions], self._shown[comment_id] = self._model(question).suggest([str(record["text"])])
        label = self._label(question, self.store.live_primary_codes(self.year, question, comment_id).get(comment_id))
        return replace(self._build(question, record, suggestions, False), coded_as=label, held=False)

    def quote_draft(self, item: Item) -> QuoteDraft:
        """The comment with names of people, places, services and forces, postcodes, phone numbers, e-mail
        addresses and dates of birth replaced by *** (a suggestion), and what was replaced."""
        original = item.answer[item.start : item.end]
        suggested = self.anonymiser.anonymise(original)
        doubts = doubted(original, self.anonymiser.doubts(original, list(suggested.findings)))
        return QuoteDraft(item.comment_id, original, suggested.text, suggested.findings, doubts)

    def confirm_quote(self, item: Item, text: str, acknowledged: bool = False) -> None:
        """Mark the comment a quote candidate with the anonymised text the analyst confirmed. A text that still
        holds something the anonymiser would replace is refused unless `acknowledged` (the analyst confirmed it
        again, as it is): the acknowledgement is logged with it, and the report prints it (quote_guard)."""
        text = text.strip()
        if not text:
            raise SurveyError("a quote cannot be empty")
        found = self.anonymiser.findings(text)
        if found and not acknowledged:
            raise SurveyError(f"the quote still holds {kinds_summary(found)} the anonymiser would replace: "
                              "Enter again confirms it as it is, or edit it")  # fmt: skip
        payload: dict[str, object] = {"anonymised": text, "confirmed": True}
        if found:
            payload["acknowledged"] = acknowledgement(text, found)
        self._log_simple("quote", item, payload)

    def note(self, item: Item, text: str) -> None:
        """Attach a note to the comment (for the team; never printed outside the store)."""
        if not text.strip():
            raise SurveyError("a note cannot be empty")
        self._log_simple("note", item, {"text": text.strip()})

    def _log_simple(self, kind: str, item: Item, payload: dict[str, object]) -> None:
        decision = Decision(self.year, item.comment_id, item.question, self.analyst, kind, payload=payload)
        [decision_id] = self._record([decision], item)
        self._done.append(_Done(kind, decision_id, item))

    @serving
    def undo(self) -> str | None:
        """Undo this analyst's last action (codes, splits, merges, quotes, notes, in reverse): this session's, then
        earlier sessions' from the log; the comment it concerned is offered next. Returns what was undone, or None
        when there is nothing left to undo."""
        done = self._done.pop() if self._done else self._earlier()
        if done is None:
            return None
        item = done.item
        undo = Decision(self.year, item.comment_id, item.question, self.analyst, "undo",
                        payload={"undoes": done.decision_id})  # fmt: skip
        self._prepared.clear()
        self._refresh(item.question)
        self._claims_open = True
        self._later.discard(item.comment_id)
        if done.kind in ("split", "merge"):
            self.store.restructure(undo, [], done.new, reactivate=done.old, session=self.session_id)
            which = " and ".join(map(str, done.old))
            return f"undid the {done.kind} of comment{'s' if len(done.old) > 1 else ''} {which}"
        claim = [(item.comment_id, "double" if item.double else "primary")] if done.kind == "code" else []
        self.store.record([undo], self.analyst, claim=claim, session=self.session_id)
        if done.kind == "code" and not item.double:
            self._unlearn(item.question, done.decision_id)
        what = f"code {done.label}" if done.kind == "code" else done.kind
        return f"undid the {what} of comment {item.comment_id}"

    def _earlier(self) -> _Done | None:
        """This analyst's latest decision in the log that no undo has taken back (made in an earlier session)."""
        log = self.store.decisions(self.year)
        mine = log[(log["analyst"] == self.analyst) & log["question"].isin(self.questions)
                   & log["action"].isin(UNDOABLE) & ~log["id"].isin(undone_ids(log))]  # fmt: skip
        if mine.empty:
            return None
        row = mine.iloc[-1]
        kind, question, payload = str(row["action"]), str(row["question"]), dict(row["payload"])
        comments = self.store.comments(self.year, question, active_only=False).set_index("id", drop=False)
        record = comments.loc[int(row["comment_id"])]
        if kind not in ("split", "merge") and not record["active"]:
            raise SurveyError(f"your last decision was on comment {row['comment_id']}, since split or merged by "
                              "another analyst: it cannot be undone from here")  # fmt: skip
        item = self._build(question, record.to_dict(), [], bool(payload.get("double")))
        category = self.codebooks[question].by_id(str(row["category_id"]))
        old = [int(c) for c in payload.get("of", [row["comment_id"]])]
        new = [int(c) for c in payload.get("new", [])]
        return _Done(kind, int(row["id"]), item, category.label if category else "", new=new, old=old)

    def _unlearn(self, question: str, decision_id: int) -> None:
        """Take an undone code out of the question's model: exactly, so that the comment's suggestions are again
        what they were before it; when it was learnt too long ago for that, the model starts again from the log
        (which no longer holds it) the next time it is needed, as a new session's would."""
        model = self._models.get(question)
        if model is not None and not model.unlearn(decision_id):
            model.close()
            del self._models[question]

    def close(self) -> None:
        """Release this session's unfinished claims (not those of the analyst's other sessions) and stop the models'
        learning threads."""
        if self._closed:
            return
        self._closed = True
        self.store.release_claims(self.year, self.analyst, self.session_id)
        for model in self._models.values():
            model.close()

    def __enter__(self) -> CodingSession:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
