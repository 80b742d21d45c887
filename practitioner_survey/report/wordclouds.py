"""Word clouds of a question's comments (package `wordcloud`), as PNG data URIs, the same every run.

Stop words (and domain words such as "domestic" and "abuse") are read from `stopwords.txt` in the templates folder,
so the survey team can edit them. Words that could identify a respondent (places, force areas, service names,
first names) and words used in fewer than MIN_COMMENTS comments are left out.
"""

from __future__ import annotations

import base64
import io
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from practitioner_survey.coding.anonymise import first_names, names_from

SEED = 2017
MIN_COMMENTS = 3
#: Okabe-Ito colours dark enough to read on white, and in greyscale.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#222222")
WORD = re.compile(r"[a-z][a-z'\-]+")


def stopwords(folder: Path) -> set[str]:
    """The words in `folder`/stopwords.txt, one a line; '#' starts a comment."""
    path = folder / "stopwords.txt"
    if not path.is_file():
        return set()
    words = (line.split("#", 1)[0].strip().lower() for line in path.read_text(encoding="utf-8").splitlines())
    return {w for w in words if w}


def identifying_words(service_names: Iterable[str], areas: Iterable[str]) -> set[str]:
    """Lower-case words of places, force areas and first names that could point to a respondent."""
    services = {s.strip() for s in service_names}
    words: set[str] = {n.lower() for n in first_names()}
    for name in names_from(services, areas):
        if name not in services:  # places and areas; a service's generic words ("women's", "aid") stay
            words.update(w.lower() for w in name.split())
    return words


def frequencies(texts: Iterable[str], stop: set[str], banned: set[str]) -> dict[str, int]:
    """Words counted once per comment, without stop words, identifying words or rare words."""
    counts: Counter[str] = Counter()
    for text in texts:
        words = {w.strip("'-") for w in WORD.findall(text.lower())}
        counts.update(w for w in words if len(w) > 2 and w not in stop and w not in banned)
    return {w: k for w, k in sorted(counts.items()) if k >= MIN_COMMENTS}


def _colour(word: str, font_size: int, position: tuple[int, int], orientation: int | None, random_state=None,  # type: ignore[no-untyped-def]
            **kwargs) -> str:  # fmt: skip
    return COLOURS[sum(map(ord, word)) % len(COLOURS)]


def cloud_uris(freqs: dict[str, int], width: int = 900, height: int = 420,
               formats: tuple[str, ...] = ("PNG", "JPEG")) -> list[str]:  # fmt: skip
    """The same cloud as a data: URI in each of `formats` ('' each when there are no words)."""
    if not freqs:
        return ["" for _ in formats]
    from wordcloud import WordCloud  # imported here: a build whose clouds are all kept never needs it

    # laid out on a half-size canvas and drawn at twice the scale: the same picture in a third of the time
    cloud = WordCloud(width=width // 2, height=height // 2, scale=2, background_color="white", random_state=SEED,
                      max_words=120, prefer_horizontal=0.95, color_func=_colour, collocations=False)  # fmt: skip
    image = cloud.generate_from_frequencies(freqs).to_image()
    uris = []
    for kind in formats:
        buffer = io.BytesIO()
        if kind == "JPEG":
            image.convert("RGB").save(buffer, format="JPEG", quality=92)
        else:
            image.save(buffer, format="PNG", optimize=False)
        uris.append(f"data:image/{kind.lower()};base64," + base64.b64encode(buffer.getvalue()).decode("ascii"))
    return uris
