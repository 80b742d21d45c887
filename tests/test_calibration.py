"""calibration: ECE, the reliability bins and top-1 by fifths, on hand-made predictions."""

from __future__ import annotations

import pytest

from practitioner_survey.coding.calibration import (
    Bin,
    by_parts,
    expected_calibration_error,
    reliability,
    sure_share,
)

# Six first suggestions: (confidence shown, right?)
CONFIDENCES = [0.1, 0.3, 0.35, 0.9, 0.95, 1.0]
RIGHT = [False, True, False, True, True, False]


def test_reliability_gives_five_equal_width_bins_with_count_mean_confidence_and_share_right() -> None:
    bins = reliability(CONFIDENCES, RIGHT)
    assert [(b.lower, b.upper, b.n) for b in bins] == [
        (0.0, 0.2, 1),
        (0.2, 0.4, 2),
        (0.4, 0.6, 0),
        (0.6, 0.8, 0),
        (0.8, 1.0, 3),  # a confidence of exactly 1 falls in the last bin
    ]
    assert bins[0].confidence == pytest.approx(0.1) and bins[0].accuracy == 0.0
    assert bins[1].confidence == pytest.approx(0.325) and bins[1].accuracy == 0.5
    assert bins[2] == Bin(0.4, 0.6, 0, None, None)
    assert bins[4].confidence == pytest.approx(0.95) and bins[4].accuracy == pytest.approx(2 / 3)
    assert bins[4].as_dict() == {"bin": "0.8-1.0", "n": 3, "confidence": 0.95, "accuracy": 0.6667}


def test_a_bins_lower_bound_belongs_to_it() -> None:
    bins = reliability([0.2, 0.4, 0.6, 0.8, 0.0], [True] * 5)
    assert [b.n for b in bins] == [1, 1, 1, 1, 1]


def test_ece_weights_each_bins_gap_by_its_share_of_the_comments() -> None:
    expected = 1 / 6 * 0.1 + 2 / 6 * abs(0.5 - 0.325) + 3 / 6 * abs(2 / 3 - 0.95)
    assert expected_calibration_error(CONFIDENCES, RIGHT) == pytest.approx(expected)


def test_ece_is_zero_when_confidence_matches_the_share_right_and_large_when_overconfident() -> None:
    assert expected_calibration_error([0.5] * 4, [True, False, True, False]) == pytest.approx(0.0)
    assert expected_calibration_error([0.99] * 4, [False] * 4) == pytest.approx(0.99)
    assert expected_calibration_error([0.1] * 4, [True] * 4) == pytest.approx(0.9)  # underconfident counts too


def test_measures_refuse_mismatched_or_impossible_inputs() -> None:
    with pytest.raises(ValueError, match="3 confidences for 2 outcomes"):
        reliability([0.1, 0.2, 0.3], [True, False])
    with pytest.raises(ValueError, match="outside 0-1"):
        reliability([1.5], [True])
    with pytest.raises(ValueError, match="no outcomes"):
        expected_calibration_error([], [])


def test_fifths_give_top1_over_successive_parts_in_order() -> None:
    right = [True, True, False, False, True, False, True, True, True, True]
    assert by_parts(right) == [1.0, 0.0, 0.5, 1.0, 1.0]


def test_fifths_of_a_file_not_divisible_by_five_cover_every_comment_once() -> None:
    right = [True, False, True, True, False, False, True]  # parts of 1, 1, 2, 1 and 2 comments
    assert by_parts(right) == [1.0, 0.0, 1.0, 0.0, 0.5]


def test_fifths_of_fewer_than_five_comments_leave_empty_parts_as_none() -> None:
    assert by_parts([True, False, True]) == [None, 1.0, None, 0.0, 1.0]
    assert by_parts([]) == [None] * 5


def test_sure_share_counts_first_suggestions_shown_at_ninety_percent_or_more_and_how_many_were_right() -> None:
    assert sure_share([0.95, 0.9, 0.89, 0.99, 0.2], [True, False, True, True, False]) == (3, 2 / 3)
    assert sure_share([0.5, 0.89], [True, True]) == (0, None)
    assert sure_share([0.8], [False], at=0.8) == (1, 0.0)
