"""A programme to publish, on any database: two meetings, plan versions v1 and v2, answers
published and drafted, and input the public must never see (hidden, pending, deleted ideas and
comments, names given without consent, drafts, reviewers, staff logins), each marked by a word
in capitals that the tests look for in everything written."""

from __future__ import annotations

from dataclasses import dataclass

from meetingtui.agenda.loader import parse_agenda
from meetingtui.domain import lifecycle, meetings, moderation, plans
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, set_idea_deleted
from meetingtui.domain.programmes import find_programme
from meetingtui.domain.states import IdeaStatus
from meetingtui.store.database import Database

AGENDA = """[meeting]
title = "{title}"
date = "{date}"
programme = "Riverside"
topics = ["Transport", "Health"]
[[item]]
title = "Open floor"
minutes = 60
"""
PLAN_V1 = "# Travel\nBuses every hour.\n## Night buses\nNone yet.\n# Health\nA GP surgery.\n"
PLAN_V2 = (
    "# Travel\nBuses every half hour.\n## Night buses\nA night bus to the hospital.\n"
    "## Bus lanes\nNew lanes on the high street.\n"
)
HOSTILE = "Night bus </script><img src=x onerror=alert(1)> & more"
FORBIDDEN = [
    "HIDDEN-IDEA",
    "PENDING-IDEA",
    "DELETED-IDEA",
    "HIDDEN-COMMENT",
    "SECRET-UNCONSENTED",
    "SECRET-ORGANISATION",
    "SECRET-COMMENT-AUTHOR",
    "DRAFT-RESPONSE",
    "DRAFT-REASON",
    "SECRET-REVIEWER",
    "SECRET-ACTOR",
    "SECRET-NOTETAKER",
]


@dataclass(frozen=True)
class Published:
    first: str  # meeting codes
    second: str
    meeting_ids: list


def build_programme(database: Database) -> Published:
    with database.write() as session:
        first = meetings.create_meeting(
            session,
            agenda=parse_agenda(AGENDA.format(title="Riverside <hearing> one", date="2026-11-02")),
            code="riverone1",
        )
        second = meetings.create_meeting(
            session,
            agenda=parse_agenda(AGENDA.format(title="Riverside hearing two", date="2026-11-09")),
            code="rivertwo2",
        )

        def idea(meeting, title: str, **fields):  # noqa: ANN001, ANN202
            return capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(title=title, **fields),
                captured_by="SECRET-NOTETAKER",
            )

        bus = idea(
            first, HOSTILE, topic="Transport", raised_by="Consenting Carol", publish_name=True
        )
        gp = idea(
            first,
            "Evening GP appointments",
            topic="Health",
            raised_by="SECRET-UNCONSENTED",
            organisation="SECRET-ORGANISATION",
        )
        bench = idea(first, "Benches at the bus stops", topic="Transport")
        hidden = idea(first, "HIDDEN-IDEA about buses", topic="Transport")
        pending = idea(first, "PENDING-IDEA about buses", topic="Transport")
        deleted = idea(first, "DELETED-IDEA about buses", topic="Transport")
        lanes = idea(second, "Bus lanes on the high street", topic="Transport")
        loose = idea(second, "A cafe in the library")  # no topic
        for row, visibility in ((hidden, "hidden"), (pending, "pending")):
            moderation.set_visibility(
                session,
                meeting_id=first.id,
                entity="idea",
                entity_id=row.id,
                visibility=visibility,
            )
        set_idea_deleted(session, meeting_id=first.id, idea_id=deleted.id, deleted=True)
        add_comment(session, meeting_id=first.id, idea_ref=bus.ref, body="Yes </script> please")
        add_comment(
            session,
            meeting_id=first.id,
            idea_ref=bus.ref,
            body="Signed comment",
            author="SECRET-COMMENT-AUTHOR",
        )
        secret = add_comment(session, meeting_id=first.id, idea_ref=bus.ref, body="HIDDEN-COMMENT")
        moderation.set_visibility(
            session,
            meeting_id=first.id,
            entity="comment",
            entity_id=secret.id,
            visibility="hidden",
        )
        programme = find_programme(session, "Riverside")
        plans.add_version(
            session,
            programme=programme,
            name="v1",
            title="First draft",
            date="2026-11-20",
            markdown=PLAN_V1,
        )
        plans.add_version(
            session,
            programme=programme,
            name="v2",
            title="Second draft",
            date="2026-12-01",
            summary="What we heard changed the travel chapter.",
            markdown=PLAN_V2,
        )
        plans.link_ideas(
            session,
            programme=programme,
            idea_ids=[bus.id],
            version="v2",
            section="1.1",
            actor="SECRET-ACTOR",
        )
        plans.link_ideas(
            session, programme=programme, idea_ids=[lanes.id], version="v2", section="1.2"
        )
        lifecycle.review_ideas(
            session,
            idea_ids=[bus.id, lanes.id],
            review=lifecycle.Review(
                status=IdeaStatus.ADOPTED,
                response="We will run a night bus from March.",
                reviewer="SECRET-REVIEWER",
                publish=True,
            ),
            actor="SECRET-ACTOR",
        )
        lifecycle.review_ideas(
            session,
            idea_ids=[bench.id],
            review=lifecycle.Review(
                status=IdeaStatus.NOT_TAKEN_FORWARD,
                reason="The pavement is too narrow for benches.",
                response="We asked the highways team; there is no room.",
                publish=True,
            ),
        )
        # Drafts after publication: never shown (a plan link is a draft until published too).
        plans.link_ideas(session, programme=programme, idea_ids=[bench.id], version="v1")
        plans.link_ideas(session, programme=programme, idea_ids=[bus.id], version="v1")
        lifecycle.review_ideas(
            session,
            idea_ids=[bus.id],
            review=lifecycle.Review(
                status=IdeaStatus.ADAPTED, reason="DRAFT-REASON", response="DRAFT-RESPONSE"
            ),
        )
        lifecycle.review_ideas(
            session,
            idea_ids=[gp.id],
            review=lifecycle.Review(status=IdeaStatus.UNDER_REVIEW, response="DRAFT-RESPONSE"),
        )
        del loose
        return Published(first.code, second.code, [first.id, second.id])
