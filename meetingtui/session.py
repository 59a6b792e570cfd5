"""One person's session on a running meeting: what the console does, without the console.

``MeetingSession`` holds no UI: each intent method is one write transaction calling the domain's
service functions, and returns the sentence to tell the person. ``LiveFeed`` follows the change
feed and turns the events since the last read into a ``LiveChange`` that names only what
changed (this idea, these comments' ideas, the queue), read in one transaction; ``LiveMeeting``
(domain/snapshot.py) applies it. Nothing here grows with the size of the meeting: a live screen
holds the current item's newest ideas, their latest comments and counts by SQL.

The Textual app (tui/) owns one session and one feed follower and hands state to its screens;
a test or a bench drives the same objects without a terminal.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from meetingtui.domain import drafts, ideas, meetings, records, speakers
from meetingtui.domain.errors import FieldErrors
from meetingtui.domain.feed import events_since, latest_event_id
from meetingtui.domain.ideas import IdeaInput
from meetingtui.domain.models import AgendaItem, Idea, Meeting, Speaker
from meetingtui.domain.moderation import PendingCounts, pending_counts, set_visibility
from meetingtui.domain.records import RECORD_KINDS
from meetingtui.domain.snapshot import (
    COMMENTS_SHOWN,
    IDEAS_SHOWN,
    IdeaRows,
    LiveMeeting,
    ModerationEntry,
    ideas_of_comments,
    item_idea_total,
    item_records,
    item_speakers,
    last_idea_by,
    latest_public_ideas,
    load_idea_rows,
    load_live_meeting,
    moderation_queue,
)
from meetingtui.domain.states import Moderation, SpeakerSource, Visibility
from meetingtui.store.database import Database

REMEMBERED_FIELDS = ("topic", "stakeholder", "channel")
EVENTS_PER_READ = 2000  # more than this since the last read: read the current item afresh

Undoable = Callable[["MeetingSession"], str]
"""A change to run later in a session (what ``u`` does after a delete)."""


@dataclass
class LiveChange:
    """What changed since the last read, read in one transaction. ``full`` replaces the whole
    live view (the current item moved, or too much happened); otherwise only the parts set."""

    event_id: int
    full: LiveMeeting | None = None
    meeting: Meeting | None = None
    items: list[AgendaItem] | None = None
    rows: IdeaRows | None = None  # ideas read again (upserted into the view)
    gone: set[uuid.UUID] = field(default_factory=set)  # ideas no longer in the view
    idea_total: int | None = None
    speakers: list[Speaker] | None = None
    records: list[Any] | None = None
    pending: PendingCounts | None = None
    arrived_speakers: list[Speaker] = field(default_factory=list)  # new requests from phones
    events: int = 0

    @property
    def changed_ideas(self) -> set[uuid.UUID]:
        return set(self.rows.ideas if self.rows else ()) | self.gone


def apply_change(view: LiveMeeting, change: LiveChange) -> LiveMeeting:
    """The view with ``change`` applied (the same object unless ``change.full``)."""
    if change.full is not None:
        return change.full
    if change.meeting is not None:
        view.meeting = change.meeting
    if change.items is not None:
        view.items = change.items
    rows = view.rows
    for idea_id in change.gone:
        rows.ideas.pop(idea_id, None)
        rows.latest_comments.pop(idea_id, None)
        rows.comment_counts.pop(idea_id, None)
        rows.supports.pop(idea_id, None)
    if change.rows is not None:
        rows.ideas.update(change.rows.ideas)
        rows.latest_comments.update(change.rows.latest_comments)
        rows.comment_counts.update(change.rows.comment_counts)
        rows.supports.update(change.rows.supports)
        if len(rows.ideas) > IDEAS_SHOWN:  # keep the newest
            for idea in sorted(rows.ideas.values(), key=lambda i: i.seq)[: -IDEAS_SHOWN or None]:
                change.gone.add(idea.id)
                rows.ideas.pop(idea.id)
                rows.latest_comments.pop(idea.id, None)
                rows.comment_counts.pop(idea.id, None)
                rows.supports.pop(idea.id, None)
    if change.idea_total is not None:
        view.idea_total = change.idea_total
    if change.speakers is not None:
        view.speakers = change.speakers
    if change.records is not None:
        view.records = change.records
    if change.pending is not None:
        view.pending = change.pending
    return view


class MeetingSession:
    """The console's work on one meeting: reads for the live view and one write per intent."""

    def __init__(
        self, database: Database, meeting_id: uuid.UUID, *, operator: str, draft_owner: str
    ) -> None:
        self.database = database
        self.meeting_id = meeting_id
        self.operator = operator or "console"
        self.draft_owner = draft_owner or self.operator
        self.remembered: dict[str, str] = {}
        self.draft: dict[str, Any] | None = None
        self.draft_idea_id: uuid.UUID | None = None
        self.moderation = "post"  # the meeting's, as last read (pre: phones' input waits)

    # ---- reads ----------------------------------------------------------------------------

    def load(self) -> LiveChange:
        """The whole live view and the feed position it reflects, in one transaction."""
        with self.database.read() as session:
            event_id = latest_event_id(session)
            view = load_live_meeting(session, self.meeting_id)
            self.moderation = view.meeting.moderation
            if not self.remembered:
                last = last_idea_by(session, self.meeting_id, self.operator)
                if last is not None:
                    self.remembered = {name: getattr(last, name) for name in REMEMBERED_FIELDS}
        return LiveChange(event_id=event_id, full=view)

    def changes_since(self, after_id: int, item_id: uuid.UUID | None) -> LiveChange | None:
        """What the events after ``after_id`` changed in the live view of item ``item_id``, or
        None when nothing happened. Reads only the entities the events name."""
        with self.database.read() as session:
            events = events_since(
                session, after_id, meeting_id=self.meeting_id, limit=EVENTS_PER_READ
            )
            if not events:
                return None
            last_id = events[-1].id or after_id
            if len(events) >= EVENTS_PER_READ:
                return self._full(session, last_id, len(events))
            entities: dict[str, set[str]] = {}
            for event in events:
                entities.setdefault(event.entity, set()).add(event.entity_id)
            change = LiveChange(event_id=last_id, events=len(events))
            if {"meeting", "agenda_item"} & entities.keys():
                meeting = session.get(Meeting, self.meeting_id)
                if meeting is None or meeting.current_item_id != item_id:
                    return self._full(session, last_id, len(events))
                change.meeting = meeting
                self.moderation = meeting.moderation
                change.items = meetings.agenda_items(session, self.meeting_id)
            unknown = entities.keys() - {
                "meeting",
                "agenda_item",
                "idea",
                "comment",
                "speaker",
                "item_record",
            }
            if unknown:
                return self._full(session, last_id, len(events))
            idea_ids = {uuid.UUID(i) for i in entities.get("idea", ()) if i}
            comment_ids = [uuid.UUID(i) for i in entities.get("comment", ()) if i]
            idea_ids |= ideas_of_comments(session, comment_ids)
            if idea_ids:
                rows = load_idea_rows(session, list(idea_ids), comments_shown=COMMENTS_SHOWN)
                ideas_moved = "idea" in entities or any(
                    e.kind.startswith("moderation.") for e in events
                )
                for idea_id in idea_ids:
                    idea = rows.ideas.get(idea_id)
                    if (
                        idea is None
                        or idea.agenda_item_id != item_id
                        or idea.visibility == Visibility.HIDDEN
                    ):
                        change.gone.add(idea_id)
                        rows.ideas.pop(idea_id, None)
                change.rows = rows
                if ideas_moved:  # a comment changes neither how many ideas nor their order
                    change.idea_total = item_idea_total(session, self.meeting_id, item_id)
                # In a post-moderated meeting phones' input never waits.
                if ideas_moved or self.moderation == Moderation.PRE:
                    change.pending = pending_counts(session, self.meeting_id)
            if "speaker" in entities:
                change.speakers = item_speakers(session, self.meeting_id, item_id)
                new = {uuid.UUID(i) for i in entities["speaker"] if i}
                arrived = {e.entity_id for e in events if e.kind == "speaker.added"}
                change.arrived_speakers = [
                    s
                    for s in change.speakers
                    if s.id in new and str(s.id) in arrived and s.source == SpeakerSource.PHONE
                ]
            if "item_record" in entities:
                change.records = item_records(session, self.meeting_id, item_id)
            if change.meeting is not None and change.pending is None:
                change.pending = pending_counts(session, self.meeting_id)
            return change

    def _full(self, session: Session, event_id: int, events: int) -> LiveChange:
        view = load_live_meeting(session, self.meeting_id)
        self.moderation = view.meeting.moderation
        return LiveChange(event_id=event_id, full=view, events=events)

    def latest_event_id(self) -> int:
        with self.database.read() as session:
            return latest_event_id(session)

    def moderation_queue(self) -> list[ModerationEntry]:
        with self.database.read() as session:
            return moderation_queue(session, self.meeting_id)

    def public_ideas(self, limit: int) -> list[Idea]:
        """The newest ideas the room may see (the projector), by the public-record policy."""
        with self.database.read() as session:
            return latest_public_ideas(session, self.meeting_id, limit=limit)

    def idea(self, idea_id: uuid.UUID) -> Idea | None:
        with self.database.read() as session:
            idea = session.get(Idea, idea_id)
            return idea if idea is not None and idea.meeting_id == self.meeting_id else None

    # ---- the agenda -----------------------------------------------------------------------

    def move_agenda(self, step: int) -> str:
        with self.database.write() as session:
            item = meetings.move_to_item(
                session, meeting_id=self.meeting_id, step=step, actor=self.operator
            )
            return f"Now: {item.title}"

    def jump_to_item(self, item_id: uuid.UUID) -> str:
        with self.database.write() as session:
            item = meetings.jump_to_item(
                session, meeting_id=self.meeting_id, item_id=item_id, actor=self.operator
            )
            return f"Now: {item.title}"

    def set_timer_running(self, running: bool) -> str:
        with self.database.write() as session:
            meetings.set_timer_running(
                session, meeting_id=self.meeting_id, running=running, actor=self.operator
            )
        return "Timer running." if running else "Timer paused."

    def extend_item(self, item_id: uuid.UUID, minutes: int) -> str:
        with self.database.write() as session:
            changed = meetings.extend_item(
                session,
                meeting_id=self.meeting_id,
                item_id=item_id,
                minutes=minutes,
                actor=self.operator,
            )
            return f"{changed.title}: {changed.minutes} minutes planned."

    def reorder_item(self, item_id: uuid.UUID, step: int) -> str:
        with self.database.write() as session:
            meetings.reorder_item(
                session, meeting_id=self.meeting_id, item_id=item_id, step=step, actor=self.operator
            )
        return ""

    def skip_item(self, item_id: uuid.UUID) -> str:
        with self.database.write() as session:
            item = meetings.skip_item(
                session, meeting_id=self.meeting_id, item_id=item_id, actor=self.operator
            )
            return f"Skipped: {item.title}"

    def rename_item(self, item_id: uuid.UUID, title: str) -> str:
        with self.database.write() as session:
            changed = meetings.rename_item(
                session,
                meeting_id=self.meeting_id,
                item_id=item_id,
                title=title,
                actor=self.operator,
            )
            return f"Renamed: {changed.title}"

    def add_item(
        self, *, title: str, minutes: int, kind: str, after_item_id: uuid.UUID | None
    ) -> str:
        with self.database.write() as session:
            item = meetings.add_item(
                session,
                meeting_id=self.meeting_id,
                title=title,
                minutes=minutes,
                kind=kind,
                after_item_id=after_item_id,
                actor=self.operator,
            )
            return f"Added: {item.title} ({item.minutes} minutes)"

    def set_attendance(self, count: int) -> str:
        try:
            with self.database.write() as session:
                meetings.set_attendance(
                    session, meeting_id=self.meeting_id, count=count, actor=self.operator
                )
        except FieldErrors as error:  # the service names the field "attendance"
            raise FieldErrors({"count": error.errors.get("attendance", str(error))}) from None
        return f"Attendance recorded: {count}."

    def close_meeting(self) -> str:
        with self.database.write() as session:
            meetings.close_meeting(session, meeting_id=self.meeting_id, actor=self.operator)
        return "The meeting is closed. Attendee input is no longer accepted."

    # ---- ideas ----------------------------------------------------------------------------

    def capture_idea(self, data: IdeaInput) -> str:
        """The idea and the end of its draft commit together; the ref."""
        with self.database.write() as session:
            idea = ideas.capture_idea(
                session, meeting_id=self.meeting_id, data=data, captured_by=self.operator
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref = idea.ref
        self.draft = self.draft_idea_id = None
        self.remembered = {name: getattr(data, name) for name in REMEMBERED_FIELDS}
        return ref

    def update_idea(self, idea_id: uuid.UUID, changes: dict[str, Any]) -> str:
        """Only the fields the person changed; the ref."""
        with self.database.write() as session:
            idea = ideas.update_idea(
                session,
                meeting_id=self.meeting_id,
                idea_id=idea_id,
                changes=changes,
                actor=self.operator,
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref = idea.ref
        self.draft = self.draft_idea_id = None
        return ref

    def set_idea_deleted(self, idea_id: uuid.UUID, deleted: bool) -> str:
        with self.database.write() as session:
            idea = ideas.set_idea_deleted(
                session,
                meeting_id=self.meeting_id,
                idea_id=idea_id,
                deleted=deleted,
                actor=self.operator,
            )
            ref = idea.ref
        return f"Idea {ref} deleted. Press u to undo." if deleted else ""

    def set_visibility(self, entity: str, entity_id: uuid.UUID, visibility: str) -> str:
        with self.database.write() as session:
            set_visibility(
                session,
                meeting_id=self.meeting_id,
                entity=entity,
                entity_id=entity_id,
                visibility=visibility,
                actor=self.operator,
            )
        verb = "hidden" if visibility == Visibility.HIDDEN else "shown"
        return f"{entity.capitalize()} {verb}."

    # ---- drafts ---------------------------------------------------------------------------

    def load_draft(self) -> tuple[dict[str, Any], uuid.UUID | None] | None:
        """This terminal's idea draft, if it holds any typed text."""
        with self.database.read() as session:
            draft = drafts.load_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            if draft is None:
                return None
            fields = drafts.draft_fields(draft)
            idea_id = draft.idea_id
        if drafts.holds_typing(fields):
            return fields, idea_id
        return None

    def keep_draft(self, fields: dict[str, Any], idea_id: uuid.UUID | None = None) -> None:
        self.draft, self.draft_idea_id = fields, idea_id
        with self.database.write() as session:
            drafts.save_draft(
                session,
                meeting_id=self.meeting_id,
                owner=self.draft_owner,
                fields=fields,
                idea_id=idea_id,
            )

    def drop_draft(self) -> None:
        self.draft = self.draft_idea_id = None
        with self.database.write() as session:
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)

    # ---- minutes --------------------------------------------------------------------------

    def add_record(
        self, *, kind: str, text: str, owner: str, due: str, item_id: uuid.UUID | None
    ) -> str:
        with self.database.write() as session:
            record = records.add_record(
                session,
                meeting_id=self.meeting_id,
                kind=kind,
                text=text,
                owner=owner,
                due=due,
                agenda_item_id=item_id,
                created_by=self.operator,
            )
            return f"{RECORD_KINDS[record.kind]} recorded."

    def set_record_deleted(self, record_id: uuid.UUID, deleted: bool) -> str:
        with self.database.write() as session:
            record = records.set_record_deleted(
                session,
                meeting_id=self.meeting_id,
                record_id=record_id,
                deleted=deleted,
                actor=self.operator,
            )
            kind = record.kind
        return f"{kind.capitalize()} deleted. Press u to undo." if deleted else ""

    # ---- speakers -------------------------------------------------------------------------

    def add_speaker(self, *, name: str, stakeholder: str) -> str:
        with self.database.write() as session:
            speaker = speakers.add_speaker(
                session,
                meeting_id=self.meeting_id,
                name=name,
                stakeholder=stakeholder,
                actor=self.operator,
            )
            return f"{speaker.name or 'Speaker'} added to the queue."

    def call_next_speaker(self) -> str:
        with self.database.write() as session:
            speaker = speakers.call_next_speaker(
                session, meeting_id=self.meeting_id, actor=self.operator
            )
            return f"Now speaking: {speaker.name or 'next speaker'}."

    def finish_speaker(self, speaker: Speaker, *, withdrawn: bool) -> str:
        with self.database.write() as session:
            speakers.finish_speaker(
                session,
                meeting_id=self.meeting_id,
                speaker_id=speaker.id,
                withdrawn=withdrawn,
                actor=self.operator,
            )
        who = speaker.name or "The speaker"
        return f"{who} withdrew." if withdrawn else f"{who} has been heard."
