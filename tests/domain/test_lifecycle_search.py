"""The catalogue's search, refs across meetings and plan versions, on SQLite and PostgreSQL."""

from __future__ import annotations

import importlib.util
import uuid

import pytest
from sqlmodel import select

from meetingtui.domain import lifecycle, plans, programmes
from meetingtui.domain.catalogue_refs import resolve_ref, resolve_refs
from meetingtui.domain.errors import DomainError, FieldErrors, NotFound
from meetingtui.domain.ideas import IdeaInput, capture_idea, set_idea_deleted, update_idea
from meetingtui.domain.lifecycle import Review, review_ideas
from meetingtui.domain.models import IdeaChange
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience
from meetingtui.domain.search import (
    POSTGRESQL_VECTOR,
    IdeaQuery,
    search_ideas,
    search_statement,
)
from meetingtui.domain.states import IdeaStatus
from meetingtui.store.database import Database
from meetingtui.store.migrate import MIGRATIONS_DIR
from tests.domain.test_lifecycle_answers import new_meeting


@pytest.fixture
def db(any_database: Database) -> Database:
    """On SQLite and on PostgreSQL (tests/conftest.py)."""
    return any_database


IDEAS = [
    ("Café on the high street", "Somewhere warm to wait for the bus"),
    ("More benches", "Benches near the surgery; benches by the bus stop; benches everywhere"),
    ("Bus shelter", "A shelter at the stop by the surgery"),
    ("Cut fares by 50%", ""),
]


@pytest.fixture
def town(db):
    with db.write() as session:
        meeting = new_meeting(session, "Town", "Transport", code="towncode23")
        ids = [
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=t, detail=d)).id
            for t, d in IDEAS
        ]
    return meeting, ids


def titles(db, **query) -> list[str]:
    with db.read() as session:
        return [idea.title for idea, _ in search_ideas(session, IdeaQuery(**query))]


def test_words_match_as_prefixes_accents_aside_best_first(db, town) -> None:
    assert titles(db, text="bench") == ["More benches"]
    assert titles(db, text="cafe") == ["Café on the high street"]  # accents aside
    assert titles(db, text="CAFÉ") == ["Café on the high street"]
    assert sorted(titles(db, text="bus stop")) == ["Bus shelter", "More benches"]
    assert titles(db, text="surgery shelter") == ["Bus shelter"]  # every word must match
    assert titles(db, text="nothing-like-this") == []


def test_the_best_match_comes_first(db) -> None:
    with db.write() as session:
        meeting = new_meeting(session, "Park", code="parkcode23")
        for title, detail in (
            ("Seating", "maybe one bench somewhere in the long park by the long river road"),
            ("Benches", "a bench, a bench, please a bench"),
        ):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title, detail=detail))
    assert titles(db, text="bench") == ["Benches", "Seating"]


def test_text_without_words_is_found_literally(db, town) -> None:
    assert titles(db, text="50%") == ["Cut fares by 50%"]
    assert titles(db, text="%") == ["Cut fares by 50%"]
    assert titles(db, text="_") == []


def test_search_follows_edits_deletes_and_the_public_record(db, town) -> None:
    meeting, ids = town
    with db.write() as session:
        update_idea(session, meeting_id=meeting.id, idea_id=ids[2], changes={"title": "Bus canopy"})
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=ids[1], deleted=True)
        set_visibility(
            session, meeting_id=meeting.id, entity="idea", entity_id=ids[0], visibility="hidden"
        )
    assert titles(db, text="canopy") == ["Bus canopy"]
    assert titles(db, text="shelter") == ["Bus canopy"]  # still in its detail
    assert titles(db, text="bench") == []  # deleted
    assert titles(db, text="cafe") == []  # hidden, for the public
    assert titles(db, text="cafe", audience=Audience.ORGANISERS) == ["Café on the high street"]


def test_filters_read_the_status_the_audience_sees(db, town) -> None:
    _, ids = town
    with db.write() as session:
        lifecycle.set_status(session, idea_ids=ids[:2], status=IdeaStatus.ADOPTED)
        review = Review(status=IdeaStatus.ADOPTED, response="Yes", publish=True)
        review_ideas(session, idea_ids=[ids[1]], review=review)
    assert titles(db, statuses=["adopted"]) == ["More benches"]
    organisers = titles(db, statuses=["adopted"], audience=Audience.ORGANISERS)
    assert organisers == ["Café on the high street", "More benches"]
    assert titles(db, needs_answer=True) == ["Café on the high street", "Bus shelter", IDEAS[3][0]]


def test_the_postgresql_query_says_what_its_index_is_built_on() -> None:
    path = next((MIGRATIONS_DIR / "versions").glob("*_catalogue_programmes_*.py"))
    spec = importlib.util.spec_from_file_location("catalogue_migration", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.POSTGRESQL_VECTOR == POSTGRESQL_VECTOR


def test_postgresql_search_uses_its_index(postgres_url) -> None:
    database = Database.open(postgres_url, migrate=True)
    with database.write() as session:
        meeting = new_meeting(session, "Town", code="pgsearch23")
        for n in range(400):
            title = f"Idea {n} bus" if n % 200 == 0 else f"Idea {n}"
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=title))
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE idea")
        connection.commit()
    with database.read() as session:
        statement = search_statement(session, IdeaQuery(text="bus"))
        compiled = statement.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        # 400 short ideas are read faster whole, or by another index, now that their search
        # text is stored (revision 0009): what is checked is that the GIN index can answer it.
        for setting in ("enable_seqscan", "enable_indexscan"):
            session.connection().exec_driver_sql(f"SET LOCAL {setting} = off")
        plan = session.connection().exec_driver_sql(f"EXPLAIN {compiled}").all()
    assert any("ix_idea_search" in row[0] for row in plan), "\n".join(r[0] for r in plan)
    database.close()


# ---------------------------------------------------------------------------- refs


def test_a_bare_ref_is_enough_when_one_meeting_has_it(db) -> None:
    with db.write() as session:
        east = new_meeting(session, "East", "Transport", code="eastcode23")
        west = new_meeting(session, "West", "Transport", code="westcode23")
        other = new_meeting(session, "Elsewhere", "Health", code="elsecode23")
        for meeting in (east, west, other):
            capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title=meeting.title))
        capture_idea(session, meeting_id=east.id, data=IdeaInput(title="East two"))
    with db.read() as session:
        transport = programmes.find_programme(session, "Transport")

        def named(text: str) -> str:
            return resolve_ref(
                session, text, programme=transport, audience=Audience.ORGANISERS
            ).title

        assert named("I-0002") == "East two"
        assert named("i2") == "East two"
        assert named("westcode23/I-0001") == "West"
        assert named("WESTCODE23/1") == "West"
        with pytest.raises(DomainError, match="eastcode23/I-0001, westcode23/I-0001"):
            named("I-0001")
        with pytest.raises(NotFound, match="No idea elsecode23/I-0001 in programme 'Transport'"):
            named("elsecode23/I-0001")
        with pytest.raises(NotFound, match="I-0009.*I-0008"):
            resolve_refs(
                session,
                ["I-0002", "I-0009", "I-0008"],
                programme=transport,
                audience=Audience.PUBLIC,
            )


# ---------------------------------------------------------------------------- plan versions

PLAN = """# Our transport plan

Intro text.

## Buses

### Shelters
Shelters at every stop.

```
# not a heading
```

### Fares

## Walking
#### Benches
"""


def test_markdown_headings_become_numbered_sections() -> None:
    found = [(s.number, s.title) for s in plans.number_sections(PLAN)]
    assert found == [
        ("1", "Our transport plan"),
        ("1.1", "Buses"),
        ("1.1.1", "Shelters"),
        ("1.1.2", "Fares"),
        ("1.2", "Walking"),
        ("1.2.1", "Benches"),
    ]
    shelters = plans.number_sections(PLAN)[2]
    assert "Shelters at every stop." in shelters.body and "# not a heading" in shelters.body


SETEXT_PLAN = """Our transport plan
==================

Intro text.

Buses and
trams
---------

Shelters.

   ### Fares

```
code
~~~
# still code
```

    # indented code
Walking
-------

---
"""


def test_setext_and_indented_headings_are_sections_too() -> None:
    """Found by review: a plan written with underlined (setext) headings, as many editors and
    converters write them, or with a heading indented by up to three spaces, was imported with
    its sections missing; a ``~~~`` line inside a backtick block ended the block."""
    found = [(s.number, s.title) for s in plans.number_sections(SETEXT_PLAN)]
    assert found == [
        ("1", "Our transport plan"),
        ("1.1", "Buses and trams"),
        ("1.1.1", "Fares"),
        ("1.2", "Walking"),
    ]
    fares = plans.number_sections(SETEXT_PLAN)[2]
    assert "# still code" in fares.body and "    # indented code" in fares.body
    assert plans.number_sections(SETEXT_PLAN)[0].body == "Intro text."


def test_version_names_differ_by_more_than_case(db, town) -> None:
    """Found by review: ``v2`` and ``V2`` were both accepted, and their site pages
    (``plan/v2.html``, ``plan/V2.html``) and report file names are one file on a disk that
    ignores case (macOS, Windows): one version's page silently replaced the other's."""
    from meetingtui.domain.models import PlanVersion

    with db.write() as session:
        transport = programmes.find_programme(session, "Transport")
        plans.add_version(session, programme=transport, name="v2", title="Second draft")
    for alike in ("V2", " V2 "):
        with db.write() as session:
            transport = programmes.find_programme(session, "Transport")
            with pytest.raises(FieldErrors, match="already has a version v2"):
                plans.add_version(session, programme=transport, name=alike, title="Again")
    with db.read() as session:
        assert [v.name for v in session.exec(select(PlanVersion))] == ["v2"]


def test_ideas_link_to_a_version_and_section(db, town) -> None:
    meeting, ids = town
    with db.write() as session:
        transport = programmes.find_programme(session, "Transport")
        plans.add_version(session, programme=transport, name="v1", title="Draft", date="2026-11-01")
        plans.add_version(
            session, programme=transport, name="v2", title="Second draft", markdown=PLAN
        )
        with pytest.raises(FieldErrors, match="already has a version v2"):
            plans.add_version(session, programme=transport, name="v2", title="Again")
        with pytest.raises(FieldErrors, match="v2 has no section 9"):
            plans.link_ideas(
                session, programme=transport, idea_ids=ids[:1], version="v2", section="9"
            )
        with pytest.raises(NotFound, match="Versions: v1, v2"):
            plans.link_ideas(session, programme=transport, idea_ids=ids[:1], version="v3")
        plans.link_ideas(
            session, programme=transport, idea_ids=ids[1:3], version="v2", section="1.1.1"
        )
        plans.link_ideas(session, programme=transport, idea_ids=ids[:1], version="v1")
        default = programmes.find_programme(session, None)
        with pytest.raises(DomainError, match="Not in programme 'default'"):
            plans.add_version(session, programme=default, name="v1", title="Other")
            plans.link_ideas(session, programme=default, idea_ids=ids[:1], version="v1")
    with db.read() as session:
        listed = [
            (v.name, n) for v, n in plans.list_versions(session, transport, Audience.ORGANISERS)
        ]
        assert listed == [("v1", 1), ("v2", 2)]
        assert plans.section_title(session, transport.id, "v2", "1.1.1") == "Shelters"
        entries = session.exec(select(IdeaChange).where(IdeaChange.idea_id == ids[1])).all()
        assert [(e.field, e.from_value, e.to_value) for e in entries] == [("plan", "", "v2 §1.1.1")]
        assert lifecycle.history(session, ids[1], Audience.PUBLIC) == []  # until published
    with db.write() as session:
        lifecycle.publish_answers(session, idea_ids=[ids[1]])
    with db.read() as session:
        shown = lifecycle.history(session, ids[1], Audience.PUBLIC)
        assert [(e.field, e.to_value) for e in shown] == [("plan", "v2 §1.1.1")]


def test_a_page_newest_first_walks_the_capture_index(database) -> None:
    """A filtered page of a programme, newest first, reads an index in capture order and stops
    after its rows (with the planner's statistics, as revision 0006 gathers them), rather than
    sorting every idea of the programme."""
    from sqlalchemy import insert

    from meetingtui.domain.models import Idea

    with database.write() as session:
        made = [new_meeting(session, f"M{n}", "Big", code=f"bigcode{n:03d}") for n in range(20)]
        rows = [
            {
                "id": uuid.uuid4(),
                "ref": f"I-{n // 20 + 1:04d}",
                "seq": n // 20 + 1,
                "meeting_id": made[n % 20].id,
                "title": f"Idea {n}",
                "topic": ("Buses", "Parks")[n % 2],
            }
            for n in range(4000)
        ]
        session.execute(insert(Idea.__table__), rows)
    with database.engine.connect() as connection:
        connection.exec_driver_sql("ANALYZE")
        connection.commit()
    with database.read() as session:
        ids = programmes.programme_meeting_ids(session, programmes.find_programme(session, "Big"))
        query = IdeaQuery(meeting_ids=ids, topic="Buses", order="newest", limit=50)
        statement = search_statement(session, query)
        compiled = statement.compile(
            dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}").all()
        assert len(search_ideas(session, query)) == 50
    details = [row[-1] for row in plan]
    # ix_idea_topic_captured (revision 0009): the topic's ideas in order, nothing sorted.
    assert any("ix_idea_topic_captured" in d for d in details), details
    assert not any("TEMP B-TREE" in d for d in details), details
