"""A plan link is published with the idea's answer: until then only the organisers see it
(record, search by version, report, plan counts), on SQLite and PostgreSQL."""

from __future__ import annotations

from meetingtui.domain import lifecycle, plans, programmes
from meetingtui.domain.catalogue import idea_detail
from meetingtui.domain.models import Idea
from meetingtui.domain.public import Audience
from meetingtui.domain.search import IdeaQuery, search_ideas
from meetingtui.export.report import build_report, report_ideas
from tests.domain.test_lifecycle_search import db, town  # noqa: F401 - fixtures

PLAN = "# Transport\n\n## Buses\n\nMore buses.\n\n## Shelters\n\nRoofs.\n"


def seen(db, audience: Audience, idea_id) -> tuple[str, str]:  # noqa: F811
    with db.read() as session:
        record = idea_detail(session, session.get(Idea, idea_id), audience).record
        return record["plan_version"], record["plan_section"]


def found(db, audience: Audience, version: str) -> list[str]:  # noqa: F811
    with db.read() as session:
        query = IdeaQuery(audience=audience, plan_version=version)
        return [idea.title for idea, _ in search_ideas(session, query)]


def reported(db, version: str) -> list[tuple[str, str, str]]:  # noqa: F811
    with db.read() as session:
        transport = programmes.find_programme(session, "Transport")
        report = build_report(session, transport, version=version)
        return [(i.title, i.plan_version, i.plan_section) for _, i in report_ideas(session, report)]


def counts(db, audience: Audience) -> list[tuple[str, int]]:  # noqa: F811
    with db.read() as session:
        transport = programmes.find_programme(session, "Transport")
        return [(v.name, n) for v, n in plans.list_versions(session, transport, audience)]


def test_a_plan_link_shows_publicly_only_once_published(db, town) -> None:  # noqa: F811
    meeting, ids = town
    with db.write() as session:
        transport = programmes.find_programme(session, "Transport")
        plans.add_version(session, programme=transport, name="v1", title="First")
        plans.add_version(session, programme=transport, name="v2", title="Second", markdown=PLAN)
        plans.link_ideas(
            session, programme=transport, idea_ids=ids[:1], version="v2", section="1.2"
        )
    assert seen(db, Audience.ORGANISERS, ids[0]) == ("v2", "1.2")
    assert seen(db, Audience.PUBLIC, ids[0]) == ("", "")
    assert found(db, Audience.PUBLIC, "v2") == []
    assert found(db, Audience.ORGANISERS, "v2") == ["Café on the high street"]
    assert reported(db, "v2") == []
    assert counts(db, Audience.PUBLIC) == [("v1", 0), ("v2", 0)]
    assert counts(db, Audience.ORGANISERS) == [("v1", 0), ("v2", 1)]
    with db.read() as session:
        assert lifecycle.has_draft(session.get(Idea, ids[0]))  # a draft link is unpublished work

    with db.write() as session:
        lifecycle.publish_answers(session, idea_ids=ids[:1])
    assert seen(db, Audience.PUBLIC, ids[0]) == ("v2", "1.2")
    assert found(db, Audience.PUBLIC, "v2") == ["Café on the high street"]
    assert reported(db, "v2") == [("Café on the high street", "v2", "1.2")]
    assert counts(db, Audience.PUBLIC) == [("v1", 0), ("v2", 1)]

    with db.write() as session:  # linked again: the public keeps the published link meanwhile
        transport = programmes.find_programme(session, "Transport")
        plans.link_ideas(session, programme=transport, idea_ids=ids[:1], version="v1")
    assert seen(db, Audience.PUBLIC, ids[0]) == ("v2", "1.2")
    assert seen(db, Audience.ORGANISERS, ids[0]) == ("v1", "")
    assert found(db, Audience.PUBLIC, "v1") == []
    assert reported(db, "v2") == [("Café on the high street", "v2", "1.2")]
