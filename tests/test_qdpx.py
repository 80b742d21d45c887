"""The REFI-QDA project (.qdpx): what `write_qdpx` puts in it, checked against the standard's schema, and reading
coding back with `import_qdpx` / `survey import-qdpx` (round trips, counts, refusals of malformed or foreign files)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
import xmlschema
from defusedxml.ElementTree import fromstring as defused_fromstring
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.codebook import load_codebook
from practitioner_survey.errors import ExchangeError
from practitioner_survey.exchange import qdpx_import
from practitioner_survey.exchange.codebook_qdc import code_guid
from practitioner_survey.exchange.qdpx import NAMESPACE, guid, selection_guid, write_qdpx
from practitioner_survey.exchange.qdpx_import import import_qdpx, read_selections
from practitioner_survey.store.coding import Decision, NewComment
from practitioner_survey.store.core import Store
from tests.conftest import build_returns

SCHEMA = Path(__file__).parent / "schemas" / "refi-qda-project-1.0.xsd"
NS = {"q": NAMESPACE}
YEAR = 2017
NOW = datetime(2018, 3, 1, 12, 0, tzinfo=UTC)
ANSWERS = {  # service -> biggest_difference answer; comments are the sentences
    "S1": "More Idvas please. Also a refuge for women with complex needs.",
    "S2": "Stable funding — three years, not one. ✓ Perpetrator work too.",
    "S3": "Better training for police.",
}


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


@pytest.fixture
def coded(db_path: Path) -> dict[str, int]:
    """A 2017 store: three services, five comments; codes, a double coding, an undone code, a note and a quote.

    Returns comment ids by name: a1, a2 (S1), b1, b2 (S2), c1 (S3; left uncoded after an undo)."""
    staff = [("S1", "Derbyshire", {"idva_fte": 2.5}), ("S2", "Kent", {"idva_fte": 1.0}), ("S3", "Kent", {})]
    returns = build_returns(staff)
    for sid, answer in ANSWERS.items():
        returns.services.loc[returns.services["service_id"] == sid, "biggest_difference"] = answer
    returns.services["survivor_challenges"] = ""
    returns.services["other_comments"] = ""
    book = load_codebook("biggest_difference", YEAR)
    specialist, funding = book.by_id("specialist-services"), book.by_id("funding")
    assert specialist is not None and funding is not None
    with Store(db_path) as store:
        store.import_returns(YEAR, returns, {})
        spans = {"a1": ("S1", 0, 17), "a2": ("S1", 18, 62), "b1": ("S2", 0, 41), "b2": ("S2", 42, 62),
                 "c1": ("S3", 0, 27)}  # fmt: skip
        ids = dict(zip(spans, store.add_comments(YEAR, [NewComment(s, "biggest_difference", a, b)
                                                         for s, a, b in spans.values()]), strict=True))  # fmt: skip

        def code(name: str, analyst: str, cat: str, sub: str = "", **payload: object) -> Decision:
            return Decision(YEAR, ids[name], "biggest_difference", analyst, "code", cat, sub, dict(payload))

        store.log([
            code("a1", "alice", specialist.id, "idva"),
            code("a2", "alice", "housing-options", "refuge"),
            code("b1", "bob", funding.id, "sustainability"),
            code("b1", "carol", funding.id, "general", double=True),  # a blind double coding: not the code
            code("b2", "bob", specialist.id),
            code("c1", "bob", "awareness-training"),
        ])  # fmt: skip
        log = store.decisions(YEAR)
        undone = int(log.loc[log["comment_id"] == ids["c1"], "id"].iloc[-1])
        store.log([
            Decision(YEAR, ids["c1"], "biggest_difference", "bob", "undo", payload={"undoes": undone}),
            Decision(YEAR, ids["a1"], "biggest_difference", "alice", "note", payload={"text": "ask about <b>"}),
            Decision(YEAR, ids["a2"], "biggest_difference", "alice", "quote",
                     payload={"anonymised": "A refuge for women with complex needs.", "confirmed": True}),
        ])  # fmt: skip
    return ids


def export(db_path: Path, out: Path) -> Path:
    with Store(db_path) as store:
        write_qdpx(store, YEAR, out, NOW)
    return out


def qde_of(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read("project.qde")


def rezip(path: Path, out: Path, edit: Callable[[ET.Element], None]) -> Path:
    """A copy of the project with its project.qde edited, as another tool would save it."""
    root = ET.fromstring(qde_of(path))
    edit(root)
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(out, "w") as new:
        for info in old.infolist():
            data = ET.tostring(root) if info.filename == "project.qde" else old.read(info)
            new.writestr(info.filename, data)
    return out


def selection(root: ET.Element, comment_id: int) -> ET.Element:
    found = root.find(f".//q:PlainTextSelection[@guid='{selection_guid(YEAR, comment_id)}']", NS)
    assert found is not None
    return found


def run(db_path: Path, *args: str) -> Result:
    return CliRunner().invoke(app, ["--db", str(db_path), *args])


# ------------------------------------------------------------------------------------------------ the project


def test_project_validates_against_the_refi_qda_project_schema(coded: dict[str, int], db_path: Path,
                                                               tmp_path: Path) -> None:  # fmt: skip
    qde = qde_of(export(db_path, tmp_path / "p.qdpx"))
    xmlschema.XMLSchema(str(SCHEMA)).validate(qde.decode("utf-8"))
    assert qde.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')


def test_codebook_nests_categories_and_subcategories_under_each_question_with_the_qdc_guids(
    coded: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    root = defused_fromstring(qde_of(export(db_path, tmp_path / "p.qdpx")))
    questions = root.findall("q:CodeBook/q:Codes/q:Code", NS)
    assert [q.get("name") for q in questions] == ["biggest_difference", "survivor_challenges", "other_comments"]
    assert all(q.get("isCodable") == "false" for q in questions)
    book = load_codebook("biggest_difference", YEAR)
    categories = questions[0].findall("q:Code", NS)
    assert [c.get("name") for c in categories] == [c.label for c in book.categories]
    assert [c.get("guid") for c in categories] == [code_guid(book.question, c.id) for c in book.categories]
    first = book.categories[0]
    subs = categories[0].findall("q:Code", NS)
    assert [s.get("guid") for s in subs] == [code_guid(book.question, first.id, s.id) for s in first.subcategories]
    assert all(s.get("isCodable") == "true" and not s.findall("q:Code", NS) for s in subs)


def test_each_answer_is_a_source_whose_selections_are_its_comments_with_their_current_codes(
    coded: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    path = export(db_path, tmp_path / "p.qdpx")
    root = defused_fromstring(qde_of(path))
    sources = root.findall("q:Sources/q:TextSource", NS)
    assert len(sources) == 3  # one per non-blank answer; the blank questions have none
    users = {u.get("name"): u.get("guid") for u in root.findall("q:Users/q:User", NS)}
    assert set(users) == {"practitioner_survey", "alice", "bob", "carol"}
    with Store(db_path) as store, zipfile.ZipFile(path) as archive:
        comments = store.comments(YEAR).set_index("id")
        for source in sources:
            assert source.get("plainTextPath") == f"internal://{source.get('guid')}.txt"
            text = archive.read(f"sources/{source.get('guid')}.txt").decode("utf-8")
            for element in source.findall("q:PlainTextSelection", NS):
                comment_id = int(str(element.get("name")).split()[-1])
                start, end = int(str(element.get("startPosition"))), int(str(element.get("endPosition")))
                assert text[start:end] == comments.loc[comment_id, "text"]  # character offsets, "—" and "✓" too
    a1 = selection(root, coded["a1"]).findall("q:Coding", NS)
    assert len(a1) == 1 and a1[0].get("creatingUser") == users["alice"] and a1[0].get("creationDateTime")
    ref = a1[0].find("q:CodeRef", NS)
    assert ref is not None and ref.get("targetGUID") == code_guid("biggest_difference", "specialist-services", "idva")


def test_double_codings_and_undone_codes_are_left_out_and_notes_and_quotes_are_notes(
    coded: dict[str, int], db_path: Path, tmp_path: Path
) -> None:
    root = defused_fromstring(qde_of(export(db_path, tmp_path / "p.qdpx")))
    b1 = selection(root, coded["b1"]).findall("q:Coding/q:CodeRef", NS)
    assert [r.get("targetGUID") for r in b1] == [code_guid("biggest_difference", "funding", "sustainability")]
    assert selection(root, coded["c1"]).findall("q:Coding", NS) == []  # its only code was undone
    notes = {n.get("guid"): n for n in root.findall("q:Notes/q:Note", NS)}
    assert len(notes) == 2
    for name in ("a1", "a2"):
        [ref] = selection(root, coded[name]).findall("q:NoteRef", NS)
        assert ref.get("targetGUID") in notes
    texts = sorted(n.findtext("q:PlainTextContent", namespaces=NS) or "" for n in notes.values())
    assert texts == ["A refuge for women with complex needs.", "ask about <b>"]


def test_cases_carry_each_service_with_its_variables_and_answers(coded: dict[str, int], db_path: Path,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    root = defused_fromstring(qde_of(export(db_path, tmp_path / "p.qdpx")))
    variables = {v.get("guid"): v.get("name") for v in root.findall("q:Variables/q:Variable", NS)}
    [s1] = [c for c in root.findall("q:Cases/q:Case", NS) if c.get("name") == "S1"]
    values = {variables[str(v.find("q:VariableRef", NS).get("targetGUID"))]: v[1].text  # type: ignore[union-attr]
              for v in s1.findall("q:VariableValue", NS)}  # fmt: skip
    assert values["Service name"] == "Service S1" and values["Employs practitioners"] == "true"
    assert values["Police force areas"] == "Derbyshire" and values["Idva FTE"] == "2.50"
    assert [r.get("targetGUID") for r in s1.findall("q:SourceRef", NS)] == [guid("source", YEAR, "S1",
                                                                                 "biggest_difference")]  # fmt: skip


def test_exporting_twice_gives_the_same_bytes(coded: dict[str, int], db_path: Path, tmp_path: Path) -> None:
    first = export(db_path, tmp_path / "one.qdpx").read_bytes()
    assert export(db_path, tmp_path / "two.qdpx").read_bytes() == first


# ------------------------------------------------------------------------------------------------ round trips


def test_round_trip_without_changes_records_nothing(coded: dict[str, int], db_path: Path, tmp_path: Path,
                                                    dump: Callable[[Path], list[str]]) -> None:  # fmt: skip
    path = export(db_path, tmp_path / "p.qdpx")
    before = dump(db_path)
    with Store(db_path) as store:
        found = import_qdpx(store, YEAR, path, "dora")
    assert (found.unchanged, found.recoded, found.uncoded, found.unmatched, found.unknown_code) == (4, 0, 1, 0, 0)
    assert dump(db_path) == before


def test_round_trip_with_one_recoding_changes_exactly_that_comment(coded: dict[str, int], db_path: Path,
                                                                   tmp_path: Path) -> None:  # fmt: skip
    target = code_guid("biggest_difference", "increased-capacity", "idva")

    def recode(root: ET.Element) -> None:
        ref = selection(root, coded["a1"]).find("q:Coding/q:CodeRef", NS)
        assert ref is not None
        ref.set("targetGUID", target)

    path = rezip(export(db_path, tmp_path / "p.qdpx"), tmp_path / "edited.qdpx", recode)
    with Store(db_path) as store:
        log_before, codes_before = store.decisions(YEAR), store.current_codes(YEAR)
        found = import_qdpx(store, YEAR, path, "dora")
        log_after, codes_after = store.decisions(YEAR), store.current_codes(YEAR)
        again = import_qdpx(store, YEAR, path, "dora")
    assert (found.recoded, found.unchanged) == (1, 3) and len(found.decision_ids) == 1
    assert log_after.iloc[: len(log_before)].equals(log_before)  # append-only: history untouched
    [new] = log_after.iloc[len(log_before) :].to_dict("records")
    assert (new["comment_id"], new["analyst"], new["action"]) == (coded["a1"], "dora", "code")
    assert (new["category_id"], new["subcategory_id"]) == ("increased-capacity", "idva")
    assert new["payload"]["via"] == "qdpx" and new["payload"]["file"] == "edited.qdpx"
    changed = codes_before.compare(codes_after)
    assert list(codes_after.loc[changed.index, "comment_id"]) == [coded["a1"]]
    assert (again.recoded, again.unchanged) == (0, 4)  # importing the same file again records nothing


def test_import_counts_unknown_codes_unmatched_selections_and_several_codes(coded: dict[str, int], db_path: Path,
                                                                            tmp_path: Path) -> None:  # fmt: skip
    def edit(root: ET.Element) -> None:
        a1, a2, b1, b2 = (selection(root, coded[n]) for n in ("a1", "a2", "b1", "b2"))
        a1.find("q:Coding/q:CodeRef", NS).set("targetGUID", guid("no such code"))  # type: ignore[union-attr]
        a2.find("q:Coding/q:CodeRef", NS).set(  # type: ignore[union-attr]
            "targetGUID", code_guid("survivor_challenges", "housing")
        )  # a code of another question
        b1.set("startPosition", "1")  # offsets no longer those of the comment
        second = ET.SubElement(b2, _q("Coding"), guid=guid("extra"))
        ET.SubElement(second, _q("CodeRef"), targetGUID=code_guid("biggest_difference", "funding"))
        source = root.find("q:Sources/q:TextSource", NS)
        ET.SubElement(source, _q("PlainTextSelection"), guid=guid("stranger"), startPosition="0",  # type: ignore[arg-type]
                      endPosition="3")  # fmt: skip

    path = rezip(export(db_path, tmp_path / "p.qdpx"), tmp_path / "edited.qdpx", edit)
    with Store(db_path) as store:
        found = import_qdpx(store, YEAR, path, "dora")
        assert len(store.decisions(YEAR)) == 9  # nothing recorded
    assert (found.unknown_code, found.unmatched, found.several_codes, found.uncoded, found.recoded) == (2, 2, 1, 1, 0)


def test_selections_are_read_whatever_prefix_the_namespace_has(coded: dict[str, int], db_path: Path,
                                                               tmp_path: Path) -> None:  # fmt: skip
    data = export(db_path, tmp_path / "p.qdpx").read_bytes()
    prefixed = rezip(tmp_path / "p.qdpx", tmp_path / "ns0.qdpx", lambda root: None)  # ElementTree writes ns0:
    assert b"<ns0:Project" in qde_of(prefixed)
    assert read_selections(prefixed.read_bytes()) == read_selections(data)


# ------------------------------------------------------------------------------------------------- refusals


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&secret;"/>"""
BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol2;"/>"""


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04 but not really a zip", "not a zip archive"),
        (b"<Project/>", "not a zip archive"),
        (_zip({"sources/x.txt": b"hello"}), "has no project.qde"),
        (_zip({"project.qde": b"<Project xmlns='urn:QDA-XML:project:1.0'"}), "not well-formed XML"),
        (_zip({"project.qde": XXE}), "DTD or entities"),
        (_zip({"project.qde": BILLION_LAUGHS}), "DTD or entities"),
        (_zip({"project.qde": b"<CodeBook xmlns='urn:QDA-XML:codebook:1.0'/>"}), "not a REFI-QDA project"),
        (_zip({"project.qde": b"<Project name='x'/>"}), "no namespace"),
    ],
    ids=["broken-zip", "xml-not-zip", "no-project-qde", "malformed", "xxe", "billion-laughs", "codebook", "no-ns"],
)
def test_import_refuses_what_is_not_a_survey_project_and_changes_nothing(
    coded: dict[str, int], db_path: Path, tmp_path: Path, dump: Callable[[Path], list[str]], data: bytes, message: str
) -> None:
    path = tmp_path / "bad.qdpx"
    path.write_bytes(data)
    before = dump(db_path)
    with Store(db_path) as store, pytest.raises(ExchangeError, match=message):
        import_qdpx(store, YEAR, path, "dora")
    assert dump(db_path) == before


def test_import_refuses_a_zip_bomb_without_unpacking_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(qdpx_import, "MAX_QDE_BYTES", 1024 * 1024)
    bomb = _zip({"project.qde": b"<Project>" + b" " * (8 * 1024 * 1024) + b"</Project>"})
    assert len(bomb) < 50_000
    with pytest.raises(ExchangeError, match="too large to read"):
        read_selections(bomb)


def test_import_needs_an_analyst_and_a_year_in_the_store(coded: dict[str, int], db_path: Path,
                                                         tmp_path: Path) -> None:  # fmt: skip
    path = export(db_path, tmp_path / "p.qdpx")
    with Store(db_path) as store:
        with pytest.raises(Exception, match="--analyst"):
            import_qdpx(store, YEAR, path, "  ")
        with pytest.raises(Exception, match="no returns for 2015"):
            import_qdpx(store, 2015, path, "dora")


# ------------------------------------------------------------------------------------------- survey import-qdpx


def test_cli_import_qdpx_reports_the_counts_and_what_it_recorded(coded: dict[str, int], db_path: Path,
                                                                 tmp_path: Path) -> None:  # fmt: skip
    def recode(root: ET.Element) -> None:
        ref = selection(root, coded["b2"]).find("q:Coding/q:CodeRef", NS)
        ref.set("targetGUID", code_guid("biggest_difference", "funding"))  # type: ignore[union-attr]

    path = rezip(export(db_path, tmp_path / "p.qdpx"), tmp_path / "edited.qdpx", recode)
    result = run(db_path, "import-qdpx", str(path), "--year", "2017", "--analyst", "dora")
    assert result.exit_code == 0, result.output
    assert "1 recoded, 3 unchanged, 0 with an unknown code, 0 unmatched selections, 1 uncoded" in result.output
    assert "recorded 1 decision(s) in the 2017 log as dora" in result.output


def test_cli_import_qdpx_refuses_a_foreign_file_with_one_error_line(coded: dict[str, int], db_path: Path,
                                                                    tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "notes.qdpx"
    path.write_bytes(b"just some text")
    result = run(db_path, "import-qdpx", str(path), "--year", "2017", "--analyst", "dora")
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "error: not a REFI-QDA project (.qdpx): the file is not a zip archive"
    ]
    missing = run(db_path, "import-qdpx", str(tmp_path / "absent.qdpx"), "--year", "2017", "--analyst", "dora")
    assert missing.exit_code == 1 and "project file not found" in missing.output
