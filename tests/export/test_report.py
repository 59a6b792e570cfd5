"""The "you said, we did" report: golden Markdown and HTML, Word read back, the public record
only, and the command line (file, folder, replacing, refusals)."""

from __future__ import annotations

import io
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from meetingtui import cli
from meetingtui.domain.programmes import find_programme
from meetingtui.export.report import build_report
from meetingtui.export.report_formats import write_report
from tests.export.site_programme import FORBIDDEN, HOSTILE, build_programme

GOLDEN = Path(__file__).parent / "golden"
NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


def _report(database, fmt: str, **options) -> str | bytes:
    out: io.StringIO | io.BytesIO = io.BytesIO() if fmt == "docx" else io.StringIO()
    with database.read() as session:
        report = build_report(session, find_programme(session, "Riverside"), now=NOW, **options)
        write_report(session, report, fmt, out)
    return out.getvalue()


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") or not path.exists():
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_report_matches_its_golden_file(database, fmt: str) -> None:
    build_programme(database)
    text = _report(database, fmt)
    assert isinstance(text, str)
    assert not [word for word in FORBIDDEN if word in text]
    _golden(f"you-said-we-did.{fmt}", text)


def test_the_markdown_report_says_what_became_of_each_idea(database) -> None:
    build_programme(database)
    text = _report(database, "md")
    assert "**Summary:** 5 ideas: Adopted 2, Adapted 0, Not taken forward 1" in text
    assert "## Transport\n\n3 ideas: Adopted 2, Adapted 0, Not taken forward 1" in text
    assert "## (no topic)" in text and text.index("## Transport") < text.index("## (no topic)")
    assert "- **Reflected in:** v2 §1.1 Night buses" in text
    assert "- **Reason:** The pavement is too narrow for benches." in text
    assert "Night bus \\</script\\>\\<img src=x onerror=alert(1)\\> & more" in text  # literal


def test_a_version_report_lists_only_the_ideas_it_reflects(database) -> None:
    build_programme(database)
    text = _report(database, "md", version="v2")
    assert "Ideas reflected in plan version v2: Second draft." in text
    assert "2 ideas: Adopted 2" in text and "Benches" not in text


def test_the_word_report_reads_back(database) -> None:
    from docx import Document

    build_programme(database)
    content = _report(database, "docx")
    assert isinstance(content, bytes)
    document = Document(io.BytesIO(content))
    paragraphs = [p.text for p in document.paragraphs]
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    everything = "\n".join(paragraphs + cells)
    assert paragraphs[0] == "You said, we did: Riverside"
    assert "Transport" in paragraphs and f"riverone1/I-0001 {HOSTILE}" in paragraphs
    assert "v2 §1.1 Night buses" in cells and "Not taken forward" in cells
    assert not [word for word in FORBIDDEN if word in everything]


def test_the_report_command(tmp_path: Path, database, capsys) -> None:
    build_programme(database)
    target = tmp_path / "report.md"
    target.write_text("an older report", encoding="utf-8")
    args = ["--db", database.url, "report", "you-said-we-did", "--programme", "Riverside"]
    assert cli.main([*args, "-o", str(target)]) == 0  # replaced, as export does
    assert target.read_text(encoding="utf-8").startswith("# You said, we did: Riverside")
    assert not list(tmp_path.glob("*.partial"))
    assert cli.main([*args, "--format", "html", "-o", str(tmp_path)]) == 0
    assert (
        (tmp_path / "you-said-we-did-Riverside.html")
        .read_text(encoding="utf-8")
        .startswith("<!DOCTYPE html>")
    )
    assert cli.main([*args, "--format", "docx", "--version", "v2", "-o", str(tmp_path)]) == 0
    assert (tmp_path / "you-said-we-did-Riverside-v2.docx").read_bytes()[:2] == b"PK"
    capsys.readouterr()
    assert cli.main([*args, "--version", "v9"]) == 2
    assert (
        "Programme 'Riverside' has no plan version v9. Versions: v1, v2." in capsys.readouterr().err
    )
    assert cli.main(["--db", database.url, "report", "you-said-we-did", "--programme", "Nope"]) == 2
    assert "No programme 'Nope'" in capsys.readouterr().err


def test_a_spanish_report_is_in_spanish(database) -> None:
    build_programme(database)
    text = _report(database, "md", language="es")
    assert text.startswith("# Dijiste, hicimos: Riverside")
    assert "Aceptada" in text and "Pendiente de respuesta" in text and HOSTILE.split(" ")[0] in text


def test_a_report_in_a_folder_is_named_so_it_stays_in_that_folder() -> None:
    """Found by a reviewer: "Budget 2027/28" made the file name a path (and "../x" left the
    folder); a programme's name is people's words, never a path."""
    from meetingtui.export.report_formats import report_file_name

    assert report_file_name("you-said-we-did", "Budget 2027/28", "", "md") == (
        "you-said-we-did-Budget-2027-28.md"
    )
    assert report_file_name("you-said-we-did", "../../pwned/x", "v2", "html") == (
        "you-said-we-did-pwned-x-v2.html"
    )
    assert report_file_name("you-said-we-did", "Salud y cuidados: año 2027", "", "docx") == (
        "you-said-we-did-Salud-y-cuidados-año-2027.docx"
    )
    assert "/" not in report_file_name("you-said-we-did", "/", "..", "md")
