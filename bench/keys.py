"""Keys a split takes in `survey code`, on the bundled coded comments: python bench/keys.py

Every answer of responses/*/comments-*.jsonl coded as two or more comments is split where its comments meet, left
to right, the cursor starting at each remaining piece's start. Counted: the → presses (a word at a time, as the loop
moved before; or a sentence or clause at a time, then Ctrl-→ a word at a time for a point inside a clause, as it
moves now) plus the `s`. Accepting a suggestion takes one key and coding by hand two (a category's digit, then its
subcategory's; three when the subcategory's key needs Enter), before and after; merging takes one (m or p), two when
the other piece is coded (y or n: which code survives).
"""

from __future__ import annotations

import importlib.util
import json
import statistics
import sys
from collections import defaultdict
from pathlib import Path

if importlib.util.find_spec("practitioner_survey") is None:  # run from a checkout without `pip install -e`
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from practitioner_survey.cli.code_keys import stops

RESPONSES = Path(__file__).resolve().parents[1] / "responses"


def split_keys() -> tuple[list[int], list[int]]:
    """Keys per split, word by word (before) and by clause (after), for every split of the bundled answers."""
    before, after = [], []
    for path in sorted(RESPONSES.glob("*/comments-*.jsonl")):
        answers: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            answers[(record["service_id"], record["question"])].append(record)
        for records in answers.values():
            records.sort(key=lambda r: int(str(r["start"])))
            end = int(str(records[-1]["end"]))
            chars = [" "] * end
            for r in records:
                chars[int(str(r["start"])) : int(str(r["end"]))] = list(str(r["text"]))
            text, start = "".join(chars), int(str(records[0]["start"]))
            for r in records[1:]:
                point, piece = int(str(r["start"])), text[start:end]
                word_starts = [start + s for s in stops(piece, by_clause=False)]
                clause_starts = [start + s for s in stops(piece, by_clause=True)]
                before.append(sum(1 for s in word_starts if start < s <= point) + 1)
                jumps = [s for s in clause_starts if start < s <= point]
                last = max(jumps, default=start)
                after.append(len(jumps) + sum(1 for s in word_starts if last < s <= point) + 1)
                start = point
    return before, after


def main() -> None:
    before, after = split_keys()
    print(f"splits of the bundled answers: {len(before)}")
    for name, keys in (("word by word (before)", before), ("by sentence and clause (after)", after)):
        print(f"  {name:<32} keys per split: median {statistics.median(keys):.0f}, mean {statistics.mean(keys):.1f}, "
              f"95th percentile {statistics.quantiles(keys, n=20)[-1]:.0f}")  # fmt: skip


if __name__ == "__main__":
    main()
