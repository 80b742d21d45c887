"""How a build shares its work: workers forked early and readied while this process counts, each PDF part handed to
them as soon as its section is rendered (the longest first), and the figures drawn in the order the parts need."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from practitioner_survey.loading.bundled import load_year
from practitioner_survey.report import pdfparts, render
from practitioner_survey.report.jobs import Jobs, can_fork
from practitioner_survey.report.pdf import PartCache, RenderedPdf
from practitioner_survey.report.pdfparts import PdfParts, likely_laid_out
from practitioner_survey.store.core import Store

ROOT = Path(__file__).resolve().parents[1]


def _mark_ready() -> None:
    os.environ["SURVEY_TEST_WORKER_READY"] = str(os.getpid())


def _ready_mark() -> str:
    return os.environ.get("SURVEY_TEST_WORKER_READY", "")


def test_started_workers_are_readied_before_their_first_job(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SURVEY_TEST_WORKER_READY", raising=False)
    with Jobs(warm=_mark_ready) as jobs:
        jobs.start()
        mark = jobs.submit(_ready_mark).result()
        forked = jobs.forks
    if forked:  # the mark was set in a worker, by `warm`, and not here
        assert mark.isdigit() and int(mark) != os.getpid() and not _ready_mark()
    else:
        assert not can_fork() and mark == ""  # in turn, here: nothing to ready


def test_jobs_run_in_turn_when_asked_and_hand_back_errors_in_the_future() -> None:
    with Jobs(parallel=False) as jobs:
        assert not jobs.forks
        assert jobs.submit(pow, 2, 10).result() == 1024
        failed = jobs.submit(int, "not a number")
    with pytest.raises(ValueError):
        failed.result()


def test_workers_are_started_early_only_when_a_part_is_likely_to_be_laid_out(tmp_path: Path) -> None:
    templates, pdf = tmp_path / "templates", tmp_path / "out" / "report.pdf"
    templates.mkdir()
    (templates / "glance.html.j2").write_text("<h2>At a glance</h2>", encoding="utf-8")
    assert likely_laid_out(pdf, templates)  # no PDF yet: a cold build
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.7")
    later = (templates / "glance.html.j2").stat().st_mtime_ns + 1_000_000_000
    os.utime(pdf, ns=(later, later))
    assert not likely_laid_out(pdf, templates)  # nothing edited since the PDF was written
    os.utime(templates / "glance.html.j2", ns=(later + 1, later + 1))
    assert likely_laid_out(pdf, templates)  # a template edited since


class RecordingCache(PartCache):
    """A part cache that holds nothing and notes the order parts are laid out in, without laying them out."""

    def __init__(self, folder: Path) -> None:
        super().__init__(folder)
        self.order: list[str] = []

    def render(self, html: str) -> RenderedPdf:
        self.order.append(html)
        return RenderedPdf(b"%PDF-", 1)


def test_parts_not_kept_are_laid_out_the_longest_first(tmp_path: Path) -> None:
    cache = RecordingCache(tmp_path)
    short, longest, middle = "<p>a</p>", "<td>x</td>" * 40, "<td>x</td>" * 5
    with Jobs(parallel=False) as jobs:
        parts = PdfParts(jobs, cache, ("glance", "method", "practitioners"))
        parts.add({"glance": short, "method": middle, "practitioners": longest})
    assert cache.order == [longest, middle, short]
    assert parts.laying_out and set(parts.laying) == {"glance", "method", "practitioners"}


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("schedule")
    shutil.copytree(ROOT / "templates", work / "templates")
    with Store(work / "survey.db") as store:
        load_year(store, ROOT / "responses" / "2017")
    return work


def test_a_cold_build_hands_over_each_part_as_soon_as_its_figures_are_drawn(
    bundled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    events: list[str] = []
    draw = render.draw
    monkeypatch.setattr(render, "draw", lambda d: events.append(f"draw {d.name}") or draw(d))
    monkeypatch.setattr(PdfParts, "add", lambda self, htmls: events.extend(f"part {s}" for s in htmls))
    monkeypatch.setattr(PdfParts, "finish", lambda self, pdf, front: (0, False, ()))
    started: list[bool] = []
    monkeypatch.setattr(pdfparts.Jobs, "start", lambda self: started.append(True))
    with Store(bundled / "survey.db", create=False) as store:
        render.build_year(store, 2017, bundled / "out", bundled / "templates", parallel=False)
    assert started == [True]  # no PDF yet: the workers are readied before counting
    first_draw = next(i for i, e in enumerate(events) if e.startswith("draw"))
    assert {"part glance", "part method", "part practitioners", "part appendix"} == set(events[:first_draw])
    idva = events.index("part idva")
    assert events[first_draw:idva] == ["draw coverage_bars", "draw tile_map"]  # before any question's figure
    drawn_after = [e for e in events[idva:] if e.startswith("draw")]
    assert len(drawn_after) == 6 and events[-1] == "part questions"


def test_a_part_laid_out_by_other_code_is_not_reused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from practitioner_survey.report import pdf

    cache = PartCache(tmp_path)
    before = cache._path("<p>same HTML</p>")
    real = pdf.source_hash
    monkeypatch.setattr(pdf, "source_hash", lambda path: "changed" if path.name == "pdf.py" else real(path))
    assert cache._path("<p>same HTML</p>") != before  # an upgrade that changes only pdf.py lays the part out again
