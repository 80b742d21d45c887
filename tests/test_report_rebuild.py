"""Rebuilding the 2017 report: what is kept from the last build is used, only what changed is made again, and the
files are byte for byte what a fresh build of the same store and templates gives."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from practitioner_survey import codebook
from practitioner_survey.loading.bundled import load_year
from practitioner_survey.report.pdf import page_count
from practitioner_survey.report.render import FIGURE_CACHE, FRONT, PART_CACHE, SECTIONS, Built, build_year
from practitioner_survey.store.coding import Decision
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]
QUESTION = "other_comments"
HEAVY = ("matplotlib", "wordcloud", "weasyprint", "pikepdf")


@pytest.fixture(scope="module")
def first(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder holding the bundled 2017 (and 2016) in survey.db, the templates, and a first build in out/."""
    work = tmp_path_factory.mktemp("rebuild")
    shutil.copytree(ROOT / "templates", work / "templates")
    with Store(work / "survey.db") as store:
        load_year(store, ROOT / "responses" / "2017")
        built = build_year(store, 2017, work / "out", work / "templates")
    assert built.pdf is not None and built.joined and set(built.laid_out) == {*SECTIONS, FRONT}
    assert len(built.drawn) == 8  # the coverage chart, the tile map, and each question's chart and word cloud
    return work


@pytest.fixture
def work(first: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the first build's folder for one test to change."""
    for name in ("templates", "out"):
        shutil.copytree(first / name, tmp_path / name)
    shutil.copy(first / "survey.db", tmp_path / "survey.db")
    yield tmp_path


def kept_files(out: Path) -> dict[str, int]:
    """Every kept figure and part, and the outputs, with the time each was last written."""
    paths = [*(out / FIGURE_CACHE).iterdir(), *(out / PART_CACHE).iterdir(), out / "report.pdf"]
    paths.append(out / "tables" / "tables.xlsx")
    return {str(p.relative_to(out)): p.stat().st_mtime_ns for p in paths if p.exists()}


def build(folder: Path, out: Path | None = None, *, parallel: bool | None = None) -> Built:
    with Store(folder / "survey.db", create=False) as store:
        return build_year(store, 2017, out or folder / "out", folder / "templates", parallel=parallel)


def same_outputs(a: Path, b: Path) -> None:
    for name in ("report.html", "report.pdf", *(f"tables/{p.name}" for p in (a / "tables").glob("*.csv"))):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_build_with_nothing_changed_draws_lays_out_and_joins_nothing(work: Path, first: Path) -> None:
    before = kept_files(work / "out")
    again = build(work)
    assert (again.drawn, again.laid_out, again.joined) == ((), (), False)
    assert kept_files(work / "out") == before  # not one kept file, nor report.pdf, written again
    assert again.pages == page_count((work / "out" / "report.pdf").read_bytes())
    same_outputs(work / "out", first / "out")


def test_a_build_with_nothing_changed_imports_no_drawing_or_pdf_library(work: Path) -> None:
    script = (
        "import sys; from pathlib import Path; from practitioner_survey.store.core import Store; "
        "from practitioner_survey.report.render import build_year; "
        "store = Store('survey.db', create=False); built = build_year(store, 2017, Path('out'), Path('templates')); "
        f"print([m for m in {HEAVY!r} if m in sys.modules], built.drawn, built.laid_out)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    run = subprocess.run([sys.executable, "-c", script], cwd=work, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-2000:]
    assert run.stdout.strip() == "[] () ()"


def test_editing_a_sections_template_lays_out_only_that_sections_part(work: Path) -> None:
    template = work / "templates" / "practitioners.html.j2"
    text = template.read_text(encoding="utf-8")  # a paragraph, not a heading: the contents stays as it was
    template.write_text(text.replace("Besides Idvas", "Edited: Besides Idvas", 1), encoding="utf-8")
    before = kept_files(work / "out")
    edited = build(work)
    assert (edited.drawn, edited.laid_out, edited.joined) == ((), ("practitioners",), True)
    after = kept_files(work / "out")
    unchanged = {name for name in before if after.get(name) == before[name]}
    # the edited section's old part and its record of pages and anchors, the joined record and report.pdf
    assert len(before) - len(unchanged) == 4
    assert b"Edited: " in (work / "out" / "report.html").read_bytes()
    fresh = build(work, work / "fresh", parallel=False)
    assert set(fresh.laid_out) == {*SECTIONS, FRONT}
    same_outputs(work / "out", work / "fresh")


def test_a_new_decision_redraws_and_lays_out_only_what_shows_it(work: Path) -> None:
    with Store(work / "survey.db", create=False) as store:
        codes = store.current_codes(2017, QUESTION)
        comment, category = int(codes["comment_id"].iloc[0]), str(codes["category_id"].iloc[0])
        other = next(c.id for c in codebook.load_codebook(QUESTION, 2017).categories if c.id != category)
        store.log([Decision(2017, comment, QUESTION, "tester", "code", category_id=other)])
    recoded = build(work)
    assert recoded.drawn == (f"chart_{QUESTION}",)  # the comment's text, so the word cloud, did not change
    assert "questions" in recoded.laid_out and {"idva", "practitioners", "appendix"}.isdisjoint(recoded.laid_out)
    assert recoded.joined
    fresh = build(work, work / "fresh", parallel=False)
    assert len(fresh.drawn) == 8
    same_outputs(work / "out", work / "fresh")


def test_a_build_reads_each_questions_comments_log_and_codebook_once(
    work: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: dict[str, int] = {}

    def counted(owner: object, name: str) -> None:
        real = getattr(owner, name)

        def wrapper(*args: object, **kwargs: object) -> object:
            calls[name] = calls.get(name, 0) + 1
            return real(*args, **kwargs)

        monkeypatch.setattr(owner, name, wrapper)

    for name in ("comments", "decisions", "current_codes"):
        counted(Store, name)
    counted(codebook, "_read")
    build(work)
    # current_codes reads the comments and the log once more inside; per question nothing is read again
    assert calls == {"comments": 2, "decisions": 2, "current_codes": 1, "_read": 3}


def test_a_kept_figure_or_part_that_was_damaged_is_made_again(work: Path, first: Path) -> None:
    for path in [*(work / "out" / FIGURE_CACHE).glob("*.json"), *(work / "out" / PART_CACHE).glob("*.pdf")]:
        if path.stat().st_size > 300_000:  # the word clouds and the questions' part
            path.write_bytes(b"damaged")
    rebuilt = build(work)
    assert len(rebuilt.drawn) == 3 and all(name.startswith("wordcloud_") for name in rebuilt.drawn)
    assert (rebuilt.laid_out, rebuilt.joined) == (("questions",), True)
    same_outputs(work / "out", first / "out")


def test_a_changed_report_pdf_is_joined_again(work: Path, first: Path) -> None:
    (work / "out" / "report.pdf").write_bytes(b"%PDF-1.7 changed by hand")
    rebuilt = build(work)
    assert (rebuilt.drawn, rebuilt.laid_out, rebuilt.joined) == ((), (), True)
    same_outputs(work / "out", first / "out")
