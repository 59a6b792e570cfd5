"""The quick search (domain/search.py) gives the pages the plain one gives: a bounded set of
the best matches ranked first, the filters after, and every fallback; the statistics the
planner needs are gathered as a new database grows (store/database.py)."""

from __future__ import annotations

import random
import sqlite3
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert
from sqlmodel import select

from meetingtui.domain import search
from meetingtui.domain.models import Idea
from meetingtui.domain.public import Audience
from meetingtui.domain.search import IdeaQuery, search_ideas, search_statement
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting
from tests.domain.test_lifecycle_search import db, town  # noqa: F401 - fixtures

WORDS = [
    "bus",
    "buses",
    "bench",
    "café",
    "cafe",
    "night",
    "river",
    "park",
    "school",
    "lane",
    "ramp",
]
START = datetime(2026, 9, 1, tzinfo=UTC)


@pytest.fixture
def catalogue(tmp_path) -> tuple[Database, list[uuid.UUID]]:
    """600 ideas over three meetings, some hidden, waiting or deleted, with statuses,
    reviewers and published answers, in a fresh SQLite file."""
    database = Database.open(f"sqlite:///{tmp_path / 'catalogue.sqlite3'}", migrate=True)
    rng = random.Random(7)
    with database.write() as session:
        made = [new_meeting(session, f"M{n}", "Big", code=f"speedcode{n}") for n in range(3)]
        rows = []
        for n in range(600):
            status = rng.choice(["new", "new", "under-review", "adopted", "adapted"])
            published = rng.random() < 0.5
            rows.append(
                {
                    "id": uuid.UUID(int=rng.getrandbits(128)),
                    "ref": f"I-{n // 3 + 1:04d}",
                    "seq": n // 3 + 1,
                    "meeting_id": made[n % 3].id,
                    "title": " ".join(rng.sample(WORDS, 3)),
                    "detail": " ".join(rng.choices(WORDS, k=rng.randint(0, 12))),
                    "topic": rng.choice(["Transport", "Parks", "Health"]),
                    "channel": rng.choice(["spoken", "phone", "paper"]),
                    "reviewer": rng.choice(["", "", "Priya", "Tom"]),
                    "status": status,
                    "public_status": status if published else "new",
                    "public_response": "Yes" if published and status != "new" else "",
                    "visibility": rng.choice(["visible"] * 8 + ["hidden", "pending"]),
                    "deleted_at": START if rng.random() < 0.05 else None,
                    "captured_at": START + timedelta(minutes=n),
                }
            )
        session.execute(insert(Idea.__table__), rows)  # type: ignore[attr-defined]
    yield database, [m.id for m in made]
    database.close()


def plain(database: Database, query: IdeaQuery) -> list[uuid.UUID]:
    """The page by the plain method: every match ranked (FTS5, the same weights), the
    public-record rules and filters applied in Python, then cut."""
    weights = ", ".join(["0.0", *(repr(search.BM25_WEIGHTS[c]) for c in search.SEARCHED)])
    path = database.engine.url.database
    raw = sqlite3.connect(path)
    ranked = raw.execute(
        f"SELECT idea_id, bm25(idea_fts, {weights}) AS s FROM idea_fts WHERE idea_fts MATCH ? "
        "ORDER BY s, rowid",
        (search.fts5_query(search.words(query.text)),),
    ).fetchall()
    raw.close()
    with database.read() as session:
        ideas = {idea.id: idea for idea in session.exec(select(Idea)).all()}
    kept = []
    for hex_id, _score in ranked:
        idea = ideas[uuid.UUID(hex_id)]
        public = query.audience is Audience.PUBLIC
        if idea.deleted_at is not None or (public and idea.visibility != "visible"):
            continue
        status = idea.public_status if public else idea.status
        if query.statuses and status not in query.statuses:
            continue
        if query.topics and idea.topic not in query.topics:
            continue
        if query.topic and idea.topic != query.topic:
            continue
        if query.channels and idea.channel not in query.channels:
            continue
        if query.reviewer and not public and idea.reviewer != query.reviewer:
            continue
        if query.answered is not None and bool(idea.public_response) != query.answered:
            continue
        kept.append(idea.id)
    return kept[query.offset : query.offset + (query.limit or len(kept))]


QUERIES = [
    {"text": "bus"},
    {"text": "caf"},
    {"text": "bench night"},
    {"text": "bus", "offset": 50},
    {"text": "bus", "topic": "Parks"},
    {"text": "bus", "statuses": ("adopted",)},
    {"text": "river", "statuses": ("adopted", "adapted"), "channels": ("paper",)},
    {"text": "park", "topics": ("Parks", "Health"), "answered": True},
    {"text": "lane", "reviewer": "Priya", "audience": Audience.ORGANISERS},
    {"text": "ramp", "statuses": ("under-review",), "audience": Audience.ORGANISERS},
    {"text": "bus", "statuses": ("adopted", "adapted"), "offset": 5},
    {"text": "café", "topic": "Health", "channels": ("phone",)},
    {"text": "bench", "reviewer": "Tom", "audience": Audience.PUBLIC},  # staff: not a filter
    {"text": "zebra"},
    {"text": "zebra", "statuses": ("adopted",)},
]


@pytest.mark.parametrize("filtered_max", [5000, 0], ids=["filters-first", "candidates-first"])
@pytest.mark.parametrize("candidates", [500, 12])
@pytest.mark.parametrize("query", QUERIES, ids=lambda q: ",".join(f"{k}={v}" for k, v in q.items()))
def test_a_page_is_the_one_ranking_every_match_gives(
    catalogue, monkeypatch, query, candidates, filtered_max
):
    """With the bounded set as large as usual (every match fits) and tiny (12: the filters
    leave the page short and it falls back), and with filters that keep few ideas applied
    first or not (``FILTERED_MAX``), the page is the plain method's."""
    database, meeting_ids = catalogue
    monkeypatch.setattr(search, "CANDIDATES", candidates)
    monkeypatch.setattr(search, "CANDIDATES_PER_ROW", 1)
    monkeypatch.setattr(search, "FILTERED_MAX", filtered_max)
    wanted = IdeaQuery(meeting_ids=meeting_ids, limit=20, **query)
    with database.read() as session:
        found = [idea.id for idea, _ in search_ideas(session, wanted)]
        every = [idea.id for idea, _ in session.exec(search_statement(session, wanted))]
    assert found == plain(database, wanted)
    assert every == found


def test_a_word_in_very_many_ideas_is_ranked_among_its_newest_matches(catalogue, monkeypatch):
    database, meeting_ids = catalogue
    monkeypatch.setattr(search, "RANKED_MAX", 40)
    query = IdeaQuery(meeting_ids=meeting_ids, text="bus", limit=10)
    with database.read() as session:
        found = search_ideas(session, query)
        newest = search_ideas(session, IdeaQuery(meeting_ids=meeting_ids, text="bus"))
    raw = sqlite3.connect(database.engine.url.database)
    newest_rows = {
        uuid.UUID(hex_id)
        for (hex_id,) in raw.execute(
            "SELECT idea_id FROM idea_fts WHERE idea_fts MATCH '\"bus\"*' ORDER BY rowid DESC "
            "LIMIT 40"
        )
    }
    raw.close()
    assert len(found) == 10
    assert {idea.id for idea, _ in found} <= newest_rows
    assert len(newest) > 40  # without a page, every match is ranked
    deep = IdeaQuery(meeting_ids=meeting_ids, text="bus", limit=10, offset=45)
    with database.read() as session:
        past = [idea.id for idea, _ in search_ideas(session, deep)]
    assert past == plain(database, deep)  # past the newest 40: every match ranked


@pytest.mark.parametrize("typed", ["caf", "CAFÉ", "cafe", "Café"])
def test_prefixes_and_accents(catalogue, typed) -> None:
    """unicode61 with diacritics removed (revision 0008): "caf" finds café and cafe."""
    database, meeting_ids = catalogue
    query = IdeaQuery(meeting_ids=meeting_ids, text=typed, audience=Audience.ORGANISERS)
    with database.read() as session:
        found = search_ideas(session, query)
    assert found
    assert all("caf" in (i.title + " " + i.detail).replace("é", "e") for i, _ in found)
    assert any("café" in i.title + i.detail for i, _ in found)
    assert any("cafe" in (i.title + " " + i.detail).split() for i, _ in found)


def test_statistics_are_gathered_as_a_new_database_grows(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'grows.sqlite3'}"
    database = Database.open(url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "Grows", code="growcode23")
        session.execute(
            insert(Idea.__table__),  # type: ignore[attr-defined]
            [
                {
                    "id": uuid.uuid4(),
                    "ref": f"I-{n:04d}",
                    "seq": n,
                    "meeting_id": meeting.id,
                    "title": f"Idea {n}",
                }
                for n in range(1, 401)
            ],
        )
    assert database.refresh_statistics()  # 400 ideas, measured at none
    assert not database.refresh_statistics()  # measured now
    database.close()
    raw = sqlite3.connect(tmp_path / "grows.sqlite3")
    measured = raw.execute(
        "SELECT stat FROM sqlite_stat1 WHERE idx = 'ix_idea_captured_at'"
    ).fetchone()
    raw.close()
    assert int(measured[0].split()[0]) >= 300  # sampled: about the 400 there are


def test_a_database_opened_to_read_is_not_changed(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'read.sqlite3'}"
    Database.open(url, migrate=True).close()
    path = tmp_path / "read.sqlite3"
    before = path.read_bytes()
    reader = Database.open(url)
    with reader.read() as session:
        search_ideas(session, IdeaQuery(text="bus"))
    reader.close()
    assert path.read_bytes() == before


def test_multi_select_filters_offset_and_answered_on_both_databases(db, town) -> None:  # noqa: F811
    """The same filters on SQLite and PostgreSQL (``db``: both)."""
    from meetingtui.domain import lifecycle
    from meetingtui.domain.lifecycle import Review, review_ideas
    from meetingtui.domain.states import IdeaStatus

    meeting, ids = town
    with db.write() as session:
        for idea_id, topic in zip(ids, ["Parks", "Housing", "Parks", "Health"], strict=True):
            session.get(Idea, idea_id).topic = topic  # as imported: any topic
        review = Review(status=IdeaStatus.ADOPTED, response="Yes", publish=True)
        review_ideas(session, idea_ids=[ids[2]], review=review)
        lifecycle.set_status(session, idea_ids=[ids[1]], status=IdeaStatus.UNDER_REVIEW)

    def titles(**query) -> list[str]:
        with db.read() as session:
            found = search_ideas(session, IdeaQuery(order="oldest", **query))
            return [idea.title for idea, _ in found]

    assert titles(topics=("Parks", "Health")) == [
        "Café on the high street",
        "Bus shelter",
        "Cut fares by 50%",
    ]
    assert titles(topics=("Parks", "Health"), offset=1, limit=1) == ["Bus shelter"]
    assert titles(answered=True) == ["Bus shelter"]
    assert titles(answered=False, text="bus") == ["Café on the high street", "More benches"]
    assert titles(statuses=("adopted", "under-review")) == ["Bus shelter"]  # published only
    organisers = titles(statuses=("adopted", "under-review"), audience=Audience.ORGANISERS)
    assert organisers == ["More benches", "Bus shelter"]
    found = titles(text="bus", topics=("Parks", "Housing"), limit=5)
    assert sorted(found) == ["Bus shelter", "Café on the high street", "More benches"]
