"""Reading revision files: forgiving headers, names matched with a did-you-mean, every problem at once."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from practitioner_survey.errors import NotFoundError, ReturnsError
from practitioner_survey.returns.provenance import Revision, match_field, read_revisions

HEADER = "service_id,police_force_area,field,new_value,source\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "revisions.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ReturnsError) as refused:
        read_revisions(path)
    return [(p.row, p.column, p.message) for p in refused.value.problems]


def test_reads_revisions_with_forgiving_headers_area_and_field_names(tmp_path: Path) -> None:
    path = write(tmp_path, "Service ID, Police Force  Area ,FIELD,New-Value,Source\n"
                           "S1,cumbria police,IDVA FTE,4,Cumbria OPCC\n"
                           "S2,Devon & Cornwall,volunteers,2,phone call 3 May\n")  # fmt: skip
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    assert read_revisions(path) == [
        Revision("S1", "Cumbria", "idva_fte", 4.0, "Cumbria OPCC", "revisions.csv", sha, 2),
        Revision("S2", "Devon and Cornwall", "volunteers", 2.0, "phone call 3 May", "revisions.csv", sha, 3),
    ]


def test_unknown_area_and_field_are_refused_with_a_did_you_mean(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + "S1,Cumbra,idva_fte,4,OPCC\nS1,Cumbria,idva ftee,4,OPCC\n")
    area, field = problems(path)
    assert area == (2, "police_force_area", "unknown police force area 'Cumbra' (did you mean Cumbria?)")
    assert field[:2] == (3, "field")
    assert field[2].startswith("'idva ftee' is not a staffing figure (did you mean idva_fte or ")


def test_every_problem_is_reported_at_once_with_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER + ",Gwent,idva_fte,x,\nS1,Gwent,idva_headcount,1.5,OPCC\nS1,Gwent,isva_fte,-2,OPCC\n")
    with pytest.raises(ReturnsError) as refused:
        read_revisions(path)
    located = [(p.file, p.row, p.column) for p in refused.value.problems]
    assert located == [
        ("revisions.csv", 2, "service_id"),
        ("revisions.csv", 2, "new_value"),
        ("revisions.csv", 2, "source"),
        ("revisions.csv", 3, "new_value"),
        ("revisions.csv", 4, "new_value"),
    ]
    assert "nothing was changed" in refused.value.summary
    assert "whole number" in refused.value.problems[3].message
    assert "negative" in refused.value.problems[4].message


def test_missing_columns_are_named_with_the_expected_header(tmp_path: Path) -> None:
    [(row, _, message)] = problems(write(tmp_path, "service_id,field,new_value\nS1,idva_fte,3\n"))
    assert row == 1
    assert message.startswith("missing column(s) police_force_area, source; expected service_id")


def test_excel_cp1252_and_utf8_bom_files_are_both_read(tmp_path: Path) -> None:
    text = HEADER + "S1,Gwent,idva_fte,2,Gwent OPCC – Ms Jones\n"
    cp1252 = read_revisions(write(tmp_path, text, "cp1252", "cp1252.csv"))
    bom = read_revisions(write(tmp_path, text, "utf-8-sig", "bom.csv"))
    assert cp1252[0].source == bom[0].source == "Gwent OPCC – Ms Jones"
    assert bom[0].service_id == "S1"  # the BOM is not glued to the first header


def test_blank_rows_are_skipped_and_an_empty_file_is_refused(tmp_path: Path) -> None:
    assert len(read_revisions(write(tmp_path, HEADER + ",,,,\nS1,Gwent,idva_fte,2,OPCC\n\n"))) == 1
    assert problems(write(tmp_path, HEADER, name="empty.csv")) == [(None, "", "no revisions in the file")]


def test_a_missing_revision_file_is_not_found(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError, match="revision file not found"):
        read_revisions(tmp_path / "nope.csv")


@pytest.mark.parametrize(
    ("written", "expected"),
    [("IDVA FTE", "idva_fte"), ("idva-fte-high-risk", "idva_fte_high_risk"), ("Volunteers", "volunteers")],
)
def test_field_names_match_forgivingly(written: str, expected: str) -> None:
    assert match_field(written) == (expected, [])
