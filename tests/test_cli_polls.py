"""``meetingtui polls``: results, hand counts and paper ballots with the totals check."""

from __future__ import annotations

from meetingtui.agenda import load_agenda
from meetingtui.cli import main
from meetingtui.domain import meetings
from meetingtui.store.database import Database
from tests.conftest import SAMPLE_AGENDAS


def test_polls_commands(tmp_path, capsys) -> None:
    db = str(tmp_path / "polls.sqlite3")
    database = Database.open(f"sqlite:///{db}", migrate=True)
    with database.write() as session:
        agenda = load_agenda(SAMPLE_AGENDAS / "asamblea_vecinal_presupuesto.toml")
        meetings.create_meeting(session, agenda=agenda, code="asamblea23")
    database.close()
    assert main(["polls", "open", "asamblea23", "1", "--db", db]) == 0
    paper = ["--ballot", "Huerto comunitario;Bancos y fuentes en la plaza", "--ballot", "1;2"]
    assert main(["polls", "paper", "asamblea23", "P1", *paper, "--cast", "4", "--db", db]) == 2
    assert "4 ballots cast, but 2 valid + 0 invalid = 2" in capsys.readouterr().err
    assert (
        main(
            [
                "polls",
                "paper",
                "asamblea23",
                "1",
                *paper,
                "--cast",
                "3",
                "--invalid",
                "1",
                "--db",
                db,
            ]
        )
        == 0
    )
    assert (
        main(
            [
                "polls",
                "count",
                "asamblea23",
                "1",
                "--option",
                "Huerto comunitario=5",
                "--cast",
                "4",
                "--db",
                db,
            ]
        )
        == 2
    )
    assert (
        "More hands for 'Huerto comunitario' than the 4 people who voted" in capsys.readouterr().err
    )
    assert (
        main(
            [
                "polls",
                "count",
                "asamblea23",
                "1",
                "--option",
                "huerto COMUNITARIO=3",
                "--cast",
                "4",
                "--db",
                db,
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["polls", "asamblea23", "--db", db]) == 0
    out = capsys.readouterr().out
    assert "ballots: 6 (paper 2, hands 4)" in out  # hands: the people who voted validly
    assert "paper: 3 cast, 1 invalid" in out and "hands: 4 cast, 0 invalid" in out
    assert "4. Huerto comunitario: votes 4, cost 6000" in out
    assert main(["polls", "asamblea23", "9", "--db", db]) == 2


def test_a_poll_change_on_a_mistyped_database_is_refused_and_never_creates_it(
    tmp_path, capsys
) -> None:
    """Found by review: ``polls open`` on a mistyped --db made an empty database there."""
    missing = tmp_path / "typo.sqlite3"
    assert main(["polls", "open", "asamblea23", "1", "--db", str(missing)]) == 2
    err = capsys.readouterr().err
    assert "There is no database" in err and str(missing) in err and "meetingtui run" in err
    assert not missing.exists()
