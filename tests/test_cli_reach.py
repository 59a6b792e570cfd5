"""``meetingtui reach`` and ``meetingtui pairwise`` as a user runs them (a real process, a real
database file): paper sign-ins, the population file, the report in every format with small
numbers suppressed, and the refusals (exit 2, nothing changed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from meetingtui.agenda.loader import load_agenda
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, capture_idea
from meetingtui.domain.models import ReachResponse
from meetingtui.domain.pairwise import record_choice
from tests.conftest import SAMPLE_AGENDAS
from tests.test_cli import meetingtui

POPULATION = SAMPLE_AGENDAS / "elm_park_population.csv"


@pytest.fixture
def db(database) -> Path:
    with database.write() as session:
        agenda = load_agenda(SAMPLE_AGENDAS / "community_workshop.toml")
        workshop = meetings.create_meeting(session, agenda=agenda, code="elmpark23")
        refs = [
            capture_idea(session, meeting_id=workshop.id, data=IdeaInput(title=title)).ref
            for title in ("Benches", "Lights", "Swings")
        ]
        for device, chosen in (("a", refs[2]), ("b", refs[2]), ("c", refs[1])):
            record_choice(
                session,
                meeting_id=workshop.id,
                device=device,
                left_ref=refs[1],
                right_ref=refs[2],
                chosen_ref=chosen,
            )
    return Path(database.url.removeprefix("sqlite:///"))


def _count(database) -> int:
    with database.read() as session:
        return len(session.exec(select(ReachResponse)).all())


def test_paper_cards_population_and_report(db: Path, database) -> None:
    for age in ["Under 25"] * 2 + ["25 to 44"] * 6 + ["65 or over"] * 4:
        added = meetingtui(
            "reach", "add", "elmpark23", "--area", "E17", "--answer", f"age={age}",
            "--answer", "carer=No", db=db,
        )  # fmt: skip
        assert added.returncode == 0, added.stderr
    assert "12 in all" in added.stdout
    loaded = meetingtui("reach", "population", "default", str(POPULATION), db=db)
    assert loaded.returncode == 0, loaded.stderr and "10 shares" in loaded.stdout

    text = meetingtui("reach", "report", db=db)
    assert text.returncode == 0, text.stderr
    assert "10 people answered" in text.stdout  # 12, rounded to the nearest 5
    assert "fewer than 5" in text.stdout and "Representativeness" in text.stdout
    assert "Not yet heard" in text.stdout and "Under 25 (Your age)" in text.stdout

    exact = meetingtui("reach", "report", "--meeting", "elmpark23", "--exact", db=db)
    assert "Not for publication" in exact.stdout and "12 people answered" in exact.stdout

    document = json.loads(meetingtui("reach", "report", "--format", "json", db=db).stdout)
    age = document["questions"][0]
    assert document["published"] and document["responses"] == 10
    assert [g["count"] for g in age["groups"]] == [None, 5, 0, None]  # 2 and 4 both hidden
    markdown = meetingtui("reach", "report", "--format", "md", db=db).stdout
    assert markdown.startswith("# Who took part (reach)") and "| Answer |" in markdown


def test_refusals_exit_2_and_add_nothing(db: Path, database) -> None:
    wrong = meetingtui("reach", "add", "elmpark23", "--answer", "age=ancient", db=db)
    assert wrong.returncode == 2
    assert "--answer age: Choose an answer from the list (Under 25," in wrong.stderr
    unknown = meetingtui("reach", "add", "elmpark23", "--answer", "colour=blue", db=db)
    assert unknown.returncode == 2 and "its questions: age, carer" in unknown.stderr
    shapeless = meetingtui("reach", "add", "elmpark23", "--answer", "age", db=db)
    assert shapeless.returncode == 2 and "KEY=ANSWER" in shapeless.stderr
    assert _count(database) == 0
    bad = db.parent / "bad.csv"
    bad.write_text("area,question,option,share\n,age,Under 25,half\n")
    refused = meetingtui("reach", "population", "default", str(bad), db=db)
    assert refused.returncode == 2
    assert f"{bad}: line 2, column share: 'half' is not a share" in refused.stderr
    missing = meetingtui("reach", "population", "default", str(db.parent / "nope.csv"), db=db)
    assert missing.returncode == 2 and "no such file" in missing.stderr
    nobody = meetingtui("reach", "population", "Nowhere", str(POPULATION), db=db)
    assert nobody.returncode != 0 and "No programme 'Nowhere'" in nobody.stderr


def test_pairwise_ranking_on_the_command_line(db: Path) -> None:
    text = meetingtui("pairwise", "elmpark23", db=db)
    assert text.returncode == 0, text.stderr
    assert "Which matters more: 3 choices" in text.stdout
    ranked = json.loads(meetingtui("pairwise", "elmpark23", "--format", "json", db=db).stdout)
    assert [(r["ref"], r["wins"], r["comparisons"]) for r in ranked] == [
        ("I-0003", 2, 3),
        ("I-0001", 0, 0),
        ("I-0002", 1, 3),
    ]
    assert ranked[0]["score"] == pytest.approx(0.6)
