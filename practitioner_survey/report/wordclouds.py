"""Word clouds of a question's comments (package `wordcloud`), as PNG data URIs, the same every run.

Stop words (and domain words such as "domestic" and "abuse") are read from `stopwords.txt` in the templates folder,
so the survey team can edit them; contractions ("can't", "we've") are left out too. Words are merged by lemma
("refuges" with "refuge", "Idvas" with "idva", whatever their case), each shown in its most used form, and the
domain's acronyms as the report writes them (Idva, Marac, MASH). Words that could identify a respondent (places,
force areas, service names, first names) and words used in fewer than MIN_COMMENTS comments are left out.
"""

from __future__ import annotations

import base64
import gzip
import io
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import cache
from importlib import util
from pathlib import Path

from practitioner_survey.coding.anonymise import first_names, names_from

SEED = 2017
MIN_COMMENTS = 3
#: The smallest word, in pixels of the half-size canvas drawn at twice the scale: 16 pixels of 900, about 7.5 pt
#: where the report prints the cloud 150 mm wide.
MIN_FONT = 8
#: Okabe-Ito colours dark enough to read on white, and in greyscale.
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#222222")
WORD = re.compile(r"[a-z][a-z'\-]+")
#: Endings of contractions ("can't", "we've", "they're", "I'll", "she'd", "I'm"): filler, never a theme.
CONTRACTION = re.compile(r"(n't|'ve|'re|'ll|'d|'m)$")
#: The domain's acronyms as the report prints them, by lemma.
ACRONYMS = {
    "idva": "Idva", "isva": "Isva", "ypva": "Ypva", "marac": "Marac", "mash": "MASH", "dash": "Dash",
    "mappa": "Mappa", "iris": "IRIS", "cps": "CPS", "gp": "GP", "nhs": "NHS", "pcc": "PCC", "camhs": "CAMHS",
}  # fmt: skip


@cache
def lemma_table() -> dict[str, str]:
    """English lemmas by word: the lookup table spaCy's lookup lemmatizer reads (package spacy-lookups-data), read
    directly, so a build need not import spaCy for it."""
    spec = util.find_spec("spacy_lookups_data")
    if spec is None or spec.origin is None:
        return {}
    path = Path(spec.origin).parent / "data" / "en_lemma_lookup.json.gz"
    table = json.loads(gzip.decompress(path.read_bytes()))
    return {str(k): str(v) for k, v in table.items()}


def lemma(word: str) -> str:
    """A lower-case word's lemma: the lookup table's, or an acronym's singular ("idvas" -> "idva")."""
    if word.endswith("s") and word[:-1] in ACRONYMS:
        return word[:-1]
    return lemma_table().get(word, word)


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
    """Words counted once per comment, merged by lemma and shown in their most used form (acronyms as the report
    writes them), without stop words, contractions, identifying words or rare words."""
    counts: Counter[str] = Counter()
    forms: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for text in texts:
        lemmas = set()
        for raw in WORD.findall(text.lower().replace("\u2019", "'")):
            word = raw.strip("'-")
            word = word[:-2] if word.endswith("'s") else word
            if len(word) <= 2 or CONTRACTION.search(word) or "'" in word:
                continue
            base = lemma(word)
            if {word, base} & stop or {word, base} & banned:
                continue
            lemmas.add(base)
            forms[base][word] += 1
        counts.update(lemmas)
    out: dict[str, int] = {}
    for base, k in counts.items():
        if k >= MIN_COMMENTS:
            shown = ACRONYMS.get(base) or sorted(forms[base].items(), key=lambda f: (-f[1], f[0]))[0][0]
            out[shown] = out.get(shown, 0) + k
    return dict(sorted(out.items()))


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
                      max_words=120, prefer_horizontal=0.95, color_func=_colour, collocations=False,
                      min_font_size=MIN_FONT, normalize_plurals=False)  # fmt: skip
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
