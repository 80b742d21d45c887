"""The shipped codebooks, their checks, the REFI-QDA exchange and the `survey codebook` commands."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner, Result

from practitioner_survey.cli import app
from practitioner_survey.codebook import (
    Codebook,
    check_all,
    check_codebook,
    codebook_dir,
    load_codebook,
    save_codebook,
)
from practitioner_survey.errors import CodebookError
from practitioner_survey.exchange.codebook_qdc import code_guid, export_qdc, import_qdc
from practitioner_survey.synthetic.targets import published

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "codebook"
QUESTIONS = ("biggest_difference", "survivor_challenges", "other_comments")

#: The subcategory labels of each category, as the coding brief lists them (labels, not figures).
SUBCATEGORIES = {
    "biggest_difference": {
        "Specialist services": ["perpetrator response", "children and young people", "Idva", "health",
                                "therapeutic/counselling", "prevention", "standard/medium risk", "BME", "outreach",
                                "other", "general"],
        "Funding": ["sustainability", "general", "working conditions", "other"],
        "Housing options": ["refuge", "general", "remaining at home", "other"],
        "Awareness & training": ["awareness", "training"],
        "Joined-up approach": ["partnership and information sharing", "Marac", "single point of contact", "other"],
        "Increased capacity": ["general", "Idva", "outreach"],
        "Commissioning": ["favouring large providers", "core services first", "informed commissioners"],
        "Accessibility of services": ["language", "rural and local", "partner agencies"],
        "Criminal Justice System": ["police", "courts and sentencing", "legal aid"],
        "Other": ["support models", "referral pathways", "research"],
    },
    "survivor_challenges": {
        "Range of specialist services": ["longer-term support", "mental health", "BME", "children and young people",
                                         "male victims", "complex needs", "other"],
        "Housing": ["general", "move-on accommodation"],
        "Accessing services": ["geography and rural isolation", "criteria and thresholds", "waiting lists",
                               "knowing what exists"],
        "Lack of services": ["reduced funding", "insufficient provision"],
        "Criminal Justice System": ["legal aid", "courts", "police"],
        "Financial difficulties": ["immigration and NRPF", "Universal Credit", "poverty and welfare", "employment"],
        "Agencies' understanding": ["police", "social services", "victim-blaming"],
        "Re-building lives safely": ["recovery and moving on"],
        "Multi-agency working": ["retelling their story", "communication between agencies"],
        "Other": ["other"],
    },
    "other_comments": {
        "Funding/commissioning": ["sustainable funding", "cuts", "fairer commissioning"],
        "Specialist services": ["specific services", "move to generic services"],
        "Multi-agency working": ["Marac", "coordination", "positive partnership"],
        "Training": ["access to training", "positive experiences"],
        "Challenges to providing support": ["working conditions and targets", "complexity of cases"],
        "Capacity": ["capacity"],
        "Prevention & awareness": ["prevention & awareness"],
        "Policy": ["policy"],
        "Criminal Justice System": ["improvements", "court processes"],
        "Other": ["other"],
    },
}  # fmt: skip


def shipped(question: str) -> Codebook:
    return load_codebook(question, 2017, SHIPPED)


def edit(path: Path, change: object) -> Path:
    """Load a codebook file as data, let `change` alter it, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)  # type: ignore[operator]
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


def survey(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))


# ------------------------------------------------------------------------------------------- shipped codebooks


def test_shipped_codebooks_pass_the_check() -> None:
    results = check_all(SHIPPED)
    assert {p.name for p in results} == {f"{q}.yaml" for q in QUESTIONS}
    assert results == {p: [] for p in results}


@pytest.mark.parametrize("question", QUESTIONS)
def test_category_labels_are_the_published_ones_plus_other(question: str) -> None:
    printed = list(published()["qualitative"][question]["categories_pct"])
    expected = printed if "Other" in printed else [*printed, "Other"]
    assert shipped(question).labels() == expected
    assert shipped(question).text == published()["qualitative"][question]["question"]


@pytest.mark.parametrize("question", QUESTIONS)
def test_keys_are_unique_digits_with_other_on_zero_and_the_rest_in_order_of_size(question: str) -> None:
    book = shipped(question)
    assert sorted(c.key for c in book.categories) == list(range(10))
    assert [c.key for c in book.categories] == [*range(1, 10), 0]
    assert book.match_label("Other") is not None and book.match_label("Other").key == 0  # type: ignore[union-attr]
    for cat in book.categories:
        assert len({s.key for s in cat.subcategories}) == len(cat.subcategories)


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_subcategory_of_the_brief_is_there_under_its_category(question: str) -> None:
    book = shipped(question)
    for label, subs in SUBCATEGORIES[question].items():
        category = book.match_label(label)
        assert category is not None and category.label == label
        assert [s.label for s in category.subcategories] == subs


@pytest.mark.parametrize("question", QUESTIONS)
def test_descriptions_and_examples_are_filled_in(question: str) -> None:
    for cat in shipped(question).categories:
        assert 4 <= len(cat.examples) <= 10 and cat.description.count(".") >= 1
        for sub in cat.subcategories:
            assert 3 <= len(sub.examples) <= 8 and sub.description


@pytest.mark.parametrize("question", QUESTIONS)
def test_every_category_and_subcategory_has_examples_as_long_as_real_comments(question: str) -> None:
    # short phrases alone leave the model nothing like the comments it meets (about 38 words on average)
    for cat in shipped(question).categories:
        for where, examples in [(cat.id, cat.examples), *((f"{cat.id}/{s.id}", s.examples) for s in cat.subcategories)]:
            sentences = [e for e in examples if 10 <= len(e.split()) <= 45]
            assert 2 <= len(sentences) <= 4, where


def test_a_year_without_codebooks_uses_the_nearest_earlier_year_or_else_the_oldest(tmp_path: Path) -> None:
    for year in (2017, 2019):
        (tmp_path / str(year)).mkdir()
        shutil.copy(SHIPPED / "2017" / "other_comments.yaml", tmp_path / str(year) / "other_comments.yaml")
    edit(tmp_path / "2019" / "other_comments.yaml", lambda d: d.update(year=2019))
    found = {year: load_codebook("other_comments", year, tmp_path).source_year for year in (2016, 2017, 2018, 2020)}
    assert found == {2016: 2017, 2017: 2017, 2018: 2017, 2020: 2019}
    assert load_codebook("other_comments", 2016, tmp_path).year == 2016
    assert load_codebook("other_comments", None, tmp_path).source_year == 2019


def test_loading_a_missing_question_names_what_is_there() -> None:
    with pytest.raises(CodebookError, match=r"no codebook for question 'nonsense'.*biggest_difference"):
        load_codebook("nonsense", 2017, SHIPPED)


def test_codebook_dir_prefers_the_environment(books: Path) -> None:
    assert codebook_dir() == books


def test_match_label_ignores_case_apostrophes_spacing_and_ampersands() -> None:
    book = shipped("survivor_challenges")
    for text in ("agencies’ understanding", "AGENCIES' UNDERSTANDING", "  Agencies'   understanding "):
        assert book.match_label(text) is book.categories[6]
    assert shipped("biggest_difference").match_label("awareness and training") is not None
    assert book.match_label("Rebuilding lives safely") is book.by_id("rebuilding-lives-safely")
    assert book.match_label("Housing options") is None
    assert book.by_key("2") is book.by_key(2) is book.match_label("housing")
    assert book.categories[0].match_label("Mental Health") is book.categories[0].by_key(2)


def test_save_writes_the_shipped_layout_byte_for_byte(tmp_path: Path) -> None:
    for question in QUESTIONS:
        written = save_codebook(shipped(question), tmp_path / "2017" / f"{question}.yaml")
        assert written.read_bytes() == (SHIPPED / "2017" / f"{question}.yaml").read_bytes()


def test_save_writes_a_short_patterns_list_on_one_line_and_a_long_one_a_pattern_a_line(tmp_path: Path) -> None:
    book = shipped("other_comments")
    first = book.categories[0]
    many = tuple(f"long phrase number {n}" for n in range(12))  # far wider than a line: never broken mid-phrase
    changed = replace(book, categories=(replace(first, patterns=("refuge", "safe house")),
                                        replace(book.categories[1], patterns=many), *book.categories[2:]))  # fmt: skip
    text = save_codebook(changed, tmp_path / "2017" / "other_comments.yaml").read_text(encoding="utf-8")
    assert "  patterns: [refuge, safe house]\n" in text
    assert "".join(f"  - {p}\n" for p in many) in text
    assert load_codebook("other_comments", 2017, tmp_path) == changed


# ------------------------------------------------------------------------------------------------------ checks


def test_check_reports_a_duplicate_key_and_a_missing_description(tmp_path: Path) -> None:
    path = shutil.copy(SHIPPED / "2017" / "biggest_difference.yaml", tmp_path / "biggest_difference.yaml")

    def spoil(data: dict) -> None:  # type: ignore[type-arg]
        data["categories"][1]["key"] = 1
        del data["categories"][2]["subcategories"][0]["description"]

    problems = check_codebook(edit(Path(path), spoil))
    assert any("duplicate key 1" in p and "'Funding'" in p for p in problems), problems
    assert any("'Housing options', subcategory 'refuge': missing field 'description'" in p for p in problems)


def test_check_reports_bad_fields_keys_and_names(tmp_path: Path) -> None:
    path = shutil.copy(SHIPPED / "2017" / "other_comments.yaml", tmp_path / "other.yaml")

    def spoil(data: dict) -> None:  # type: ignore[type-arg]
        data["categories"][0].update(key=12, description=" ", examples=["only one"])
        data["categories"][1]["label"] = "funding / COMMISSIONING"
        data["categories"][2]["subcategories"][0]["key"] = 0
        data["categories"][3]["colour"] = "red"

    problems = "\n".join(check_codebook(edit(Path(path), spoil)))
    for expected in (
        "file is named other.yaml",
        "key 12 is outside 0–9",
        "description is empty",
        "has 1 example(s)",
        "duplicate label",
        "key 0 is outside 1–9",
        "unknown field 'colour'",
    ):
        assert expected in problems


def test_check_reports_broken_yaml_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "2017" / "policy.yaml"
    path.parent.mkdir()
    path.write_text("question: policy\ncategories: [\n", encoding="utf-8")
    assert check_all(tmp_path)[path][0].startswith("is not valid YAML at line 3")


def test_loading_an_invalid_codebook_is_refused_with_its_problems(tmp_path: Path) -> None:
    (tmp_path / "2017").mkdir()
    path = shutil.copy(SHIPPED / "2017" / "other_comments.yaml", tmp_path / "2017" / "other_comments.yaml")
    edit(Path(path), lambda d: d["categories"][0].update(key=2))
    with pytest.raises(CodebookError, match=r"invalid: .*duplicate key 2"):
        load_codebook("other_comments", 2017, tmp_path)


# ------------------------------------------------------------------------------------------ REFI-QDA (.qdc)


@pytest.mark.parametrize("question", QUESTIONS)
def test_export_then_import_with_base_gives_back_the_same_codebook(question: str) -> None:
    book = shipped(question)
    assert import_qdc(export_qdc(book), question, 2017, base=book) == book


def test_export_then_import_without_base_keeps_hierarchy_labels_descriptions_and_keys() -> None:
    book = shipped("biggest_difference")
    again = import_qdc(export_qdc(book), "biggest_difference", 2017, base=None)
    assert again.labels() == book.labels() and again.version == 1 and again.text == ""
    for old, new in zip(book.categories, again.categories, strict=True):
        assert (new.key, new.description, new.examples) == (old.key, old.description, old.examples)
        assert [(s.label, s.key, s.description) for s in new.subcategories] == [
            (s.label, s.key, s.description) for s in old.subcategories
        ]
    assert again.by_key(4).id == "awareness-and-training"  # type: ignore[union-attr]  # a slug of its name


def test_export_is_deterministic_and_uses_the_codebook_namespace() -> None:
    book = shipped("survivor_challenges")
    data = export_qdc(book)
    assert data == export_qdc(shipped("survivor_challenges"))
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<CodeBook xmlns="urn:QDA-XML:codebook:1.0" ')
    assert f'guid="{code_guid("survivor_challenges", "housing")}" name="Housing" isCodable="true"'.encode() in data
    assert b"Agencies' understanding" in data


def test_import_keeps_ids_of_renamed_codes_and_gives_new_codes_ids_and_keys() -> None:
    book = shipped("other_comments")
    guid = {id_: code_guid("other_comments", id_) for id_ in ("policy", "capacity", "other")}
    text = export_qdc(book).decode()
    text = text.replace('name="Policy"', 'name="Policy and strategy"')  # renamed in the QDA tool: same guid
    text = text.replace(guid["capacity"], "7A0C6E4B-0000-4000-8000-000000000001")  # replaced by a new code ...
    text = text.replace('name="Capacity"', 'name="Staffing"')  # ... with another name
    text = text.replace("Key: 0\n", "")  # the 'Other' code lost its key line
    again = import_qdc(text.encode(), "other_comments", 2018, base=book)
    assert again.by_id("policy").label == "Policy and strategy"  # type: ignore[union-attr]
    staffing = again.match_label("Staffing")
    assert staffing is not None and staffing.id == "staffing" and staffing.key == 6  # the key its description gives
    assert again.by_key(0).label == "Other" and again.version == book.version + 1  # type: ignore[union-attr]
    assert again.year == again.source_year == 2018 and again.text == book.text
    extra = '<Code guid="7A0C6E4B-0000-4000-8000-000000000002" name="Survey itself" isCodable="true"/>'
    with pytest.raises(CodebookError, match="11 top-level codes"):
        import_qdc(text.replace("</Codes>", extra + "</Codes>").encode(), "other_comments", 2018, base=book)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"<CodeBook><Codes><Code name='a'", "malformed"),
        (b"not xml at all", "malformed"),
        (b"<Project/>", "not a REFI-QDA codebook"),
        (b"<CodeBook><Codes/></CodeBook>", "no codes"),
        (b"<CodeBook><Codes><Code guid='x' isCodable='true'/></Codes></CodeBook>", "has no name"),
        (b"<CodeBook><Codes><Code name='a'><Code name='b'><Code name='c'/></Code></Code></Codes></CodeBook>",
         "two levels"),
        (b"<CodeBook><Codes><Code name='A'/><Code name='a'/></Codes></CodeBook>", "named 'a'"),
        (b"<CodeBook><Codes>" + b"".join(b"<Code name='c%d'/>" % n for n in range(11)) + b"</Codes></CodeBook>",
         "11 top-level codes"),
    ],
)  # fmt: skip
def test_import_refuses_what_is_not_a_codebook(data: bytes, message: str) -> None:
    with pytest.raises(CodebookError, match=message):
        import_qdc(data, "other_comments", 2017, None)


def test_import_refuses_entities_when_defusedxml_is_installed() -> None:
    pytest.importorskip("defusedxml")
    data = b'<!DOCTYPE x [<!ENTITY a "aaaa">]><CodeBook><Codes><Code name="&a;"/></Codes></CodeBook>'
    with pytest.raises(CodebookError, match="refused for safety"):
        import_qdc(data, "other_comments", 2017, None)


def test_import_reads_a_codebook_written_by_another_tool() -> None:
    data = b"""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti"><Codes>
  <Code guid="1FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Housing &amp; homes" isCodable="true" color="#46AA00">
    <Description>Somewhere to live.</Description>
    <Code guid="2FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="refuge" isCodable="true"/>
  </Code>
  <Code guid="3FF58B12-6F6F-4B0C-8BE5-BBDC91F55294" name="Other" isCodable="false"/>
</Codes><Sets/></CodeBook>"""
    book = import_qdc(data, "survivor_challenges", 2017, None)
    assert [(c.id, c.key, c.label) for c in book.categories] == [("housing-and-homes", 1, "Housing & homes"),
                                                                 ("other", 0, "Other")]  # fmt: skip
    assert book.categories[0].description == "Somewhere to live."
    assert book.categories[0].subcategories[0].key == 1 and book.categories[0].examples == ()


def test_save_then_load_round_trips_an_imported_codebook(tmp_path: Path) -> None:
    book = replace(shipped("other_comments"), year=2018, source_year=2018, version=2)
    save_codebook(book, tmp_path / "2018" / "other_comments.yaml")
    assert load_codebook("other_comments", 2018, tmp_path) == book


# ------------------------------------------------------------------------------------------------ commands


def test_cli_check_passes_on_the_shipped_codebooks(books: Path) -> None:
    result = survey("codebook", "check", "--folder", str(SHIPPED))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 3 codebook file(s)")


def test_cli_check_lists_problems_and_exits_1_with_one_error_line(books: Path) -> None:
    edit(books / "2017" / "survivor_challenges.yaml", lambda d: d["categories"][3].update(description=""))
    result = survey("codebook", "check")
    assert result.exit_code == 1
    assert "survivor_challenges.yaml: category 'Lack of services': description is empty" in result.output
    assert [line for line in result.output.splitlines() if line.startswith("error:")] == [
        "error: 1 problem(s) in 1 codebook file(s)"
    ]


def test_cli_show_prints_keys_labels_and_subcategories(books: Path) -> None:
    result = survey("codebook", "show", "biggest_difference", "--year", "2016")
    assert result.exit_code == 0, result.output
    for text in ("Awareness & training", "perpetrator response", "codebook 2017 v1, used for 2016"):
        assert text in result.output


def test_cli_export_writes_the_qdc(books: Path, tmp_path: Path) -> None:
    out = tmp_path / "bd.qdc"
    result = survey("codebook", "export", "biggest_difference", "--format", "qdc", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == export_qdc(shipped("biggest_difference"))
    assert survey("codebook", "export", "biggest_difference", "--format", "csv", "--out", str(out)).exit_code == 2


def test_cli_import_refuses_to_overwrite_without_force(books: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "oc.qdc"
    qdc.write_bytes(export_qdc(shipped("other_comments")).replace(b'name="Policy"', b'name="Policy and law"'))
    target = books / "2017" / "other_comments.yaml"
    before = target.read_bytes()
    refused = survey("codebook", "import", str(qdc), "--question", "other_comments")
    assert refused.exit_code == 1 and "exists: give --force" in refused.output
    assert target.read_bytes() == before
    done = survey("codebook", "import", str(qdc), "--question", "other_comments", "--force")
    assert done.exit_code == 0, done.output
    assert load_codebook("other_comments", 2017).by_id("policy").label == "Policy and law"  # type: ignore[union-attr]
    assert load_codebook("other_comments", 2017).version == 2


def test_cli_import_writes_a_new_year_and_reports_malformed_files(books: Path, tmp_path: Path) -> None:
    qdc = tmp_path / "sc.qdc"
    qdc.write_bytes(export_qdc(shipped("survivor_challenges")))
    result = survey("codebook", "import", str(qdc), "--question", "survivor_challenges", "--year", "2018")
    assert result.exit_code == 0, result.output
    assert load_codebook("survivor_challenges", 2018).source_year == 2018
    assert check_codebook(books / "2018" / "survivor_challenges.yaml") == []
    qdc.write_bytes(b"<CodeBook><Codes>")
    broken = survey("codebook", "import", str(qdc), "--question", "survivor_challenges", "--out", str(tmp_path / "x"))
    assert broken.exit_code == 1 and "error: not a readable codebook: the XML is malformed" in broken.output
