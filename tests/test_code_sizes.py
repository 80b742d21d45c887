"""`survey code` at the sizes analysts use (140×45 down to 60×15) and in every script, driven for real in a
pseudo-terminal: the question, the comment in view inside a 9,000-character answer with markers, three suggestions,
whole progress figures and a key bar with undo, help and quit; Bengali, Chinese, Welsh, Polish and emoji line up."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from test_code_terminal import ENTER, STAFFING, START, Terminal, actions

from practitioner_survey.loading.importing import import_year
from practitioner_survey.store.core import Store

HEADER = "service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments\n"
POINTS = ["our Idva caseloads are far too high", "the refuge in town is full most weeks",
          "court dates move without warning", "training for GPs would help", "the helpline closes at five",
          "children's workers are funded for one more year only", "housing officers misread coercive control",
          "the Marac meets monthly and is well run"]  # fmt: skip
SCRIPTS = {
    "bengali": "আমাদের এলাকায় পরামর্শদাতা খুব কম, এবং অপেক্ষার সময় অনেক দীর্ঘ।",
    "chinese": "我们地区的辅导员太少了，等待时间很长，法院的日期也经常改变。",
    "welsh": "Mae angen mwy o gefnogaeth yng Ngwynedd; mae'r rhestr aros yn hir iawn i ddioddefwyr.",
    "polish": "Brakuje tłumaczy dla ofiar, które mówią tylko po polsku; żółta kartka nie pomoże.",
    "emoji": "Funding is always short term 😞 and staff leave 🙏 before the year is out.",
}


def long_answer(length: int = 9_000, seed: int = 3) -> str:
    """A synthetic answer of about `length` characters: one paragraph of varied sentences."""
    pick = random.Random(seed).choice
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < length:
        sentences.append(f"{pick(['Also', 'And', 'Mostly', 'Then'])} {pick(POINTS)}, so {pick(POINTS)}.")
    return " ".join(sentences)


def store_with(tmp_path: Path, answers: list[str]) -> Path:
    folder = tmp_path / "returns"
    folder.mkdir()
    rows = [f'S00{n + 1},Service {n + 1},yes,online,marac,"{a}"' for n, a in enumerate(answers)]
    (folder / "services.csv").write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    staffing = STAFFING.splitlines()
    (folder / "staffing.csv").write_text("\n".join(staffing[: len(answers) + 1]) + "\n", encoding="utf-8")
    path = tmp_path / "survey.db"
    with Store(path) as store:
        import_year(store, folder, 2017)
    return path


def check_frame(term: Terminal) -> None:
    """What every screen must show, whatever its size."""
    text = term.text()
    assert term.line(0).startswith(" survey code 2017")
    assert "Do you have any other comments?" in text
    rows = [term.line(y) for y in range(term.rows)]
    progress = [r for r in rows if "Progress" in r]
    assert len(progress) == 1 and re.search(r"other_comments \d+ / \d+ \(\d+%\)", progress[0]), progress
    keys = " ".join(rows[-2:])
    for shown in ("u undo", "? help", "x quit"):
        assert shown in keys
    suggestions = [r for r in rows if r.startswith("  Enter ")]
    assert len(suggestions) == 1 and suggestions[0].rstrip().endswith("%")


@pytest.mark.parametrize(("columns", "rows"), [(140, 45), (80, 24), (60, 15)])
def test_a_9000_character_answer_keeps_the_comment_in_view_with_markers_at_every_size(
    tmp_path: Path, columns: int, rows: int
) -> None:
    answer = long_answer()
    db = store_with(tmp_path, [answer, "Courts are slow."])
    term = Terminal(db, rows=rows, columns=columns)
    term.wait_for("Progress", START)
    term.until(lambda: "S001" in term.text(), "a piece of the long answer")  # the long answer's pieces come first
    check_frame(term)
    comment = term.comment()
    assert len(comment) > 20 and comment in " ".join(answer.split())
    assert "more lines above" in term.text() or "more lines below" in term.text()
    term.press("\x1b[F")  # End: the cursor to the comment's end: the view follows it
    term.read(0.5)
    check_frame(term)
    term.press(ENTER)
    term.until(lambda: len(actions(db, "code")) == 1, "the accepted code in the log")
    term.wait_for("accepted:")
    check_frame(term)
    term.press("x", "x")
    assert term.finish() == 0


@pytest.mark.parametrize("script", list(SCRIPTS))
def test_every_script_lines_up_at_80_by_24(tmp_path: Path, script: str) -> None:
    db = store_with(tmp_path, [SCRIPTS[script]])
    term = Terminal(db, rows=24, columns=80)
    term.wait_for("Progress", START)
    check_frame(term)
    answer = " ".join(SCRIPTS[script].split())
    comment = term.comment()  # the comment is the whole answer or a piece of it (split at ";")
    assert len(comment) >= 10 and comment in answer and (answer.startswith(comment) or answer.endswith(comment))
    assert answer in " ".join(term.text().split())  # every character where it should be
    bar = term.line(term.rows - 1)
    assert bar.rstrip().endswith("x quit")  # nothing after the answer pushed the key bar out of line
    term.press("x", "y")
    assert term.finish() == 0
