"""The order in which an analyst meets comments: whole answers, least sure first, pieces in reading order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from practitioner_survey.coding.order import Answers, first_in_order, reading_order

# comment id -> (answer, start); ids deliberately out of reading order, as after a split or merge
PLACE = {1: ("A", 40), 2: ("A", 0), 3: ("B", 0), 4: ("B", 30), 5: ("A", 20), 6: ("C", 0)}
SURE = {1: 0.9, 2: 0.8, 3: 0.6, 4: 0.2, 5: 0.7, 6: 0.5}
ANSWERS = Answers.from_places((i, a, start) for i, (a, start) in PLACE.items())


def test_the_least_sure_answer_comes_first_from_its_start_then_the_next_answer() -> None:
    # B holds the least sure piece (4, 0.2), C the next (0.5), A's least sure is 0.7
    assert list(reading_order(PLACE, SURE, ANSWERS)) == [3, 4, 6, 2, 5, 1]


def test_the_answer_being_read_is_finished_before_another_is_started() -> None:
    waiting = [1, 3, 4, 5, 6]  # 2 is coded: the analyst is part-way through A
    assert list(reading_order(waiting, SURE, ANSWERS, current="A")) == [5, 1, 3, 4, 6]


def test_a_piece_put_back_for_later_comes_after_all_others_and_no_longer_ranks_its_answer() -> None:
    order = list(reading_order(PLACE, SURE, ANSWERS, later={4}))
    assert order[-1] == 4
    assert order[:2] == [6, 3]  # without 4, B is as sure as 3 (0.6): C (0.5) comes first
    assert list(reading_order(PLACE, SURE, ANSWERS, later={4}, current="B")) == [3, 6, 2, 5, 1, 4]


def test_a_comment_with_no_known_place_stands_alone_and_first_in_order_agrees_with_the_order() -> None:
    waiting = [*PLACE, 9]
    sure = {**SURE, 9: 0.1}
    assert next(reading_order(waiting, sure, ANSWERS)) == 9
    assert first_in_order(waiting, sure, ANSWERS) == 9
    assert first_in_order([], sure, ANSWERS) is None


pieces = st.lists(st.tuples(st.sampled_from("ABCDE"), st.integers(0, 500), st.floats(0, 1)), max_size=30)


@given(pieces, st.sets(st.integers(0, 29), max_size=5), st.sampled_from([None, "A", "C"]))
def test_any_order_keeps_each_answers_pieces_together_and_in_reading_order(
    found: list[tuple[str, int, float]], later: set[int], current: str | None
) -> None:
    place = {i: (a, start * 31 + i) for i, (a, start, _) in enumerate(found)}  # distinct starts
    sure = {i: c for i, (_, _, c) in enumerate(found)}
    answers = Answers.from_places((i, a, start) for i, (a, start) in place.items())
    order = list(reading_order(place, sure, answers, later, current))
    assert sorted(order) == sorted(place)
    assert first_in_order(place, sure, answers, later, current) == (order[0] if order else None)
    now = [i for i in order if i not in later]
    assert order == now + [i for i in order if i in later]  # what was put back for later comes last
    for part in (now, order[len(now) :]):
        read = [place[i][0] for i in part]
        runs = [a for k, a in enumerate(read) if k == 0 or read[k - 1] != a]
        assert len(runs) == len(set(runs))  # never interleaved
        for a in set(runs):
            starts = [place[i][1] for i in part if place[i][0] == a]
            assert starts == sorted(starts)
        if current in runs and part is now:
            assert runs[0] == current  # the answer being read is finished first
