"""The quote editor of `survey code`, driven in a real pseudo-terminal: after what the anonymiser replaced, its
message names the words left as written that may still be a person or place ("check: Will, Summer"), at 80x24 and
whole at 60x15. The answers are our own synthetic sentences."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_code_terminal import ENTER, STAFFING, Terminal, actions, store_of

from practitioner_survey.cli.code_quote import WIDTH, quote_message
from practitioner_survey.cli.code_text import columns

# Every answer names Will and Summer where the anonymiser leaves them (a name that is also a word, with no plain
# evidence of a person) and one client it replaces, so whichever comes first, the editor has the same doubts.
_ANSWER = "Will is not going to change, our client Jade {}, and Summer would not leave {}."
_ROWS = [
    ("S001,Harbour Outreach,yes,online,marac", "says", "without her dog"),
    ("S002,Northern Refuge Trust,yes,online,marac", "told us", "the house"),
    ("S003,Valley Support,yes,online,both", "thinks", "her job"),
    ("S004,City Idva Service,yes,phone,marac", "fears", "her mother"),
]
SERVICES = "service_id,service_name,employs_practitioners,response_mode,idva_cases,other_comments\n" + "".join(
    f'{row},"{_ANSWER.format(verb, rest)}"\n' for row, verb, rest in _ROWS
)
CHECK = "*** replaced 1 name; check: Will, Summer"


@pytest.fixture
def doubts_db(tmp_path: Path) -> Path:
    """A store holding a tiny 2017 whose four answers each leave two names that are words."""
    return store_of(tmp_path, SERVICES, STAFFING)


@pytest.mark.parametrize(("rows", "cols"), [(24, 80), (15, 60)])
def test_the_quote_editor_names_the_words_to_check_and_they_fit(doubts_db: Path, rows: int, cols: int) -> None:
    term = Terminal(doubts_db, rows=rows, columns=cols)
    term.wait_for("x quit")
    term.press("q")
    term.wait_for("check:")
    status = next(term.line(y) for y in range(term.rows) if "check:" in term.line(y))
    assert status.strip() == CHECK  # whole: nothing clipped at 60 columns
    assert "…" not in status
    term.press(ENTER)  # the suggestion holds nothing the anonymiser would replace: Enter confirms it
    term.until(lambda: len(actions(doubts_db, "quote")) == 1, "quote in the log")
    term.wait_for("quote confirmed")
    assert "check:" not in term.text()
    term.press("x", "x")
    assert term.finish() == 0


def test_the_message_is_unchanged_without_doubts_and_cut_with_an_ellipsis_when_long() -> None:
    assert (
        quote_message("1 name", ())
        == "edit the quote's anonymised text (*** replaced 1 name): Enter confirms, Esc cancels"
    )
    assert quote_message("", ()) == "edit the quote's anonymised text: Enter confirms, Esc cancels"
    assert quote_message("", ("Will",)) == "edit the quote (check: Will): Enter confirms"
    many = ("Patience", "Summer", "Will", "Blessing", "Precious", "Honor", "Amber", "Grace")
    message = quote_message("2 names, 1 place", many)
    assert columns(message) <= WIDTH and message.endswith(", …")
    assert message.startswith("*** replaced 2 names, 1 place; check: Patience, Summer")
    long = quote_message("1 name", ("Wetherington-Featherstonehaugh-Bartholomew-Smythe",))
    assert columns(long) == WIDTH and long.endswith("…")
