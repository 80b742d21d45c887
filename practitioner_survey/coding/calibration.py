"""How honest the shown confidences are, and how top-1 moves through a replay: measures over per-comment outcomes.

Each measure takes, per comment in replay order, the first suggestion's shown confidence and whether it was right.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

BINS = 5  # equal-width confidence bins: [0, 0.2), [0.2, 0.4), ... [0.8, 1.0]
PARTS = 5  # successive parts of a replay for the learning curve (fifths)
SURE = 0.9  # a first suggestion shown at this confidence or more must be right at least this often


@dataclass(frozen=True)
class Bin:
    """One confidence bin: its bounds, how many first suggestions fell in it, their mean confidence and the share
    that were right (None for an empty bin)."""

    lower: float
    upper: float
    n: int
    confidence: float | None
    accuracy: float | None

    def as_dict(self) -> dict[str, object]:
        return {
            "bin": f"{self.lower:.1f}-{self.upper:.1f}",
            "n": self.n,
            "confidence": None if self.confidence is None else round(self.confidence, 4),
            "accuracy": None if self.accuracy is None else round(self.accuracy, 4),
        }


def _check(confidences: Sequence[float], right: Sequence[bool]) -> None:
    if len(confidences) != len(right):
        raise ValueError(f"{len(confidences)} confidences for {len(right)} outcomes")
    if any(not 0.0 <= c <= 1.0 for c in confidences):
        raise ValueError("a confidence outside 0-1")


def reliability(confidences: Sequence[float], right: Sequence[bool], bins: int = BINS) -> list[Bin]:
    """The reliability table: every one of `bins` equal-width bins of the first suggestion's confidence, empty or
    not; a confidence of exactly 1 falls in the last bin."""
    _check(confidences, right)
    members: list[list[int]] = [[] for _ in range(bins)]
    for i, c in enumerate(confidences):
        members[min(int(c * bins), bins - 1)].append(i)
    out = []
    for b, rows in enumerate(members):
        n = len(rows)
        mean = sum(confidences[i] for i in rows) / n if n else None
        share = sum(bool(right[i]) for i in rows) / n if n else None
        out.append(Bin(b / bins, (b + 1) / bins, n, mean, share))
    return out


def expected_calibration_error(confidences: Sequence[float], right: Sequence[bool], bins: int = BINS) -> float:
    """Expected calibration error: the gap between mean confidence and share right in each equal-width bin,
    weighted by the bin's share of the comments (0 is perfectly calibrated)."""
    total = len(confidences)
    if total == 0:
        raise ValueError("no outcomes")
    gaps = [
        b.n / total * abs(b.accuracy - b.confidence)
        for b in reliability(confidences, right, bins)
        if b.accuracy is not None and b.confidence is not None
    ]
    return sum(gaps)


def sure_share(confidences: Sequence[float], right: Sequence[bool], at: float = SURE) -> tuple[int, float | None]:
    """How many first suggestions were shown at `at` or more, and the share of them that were right (None if
    none): whether "90 %" on the screen means right nine times in ten."""
    _check(confidences, right)
    rows = [i for i, c in enumerate(confidences) if c >= at]
    return len(rows), (sum(bool(right[i]) for i in rows) / len(rows) if rows else None)


def by_parts(right: Sequence[bool], parts: int = PARTS) -> list[float | None]:
    """Top-1 over successive, nearly equal parts of the replay, in order (the learning curve); None for a part with
    no comment (fewer comments than parts)."""
    n = len(right)
    bounds = [n * p // parts for p in range(parts + 1)]
    out: list[float | None] = []
    for start, end in pairwise(bounds):
        chunk = right[start:end]
        out.append(sum(bool(r) for r in chunk) / len(chunk) if chunk else None)
    return out
