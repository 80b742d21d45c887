"""Synthetic free-text answers: comments from the text banks, grouped into answers, already split and coded.

The banks (text/<question>-<year>.jsonl) hold comments written for this project in practitioners' voice, each with
its category and subcategory as the report prints them. Answers join one to three comments the way people type them
(sentences, "Also, ...", semicolons, lists); each comment keeps its offsets into its answer, as the store's
CodedComment (store.coding) that `survey load` reads them back into, with its confirmed anonymised quote.
"""

from __future__ import annotations

import json
from importlib import resources

import numpy as np

from practitioner_survey.codebook import Codebook, load_codebook
from practitioner_survey.coding.anonymise import anonymise, names_from
from practitioner_survey.returns.schema import FREE_TEXT_QUESTIONS
from practitioner_survey.store.coding import CodedComment
from practitioner_survey.synthetic.model import Service
from practitioner_survey.synthetic.places import PLACES

# Answers per question, as the report gives them (2017) or in proportion (2016).
ANSWERS = {
    2017: {"biggest_difference": 297, "survivor_challenges": 297, "other_comments": 70},
    2016: {"biggest_difference": 125, "survivor_challenges": 120, "other_comments": 34},
}
MAX_PER_ANSWER = 3


def codebooks_for(year: int) -> dict[str, Codebook]:
    return {q: load_codebook(q, year) for q in FREE_TEXT_QUESTIONS}


def bank(question: str, year: int) -> list[dict[str, object]]:
    """The written comments for a question and year."""
    text = resources.files(__package__).joinpath("text", f"{question}-{year}.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _group(rng: np.random.Generator, items: list[dict[str, object]], n_answers: int) -> list[list[dict[str, object]]]:
    """Deal comments into answers of one to three, never two of one category in an answer."""
    order = [items[i] for i in rng.permutation(len(items))]
    answers = [[c] for c in order[:n_answers]]
    for comment in order[n_answers:]:
        for _ in range(1000):
            answer = answers[int(rng.integers(len(answers)))]
            if len(answer) < MAX_PER_ANSWER and all(c["category"] != comment["category"] for c in answer):
                answer.append(comment)
                break
        else:
            raise ValueError("cannot group comments into answers")
    return answers


def _decap(text: str) -> str:
    first = text.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return text[0].lower() + text[1:]
    return text


def _fill(text: str, service: Service, rng: np.random.Generator) -> str:
    area = service.rows[0].pfa
    towns = PLACES[area][1]
    return (
        text.replace("{PLACE}", towns[int(rng.integers(len(towns)))])
        .replace("{FORCE}", area)
        .replace("{SERVICE}", service.name)
    )


def compose(rng: np.random.Generator, texts: list[str]) -> tuple[str, list[tuple[int, int]]]:
    """Join comments into one answer as a person might; return the answer and each comment's (start, end)."""
    if len(texts) > 1 and rng.random() < 0.15:  # a list
        answer, spans = "", []
        for t in texts:
            answer += "- "
            spans.append((len(answer), len(answer) + len(t)))
            answer += t + "\n"
        return answer.rstrip("\n"), spans
    answer, spans = texts[0], [(0, len(texts[0]))]
    for t in texts[1:]:
        style = rng.choice(["sentence", "also", "semicolon", "newline", "secondly"], p=[0.3, 0.3, 0.15, 0.15, 0.1])
        if style == "semicolon":
            answer = answer.rstrip(".!")
            spans[-1] = (spans[-1][0], min(spans[-1][1], len(answer)))
            answer += "; "
            t = _decap(t)
        else:
            if answer[-1] not in ".!?":
                answer += "."
            answer += {"sentence": " ", "also": " Also, ", "newline": "\n", "secondly": " Secondly, "}[str(style)]
            if style in ("also", "secondly"):
                t = _decap(t)
        spans.append((len(answer), len(answer) + len(t)))
        answer += t
    return answer, spans


def add_free_text(
    rng: np.random.Generator, services: list[Service], year: int, codebooks: dict[str, Codebook]
) -> list[CodedComment]:
    """Give services answers to the three questions; return the coded comments of those answers, a quote (as the
    bank marks them) anonymised against every service's name and every place."""
    coded: list[CodedComment] = []
    names = names_from(
        [s.name for s in services], list(PLACES), [town for _, towns in PLACES.values() for town in towns]
    )
    answering = [s for s in services if s.response_mode in ("online", "phone")]  # the rest sent no return
    order = [answering[i] for i in rng.permutation(len(answering))]
    for question, n_answers in ANSWERS[year].items():
        codebook = codebooks[question]
        answers = _group(rng, bank(question, year), n_answers)
        respondents = order[:n_answers] if question != "other_comments" else order[-n_answers:]
        for service, comments in zip(respondents, answers, strict=True):
            texts = [_fill(str(c["text"]), service, rng) for c in comments]
            answer, spans = compose(rng, texts)
            service.answers[question] = answer
            for comment, (start, end) in zip(comments, spans, strict=True):
                category = codebook.match_label(str(comment["category"]))
                if category is None:
                    raise ValueError(f"bank label {comment['category']!r} not in the {question} codebook")
                sub = next((s for s in category.subcategories if s.label == comment["subcategory"]), None)
                quote = anonymise(answer[start:end], names).text if comment.get("quote") else None
                coded.append(
                    CodedComment(service.service_id, question, start, end, category.id, sub.id if sub else "", quote)
                )
    return coded
