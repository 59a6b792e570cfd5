"""Which console takes over an unsaved idea draft on starting (domain/drafts.claim_draft): its
own; a dead console's from the same user@host, in any terminal, once; an old-format draft of
its own terminal; never a live console's, never one from another host."""

from __future__ import annotations

import threading

from meetingtui.agenda import load_agenda
from meetingtui.domain import drafts, meetings
from meetingtui.domain.drafts import DraftOwner
from meetingtui.store.database import Database
from tests.conftest import TOWN_HALL

HOST = "priya@laptop"


def owner(terminal: str, pid: int, machine: str = HOST) -> DraftOwner:
    return DraftOwner(terminal=terminal, machine=machine, pid=pid)


def leave(database: Database, meeting_id, key: str, title: str) -> None:
    with database.write() as session:
        drafts.save_draft(session, meeting_id=meeting_id, owner=key, fields={"title": title})


def claim(database: Database, meeting_id, who: DraftOwner, alive) -> str | None:
    with database.write() as session:
        found = drafts.claim_draft(session, meeting_id=meeting_id, owner=who, alive=alive)
        return drafts.draft_fields(found)["title"] if found else None


def test_owner_key_round_trips_and_old_keys_parse_as_none():
    who = owner("priya@laptop:/dev/pts/3", 4242)
    assert who.key() == "priya@laptop:/dev/pts/3|priya@laptop#4242"
    assert DraftOwner.parse(who.key()) == who
    assert DraftOwner.parse("pane-1") is None
    assert DraftOwner.parse("a|b#c") is None  # not a pid
    assert len(owner("t" * 300, 1).key()) <= drafts.OWNER_MAX


def test_a_dead_consoles_draft_is_claimed_once_in_a_new_terminal(database, meeting):
    leave(database, meeting.id, owner("pts/3", 100).key(), "Half typed")
    dead = {100}
    alive = lambda pid: pid not in dead  # noqa: E731
    # A console in another terminal on the same machine takes it over ...
    assert claim(database, meeting.id, owner("pts/7", 200), alive) == "Half typed"
    # ... and keeps it: it is now its own (a second claim finds it again) ...
    assert claim(database, meeting.id, owner("pts/7", 200), alive) == "Half typed"
    # ... and a third console, while the second lives, does not get it.
    assert claim(database, meeting.id, owner("pts/9", 300), alive) is None


def test_a_live_consoles_draft_is_never_claimed(database, meeting):
    leave(database, meeting.id, owner("pts/3", 100).key(), "Still typing")
    always = lambda pid: True  # noqa: E731
    assert claim(database, meeting.id, owner("pts/7", 200), always) is None
    assert claim(database, meeting.id, owner("pts/3", 201), always) is None  # same terminal too
    with database.read() as session:
        kept = drafts.load_draft(session, meeting_id=meeting.id, owner=owner("pts/3", 100).key())
        assert kept is not None and drafts.draft_fields(kept)["title"] == "Still typing"


def test_another_hosts_draft_stays_on_its_host(database, meeting):
    leave(database, meeting.id, owner("pts/3", 100, "tom@desk").key(), "Tom's")
    nobody = lambda pid: False  # noqa: E731
    assert claim(database, meeting.id, owner("pts/3", 200), nobody) is None
    assert claim(database, meeting.id, owner("pts/4", 300, "tom@desk"), nobody) == "Tom's"


def test_an_old_format_draft_is_claimed_by_its_own_terminal_only(database, meeting):
    leave(database, meeting.id, "priya@laptop:/dev/pts/3", "From before")
    nobody = lambda pid: False  # noqa: E731
    assert claim(database, meeting.id, owner("priya@laptop:/dev/pts/5", 200), nobody) is None
    found = claim(database, meeting.id, owner("priya@laptop:/dev/pts/3", 300), nobody)
    assert found == "From before"


def test_this_terminals_dead_draft_is_preferred_then_the_newest(database, meeting):
    leave(database, meeting.id, owner("pts/1", 11).key(), "Older elsewhere")
    leave(database, meeting.id, owner("pts/2", 12).key(), "Newer elsewhere")
    leave(database, meeting.id, owner("pts/5", 13).key(), "Mine from before")
    nobody_but = lambda *live: lambda pid: pid in live  # noqa: E731
    assert claim(database, meeting.id, owner("pts/5", 20), nobody_but(20)) == "Mine from before"
    assert claim(database, meeting.id, owner("pts/8", 21), nobody_but(20, 21)) == "Newer elsewhere"
    assert claim(database, meeting.id, owner("pts/9", 22), nobody_but(20, 21, 22)) == (
        "Older elsewhere"
    )
    assert claim(database, meeting.id, owner("pts/6", 23), nobody_but(20, 21, 22, 23)) is None


def race(url: str, meeting_id, consoles: int, *, collide: bool) -> list[str | None]:
    """``consoles`` processes' sessions claim together. With ``collide`` (PostgreSQL, whose
    write transactions run side by side) each waits in ``alive`` until all have read the drafts,
    so the takes really collide; SQLite's write transactions queue (BEGIN IMMEDIATE)."""
    databases = [Database.open(url, migrate=False) for _ in range(consoles)]
    read_all = threading.Barrier(consoles)
    results: list[str | None] = [None] * consoles
    starters = set(range(1000, 1000 + consoles))

    def alive(pid: int) -> bool:
        if collide:
            read_all.wait(timeout=30)
        return pid in starters

    def run(index: int) -> None:
        who = owner(f"pts/{index}", 1000 + index)
        results[index] = claim(databases[index], meeting_id, who, alive)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(consoles)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for database in databases:
        database.close()
    return results


def test_consoles_racing_on_sqlite_claim_a_dead_draft_once(database, meeting, tmp_path):
    leave(database, meeting.id, owner("pts/0", 99).key(), "Only once")
    results = race(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", meeting.id, 4, collide=False)
    assert results.count("Only once") == 1 and results.count(None) == 3


def test_consoles_racing_on_postgres_claim_a_dead_draft_once(postgres_url):
    database = Database.open(postgres_url, migrate=True)
    agenda = load_agenda(TOWN_HALL)
    try:
        with database.write() as session:
            created = meetings.create_meeting(session, agenda=agenda, code="race1234")
        leave(database, created.id, owner("pts/0", 99).key(), "Only once")
        results = race(postgres_url, created.id, 3, collide=True)
    finally:
        database.close()
    assert results.count("Only once") == 1 and results.count(None) == 2


def test_long_names_and_bars_in_a_terminal_still_claim_their_own(database, meeting):
    long_terminal = "x|" * 80
    leave(database, meeting.id, owner(long_terminal, 100, "u@" + "h" * 90).key(), "Long")
    nobody = lambda pid: False  # noqa: E731
    found = claim(database, meeting.id, owner("other", 200, "u@" + "h" * 90), nobody)
    assert found == "Long"


def test_a_draft_with_typing_is_claimed_before_an_empty_newer_one(database, meeting):
    leave(database, meeting.id, owner("pts/1", 11).key(), "Typed words")
    with database.write() as session:
        drafts.save_draft(
            session, meeting_id=meeting.id, owner=owner("pts/2", 12).key(), fields={"topic": "GP"}
        )
    assert claim(database, meeting.id, owner("pts/3", 20), lambda pid: pid == 20) == "Typed words"
