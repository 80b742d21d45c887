"""What the anonymiser finds and how a finding is applied: `Finding` (a span, its kind and replacement), `Anonymised`
(the suggested text), `apply`, and a summary by kind that never shows the text itself. Split from anonymise.py."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

MASK = "***"
KINDS = ("name", "place", "organisation", "postcode", "phone", "email", "date of birth", "date")


@dataclass(frozen=True)
class Finding:
    """Something the anonymiser would replace: characters `start`-`end` of the text, what it is, and its
    suggested replacement."""

    start: int
    end: int
    kind: str
    replacement: str = MASK


@dataclass(frozen=True)
class Anonymised:
    """The suggested text, what was replaced (as written) and the findings it replaced."""

    text: str
    replaced: tuple[str, ...]
    findings: tuple[Finding, ...] = field(default=(), compare=False)


def without_overlaps(found: list[Finding]) -> list[Finding]:
    """The findings in reading order, a longer one winning over one it overlaps."""
    kept: list[Finding] = []
    for f in sorted(found, key=lambda f: (f.start, -(f.end - f.start))):
        if kept and f.start < kept[-1].end:
            continue
        kept.append(f)
    return kept


def apply(text: str, found: Sequence[Finding]) -> str:
    """`text` with each finding (in reading order, none overlapping) replaced by its replacement."""
    out, at = [], 0
    for f in found:
        out += [text[at : f.start], f.replacement]
        at = f.end
    return "".join([*out, text[at:]])


def kinds_summary(found: Sequence[Finding]) -> str:
    """'2 names, 1 place' (in KINDS' order), or '' when nothing was found; never the text itself."""
    counts = {k: sum(1 for f in found if f.kind == k) for k in KINDS}
    parts = [
        f"{n} {k if n == 1 else {'date of birth': 'dates of birth'}.get(k, k + 's')}" for k, n in counts.items() if n
    ]
    return ", ".join(parts)
