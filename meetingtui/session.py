"""One person's session on a running meeting: what the console does, without the console.

``MeetingSession`` holds no UI: each intent method is one write transaction calling the domain's
service functions, and returns the sentence to tell the person. ``LiveFeed`` follows the change
feed and turns the events since the last read into a ``LiveChange`` that names only what
changed (this idea, these comments' ideas, the queue), read in one transaction; ``LiveMeeting``
(domain/snapshot.py) applies it. Nothing here grows with the size of the meeting: a live screen
holds the current item's newest ideas, their latest comments and counts by SQL.

Every intent also puts one ``UndoEntry`` on the session's ``UndoStack``: what it did, in words,
and how to take it back (or that ``u`` cannot, and what to do instead). ``undo`` takes back the
newest, after the actions asked for before it have finished, so ``u`` is always the last action.

The Textual app (tui/) owns one session and one feed follower and hands state to its screens;
a test or a bench drives the same objects without a terminal.
"""

from __future__ import annotations

import itertools
import os
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session, select

from meetingtui.domain import drafts, ideas, meetings, records, speakers, undo
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.feed import events_since, latest_event_id
from meetingtui.domain.ideas import IdeaInput
from meetingtui.domain.models import (
    AgendaItem,
    Comment,
    Idea,
    ItemRecord,
    Meeting,
    Speaker,
    utcnow,
)
from meetingtui.domain.moderation import (
    PendingCounts,
    hide_device,
    pending_counts,
    set_visibility,
    set_visibility_many,
)
from meetingtui.domain.public import Audience
from meetingtui.domain.records import RECORD_KINDS
from meetingtui.domain.similar import SimilarIdea, scope_of_meeting, similar_ideas
from meetingtui.domain.snapshot import (
    COMMENTS_SHOWN,
    IDEAS_SHOWN,
    IdeaRows,
    LiveMeeting,
    ModerationEntry,
    before_start_total,
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
from meetingtui.domain.states import (
    MeetingStatus,
    Moderation,
    SpeakerSource,
    SpeakerStatus,
    Visibility,
)
from meetingtui.domain.undo import SpeakerPlace
from meetingtui.domain.words import Action, counted, undone
from meetingtui.processes import pid_alive, this_machine
from meetingtui.store.database import Database

REMEMBERED_FIELDS = ("topic", "stakeholder", "channel")
EVENTS_PER_READ = 2000  # more than this since the last read: read the current item afresh

UNDO_KEPT = 100  # the oldest entries go first; nobody takes back a hundred actions
UNDO_WAIT_SECONDS = 30.0  # an earlier action stuck longer than this (a locked database) is skipped


@dataclass(frozen=True)
class UndoEntry:
    """One action this console did, newest on top of the stack: ``what`` names it for people
    ("withdrawing Sam"); ``restore`` takes it back in one write transaction, or is None
    when ``u`` cannot take it back (``instead`` says what can)."""

    what: Action
    restore: Callable[[Session], object] | None
    instead: str = ""
    at: datetime = field(default_factory=utcnow)


class UndoStack:
    """The console's actions in the order they were committed. ``u`` takes back the newest
    one, never an older one past it. Intents run in worker threads, hence the lock."""

    def __init__(self, kept: int = UNDO_KEPT) -> None:
        self.kept = kept
        self._entries: list[UndoEntry] = []
        self._lock = threading.Lock()
        self.touched = 0  # pushes, pops and no-ops: ``MeetingSession.run`` sees an intent used it

    def push(self, entry: UndoEntry) -> None:
        with self._lock:
            self._entries.append(entry)
            del self._entries[: -self.kept]
            self.touched += 1

    def pop(self) -> UndoEntry | None:
        with self._lock:
            self.touched += 1
            return self._entries.pop() if self._entries else None

    def nothing_done(self) -> None:
        """An intent that changed nothing (a save without changes): no entry, and no barrier."""
        with self._lock:
            self.touched += 1

    def peek(self) -> UndoEntry | None:
        with self._lock:
            return self._entries[-1] if self._entries else None

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)


def _named_action(said: str) -> Action:
    """An action ``u`` cannot take back, named by the first sentence it said ("“The meeting
    has started”"), for "Cannot undo … with u" and "Press u again to undo …"."""
    first = said.strip().split(". ")[0].strip().rstrip(".")
    return Action("", f"“{first}”" if first else "that action")


def _ago(at: datetime, now: datetime) -> str:
    seconds = max(0, int((now - at).total_seconds()))
    if seconds < 60:
        return "just now"
    minutes = seconds // 60
    return f"{minutes} minute{'s' if minutes != 1 else ''} ago"


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
    before_start_total: int | None = None
    speakers: list[Speaker] | None = None
    records: list[Any] | None = None
    pending: PendingCounts | None = None
    arrived_speakers: list[Speaker] = field(default_factory=list)  # new requests from phones
    polls: set[uuid.UUID] = field(default_factory=set)  # polls with an event (a ballot, a close)
    events: int = 0
    reach: bool = False  # the reach figures moved (five more sign-ins, a new population)

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
    if change.before_start_total is not None:
        view.before_start_total = change.before_start_total
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
        self,
        database: Database,
        meeting_id: uuid.UUID,
        *,
        operator: str,
        draft_owner: str,
        machine: str | None = None,
        pid: int | None = None,
        alive: Callable[[int], bool] = pid_alive,
    ) -> None:
        self.database = database
        self.meeting_id = meeting_id
        self.operator = operator or "console"
        # ``draft_owner`` names the terminal; the draft's key adds user@host and this process,
        # so a console in a new terminal can take over a dead console's draft (load_draft).
        self.draft_terminal = draft_owner or self.operator
        self.draft_process = drafts.DraftOwner(
            terminal=self.draft_terminal,
            machine=machine or this_machine(),
            pid=os.getpid() if pid is None else pid,
        )
        self.draft_owner = self.draft_process.key()
        self._alive = alive
        # The last picks carried into the next form: live capture's and card entry's apart
        # (a stack of cards is other people, on paper; a card's picks never reach a spoken
        # idea, nor a spoken idea's a card).
        self.remembered: dict[str, str] = {}
        self.card_remembered: dict[str, str] = {}
        # The ideas card entry made from this console and not undone: its running count.
        self.cards_entered: set[uuid.UUID] = set()
        self.draft: dict[str, Any] | None = None
        self.draft_idea_id: uuid.UUID | None = None
        self.moderation = "post"  # the meeting's, as last read (pre: phones' input waits)
        self.undo_stack = UndoStack()
        # Actions run in worker threads; ``u`` typed right after ``w`` must wait for the
        # withdrawal to be on the stack. Each action gets a ticket when it is asked for.
        self._tickets = itertools.count(1)
        self._unfinished: set[int] = set()
        self._order = threading.Condition()
        self._running = threading.local()
        self.undo_waiting = 0  # undos waiting for earlier actions to finish (tests watch it)
        self._similar_scope: list[uuid.UUID] | None = None  # the programme's meetings

    # ---- reads ----------------------------------------------------------------------------

    def load(self) -> LiveChange:
        """The whole live view and the feed position it reflects, in one transaction."""
        with self.database.read() as session:
            event_id = latest_event_id(session)
            view = load_live_meeting(session, self.meeting_id)
            self.moderation = view.meeting.moderation
            if not self.remembered:
                last = last_idea_by(session, self.meeting_id, self.operator)
                if last is not None and last.card_number is None:
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
                "reach",  # domain/reach.py: read by the console's reach line itself
                "pairwise",  # domain/pairwise.py: nothing in the live view
                "poll",
            }
            change.reach = "reach" in entities
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
                    change.before_start_total = before_start_total(
                        session, self.meeting_id, item_id
                    )
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
            # A poll's screens read its results themselves (tui/screens/polls.py).
            change.polls = {uuid.UUID(i) for i in entities.get("poll", ()) if i}
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

    def idea_by_ref(self, ref: str) -> Idea | None:
        """This meeting's idea by its ref (one saved here a moment ago, not yet in the panel)."""
        with self.database.read() as session:
            return session.exec(
                select(Idea).where(Idea.meeting_id == self.meeting_id, Idea.ref == ref)
            ).first()

    def record(self, record_id: uuid.UUID) -> ItemRecord | None:
        """A note, decision or action as stored now (an edit opened from the list's copy,
        right after a save, would compare with the text before it and refuse as a conflict)."""
        with self.database.read() as session:
            record = session.get(ItemRecord, record_id)
            return record if record is not None and record.meeting_id == self.meeting_id else None

    # ---- undo ---------------------------------------------------------------------------

    def ticket(self) -> int:
        """Take a place in the order of actions (on the thread the person types on, at the
        moment they ask), before the action runs in its worker."""
        with self._order:
            number = next(self._tickets)
            self._unfinished.add(number)
            return number

    def run(self, intent: Callable[[MeetingSession], str], ticket: int | None = None) -> str:
        """Run one intent (what the console's keys do) and say what it says. An intent that
        put nothing on the undo stack (one added later and not taught to) still becomes an
        entry ``u`` cannot take back, so ``u`` never reaches past it to an older action."""
        number = self.ticket() if ticket is None else ticket
        self._running.ticket = number
        try:
            before = self.undo_stack.touched
            said = intent(self)
            if self.undo_stack.touched == before:
                self.done(_named_action(said), None)
            return said
        finally:
            self._running.ticket = None
            with self._order:
                self._unfinished.discard(number)
                self._order.notify_all()

    def _wait_for_earlier_actions(self) -> None:
        """The actions asked for before this undo are on the stack before it looks."""
        mine = getattr(self._running, "ticket", None)
        if mine is None:
            return
        with self._order:
            self.undo_waiting += 1
            try:
                self._order.wait_for(
                    lambda: not any(number < mine for number in self._unfinished),
                    timeout=UNDO_WAIT_SECONDS,
                )
            finally:
                self.undo_waiting -= 1

    def done(
        self,
        what: Action,
        restore: Callable[[Session], object] | None,
        instead: str = "",
    ) -> None:
        """Put a committed action on the undo stack (``restore=None``: ``u`` cannot take it
        back, and says so rather than reaching past it to an older one)."""
        self.undo_stack.push(UndoEntry(what, restore, instead))

    def undo(self) -> str:
        """Take back the newest action of this console; what was undone, in a sentence."""
        self._wait_for_earlier_actions()
        entry = self.undo_stack.pop()
        if entry is None:
            return "Nothing to undo."
        when = _ago(entry.at, utcnow())
        if entry.restore is None:
            text = f"Cannot undo {entry.what} ({when}) with u"
            text += f": {entry.instead}." if entry.instead else "."
            older = self.undo_stack.peek()
            if older is not None:
                text += f" Press u again to undo {older.what}."
            return text
        try:
            with self.database.write() as session:
                entry.restore(session)
        except DomainError as error:
            raise DomainError(f"Could not undo {entry.what}: {error}") from error
        return undone(entry.what, when)

    # ---- the agenda -----------------------------------------------------------------------

    def start_meeting(self) -> str:
        with self.database.write() as session:
            meeting = meetings.start_meeting(
                session, meeting_id=self.meeting_id, actor=self.operator
            )
            item = (
                session.get(AgendaItem, meeting.current_item_id)
                if meeting.current_item_id
                else None
            )
            return (
                f"The meeting has started. Now: {item.title}"
                if item
                else "The meeting has started."
            )

    def reopen_meeting(self) -> str:
        with self.database.write() as session:
            meetings.reopen_meeting(session, meeting_id=self.meeting_id, actor=self.operator)
        return "The meeting is open again: attendees can take part. The item's timer is paused."

    def move_agenda(self, step: int, *, waiting: str | None = None) -> str:
        """Move along the agenda. ``waiting`` says what becomes of those still waiting to speak
        on the item left (``speakers.CARRY_OVER`` or ``speakers.NOT_HEARD_CHOICE``), in the
        same transaction as the move."""
        with self.database.write() as session:
            left = session.get(Meeting, self.meeting_id)
            if left is not None and left.status == MeetingStatus.PLANNED:
                # Read in the transaction, not from the view: S may have just started it.
                raise DomainError("The meeting has not started. Press S to start it.")
            left_id = left.current_item_id if left else None
            item = meetings.move_to_item(
                session, meeting_id=self.meeting_id, step=step, actor=self.operator
            )
            title = item.title
            settled = self._settle(session, left_id, item, waiting)
        back = "press p to go back" if step > 0 else "press n to go forward again"
        self.done(Action("moving to", f"“{title}”"), None, back)
        return f"Now: {title}" + settled

    def _settle(
        self, session: Session, left_id: uuid.UUID | None, item: AgendaItem, waiting: str | None
    ) -> str:
        """Those still waiting on the item left, as the facilitator chose; what to add to the
        sentence ("" when nobody was waiting). Without a choice, someone waiting (a phone that
        asked just now, after the console looked) refuses the move: nobody vanishes."""
        if left_id is None or left_id == item.id:
            return ""
        if not waiting:
            if speakers.waiting_speakers(session, left_id):
                raise DomainError(
                    "Someone has just asked to speak: press the key again to choose what "
                    "becomes of those waiting."
                )
            return ""
        settled = speakers.settle_waiting(
            session,
            meeting_id=self.meeting_id,
            from_item_id=left_id,
            to_item_id=item.id,
            choice=waiting,
            actor=self.operator,
        )
        if not settled:
            return ""
        people = counted(len(settled), "person", "people")
        if waiting == speakers.CARRY_OVER:
            return f" · {people} still waiting carried over"
        return f" · {people} recorded as not heard"

    def unskip_item(self, item_id: uuid.UUID) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            item = meetings.unskip_item(
                session, meeting_id=meeting_id, item_id=item_id, actor=actor
            )
            title = item.title

        def restore(session: Session) -> None:
            meetings.skip_item(session, meeting_id=meeting_id, item_id=item_id, actor=actor)

        self.done(Action("putting", f"“{title}” back on the agenda"), restore)
        return f"Back on the agenda: {title}"

    def jump_to_item(self, item_id: uuid.UUID, *, waiting: str | None = None) -> str:
        with self.database.write() as session:
            left = session.get(Meeting, self.meeting_id)
            left_id = left.current_item_id if left else None
            item = meetings.jump_to_item(
                session, meeting_id=self.meeting_id, item_id=item_id, actor=self.operator
            )
            title = item.title
            settled = self._settle(session, left_id, item, waiting)
        self.done(Action("jumping to", f"“{title}”"), None, "jump back from the agenda (a)")
        return f"Now: {title}" + settled

    def set_timer_running(self, running: bool) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            meetings.set_timer_running(session, meeting_id=meeting_id, running=running, actor=actor)

        def restore(session: Session) -> None:
            meetings.set_timer_running(
                session, meeting_id=meeting_id, running=not running, actor=actor
            )

        self.done(Action("resuming" if running else "pausing", "the timer"), restore)
        return "Timer running." if running else "Timer paused."

    def extend_item(self, item_id: uuid.UUID, minutes: int) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            changed = meetings.extend_item(
                session, meeting_id=meeting_id, item_id=item_id, minutes=minutes, actor=actor
            )
            title, planned = changed.title, changed.minutes

        def restore(session: Session) -> None:
            meetings.extend_item(
                session, meeting_id=meeting_id, item_id=item_id, minutes=-minutes, actor=actor
            )

        if minutes >= 0:
            self.done(Action("adding", f"{counted(minutes, 'minute')} to “{title}”"), restore)
        else:
            self.done(Action("taking", f"{counted(-minutes, 'minute')} off “{title}”"), restore)
        return f"{title}: {counted(planned, 'minute')} planned."

    def reorder_item(self, item_id: uuid.UUID, step: int) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            meetings.reorder_item(
                session, meeting_id=meeting_id, item_id=item_id, step=step, actor=actor
            )
            item = session.get(AgendaItem, item_id)
            title = item.title if item else ""

        def restore(session: Session) -> None:
            meetings.reorder_item(
                session, meeting_id=meeting_id, item_id=item_id, step=-step, actor=actor
            )

        self.done(Action("moving", f"“{title}” {'up' if step < 0 else 'down'}"), restore)
        return ""

    def skip_item(self, item_id: uuid.UUID, *, waiting: str | None = None) -> str:
        """Skip an item; skipping the current one moves on, and ``waiting`` says what becomes
        of those still waiting to speak on it (as for ``move_agenda``). Undo puts the item back
        on the agenda; it does not move the meeting back."""
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            item = meetings.skip_item(session, meeting_id=meeting_id, item_id=item_id, actor=actor)
            title = item.title
            said = f"Skipped: {title}"
            meeting = session.get(Meeting, meeting_id)
            now = session.get(AgendaItem, meeting.current_item_id) if meeting else None
            if now is not None:
                said += self._settle(session, item_id, now, waiting)

        def restore(session: Session) -> None:
            meetings.unskip_item(session, meeting_id=meeting_id, item_id=item_id, actor=actor)

        self.done(Action("skipping", f"“{title}”"), restore)
        return said

    def rename_item(self, item_id: uuid.UUID, title: str) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            before = session.get(AgendaItem, item_id)
            old = before.title if before is not None else ""
            changed = meetings.rename_item(
                session, meeting_id=meeting_id, item_id=item_id, title=title, actor=actor
            )
            new = changed.title

        def restore(session: Session) -> None:
            meetings.rename_item(
                session, meeting_id=meeting_id, item_id=item_id, title=old, actor=actor
            )

        self.done(Action("renaming", f"“{old}” to “{new}”"), restore)
        return f"Renamed: {new}"

    def add_item(
        self,
        *,
        title: str,
        minutes: int,
        kind: str,
        after_item_id: uuid.UUID | None,
        speaker_minutes: int | None = None,
        presenter: str = "",
        notes: str = "",
    ) -> str:
        with self.database.write() as session:
            item = meetings.add_item(
                session,
                meeting_id=self.meeting_id,
                title=title,
                minutes=minutes,
                kind=kind,
                after_item_id=after_item_id,
                speaker_minutes=speaker_minutes,
                presenter=presenter,
                notes=notes,
                actor=self.operator,
            )
            added, planned = item.title, item.minutes
        self.done(
            Action("adding", f"“{added}”"), None, "skip it in the agenda (a) if it is not needed"
        )
        return f"Added: {added} ({counted(planned, 'minute')})"

    def set_attendance(self, count: int) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        try:
            with self.database.write() as session:
                meeting = session.get(Meeting, meeting_id)
                before = meeting.attendance if meeting is not None else None
                meetings.set_attendance(session, meeting_id=meeting_id, count=count, actor=actor)
        except FieldErrors as error:  # the service names the field "attendance"
            raise FieldErrors({"count": error.errors.get("attendance", str(error))}) from None
        if before is None:
            self.done(
                Action("recording", "the head count"), None, "press h to enter the right count"
            )
        else:

            def restore(session: Session) -> None:
                meetings.set_attendance(session, meeting_id=meeting_id, count=before, actor=actor)

            self.done(Action("changing", f"the head count to {count} (it was {before})"), restore)
        return f"Attendance recorded: {count}."

    def close_meeting(self) -> str:
        with self.database.write() as session:
            meetings.close_meeting(session, meeting_id=self.meeting_id, actor=self.operator)
        self.done(Action("closing", "the meeting"), None, "press O to reopen it")
        return (
            "The meeting is closed. Attendee input is no longer accepted; you can keep "
            "working on the record, or reopen it (O)."
        )

    # ---- ideas ----------------------------------------------------------------------------

    def capture_idea(self, data: IdeaInput) -> str:
        """The idea and the end of its draft commit together; the ref."""
        with self.database.write() as session:
            idea = ideas.capture_idea(
                session, meeting_id=self.meeting_id, data=data, captured_by=self.operator
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref, idea_id = idea.ref, idea.id
        self.draft = self.draft_idea_id = None
        self.remembered = {name: getattr(data, name) for name in REMEMBERED_FIELDS}
        self.done(Action("capturing", f"idea {ref}"), self._idea_deleted(idea_id, True))
        return ref

    def capture_card(self, data: IdeaInput, card_text: str) -> tuple[str, int | None]:
        """An idea typed in from a paper card (card entry mode): channel "written card", the
        card's printed number kept (refused if already entered). The ref and the number."""
        from meetingtui.domain.cards import capture_card_idea, parse_card_number

        number = parse_card_number(card_text)
        with self.database.write() as session:
            idea = capture_card_idea(
                session,
                meeting_id=self.meeting_id,
                data=data,
                card_number=number,
                captured_by=self.operator,
            )
            drafts.discard_draft(session, meeting_id=self.meeting_id, owner=self.draft_owner)
            ref, idea_id = idea.ref, idea.id
        self.draft = self.draft_idea_id = None
        self.card_remembered = {name: getattr(data, name) for name in REMEMBERED_FIELDS}
        self.cards_entered.add(idea_id)
        delete = self._idea_deleted(idea_id, True)

        def take_back(session: Session) -> object:
            done = delete(session)
            self.cards_entered.discard(idea_id)  # reached only once the delete has worked
            return done

        self.done(Action("capturing", f"idea {ref}"), take_back)
        return ref, number

    def _idea_deleted(self, idea_id: uuid.UUID, deleted: bool) -> Callable[[Session], object]:
        meeting_id, actor = self.meeting_id, self.operator

        def restore(session: Session) -> None:
            ideas.set_idea_deleted(
                session, meeting_id=meeting_id, idea_id=idea_id, deleted=deleted, actor=actor
            )

        return restore

    def update_idea(
        self,
        idea_id: uuid.UUID,
        changes: dict[str, Any],
        base: dict[str, Any] | None = None,
    ) -> str:
        """Only the fields the person changed; the ref. With ``base`` (the fields as the form
        loaded them) a field another console changed meanwhile is an ``EditConflict``."""
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            stored = session.get(Idea, idea_id)
            before = ideas.idea_input(stored) if stored is not None else None
            card_before = stored.card_number if stored is not None else None
            idea = ideas.update_idea(
                session,
                meeting_id=meeting_id,
                idea_id=idea_id,
                changes=changes,
                actor=actor,
                base=base,
            )
            after = ideas.idea_input(idea)
            card_after = idea.card_number
            drafts.discard_draft(session, meeting_id=meeting_id, owner=self.draft_owner)
            ref = idea.ref
        self.draft = self.draft_idea_id = None
        changed = [n for n in ideas.IDEA_FIELDS if getattr(before, n) != getattr(after, n)]
        old = {n: getattr(before, n) for n in changed}
        new = {n: getattr(after, n) for n in changed}
        if card_before != card_after:  # a corrected card number is undone like the rest
            changed.append(ideas.CARD_NUMBER)
            old[ideas.CARD_NUMBER], new[ideas.CARD_NUMBER] = card_before, card_after
        if before is not None and changed:

            def restore(session: Session) -> None:
                ideas.update_idea(
                    session,
                    meeting_id=meeting_id,
                    idea_id=idea_id,
                    changes=old,
                    actor=actor,
                    base=new,
                )

            self.done(Action("editing", f"idea {ref}'s {_field_names(changed)}"), restore)
        else:
            self.undo_stack.nothing_done()
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
        doing = "deleting" if deleted else "restoring"
        self.done(Action(doing, f"idea {ref}"), self._idea_deleted(idea_id, not deleted))
        return f"Idea {ref} deleted. Press u to undo." if deleted else f"Idea {ref} restored."

    def set_visibility(self, entity: str, entity_id: uuid.UUID, visibility: str) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            before = _visibility_of(session, entity, entity_id)
            set_visibility(
                session,
                meeting_id=meeting_id,
                entity=entity,
                entity_id=entity_id,
                visibility=visibility,
                actor=actor,
            )
            about = _about(session, entity, entity_id)
        if before is not None and before != visibility:

            def restore(session: Session) -> None:
                set_visibility(
                    session,
                    meeting_id=meeting_id,
                    entity=entity,
                    entity_id=entity_id,
                    visibility=before,
                    actor=actor,
                )

            self.done(Action(_moderating(visibility, [before]), about), restore)
        else:
            self.undo_stack.nothing_done()
        verb = "hidden" if visibility == Visibility.HIDDEN else "shown"
        return f"{entity.capitalize()} {verb}."

    # ---- browsing -------------------------------------------------------------------------

    def search_ideas(
        self,
        text: str,
        item_id: uuid.UUID | None,
        *,
        offset: int = 0,
        limit: int = ideas.BROWSE_PAGE,
    ) -> tuple[int, list[Idea]]:
        """One page of every idea of the meeting (any item) matching ``text``; the total."""
        with self.database.read() as session:
            return ideas.search_ideas(
                session, self.meeting_id, text=text, item_id=item_id, offset=offset, limit=limit
            )

    def similar_ideas(
        self, text: str, *, exclude: uuid.UUID | None = None, limit: int = 3
    ) -> list[SimilarIdea]:
        """The ideas already raised in this meeting's programme most like ``text`` (the idea
        form's title as typed): for the note-taker, who sees hidden ones too."""
        with self.database.read() as session:
            if self._similar_scope is None:
                self._similar_scope = scope_of_meeting(session, self.meeting_id)
            return similar_ideas(
                session,
                text=text,
                audience=Audience.ORGANISERS,
                meeting_ids=self._similar_scope,
                limit=limit,
                exclude=exclude,
            )

    # ---- moderation -----------------------------------------------------------------------

    def set_visibilities(self, changes: list[tuple[str, uuid.UUID, str]]) -> str:
        """Several moderation decisions at once (a selection, all to one visibility): one
        write, one undo entry that puts back what each row was."""
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            before = [
                (entity, entity_id, was)
                for entity, entity_id, _ in changes
                if (was := _visibility_of(session, entity, entity_id)) is not None
            ]
            set_visibility_many(session, meeting_id=meeting_id, changes=changes, actor=actor)
            if len(changes) == 1:
                about = _about(session, changes[0][0], changes[0][1])
            else:
                about = _counted_entities([entity for entity, _, _ in changes])

        def restore(session: Session) -> None:
            set_visibility_many(session, meeting_id=meeting_id, changes=before, actor=actor)

        visibility = changes[0][2] if changes else Visibility.VISIBLE
        self.done(Action(_moderating(visibility, [was for _, _, was in before]), about), restore)
        return ""

    def hide_device(self, device: str, phone: str) -> str:
        """Hide everything one phone sent to this meeting (``phone``: how the moderator sees it
        named); undo shows again what was hidden."""
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            hidden = hide_device(session, meeting_id=meeting_id, device=device, actor=actor)

        def restore(session: Session) -> None:
            set_visibility_many(session, meeting_id=meeting_id, changes=hidden, actor=actor)

        self.done(Action("hiding", f"everything from {phone}"), restore)
        return ""

    # ---- drafts ---------------------------------------------------------------------------

    def load_draft(self) -> tuple[dict[str, Any], uuid.UUID | None] | None:
        """The console's idea draft on starting, if it holds any typed text: its own, or one a
        console now gone left on this machine (from any terminal), or an old-format draft of
        this terminal, taken over in one write transaction (``drafts.claim_draft``)."""
        with self.database.write() as session:
            draft = drafts.claim_draft(
                session, meeting_id=self.meeting_id, owner=self.draft_process, alive=self._alive
            )
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
            name, record_id = RECORD_KINDS[record.kind], record.id
        self.done(
            Action("recording", f"the {name.lower()}"),
            self._record_deleted(record_id, True),
        )
        return f"{name} recorded."

    def _record_deleted(self, record_id: uuid.UUID, deleted: bool) -> Callable[[Session], object]:
        meeting_id, actor = self.meeting_id, self.operator

        def restore(session: Session) -> None:
            records.set_record_deleted(
                session, meeting_id=meeting_id, record_id=record_id, deleted=deleted, actor=actor
            )

        return restore

    def update_record(
        self, record_id: uuid.UUID, changes: dict[str, str], base: dict[str, str] | None = None
    ) -> str:
        """Only the fields the person changed of a note, decision or action (with ``base``,
        as the form loaded them: a field another console changed meanwhile is refused)."""
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            stored = session.get(ItemRecord, record_id)
            before = {n: getattr(stored, n) for n in records.RECORD_FIELDS} if stored else {}
            record = records.update_record(
                session,
                meeting_id=meeting_id,
                record_id=record_id,
                changes=changes,
                actor=actor,
                base=base,
            )
            after = {n: getattr(record, n) for n in records.RECORD_FIELDS}
            name = RECORD_KINDS[record.kind]
        old = {n: v for n, v in before.items() if after[n] != v}
        if not old:
            self.undo_stack.nothing_done()
            return f"{name} unchanged."

        new = {n: after[n] for n in old}

        def restore(session: Session) -> None:
            records.update_record(
                session,
                meeting_id=meeting_id,
                record_id=record_id,
                changes=old,
                actor=actor,
                base=new,  # never over another console's later change
            )

        self.done(Action("editing", f"the {name.lower()}'s {_field_names(list(old))}"), restore)
        return f"{name} saved."

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
        doing = "deleting" if deleted else "restoring"
        self.done(Action(doing, f"the {kind}"), self._record_deleted(record_id, not deleted))
        return f"{kind.capitalize()} deleted. Press u to undo." if deleted else ""

    # ---- speakers -------------------------------------------------------------------------

    def _restore_places(self, places: list[SpeakerPlace]) -> Callable[[Session], object]:
        meeting_id, actor = self.meeting_id, self.operator

        def restore(session: Session) -> None:
            undo.restore_speakers(session, meeting_id=meeting_id, places=places, actor=actor)

        return restore

    def add_speaker(self, *, name: str, stakeholder: str) -> str:
        meeting_id, actor = self.meeting_id, self.operator
        with self.database.write() as session:
            speaker = speakers.add_speaker(
                session, meeting_id=meeting_id, name=name, stakeholder=stakeholder, actor=actor
            )
            who, named, speaker_id = speaker.name or "Speaker", speaker.name, speaker.id

        def restore(session: Session) -> None:
            speakers.finish_speaker(
                session, meeting_id=meeting_id, speaker_id=speaker_id, withdrawn=True, actor=actor
            )

        self.done(Action("adding", f"{named or 'a speaker'} to the queue"), restore)
        return f"{who} added to the queue."

    def call_next_speaker(self) -> str:
        with self.database.write() as session:
            meeting = session.get(Meeting, self.meeting_id)
            item_id = meeting.current_item_id if meeting else None
            queue = speakers.speaker_queue(session, item_id) if item_id else []
            before = [SpeakerPlace.of(s) for s in queue if s.status in _IN_QUEUE]
            speaker = speakers.call_next_speaker(
                session, meeting_id=self.meeting_id, actor=self.operator
            )
            changed = [
                place
                for place in before
                if (found := session.get(Speaker, place.speaker_id)) is not None
                and found.status != place.status
            ]
            who = speaker.name or "next speaker"
        self.done(
            Action("calling", speaker.name or "the next speaker"), self._restore_places(changed)
        )
        return f"Now speaking: {who}."

    def finish_speaker(self, speaker: Speaker, *, withdrawn: bool) -> str:
        with self.database.write() as session:
            stored = session.get(Speaker, speaker.id)
            before = SpeakerPlace.of(stored) if stored is not None else None
            speakers.finish_speaker(
                session,
                meeting_id=self.meeting_id,
                speaker_id=speaker.id,
                withdrawn=withdrawn,
                actor=self.operator,
            )
        who = speaker.name or "The speaker"
        if before is not None and before.status in _IN_QUEUE:
            named = speaker.name or "the speaker"
            what = (
                Action("withdrawing", named)
                if withdrawn
                else Action("marking", f"{named} as heard")
            )
            self.done(what, self._restore_places([before]))
        else:
            self.undo_stack.nothing_done()
        return f"{who} withdrew." if withdrawn else f"{who} has been heard."


_IN_QUEUE = (SpeakerStatus.WAITING, SpeakerStatus.SPEAKING)
_FIELD_WORDS = {
    "raised_by": "name",
    "publish_name": "consent to publish the name",
    "due": "due date",
    "card_number": "card number",
}


def _field_names(names: list[str]) -> str:
    """Fields as people call them: "title and detail"."""
    words = [_FIELD_WORDS.get(name, name) for name in names]
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


def _visibility_of(session: Session, entity: str, entity_id: uuid.UUID) -> str | None:
    row: Idea | Comment | None = (
        session.get(Idea, entity_id) if entity == "idea" else session.get(Comment, entity_id)
    )
    return row.visibility if row is not None else None


def _moderating(visibility: str, before: list[str]) -> str:
    """What a moderation decision did, as undo names it: rows that were all waiting are
    approved; hidden ones shown again are shown."""
    if visibility == Visibility.HIDDEN:
        return "hiding"
    waiting = before and all(was == Visibility.PENDING for was in before)
    return "approving" if waiting else "showing"


def _counted_entities(entities: list[str]) -> str:
    """Several moderated rows, as undo names them: "2 ideas and 1 comment"."""
    ideas_count = sum(1 for entity in entities if entity == "idea")
    comments = len(entities) - ideas_count
    parts = [counted(ideas_count, "idea")] if ideas_count else []
    parts += [counted(comments, "comment")] if comments else []
    return " and ".join(parts) or "nothing"


def _about(session: Session, entity: str, entity_id: uuid.UUID) -> str:
    """The idea or comment moderated, as the undo names it."""
    if entity == "idea":
        idea = session.get(Idea, entity_id)
        return f"idea {idea.ref}" if idea else "the idea"
    comment = session.get(Comment, entity_id)
    idea = session.get(Idea, comment.idea_id) if comment else None
    return f"a comment on idea {idea.ref}" if idea else "the comment"
