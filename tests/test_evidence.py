"""The codebook's evidence (coding/evidence.py): a prior that works with no coded comment at all, and never reaches
for the network."""

from __future__ import annotations

import re
import socket

import numpy as np
import pytest

from practitioner_survey.codebook import Category, Codebook, Subcategory, load_codebook
from practitioner_survey.coding import evidence
from practitioner_survey.coding.evidence import CodebookEvidence, category_texts, embed
from practitioner_survey.coding.suggest import Suggester

Q = "survivor_challenges"

# Comments of our own, each sharing no word of four letters or more with its category's codebook text: only what
# the words mean can place them.
PARAPHRASES = {
    "housing": "Landlords will not rent to them, so mums and kids sit on sofas for months.",
    "financial-difficulties": "She cannot pay the bills, owes thousands and has no wages.",
    "criminal-justice-system": "The jury let him walk free, and the date was put back twice.",
}


@pytest.fixture(scope="module")
def book_evidence() -> CodebookEvidence:
    return CodebookEvidence(load_codebook(Q, 2017))


def test_the_embedding_model_loads_from_its_package_with_the_network_shut(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the network was reached for")

    evidence._wordllama.cache_clear()
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    vectors = embed(["refuge places", "court hearings", "", "   "])
    assert vectors.shape == (4, 256) and vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors[:2], axis=1), 1, atol=1e-4)
    assert not vectors[2:].any()  # nothing to embed: a zero vector, never NaN


def test_embeddings_do_not_depend_on_the_batch() -> None:
    text = "Waiting lists for counselling are months long."
    alone = embed([text])[0]
    together = embed(["a much longer comment about the police response, court delays and housing", text])[1]
    assert np.allclose(alone, together, atol=1e-5)


def test_paraphrases_sharing_no_codebook_word_are_placed_among_three_by_their_meaning(
    book_evidence: CodebookEvidence,
) -> None:
    book = load_codebook(Q, 2017)
    for category_id, text in PARAPHRASES.items():
        category = book.by_id(category_id)
        assert category is not None
        words = {w for t in (t for at, t in category_texts(book) if book.categories[at].id == category_id)
                 for w in re.findall(r"\w+", t.lower()) if len(w) >= 4}  # fmt: skip
        assert not words & set(re.findall(r"\w+", text.lower())), category_id  # no word in common
        meaning = book_evidence.meaning([text])[0]
        assert category_id in [book.categories[at].id for at in np.argsort(-meaning)[:3]], category_id


def test_a_pattern_counts_more_at_the_start_of_a_comment_than_at_its_end(book_evidence: CodebookEvidence) -> None:
    book = load_codebook(Q, 2017)
    housing = [c.id for c in book.categories].index("housing")
    filler = " and".join([" the support offered was kind"] * 8)
    early, late = book_evidence.patterns([f"Housing is short{filler}.", f"We found that{filler}, with housing short."])
    assert early[housing] == pytest.approx(1.0)
    assert 1 / (1 + evidence.PATTERN_TAIL) <= late[housing] < 0.5


def test_with_no_coded_comment_the_codebook_alone_places_plain_comments() -> None:
    model = Suggester(load_codebook(Q, 2017))  # a team's first year: the codebook and nothing else
    for category_id, text in PARAPHRASES.items():
        assert category_id in [s.category_id for s in model.suggest(text, k=3)], category_id


def test_words_the_model_cannot_read_are_never_suggested_with_confidence() -> None:
    model = Suggester(load_codebook(Q, 2017))
    for text in ["Brak miejsc w schroniskach i długie czekanie na mieszkanie.", "zzkx qwv plor"]:
        assert model.suggest(text)[0].confidence < 0.5


def test_a_texts_evidence_is_the_same_whatever_the_batch(book_evidence: CodebookEvidence) -> None:
    text = "Court dates keep moving and she has to tell her story again each time."
    others = [
        f"Comment number {n} about refuge spaces, funding and the police response in the county." for n in range(40)
    ]
    alone = CodebookEvidence(load_codebook(Q, 2017)).logits([text])[0]  # a fresh one: nothing remembered
    assert np.array_equal(book_evidence.logits([*others, text])[-1], alone)


def test_a_subcategorys_examples_count_among_its_categorys_keywords() -> None:
    sub = Subcategory("tech", 1, "Technology", "Abuse through devices", ("Spyware on her phone tracks every journey",))
    book = Codebook(
        "survivor_challenges", 2017, 2017, "", 1,
        (Category("other", 0, "Other", "Anything else", (), (sub,)),
         Category("housing", 1, "Housing", "Somewhere to live", ("no move-on flats",))),
    )  # fmt: skip
    keywords = CodebookEvidence(book).keywords(["They put spyware on the phone"])[0]
    assert keywords[0] > 0 and keywords[1] == 0  # "spyware" is only in the subcategory's example sentence
