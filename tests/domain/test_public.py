"""``domain/public.py``: its SQL conditions and its functions on loaded rows say the same thing,
so the console's snapshot filtered in memory (the terminal projector) shows what the web shows."""

from __future__ import annotations

from meetingtui.domain import public
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, set_idea_deleted
from meetingtui.domain.models import Meeting
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.public import Audience
from meetingtui.domain.snapshot import load_record
from meetingtui.domain.speakers import add_speaker


def test_sql_and_row_rules_agree(database, meeting: Meeting) -> None:
    with database.write() as session:
        shown = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Shown"))
        hidden = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Hidden"))
        gone = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Gone"))
        kept = add_comment(session, meeting_id=meeting.id, idea_ref=shown.ref, body="kept")
        held = add_comment(session, meeting_id=meeting.id, idea_ref=shown.ref, body="held")
        add_comment(session, meeting_id=meeting.id, idea_ref=hidden.ref, body="on hidden")
        for entity, row in (("idea", hidden), ("comment", held)):
            set_visibility(
                session,
                meeting_id=meeting.id,
                entity=entity,
                entity_id=row.id,
                visibility="hidden",
            )
        set_idea_deleted(session, meeting_id=meeting.id, idea_id=gone.id, deleted=True)
        add_speaker(session, meeting_id=meeting.id, name="Waiting Walt")
    with database.read() as session:
        organisers = load_record(session, meeting.id, Audience.ORGANISERS)
        in_public = load_record(session, meeting.id, Audience.PUBLIC)
    assert [i.title for i in organisers.ideas] == ["Shown", "Hidden"]  # deleted: nobody
    assert organisers.comment_count() == 3 and len(organisers.speakers) == 1
    filtered = public.public_snapshot(organisers, Audience.PUBLIC)
    for snapshot in (in_public, filtered):
        assert [i.title for i in snapshot.ideas] == ["Shown"]
        assert [c.id for c in snapshot.comments[shown.id]] == [kept.id]
        assert snapshot.speakers == [] and snapshot.pending.total == 0  # not heard yet
    latest = public.latest_ideas(organisers.ideas, Audience.PUBLIC, 6)
    assert [i.title for i in latest] == ["Shown"]


def test_names_by_audience() -> None:
    from meetingtui.domain.models import Idea

    consented = Idea(title="a", ref="I-1", raised_by="Ann", organisation="Org", publish_name=True)
    private = Idea(title="b", ref="I-2", raised_by="Bob", organisation="Org", publish_name=False)
    org_only = Idea(title="c", ref="I-3", organisation="Org", publish_name=True)
    assert public.raised_by(consented, Audience.PUBLIC) == "Ann"
    assert public.organisation(consented, Audience.PUBLIC) == "Org"
    assert public.raised_by(private, Audience.PUBLIC) == ""
    assert public.organisation(private, Audience.PUBLIC) == ""
    assert public.organisation(org_only, Audience.PUBLIC) == ""  # never an organisation alone
    assert public.raised_by(private, Audience.ORGANISERS) == "Bob"
    for rule in (public.comment_author, public.speaker_name, public.staff_name):
        assert rule("Cath", Audience.PUBLIC) == "" and rule("Cath", Audience.ORGANISERS) == "Cath"


def test_the_speaker_now_is_a_place_and_a_group_never_a_name() -> None:
    from datetime import UTC, datetime, timedelta

    from meetingtui.domain.models import Speaker
    from meetingtui.domain.public import speaker_now

    start = datetime(2026, 12, 3, 19, 0, tzinfo=UTC)

    def speaker(name: str, status: str, minutes: int | None = None) -> Speaker:
        started = start + timedelta(minutes=minutes) if minutes is not None else None
        return Speaker(
            meeting_id=None, agenda_item_id=None, name=name, status=status, started_at=started
        )

    queue = [
        speaker("Joan", "done", 0),
        speaker("Left early", "withdrawn"),
        speaker("Dev", "speaking", 3),
        speaker("Ann", "waiting"),
        speaker("Ray", "waiting"),
    ]
    now = speaker_now(queue, Audience.PUBLIC)
    assert now is not None and (now.number, now.of, now.name) == (2, 4, "")
    assert speaker_now(queue, Audience.ORGANISERS).name == "Dev"
    assert speaker_now(queue[:2], Audience.PUBLIC) is None  # nobody speaking
