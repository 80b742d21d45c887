"""The quote anonymiser's recall per kind and false replacements, on the test set of tests/anonymise_cases.py, the
context sets of tests/anonymise_context_cases.py and the held-out sentences, what it replaces in the bundled
comments, and its time per 1,000 quotes (the bundled 2017 comments, as long as quotes are).

    python bench/anonymise.py [--repeat 3]

Prints one line per kind (planted, found, recall, replacements of text that was not planted), the false-replacement
rate on the ordinary sentences (capitalised words replaced / capitalised words), one line per context set, the
replacements in each year's bundled comments by kind, the time to build the anonymiser (loading the names,
gazetteer and word lists) and the time per 1,000 quotes.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from anonymise_cases import false_rate, score  # noqa: E402
from anonymise_context_cases import BLOCKS, sentences, tally  # noqa: E402

from practitioner_survey.coding.anonymise import Finding  # noqa: E402
from practitioner_survey.coding.names import TITLES  # noqa: E402
from practitioner_survey.coding.quote_guard import year_anonymiser  # noqa: E402
from practitioner_survey.returns.validate import read_returns  # noqa: E402

_MARK = re.compile(r"\[\[(\w):(.+?)\]\]")
_KINDS = {"n": "name", "p": "place", "x": "identifier"}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="passes over the quotes for the timing (best kept)")
    args = parser.parse_args(argv)
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, Python {platform.python_version()}")  # fmt: skip
    returns = read_returns(ROOT / "responses" / "2017" / "returns-2017.xlsx")
    start = time.perf_counter()
    anonymiser = year_anonymiser(returns.services["service_name"], returns.staffing["police_force_area"])
    anonymiser.findings("Sarah in Truro")  # the first call loads the names, gazetteer and word lists
    built = time.perf_counter() - start

    def find(text: str) -> list[tuple[int, int]]:
        return [(f.start, f.end) for f in anonymiser.findings(text)]

    print(f"{'kind':<15}{'planted':>8}{'found':>8}{'recall':>8}{'false':>7}")
    for kind, s in score(find).items():
        print(f"{kind:<15}{s.planted:>8}{s.found:>8}{s.recall:>8.3f}{s.false:>7}")
    replaced, capitalised, words = false_rate(find)
    print(f"ordinary sentences: {replaced} of {capitalised} capitalised words replaced "
          f"({replaced / capitalised:.1%}): {', '.join(words) or 'none'}")  # fmt: skip
    for path in sorted((Path(__file__).parent / "anonymise").glob("heldout*.txt")):
        print(f"held out (bench/anonymise/{path.name}):", heldout(anonymiser.findings, path))
    for name, block in BLOCKS.items():
        t = tally(block, find)
        capitalised = sum(len(re.findall(r"(?<![\w'])[A-Z][\w'-]*", c.text)) for c in sentences(block))
        print(f"context set, {name}: {t.found}/{t.planted} ({t.recall:.2f}); {len(t.false)} replacement(s) of "
              f"unmarked text, of {capitalised} capitalised words")  # fmt: skip
    for path in sorted(ROOT.glob("responses/*/comments-*.jsonl")):
        texts = [json.loads(line)["text"] for line in path.open(encoding="utf-8")]
        kinds = Counter(f.kind for text in texts for f in anonymiser.findings(text))
        print(f"bundled {path.name}: {sum(kinds.values())} replacements in {len(texts)} comments "
              f"({', '.join(f'{n} {k}' for k, n in kinds.most_common())})")  # fmt: skip
    comments = [json.loads(line)["text"] for line in (ROOT / "responses/2017/comments-2017.jsonl").open()]
    quotes = (comments * (1000 // len(comments) + 1))[:1000]
    best = min(_timed(anonymiser.findings, quotes) for _ in range(args.repeat))
    chars = sum(map(len, quotes)) / len(quotes)
    print(f"anonymiser built in {built:.2f} s; {best:.3f} s per 1,000 quotes (mean {chars:.0f} characters)")


def heldout(findings: Callable[[str], list[Finding]], path: Path) -> str:
    """Recall per kind on a file of held-out sentences, and replacements of unmarked text."""
    planted: dict[str, int] = {}
    hit: dict[str, int] = {}
    false = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        text, spans, at = "", [], 0
        for m in _MARK.finditer(line):
            text += line[at : m.start()]
            value = m.group(2)
            title = value.split()[0] if value.split()[0] in TITLES and " " in value else ""
            spans.append((len(text) + len(title) + bool(title), len(text) + len(value), _KINDS[m.group(1)]))
            text, at = text + value, m.end()
        text += line[at:]
        found = findings(text)
        covered = {i for f in found for i in range(f.start, f.end)}
        for start, end, kind in spans:
            planted[kind] = planted.get(kind, 0) + 1
            hit[kind] = hit.get(kind, 0) + all(i in covered or text[i] == " " for i in range(start, end))
        false += sum(1 for f in found if not any(f.start < e and s < f.end for s, e, _ in spans))
    parts = [f"{kind} {hit[kind]}/{n} ({hit[kind] / n:.2f})" for kind, n in planted.items()]
    return ", ".join(parts) + f"; {false} replacement(s) of unmarked text"


def _timed(find: object, quotes: list[str]) -> float:
    start = time.perf_counter()
    for quote in quotes:
        find(quote)  # type: ignore[operator]
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
