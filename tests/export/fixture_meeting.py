"""A fixed meeting for golden-file tests: fixed ids and times, with accents, markup and emoji in
people's input, a name with consent and one without, records, speakers and supports."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

from meetingtui.domain.models import AgendaItem, Comment, Idea, ItemRecord, Meeting, Speaker
from meetingtui.domain.snapshot import MeetingSnapshot

T0 = datetime(2026, 12, 3, 18, 30, tzinfo=UTC)
NOW = datetime(2026, 12, 3, 20, 45, tzinfo=UTC)


def _id(n: int) -> uuid.UUID:
    return uuid.UUID(int=n)


def fixture_snapshot() -> MeetingSnapshot:
    meeting = Meeting(
        id=_id(1),
        code="k7fq2mxp9d",
        title="Santé & care: « your say » <2026>",
        date="2026-12-03",
        start="18:30",
        timezone="Europe/London",
        location="Salle Érable, Riverside Centre",
        facilitator="Amara Okafor",
        topics=json.dumps(["GP access", "Mental health"]),
        moderation="post",
        language="en",
        status="closed",
        attendance=87,
        current_item_id=None,
        created_at=T0,
        started_at=T0,
        closed_at=NOW,
    )
    items = [
        AgendaItem(
            id=_id(11),
            meeting_id=meeting.id,
            position=0,
            title="Welcome",
            minutes=10,
            kind="presentation",
            presenter="Amara Okafor",
            notes="House rules & how the QR code works.",
            status="done",
            started_at=T0,
            ended_at=T0 + timedelta(minutes=12),
            elapsed_seconds=720.0,
        ),
        AgendaItem(
            id=_id(12),
            meeting_id=meeting.id,
            position=1,
            title="Open floor: *questions* and ideas",
            minutes=45,
            kind="public-comment",
            speaker_minutes=3,
            status="done",
            started_at=T0 + timedelta(minutes=12),
            ended_at=T0 + timedelta(minutes=60),
            elapsed_seconds=2880.0,
        ),
        AgendaItem(
            id=_id(13),
            meeting_id=meeting.id,
            position=2,
            title="Close",
            minutes=5,
            kind="presentation",
            status="pending",
        ),
    ]
    ideas = [
        Idea(
            id=_id(21),
            ref="I-0001",
            seq=1,
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            title="Evening GP slots <b>now</b> 🩺",
            detail="Carers who work can't call at 8am.\n# Not a heading\n=SUM(A1:A9)",
            raised_by="Zoë Müller",
            organisation="Carers' Forum",
            publish_name=True,
            stakeholder="carer",
            channel="phone",
            topic="GP access",
            tags=json.dumps(["access", "évening"]),
            scale="quick-win",
            benefits=json.dumps(["access", "equity"]),
            affects="Working carers",
            captured_by="Note-taker 1",
            captured_at=T0 + timedelta(minutes=20),
            status="adopted",
            response="Added to plan v2, section 3 & 4.",
            public_status="adopted",  # published (domain/lifecycle.py publish_answers)
            public_response="Added to plan v2, section 3 & 4.",
            published_at=T0 + timedelta(days=7),
            plan_version="v2",
            public_plan_version="v2",  # the link published with the answer
        ),
        Idea(
            id=_id(22),
            ref="I-0002",
            seq=2,
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            title="Talk therapy in Polish & Punjabi",
            raised_by="Private Person",
            organisation="Hidden Org",
            publish_name=False,
            stakeholder="patient",
            channel="card",  # typed in from paper card C-0137 (domain/cards.py)
            card_number=137,
            topic="Mental health",
            captured_by="Note-taker 2",
            captured_at=T0 + timedelta(minutes=30),
        ),
    ]
    comments = {
        _id(21): [
            Comment(
                id=_id(31),
                idea_id=_id(21),
                meeting_id=meeting.id,
                body="Yes! <script>alert('x')</script> 👍",
                author="Sam",
                created_at=T0 + timedelta(minutes=25),
            )
        ],
        _id(22): [],
    }
    records = [
        ItemRecord(
            id=_id(41),
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            kind="decision",
            text="Extend the consultation by two weeks",
            created_at=T0,
        ),
        ItemRecord(
            id=_id(42),
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            kind="action",
            text="Publish minutes | all formats",
            owner="Clerk",
            due="2026-12-10",
            created_at=T0,
        ),
        ItemRecord(
            id=_id(43),
            meeting_id=meeting.id,
            agenda_item_id=_id(11),
            kind="note",
            text="Hearing loop working",
            created_at=T0,
        ),
    ]
    speakers = [
        Speaker(
            id=_id(51),
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            name="Ana Souza",
            stakeholder="resident",
            source="floor",
            status="done",
            requested_at=T0 + timedelta(minutes=13),
            started_at=T0 + timedelta(minutes=14),
            ended_at=T0 + timedelta(minutes=17),
        ),
        Speaker(
            id=_id(52),
            meeting_id=meeting.id,
            agenda_item_id=_id(12),
            source="phone",
            status="withdrawn",
            requested_at=T0 + timedelta(minutes=15),
        ),
    ]
    return MeetingSnapshot(
        meeting=meeting,
        items=items,
        ideas=ideas,
        comments=comments,
        supports={_id(21): 12, _id(22): 1},
        speakers=speakers,
        records=records,
    )
