"""Ideas on the standard form and the comments on them.

The same functions serve the note-taker's keyboard form and the attendee's phone form, so an idea
is the same record whoever raised it and however it arrived.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Text, bindparam, func, insert, or_
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import Session, col, select, update

from meetingtui.domain.errors import DomainError, FieldErrors, MeetingClosed, NotFound
from meetingtui.domain.feed import record_event
from meetingtui.domain.meetings import meeting_topics
from meetingtui.domain.models import Comment, Event, Idea, Meeting, utcnow
from meetingtui.domain.public import Audience, comment_filter, idea_filter, idea_visible
from meetingtui.domain.states import MeetingStatus, Moderation, Visibility
from meetingtui.domain.text import check_length, clean_text, is_blank
from meetingtui.domain.text_fold import fold
from meetingtui.domain.vocab import BENEFITS, CHANNELS, SCALES, STAKEHOLDERS

TITLE_MAX = 120
DETAIL_MAX = 4000
NAME_MAX = 120
ORGANISATION_MAX = 200
AFFECTS_MAX = 500
COMMENT_MAX = 1000
TAGS_MAX = 10
BROWSE_PAGE = 100


class EditConflict(DomainError):
    """Someone else changed a field of the idea that this edit changes too, after the form
    was filled from the stored idea. ``fields`` maps each such field to (as the form loaded
    it, as stored now, as this edit wants it), so a person can choose between the versions."""

    def __init__(self, ref: str, fields: dict[str, tuple[Any, Any, Any]]) -> None:
        self.ref = ref
        self.fields = dict(fields)
        names = ", ".join(self.fields)
        super().__init__(f"Idea {ref} was changed by someone else meanwhile ({names}).")


@dataclass
class IdeaInput:
    """What a person fills in; everything else on the form is filled in automatically."""

    title: str
    detail: str = ""
    raised_by: str = ""
    organisation: str = ""
    publish_name: bool = False
    stakeholder: str = ""
    channel: str = "spoken"
    topic: str = ""
    tags: list[str] = field(default_factory=list)
    scale: str = ""
    benefits: list[str] = field(default_factory=list)
    affects: str = ""


def arrival_visibility(meeting: Meeting, *, from_public: bool) -> Visibility:
    """Attendee input to a pre-moderated meeting waits for a moderator; the organisers' own
    input, and everything in a post-moderated meeting, shows at once."""
    if from_public and meeting.moderation == Moderation.PRE:
        return Visibility.PENDING
    return Visibility.VISIBLE


def validate_idea(data: IdeaInput, *, topics: list[str]) -> IdeaInput:
    """Clean every field and check it; FieldErrors with plain-language messages on refusal."""
    errors: dict[str, str] = {}
    clean = IdeaInput(
        title=clean_text(data.title),
        detail=clean_text(data.detail, multiline=True),
        raised_by=clean_text(data.raised_by),
        organisation=clean_text(data.organisation),
        publish_name=bool(data.publish_name),
        stakeholder=clean_text(data.stakeholder),
        channel=clean_text(data.channel) or "spoken",
        topic=clean_text(data.topic),
        tags=[t for t in (clean_text(t) for t in data.tags) if t],
        scale=clean_text(data.scale),
        benefits=[clean_text(b) for b in data.benefits if clean_text(b)],
        affects=clean_text(data.affects),
    )
    if is_blank(clean.title):
        errors["title"] = "Enter a title for your idea"
    check_length(errors, "title", clean.title, TITLE_MAX, "Title")
    check_length(errors, "detail", clean.detail, DETAIL_MAX, "Detail")
    check_length(errors, "raised_by", clean.raised_by, NAME_MAX, "Name")
    check_length(errors, "organisation", clean.organisation, ORGANISATION_MAX, "Organisation")
    check_length(errors, "affects", clean.affects, AFFECTS_MAX, "Who is affected")
    if clean.stakeholder and clean.stakeholder not in STAKEHOLDERS:
        errors["stakeholder"] = "Choose a group from the list"
    if clean.channel not in CHANNELS:
        errors["channel"] = "Choose how the idea arrived from the list"
    if clean.topic and clean.topic not in topics:
        errors["topic"] = "Choose a topic from the list"
    if clean.scale and clean.scale not in SCALES:
        errors["scale"] = "Choose quick win or major change"
    if any(b not in BENEFITS for b in clean.benefits):
        errors["benefits"] = "Choose benefits from the list"
    if len(clean.tags) > TAGS_MAX or any(len(t) > 40 for t in clean.tags):
        errors["tags"] = f"Use at most {TAGS_MAX} tags of up to 40 characters each"
    if clean.publish_name and not clean.raised_by:
        clean.publish_name = False
    if errors:
        raise FieldErrors(errors)
    return clean


def format_ref(seq: int) -> str:
    """The spoken form of an idea's number: ``I-0042``; ``I-10000`` past 9,999."""
    return f"I-{seq:04d}"


# An idea's ref as people say or type it: ``I-0042``, ``i-42``, ``I42``, ``I-042`` (or the
# number alone) all name idea 42.
_SPOKEN_REF = re.compile(r"^(?:I-?)?(\d{1,8})$")
_WORDS_ONLY = re.compile(r"[^\W_]+(?:\s+[^\W_]+)*")  # letters and digits, spaces between


def ref_number(text: str) -> int | None:
    """The idea number in a ref as typed, or ``None`` when it is not one."""
    match = _SPOKEN_REF.match(text.strip().upper())
    return int(match.group(1)) if match else None


def ref_candidates(text: str) -> tuple[set[str], int | None]:
    """What a typed ref may be stored as: the refs to try first (as typed, and the canonical
    ``I-0042``: ideas numbered before per-meeting numbering keep their old ref), then the
    meeting's idea number to fall back to."""
    wanted = text.strip().upper()
    number = ref_number(wanted)
    refs = {wanted} if number is None else {wanted, format_ref(number)}
    return refs, number


def next_idea_seq(session: Session, meeting_id: uuid.UUID) -> int:
    """The meeting's next idea number (1, 2, 3 …; see ``Idea`` for why per meeting).

    One UPDATE … RETURNING on the meeting's row: it takes the write lock (SQLite) or the row's
    lock (PostgreSQL) before reading, so two note-takers or processes never receive the same
    number, and a rolled-back capture gives its number back.
    """
    table = Meeting.__table__  # type: ignore[attr-defined]
    statement = (
        update(table)
        .where(table.c.id == meeting_id)
        .values(idea_seq=table.c.idea_seq + 1)
        .returning(table.c.idea_seq)
    )
    value = int(session.execute(statement).scalar_one())
    loaded = session.identity_map.get(session.identity_key(Meeting, meeting_id))
    if loaded is not None:
        set_committed_value(loaded, "idea_seq", value)
    return value


def open_meeting(session: Session, meeting_id: uuid.UUID, *, from_public: bool = True) -> Meeting:
    """The meeting, for a write. Closing a meeting stops *attendee* input (``from_public``, the
    default, so a new caller is refused rather than let in); organisers keep working on the
    record of a closed meeting: written cards and emails, typos fixed."""
    meeting = session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("That meeting does not exist.")
    if from_public and meeting.status == MeetingStatus.CLOSED:
        raise MeetingClosed("This meeting has closed and is no longer taking ideas or comments.")
    return meeting


DEVICE_MAX = 64  # the column's size; device ids are far shorter


def form_columns(data: IdeaInput) -> dict[str, Any]:
    """The standard form's fields as an idea's columns (lists as JSON): one mapping for every
    way an idea is made (captured, typed from a card, imported)."""
    return {
        "title": data.title,
        "detail": data.detail,
        "raised_by": data.raised_by,
        "organisation": data.organisation,
        "publish_name": data.publish_name,
        "stakeholder": data.stakeholder,
        "channel": data.channel,
        "topic": data.topic,
        "tags": json.dumps(data.tags, ensure_ascii=False),
        "scale": data.scale,
        "benefits": json.dumps(data.benefits),
        "affects": data.affects,
    }


def capture_idea(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    data: IdeaInput,
    captured_by: str = "",
    agenda_item_id: uuid.UUID | None = None,
    from_public: bool = False,
    device: str = "",
) -> Idea:
    """Validate and store one idea against the given (default: current) agenda item.

    Ideas from the public wait for a moderator in pre-moderated meetings. ``device``: the
    phone's device id (moderation can hide everything one device sent).
    """
    meeting = open_meeting(session, meeting_id, from_public=from_public)
    clean = validate_idea(data, topics=meeting_topics(meeting))
    visibility = arrival_visibility(meeting, from_public=from_public)
    seq = next_idea_seq(session, meeting_id)
    idea = Idea(
        ref=format_ref(seq),
        seq=seq,
        meeting_id=meeting_id,
        agenda_item_id=agenda_item_id or meeting.current_item_id,
        **form_columns(clean),
        captured_by=clean_text(captured_by)[:NAME_MAX],
        visibility=visibility,
        device=device[:DEVICE_MAX],
    )
    session.add(idea)
    session.flush()
    record_event(
        session,
        kind="idea.captured",
        meeting_id=meeting_id,
        entity="idea",
        entity_id=idea.id,
        actor=idea.captured_by,
        detail={"ref": idea.ref, "channel": idea.channel},
    )
    return idea


def find_idea(session: Session, *, meeting_id: uuid.UUID, ref: str, public: bool = False) -> Idea:
    """An idea of the meeting by ref. Deleted ideas are gone; for the public, so are ideas
    waiting for or taken down by a moderator."""
    refs, number = ref_candidates(ref)
    live = (Idea.meeting_id == meeting_id, col(Idea.deleted_at).is_(None))
    idea = session.exec(select(Idea).where(*live, col(Idea.ref).in_(refs))).first()
    if idea is None and number is not None:
        idea = session.exec(select(Idea).where(*live, Idea.seq == number)).first()
    if idea is None or (public and not idea_visible(idea, Audience.PUBLIC)):
        raise NotFound(f"No idea {ref} in this meeting.")
    return idea


def add_comment(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    idea_ref: str,
    body: str,
    author: str = "",
    channel: str = "phone",
    from_public: bool = False,
    device: str = "",
) -> Comment:
    """One comment: ``add_comments`` with one request (the same checks, rows and event as the
    attendee web's group commit, so there is one way comments are added), raising its refusal.
    Returns the stored comment."""
    (result,) = add_comments(
        session,
        meeting_id=meeting_id,
        requests=[(idea_ref, body)],
        author=author,
        channel=channel,
        from_public=from_public,
        devices=[device],
    )
    if isinstance(result, DomainError):
        raise result
    comment = session.get(Comment, result.id)
    assert comment is not None
    return comment


@dataclass(frozen=True)
class AddedComment:
    """What ``add_comments`` stored for one request."""

    id: uuid.UUID
    idea_ref: str
    visibility: str


def add_comments(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    requests: Sequence[tuple[str, str]],
    author: str = "",
    channel: str = "phone",
    from_public: bool = False,
    devices: Sequence[str] = (),
) -> list[AddedComment | DomainError]:
    """Comments, many at once: the one way comments are added (``add_comment`` is this with
    one request; the attendee web's group commit hands it every comment waiting).

    For each ``(idea_ref, body)``: the idea must be in the meeting (and public, for public
    input), the body non-empty and at most ``COMMENT_MAX``; stored are the comment, the idea's
    ``updated_at`` and a ``comment.added`` event, with one query for all the ideas and one
    insert per table, which is what makes hundreds of comments a second possible. ``author``
    (the same for all) is at most ``NAME_MAX``. Returns, per request in order, what was stored
    or the ``DomainError`` that refused it (nothing is written for a refused one). A closed or
    unknown meeting refuses them all, by raising. ``devices``: the device each request came
    from, in the same order (none: organisers' input).
    """
    meeting = open_meeting(session, meeting_id, from_public=from_public)
    name = clean_text(author)
    if len(name) > NAME_MAX:
        errors: dict[str, str] = {}
        check_length(errors, "author", name, NAME_MAX, "Name")
        return [FieldErrors(errors) for _ in requests]
    wanted = {ref.strip().upper() for ref, _ in requests}
    # Plain rows and Core statements below, not ORM objects: under load this runs in the web's
    # writer thread, where every microsecond of Python is taken from the event loop (the GIL).
    query = select(Idea.id, Idea.ref).where(
        Idea.meeting_id == meeting_id,
        col(Idea.ref).in_(wanted),
        col(Idea.deleted_at).is_(None),
        *([Idea.visibility == Visibility.VISIBLE] if from_public else []),
    )
    ideas = {ref: idea_id for idea_id, ref in session.exec(query)}
    touched: dict[uuid.UUID, datetime] = {}  # idea -> its newest comment's time
    visibility = arrival_visibility(meeting, from_public=from_public)
    channel = channel if channel in CHANNELS else "other"
    results: list[AddedComment | DomainError] = []
    comments: list[dict[str, object]] = []
    events: list[dict[str, object]] = []
    for number, (ref, body) in enumerate(requests):
        idea_ref = ref.strip().upper()
        idea_id = ideas.get(idea_ref)
        if idea_id is None:
            results.append(NotFound(f"No idea {ref} in this meeting."))
            continue
        text = clean_text(body, multiline=True)
        errors = {}
        if is_blank(text):
            errors["body"] = "Enter your comment"
        check_length(errors, "body", text, COMMENT_MAX, "Comment")
        if errors:
            results.append(FieldErrors(errors))
            continue
        now = utcnow()
        comment_id = uuid.uuid4()
        comments.append(
            {
                "id": comment_id,
                "idea_id": idea_id,
                "meeting_id": meeting_id,
                "body": text,
                "author": name,
                "channel": channel,
                "visibility": visibility,
                "created_at": now,
                "device": devices[number][:DEVICE_MAX] if number < len(devices) else "",
            }
        )
        events.append(
            {
                "at": now,
                "meeting_id": meeting_id,
                "kind": "comment.added",
                "entity": "comment",
                "entity_id": str(comment_id),
                "actor": name,
                "detail": json.dumps({"idea": idea_ref}, ensure_ascii=False),
            }
        )
        touched[idea_id] = now
        results.append(AddedComment(comment_id, idea_ref, visibility))
    if comments:
        session.flush()  # anything the session holds, before the Core statements
        _touch_ideas(session, touched)
        session.execute(insert(Comment.__table__), comments)  # type: ignore[attr-defined]
        session.execute(insert(Event.__table__), events)  # type: ignore[attr-defined]
    return results


def _touch_ideas(session: Session, touched: dict[uuid.UUID, datetime]) -> None:
    """Each commented idea's ``updated_at``, one row per idea, and in the session's copies too
    (a piece of work earlier in the same group commit may have loaded an idea)."""
    table = Idea.__table__  # type: ignore[attr-defined]
    statement = (
        update(table).where(table.c.id == bindparam("idea")).values(updated_at=bindparam("at"))
    )
    session.execute(statement, [{"idea": idea, "at": at} for idea, at in touched.items()])
    for idea_id, at in touched.items():
        loaded = session.identity_map.get(session.identity_key(Idea, idea_id))
        if loaded is not None:
            set_committed_value(loaded, "updated_at", at)


IDEA_FIELDS = tuple(f.name for f in fields(IdeaInput))
"""The fields of the standard form a person fills in (what ``update_idea`` may change)."""
CARD_NUMBER = "card_number"
"""Not on the standard form, but corrected like its fields: the paper card's number
(domain/cards.py), when an idea typed in from a card was given a mistyped one."""
_LIST_FIELDS = ("tags", "benefits")


def idea_input(idea: Idea) -> IdeaInput:
    """An idea's form as it is stored."""
    return IdeaInput(
        title=idea.title,
        detail=idea.detail,
        raised_by=idea.raised_by,
        organisation=idea.organisation,
        publish_name=idea.publish_name,
        stakeholder=idea.stakeholder,
        channel=idea.channel,
        topic=idea.topic,
        tags=idea_list(idea.tags),
        scale=idea.scale,
        benefits=idea_list(idea.benefits),
        affects=idea.affects,
    )


def update_idea(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    idea_id: uuid.UUID,
    changes: Mapping[str, Any],
    actor: str = "",
    base: Mapping[str, Any] | None = None,
) -> Idea:
    """Change only the named fields of an idea's form; every other field stays as stored.

    ``changes`` maps field names of ``IdeaInput`` to new values: what the person changed, not
    the whole form, so a correction made on a form that shows fewer fields (the console's) never
    wipes the rest (a phone idea's organisation, consent, tags, scale, benefits, "affects").
    Only the changed fields are checked; the ref, origin and comments stay as they were. Clearing
    the name also clears the consent to publish it. No event when nothing changes.
    ``card_number`` (``CARD_NUMBER``: as typed, ``C-0137``, a number, or blank for none) is
    checked as card entry checks it (domain/cards.py ``check_card_number``).

    ``base`` holds the fields as the person's form loaded them. A changed field that is no
    longer stored as in ``base`` (another console saved it meanwhile) and differs from what
    this edit wants is an ``EditConflict``: nothing is written. Fields only the other side
    changed are not in ``changes`` and stay as the other side saved them.
    """
    unknown = set(changes) - {*IDEA_FIELDS, CARD_NUMBER}
    if unknown:
        raise DomainError(f"An idea has no field {', '.join(sorted(unknown))}.")
    meeting = session.get(Meeting, meeting_id)
    idea = session.get(Idea, idea_id)
    if meeting is None or idea is None or idea.meeting_id != meeting_id:
        raise NotFound("That idea is not in this meeting.")
    if idea.deleted_at:
        raise NotFound(
            f"Idea {idea.ref} was deleted while it was being edited (from another console, or "
            "by an undo); nothing was saved. The console that deleted it can bring it back "
            "with u."
        )
    form_changes = {name: value for name, value in changes.items() if name != CARD_NUMBER}
    stored = idea_input(idea)
    clean = _clean_changes(form_changes, stored, meeting_topics(meeting))
    changed = [name for name in form_changes if getattr(clean, name) != getattr(stored, name)]
    card = idea.card_number
    if CARD_NUMBER in changes:
        card = _card_change(session, meeting, idea, changes[CARD_NUMBER])
        if card != idea.card_number:
            changed.append(CARD_NUMBER)
    if base is not None:
        _check_conflicts(idea.ref, idea, clean, card, base, changed)
    name_cleared = "raised_by" in changed and not clean.raised_by
    if name_cleared and stored.publish_name and "publish_name" not in changed:
        changed.append("publish_name")  # no name, nothing to consent to
        clean.publish_name = False
    if not changed:
        return idea
    for name in changed:
        if name == CARD_NUMBER:
            idea.card_number = card
            continue
        value = getattr(clean, name)
        if name == "tags":
            value = json.dumps(value, ensure_ascii=False)
        elif name == "benefits":
            value = json.dumps(value)
        setattr(idea, name, value)
    idea.updated_at = utcnow()
    record_event(
        session,
        kind="idea.edited",
        meeting_id=meeting_id,
        entity="idea",
        entity_id=idea.id,
        actor=actor,
        detail={"ref": idea.ref, "fields": sorted(changed)},
    )
    session.flush()
    return idea


def _card_change(session: Session, meeting: Meeting, idea: Idea, value: Any) -> int | None:
    """The card number an edit asks for (``None``: none), refused as card entry refuses it."""
    from meetingtui.domain.cards import check_card_number, parse_card_number  # cards -> ideas

    number = value if isinstance(value, int) or value is None else parse_card_number(str(value))
    if number is not None and number != idea.card_number:
        check_card_number(session, meeting=meeting, number=number, except_idea=idea.id)
    return number


def _check_conflicts(
    ref: str,
    idea: Idea,
    clean: IdeaInput,
    card: int | None,
    base: Mapping[str, Any],
    changed: list[str],
) -> None:
    """Refuse an edit that would overwrite another console's change to the same field."""
    from meetingtui.domain.cards import card_as_typed

    stored = idea_input(idea)
    conflicts: dict[str, tuple[Any, Any, Any]] = {}
    for name in changed:
        if name not in base:
            continue
        loaded = base[name]
        if name == CARD_NUMBER:
            loaded, now = card_as_typed(loaded), card_as_typed(idea.card_number)
            if loaded != now:
                conflicts[name] = (loaded, now, card_as_typed(card))
            continue
        loaded = list(loaded or ()) if name in _LIST_FIELDS else loaded
        now = getattr(stored, name)
        if name in _LIST_FIELDS or name == "publish_name":
            same = loaded == now
        else:
            same = str(loaded or "") == str(now or "")
        if not same:
            conflicts[name] = (loaded, now, getattr(clean, name))
    if conflicts:
        raise EditConflict(ref, conflicts)


def search_ideas(
    session: Session,
    meeting_id: uuid.UUID,
    *,
    text: str = "",
    item_id: uuid.UUID | None = None,
    limit: int = BROWSE_PAGE,
    offset: int = 0,
) -> tuple[int, list[Idea]]:
    """One page of the meeting's ideas for the organisers (every item, hidden and waiting ones
    too, not deleted ones), newest first, and how many match in all.

    ``text`` is found in the title, the detail or the ref, literally (``%`` and ``_`` are
    letters here); text of words alone also accents and case aside ("cafe" finds "Café"); a
    ref as people say it (``i42``) finds its idea too. ``item_id`` keeps to
    one agenda item. Only one page is read, so a meeting of thousands stays quick to browse.
    """
    query = select(Idea).where(Idea.meeting_id == meeting_id, *idea_filter(Audience.ORGANISERS))
    if item_id is not None:
        query = query.where(Idea.agenda_item_id == item_id)
    wanted = text.strip()
    if wanted:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        found: list[ColumnElement[bool]] = [
            col(Idea.title).ilike(pattern, escape="\\"),
            col(Idea.detail).ilike(pattern, escape="\\"),
            col(Idea.ref).ilike(pattern, escape="\\"),
        ]
        folded = fold(wanted)
        if folded and _WORDS_ONLY.fullmatch(wanted):
            # Words alone: accents and case aside too ("cafe" finds "Café", "nandu" "Ñandú"), by
            # the same fold as every search (text_fold; ``meetingtui_fold`` in SQL).
            like = f"%{folded}%"
            found += [
                func.meetingtui_fold(col(Idea.title), type_=Text).like(like),
                func.meetingtui_fold(col(Idea.detail), type_=Text).like(like),
            ]
        number = ref_number(wanted)
        if number is not None:
            found.append(col(Idea.seq) == number)
        query = query.where(or_(*found))
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    page = query.order_by(col(Idea.seq).desc()).limit(limit).offset(offset)
    return int(total), list(session.exec(page))


def _clean_changes(changes: Mapping[str, Any], stored: IdeaInput, topics: list[str]) -> IdeaInput:
    """The changed fields cleaned and checked by ``validate_idea`` itself, beside neutral
    values for the rest: a stored field that today's checks would refuse (a topic since taken
    off the agenda) never blocks a correction elsewhere."""
    probe = IdeaInput(title="-")
    if "publish_name" in changes and "raised_by" not in changes:
        probe.raised_by = stored.raised_by[:NAME_MAX]  # consent is to publish this name
    for name, value in changes.items():
        setattr(probe, name, list(value) if name in _LIST_FIELDS else value)
    return validate_idea(probe, topics=topics)


def edit_idea(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    idea_id: uuid.UUID,
    data: IdeaInput,
    actor: str = "",
) -> Idea:
    """Replace an idea's whole form with ``data`` (every field); ``update_idea`` changes only
    some. Its ref, origin and comments stay as they were."""
    changes = {name: getattr(data, name) for name in IDEA_FIELDS}
    return update_idea(
        session, meeting_id=meeting_id, idea_id=idea_id, changes=changes, actor=actor
    )


def set_idea_deleted(
    session: Session,
    *,
    meeting_id: uuid.UUID,
    idea_id: uuid.UUID,
    deleted: bool,
    actor: str = "",
) -> Idea:
    """Delete an idea, or undo the delete. Nothing is erased: the row and its comments stay, so
    an undo (or the audit trail) brings everything back."""
    idea = session.get(Idea, idea_id)
    if idea is None or idea.meeting_id != meeting_id:
        raise NotFound("That idea is not in this meeting.")
    idea.deleted_at = utcnow() if deleted else None
    idea.updated_at = utcnow()
    record_event(
        session,
        kind="idea.deleted" if deleted else "idea.restored",
        meeting_id=meeting_id,
        entity="idea",
        entity_id=idea.id,
        actor=actor,
        detail={"ref": idea.ref},
    )
    session.flush()
    return idea


def meeting_ideas(
    session: Session, meeting_id: uuid.UUID, *, include_hidden: bool = False
) -> list[Idea]:
    """Ideas of a meeting in capture order (by number); only public ones unless asked
    (``domain/public.py`` decides: ``include_hidden`` means the organisers' view)."""
    audience = Audience.ORGANISERS if include_hidden else Audience.PUBLIC
    query = select(Idea).where(Idea.meeting_id == meeting_id, *idea_filter(audience))
    return list(session.exec(query.order_by(col(Idea.seq))))


def comments_by_idea(
    session: Session,
    idea_ids: Iterable[uuid.UUID],
    *,
    include_hidden: bool = False,
    meeting_id: uuid.UUID | None = None,
) -> dict[uuid.UUID, list[Comment]]:
    """Comments grouped by idea. With ``meeting_id`` the query selects by meeting instead of a
    long IN list (thousands of ideas), and keeps only the ideas asked for."""
    ids = list(idea_ids)
    grouped: dict[uuid.UUID, list[Comment]] = {i: [] for i in ids}
    if not ids:
        return grouped
    if meeting_id is not None:
        query = select(Comment).where(Comment.meeting_id == meeting_id)
    else:
        query = select(Comment).where(col(Comment.idea_id).in_(ids))
    audience = Audience.ORGANISERS if include_hidden else Audience.PUBLIC
    query = query.where(*comment_filter(audience, idea_checked=True))  # only the ideas asked
    for comment in session.exec(query.order_by(col(Comment.created_at))):
        if comment.idea_id in grouped:
            grouped[comment.idea_id].append(comment)
    return grouped


def idea_list(value: str) -> list[str]:
    """Decode a JSON list column (tags, benefits)."""
    return list(json.loads(value or "[]"))
