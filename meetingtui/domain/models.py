"""The tables of a meeting: the meeting, its agenda, ideas on the standard form, comments, and
the change feed.

Primary keys are UUIDs so that databases from different venues merge without clashes. The change
feed (``Event``) is the exception: its integer id is a local, monotonic cursor that every interface
follows ("give me what happened after id N").
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(sa.types.TypeDecorator[datetime]):
    """Store aware datetimes as UTC and hand them back aware, whatever the database does.

    SQLite keeps no offset, so values come back naive; we attach UTC again on the way out.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("datetimes must be timezone-aware")
        return value.astimezone(UTC).replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: sa.Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def _uuid_key() -> uuid.UUID:
    return uuid.uuid4()


class Programme(SQLModel, table=True):
    """An engagement programme: the consultation its meetings, ideas and plan versions belong
    to, so several in one database stay apart (agenda key ``programme``; meetings without one
    belong to the default programme, ``DEFAULT_PROGRAMME`` in domain/programmes.py)."""

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    name: str = Field(index=True, unique=True, max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Meeting(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    code: str = Field(index=True, unique=True, max_length=32)
    title: str = Field(max_length=200)
    date: str = Field(default="", max_length=10)  # ISO date as written in the agenda
    start: str = Field(default="", max_length=5)  # HH:MM local time
    timezone: str = Field(default="UTC", max_length=64)
    location: str = Field(default="", max_length=200)
    facilitator: str = Field(default="", max_length=200)
    topics: str = Field(default="[]")  # JSON list of topic names
    moderation: str = Field(default="post", max_length=8)
    language: str = Field(default="en", max_length=16)
    source_path: str | None = Field(default=None, index=True, max_length=1024)
    # SHA-256 of the agenda file's bytes when the meeting was made from it ("" when unknown):
    # running the same file again after an edit says so (a rehearsal is not the real meeting).
    agenda_hash: str = Field(default="", max_length=64)
    status: str = Field(default="planned", max_length=16)  # planned · running · closed
    current_item_id: uuid.UUID | None = Field(default=None)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    attendance: int | None = Field(default=None)  # head count, entered by the facilitator
    wifi_ssid: str = Field(default="", max_length=64)  # the venue's or hotspot's network
    wifi_password: str = Field(default="", max_length=128)
    # The last idea number handed out in this meeting (see ``Idea.seq``); bumped by an UPDATE
    # that takes the row's write lock, so two writers never receive the same number.
    idea_seq: int = Field(default=0)
    # The engagement programme (set on creation; revision 0006 put older meetings in the
    # default one). Nullable only because SQLite cannot add a NOT NULL column with a key.
    programme_id: uuid.UUID | None = Field(default=None, foreign_key="programme.id", index=True)


class AgendaItem(SQLModel, table=True):
    __tablename__ = "agenda_item"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    position: int
    title: str = Field(max_length=200)
    minutes: int
    kind: str = Field(default="discussion", max_length=20)
    notes: str = Field(default="")
    presenter: str = Field(default="", max_length=200)
    speaker_minutes: int | None = Field(default=None)
    status: str = Field(default="pending", max_length=16)  # pending · active · done · skipped
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The timer: seconds banked by earlier runs, plus (now - running_since) while it runs.
    elapsed_seconds: float = Field(default=0.0)
    running_since: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Idea(SQLModel, table=True):
    """One idea on the standard form, whoever raised it and however it arrived.

    Refs: ``seq`` numbers the ideas of one meeting 1, 2, 3 … and ``ref`` is its spoken form,
    ``I-0042`` (four digits at least, more past 9,999: ``I-10000``). Lists sort by ``seq``, never
    by the text of ``ref``. Numbering per meeting, rather than one counter for the database,
    means a meeting's numbers reveal nothing of other meetings' activity and two venues'
    laptops can never hand out the same (meeting, ref): meetings have UUID keys, so databases
    combine without clashes. An idea is named uniquely anywhere by its meeting's join code and
    its ref (``/m/{code}/ideas/I-0042``). Refs given before numbering was per meeting (when one
    database-wide counter numbered every meeting) were kept as they were, so every ref already
    printed or bookmarked still finds the same idea; only new ideas follow the new rule.
    """

    __table_args__ = (
        sa.Index("ix_idea_meeting_seq", "meeting_id", "seq", unique=True),
        sa.Index("ix_idea_meeting_ref", "meeting_id", "ref", unique=True),
        # The ideas the public may see, per meeting (domain/public.py ``idea_filter``): counted
        # from the index alone, and listed newest first by number.
        sa.Index("ix_idea_meeting_public", "meeting_id", "visibility", "deleted_at", "seq"),
        # The catalogue newest or oldest first (domain/search.py): a page of a filtered
        # programme walks this index and stops after its rows, instead of sorting every match.
        sa.Index("ix_idea_captured_at", "captured_at"),
        # A filter that keeps few ideas (or none) reads only its own, in order (revision 0009).
        sa.Index("ix_idea_public_status_captured", "public_status", "captured_at"),
        sa.Index("ix_idea_status_captured", "status", "captured_at"),
        sa.Index("ix_idea_reviewer_captured", "reviewer", "captured_at"),
        sa.Index("ix_idea_plan_version_captured", "plan_version", "captured_at"),
        sa.Index("ix_idea_topic_captured", "topic", "captured_at"),
        sa.Index("ix_idea_public_plan_captured", "public_plan_version", "captured_at"),
        # "Most supported" and "most discussed", newest first among equals: an index walk over
        # the stored counts (revision 0010), not a count of every match's rows.
        sa.Index("ix_idea_support_count_captured", "support_count", "captured_at"),
        sa.Index("ix_idea_comment_count_captured", "comment_count", "captured_at"),
        sa.Index("ix_idea_visible_comments_captured", "visible_comment_count", "captured_at"),
    )

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    ref: str = Field(index=True, max_length=16)
    seq: int = Field(default=0)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    title: str = Field(max_length=120)
    detail: str = Field(default="", max_length=4000)
    raised_by: str = Field(default="", max_length=120)
    organisation: str = Field(default="", max_length=200)
    publish_name: bool = Field(default=False)
    stakeholder: str = Field(default="", max_length=32)
    channel: str = Field(default="spoken", max_length=16)
    topic: str = Field(default="", max_length=120)
    tags: str = Field(default="[]")  # JSON list
    scale: str = Field(default="", max_length=16)
    benefits: str = Field(default="[]")  # JSON list of BENEFITS keys
    affects: str = Field(default="", max_length=500)
    captured_by: str = Field(default="", max_length=120)
    captured_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    status: str = Field(default="new", max_length=24)
    status_reason: str = Field(default="")
    merged_into_id: uuid.UUID | None = Field(default=None, foreign_key="idea.id")
    response: str = Field(default="")
    plan_version: str = Field(default="", max_length=64)
    # The lifecycle (domain/lifecycle.py). ``status``, ``status_reason`` and ``response`` above
    # are the organisers' working copy; the public sees the ``public_*`` copy, made when the
    # answer is published (``published_at``), so a draft never leaks.
    plan_section: str = Field(default="", max_length=32)
    reviewer: str = Field(default="", max_length=120)
    public_status: str = Field(default="new", max_length=24)
    public_reason: str = Field(default="")
    public_response: str = Field(default="")
    # The plan link as last published (revision 0011): ``plan_*`` above is the organisers' copy.
    public_plan_version: str = Field(default="", max_length=64)
    public_plan_section: str = Field(default="", max_length=32)
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    visibility: str = Field(default="visible", max_length=8)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)  # undo restores it
    device: str = Field(default="", max_length=64)  # the phone's device id, for moderation
    # Kept by revision 0010's triggers on ``support`` and ``comment``, whatever writes them:
    # never set these. ``comment_count`` is every comment (the organisers' view),
    # ``visible_comment_count`` the visible ones (the public's); see domain/public.py
    # ``comment_count_column``.
    support_count: int = Field(default=0, sa_column_kwargs={"server_default": sa.text("0")})
    comment_count: int = Field(default=0, sa_column_kwargs={"server_default": sa.text("0")})
    visible_comment_count: int = Field(default=0, sa_column_kwargs={"server_default": sa.text("0")})


class Comment(SQLModel, table=True):
    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    idea_id: uuid.UUID = Field(foreign_key="idea.id", index=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    body: str = Field(max_length=1000)
    author: str = Field(default="", max_length=120)
    channel: str = Field(default="phone", max_length=16)
    visibility: str = Field(default="visible", max_length=8)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    device: str = Field(default="", max_length=64)  # the phone's device id, for moderation


class Counter(SQLModel, table=True):
    """Named sequences. It numbered idea refs for the whole database until revision 0004 (ideas
    are now numbered per meeting, ``Meeting.idea_seq``); kept so no old row is lost."""

    name: str = Field(primary_key=True, max_length=32)
    value: int = Field(default=0)


class Event(SQLModel, table=True):
    """The change feed and audit trail: one row per write, appended in the same transaction."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    meeting_id: uuid.UUID | None = Field(default=None, index=True)
    kind: str = Field(max_length=40)
    entity: str = Field(default="", max_length=20)
    entity_id: str = Field(default="", max_length=64)
    actor: str = Field(default="", max_length=120)
    detail: str = Field(default="{}")


class ItemRecord(SQLModel, table=True):
    """A note, decision or action recorded against an agenda item: what minutes are made of."""

    __tablename__ = "item_record"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: uuid.UUID = Field(foreign_key="agenda_item.id", index=True)
    kind: str = Field(max_length=12)  # note · decision · action
    text: str = Field(max_length=2000)
    owner: str = Field(default="", max_length=120)  # actions only
    due: str = Field(default="", max_length=10)  # actions only, ISO date
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    deleted_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Speaker(SQLModel, table=True):
    """One place in an agenda item's speakers' queue, from the floor or from a phone."""

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: uuid.UUID = Field(foreign_key="agenda_item.id", index=True)
    name: str = Field(default="", max_length=120)
    stakeholder: str = Field(default="", max_length=32)
    source: str = Field(default="floor", max_length=8)  # floor · phone
    device: str = Field(default="", max_length=64)  # the phone's device id, to show its place
    status: str = Field(default="waiting", max_length=12)  # waiting · speaking · done · withdrawn
    requested_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    started_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The speaker's clock stops while the item is paused: seconds paused so far, plus
    # (now - paused_since) while it is paused (domain/speakers.py ``speaking_seconds``).
    paused_seconds: float = Field(default=0.0)
    paused_since: datetime | None = Field(default=None, sa_type=UtcDateTime)


class Support(SQLModel, table=True):
    """An attendee's support for an idea: at most one per device (a second tap takes it back)."""

    __table_args__ = (sa.UniqueConstraint("idea_id", "device", name="uq_support_idea_device"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    idea_id: uuid.UUID = Field(foreign_key="idea.id", index=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    device: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Draft(SQLModel, table=True):
    """A half-typed idea form, saved as it is typed so a crash or a quit never loses it."""

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    owner: str = Field(max_length=120)  # who is typing: the note-taker's name or terminal
    idea_id: uuid.UUID | None = Field(default=None)  # set when editing an existing idea
    payload: str = Field(default="{}")  # JSON of the form's fields
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Setting(SQLModel, table=True):
    """A value this installation keeps across restarts, by name (e.g. the attendee web's signing
    secret, so that phones' device cookies and open forms survive a restart)."""

    name: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class IdeaChange(SQLModel, table=True):
    """One entry of an idea's history: who changed what, when, from what to what, and why.

    ``field`` is ``status``, ``response``, ``reviewer`` or ``plan``. An entry becomes public only
    when the idea's answer is published (``published_at``); reviewer entries never do (a
    reviewer is staff)."""

    __tablename__ = "idea_change"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    idea_id: uuid.UUID = Field(foreign_key="idea.id", index=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    actor: str = Field(default="", max_length=120)
    field: str = Field(max_length=16)
    from_value: str = Field(default="")
    to_value: str = Field(default="")
    reason: str = Field(default="")
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


class PlanVersion(SQLModel, table=True):
    """A published version of a programme's plan (``v2``), optionally with its text, whose
    headings are numbered as sections that ideas link to (``Idea.plan_version`` and
    ``Idea.plan_section`` hold the version's name and the section's number)."""

    __tablename__ = "plan_version"
    __table_args__ = (
        sa.UniqueConstraint("programme_id", "name", name="uq_plan_version_programme_name"),
    )

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    programme_id: uuid.UUID = Field(foreign_key="programme.id", index=True)
    name: str = Field(max_length=64)
    title: str = Field(max_length=200)
    date: str = Field(default="", max_length=10)  # ISO date
    summary: str = Field(default="")
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class PlanSection(SQLModel, table=True):
    """A numbered heading of a plan version's text (``4.2 Bus lanes``) and the text under it."""

    __tablename__ = "plan_section"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    plan_version_id: uuid.UUID = Field(foreign_key="plan_version.id", index=True)
    position: int
    number: str = Field(max_length=32)
    level: int = Field(default=1)
    title: str = Field(max_length=200)
    body: str = Field(default="")


class Theme(SQLModel, table=True):
    """A theme of a programme: ideas grouped under one name (domain/themes.py).

    ``summary`` and ``response`` are the organisers' working copy; the public sees the
    ``public_*`` copy made when the theme is published (``published_at``), as an idea's answer
    (domain/lifecycle.py). A theme the public has never seen published is not on the site. A
    published response is inherited by the theme's ideas that have no response of their own
    (domain/public.py ``idea_answers``)."""

    __table_args__ = (sa.UniqueConstraint("programme_id", "name", name="uq_theme_programme_name"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    programme_id: uuid.UUID = Field(foreign_key="programme.id", index=True)
    name: str = Field(max_length=120)
    summary: str = Field(default="")
    response: str = Field(default="")
    public_name: str = Field(default="", max_length=120)
    public_summary: str = Field(default="")
    public_response: str = Field(default="")
    published_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_by: str = Field(default="", max_length=120)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ThemeIdea(SQLModel, table=True):
    """An idea sitting in a theme (an idea may sit in several)."""

    __tablename__ = "theme_idea"

    theme_id: uuid.UUID = Field(foreign_key="theme.id", primary_key=True)
    idea_id: uuid.UUID = Field(foreign_key="idea.id", primary_key=True, index=True)
    added_by: str = Field(default="", max_length=120)
    added_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class ThemeDecision(SQLModel, table=True):
    """What a person decided about a suggested theme: accepted, renamed (accepted under another
    name) or rejected, with who and when. A suggestion with the same words, or the same ideas,
    as one decided is not suggested again (domain/themes.py ``suggest_themes``)."""

    __tablename__ = "theme_decision"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    programme_id: uuid.UUID = Field(foreign_key="programme.id", index=True)
    decision: str = Field(max_length=12)  # accepted · renamed · rejected
    words_key: str = Field(max_length=64, index=True)  # sha256 of the sorted words
    ideas_key: str = Field(max_length=64, index=True)  # sha256 of the sorted idea ids
    words: str = Field(default="[]")  # JSON list: the words that joined the ideas
    idea_count: int = Field(default=0)
    proposed_name: str = Field(default="", max_length=120)
    name: str = Field(default="", max_length=120)  # the theme's name when accepted
    theme_id: uuid.UUID | None = Field(default=None)  # the theme made (kept if it is deleted)
    decided_by: str = Field(default="", max_length=120)
    decided_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)


class Poll(SQLModel, table=True):
    """A poll of the meeting (domain/polls.py): declared on a ``vote`` item of the agenda file or
    made ad hoc. ``number`` names it in the meeting (1, 2 …), as the CLI and the console do."""

    __table_args__ = (sa.UniqueConstraint("meeting_id", "number", name="uq_poll_meeting_number"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    meeting_id: uuid.UUID = Field(foreign_key="meeting.id", index=True)
    agenda_item_id: uuid.UUID | None = Field(default=None, foreign_key="agenda_item.id")
    number: int
    type: str = Field(max_length=12)  # single · multiple · ranking · score · dots · budget
    question: str = Field(max_length=300)
    settings: str = Field(default="{}")  # JSON: min, max, dots, budget, from
    status: str = Field(default="draft", max_length=8)  # draft · open · closed
    results: str = Field(default="live", max_length=8)  # live · at close (what the public sees)
    opens: str = Field(default="with the item", max_length=16)  # with the item · manual
    created_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
    opened_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    closed_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    # The budget selection decided by the organisers instead of the count, with their reason.
    override: str = Field(default="")  # JSON list of option positions; "" = none
    override_reason: str = Field(default="")


class PollOption(SQLModel, table=True):
    __tablename__ = "poll_option"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    poll_id: uuid.UUID = Field(foreign_key="poll.id", index=True)
    position: int
    label: str = Field(max_length=200)
    cost: int = Field(default=0)
    idea_id: uuid.UUID | None = Field(default=None, foreign_key="idea.id")


class PollBallot(SQLModel, table=True):
    """A phone's ballot while its poll is open: one per device (a hash of the device id and
    the poll), changeable. Closing the poll turns these into ``PollCountedBallot`` rows without
    any device and deletes them."""

    __tablename__ = "poll_ballot"
    __table_args__ = (sa.UniqueConstraint("poll_id", "device_hash", name="uq_poll_ballot_device"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    poll_id: uuid.UUID = Field(foreign_key="poll.id", index=True)
    device_hash: str = Field(max_length=64)
    choices: str = Field(default="[]")


class PollCountedBallot(SQLModel, table=True):
    """A counted, anonymous ballot: its choices and channel (phone · paper), nothing else — no
    device, no time; a random id, so even the order of rows says nothing of who voted when."""

    __tablename__ = "poll_counted_ballot"

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    poll_id: uuid.UUID = Field(foreign_key="poll.id", index=True)
    channel: str = Field(default="phone", max_length=8)
    choices: str = Field(default="[]")


class PollVoter(SQLModel, table=True):
    """That a device's ballot was counted when the poll closed (not what it chose): after a
    reopen it cannot vote a second time."""

    __tablename__ = "poll_voter"
    __table_args__ = (sa.UniqueConstraint("poll_id", "device_hash", name="uq_poll_voter_device"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    poll_id: uuid.UUID = Field(foreign_key="poll.id", index=True)
    device_hash: str = Field(max_length=64)


class PollChannelCount(SQLModel, table=True):
    """Paper or a show of hands, as entered by the organisers: ballots cast and invalid, and for
    hands the count per option (JSON list by position). Entering a channel again replaces it."""

    __tablename__ = "poll_channel_count"
    __table_args__ = (sa.UniqueConstraint("poll_id", "channel", name="uq_poll_channel"),)

    id: uuid.UUID = Field(default_factory=_uuid_key, primary_key=True)
    poll_id: uuid.UUID = Field(foreign_key="poll.id", index=True)
    channel: str = Field(max_length=8)  # paper · hands
    cast: int = Field(default=0)
    invalid: int = Field(default=0)
    counts: str = Field(default="[]")
    entered_by: str = Field(default="", max_length=120)
    entered_at: datetime = Field(default_factory=utcnow, sa_type=UtcDateTime)
