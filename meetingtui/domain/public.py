"""The public-record policy: the one place that decides what the public may see of a meeting.

Every surface that shows people's words reads this module: the phone page, an idea's page,
``/live``, the JSON API, the projector (web and terminal), every export, ``publish`` and the
command line. A caller says who is looking with one ``Audience`` value; nothing else decides.

The rules, for ``Audience.PUBLIC``:

- **Ideas**: not deleted, and visible (neither waiting for a moderator, ``pending``, nor taken
  down by one, ``hidden``). A merged idea stays public: both refs keep resolving.
- **Comments**: visible, on an idea that is itself public.
- **Names**: an idea's ``raised_by`` and ``organisation`` only when the person ticked "show my
  name" (``publish_name``) and gave a name. No other form asks for that consent, so no other name
  a person typed is published: not a comment's author, not the name given when asking to speak
  (from a phone or written down by the facilitator). Staff login names (``captured_by``,
  ``created_by``) are never published.
- **Answers** (domain/lifecycle.py): an idea's status, its reason and the response as last
  published (``Idea.public_*``), never the organisers' drafts; history entries once published,
  and never who reviews an idea (staff).
- **Themes** (domain/themes.py): a theme once published, by its published name, summary and
  response; only its ideas the public may see, and only those counted. A theme's published
  response is *inherited* by its ideas that have no published response of their own
  (``idea_answers``: the one rule every surface reads; an idea's own response wins), except
  by an idea merged into another: its outcome is that idea's.
- **Speakers**: those heard (speaking now, or done), by stakeholder group and time only; and
  those who asked but were not heard (still waiting when the item ended, recorded so by the
  facilitator), by stakeholder group only: a public hearing's record says how many were not
  heard. Requests that were withdrawn, or are still waiting, are not part of the record.
- **Card numbers**: the printed number of the paper card an idea was typed in from (``C-0137``)
  is public: it names a card, not a person, and lets anyone reconcile the paper stack with the
  record (``card``).

``Audience.ORGANISERS`` (the console and the organisers' copy of the minutes, marked "Not for
publication") sees everything that is not deleted, and every name.

The rules come in two forms that say the same thing: SQL conditions (``idea_filter``,
``comment_filter``, ``speaker_filter``), so a page can count and LIMIT in the database, and
functions on loaded rows (``idea_visible``, ``public_snapshot``…), for what is already in memory.
"""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from sqlalchemy import ColumnElement, and_, exists, true
from sqlmodel import Session, col, func, select

from meetingtui.domain.models import Comment, Idea, IdeaChange, Speaker, Theme, ThemeIdea
from meetingtui.domain.states import SpeakerStatus, Visibility

if TYPE_CHECKING:
    from meetingtui.domain.snapshot import MeetingSnapshot


class Audience(StrEnum):
    """Who is looking: the one value every caller of this module passes."""

    PUBLIC = "public"  # the room, the phones, the minutes, the published site, the catalogue
    ORGANISERS = "organisers"  # the console; the organisers' copy (not for publication)


# Who may be named where, in words the forms and exports repeat.
NOT_FOR_PUBLICATION = (
    "Not for publication: the organisers' copy. It shows names people did not agree to publish."
)
PUBLIC_NAMES_NOTE = "Names appear only where people agreed to publish them."
ORGANISERS_NAMES_NOTE = "Names appear as given; do not publish this copy."

VISIBLE = Visibility.VISIBLE
HEARD = (SpeakerStatus.SPEAKING, SpeakerStatus.DONE)
RECORDED_SPEAKERS = (*HEARD, SpeakerStatus.NOT_HEARD)  # the record: heard, or asked and not heard


# ---------------------------------------------------------------------------- SQL conditions


def idea_filter(audience: Audience, idea: Any = Idea) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``Idea`` (or an alias of it, ``idea``): the ideas ``audience`` may see
    (add the meeting's own)."""
    kept = col(idea.deleted_at).is_(None)
    if audience is Audience.ORGANISERS:
        return (kept,)
    return (kept, col(idea.visibility) == VISIBLE)


def comment_filter(
    audience: Audience, *, idea_checked: bool = False
) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``Comment``: the comments ``audience`` may see.

    A comment is seen only with its idea, so the idea's rule applies too, as a correlated
    ``EXISTS`` (an index lookup per comment, whatever the meeting's size). ``idea_checked=True``
    when the query already keeps to ideas that passed ``idea_filter`` (their ids, or a join).
    """
    own = () if audience is Audience.ORGANISERS else (col(Comment.visibility) == VISIBLE,)
    if idea_checked:
        return own or (true(),)
    idea_seen = exists().where(col(Idea.id) == col(Comment.idea_id), *idea_filter(audience))
    return (*own, idea_seen)


def comment_count_column(audience: Audience) -> Any:
    """``Idea``'s stored count of the comments ``audience`` may see (``comment_filter`` on an
    idea that passed ``idea_filter``), kept by revision 0010's triggers: every comment for the
    organisers, the visible ones for anyone else."""
    if audience is Audience.ORGANISERS:
        return col(Idea.comment_count)
    return col(Idea.visible_comment_count)


def speaker_filter(audience: Audience) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``Speaker``: for the public, those heard and those recorded as not heard;
    organisers see the whole queue."""
    if audience is Audience.ORGANISERS:
        return (true(),)
    return (col(Speaker.status).in_(RECORDED_SPEAKERS),)


def change_filter(audience: Audience) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``IdeaChange`` (an idea's history): for the public, entries published with
    the idea's answer, never reviewer assignments (staff); organisers see every entry."""
    if audience is Audience.ORGANISERS:
        return (true(),)
    return (col(IdeaChange.published_at).is_not(None), col(IdeaChange.field) != "reviewer")


def status_column(audience: Audience) -> Any:
    """The status column ``audience`` reads (for filters): the published one for the public."""
    return col(Idea.status) if audience is Audience.ORGANISERS else col(Idea.public_status)


def plan_version_column(audience: Audience) -> Any:
    """The plan version column ``audience`` reads: the published link for the public."""
    return (
        col(Idea.plan_version) if audience is Audience.ORGANISERS else col(Idea.public_plan_version)
    )


def plan_section_column(audience: Audience) -> Any:
    return (
        col(Idea.plan_section) if audience is Audience.ORGANISERS else col(Idea.public_plan_section)
    )


def public_ideas_of(meeting_id: Any, audience: Audience) -> ColumnElement[bool]:
    """One condition: an idea of this meeting that ``audience`` may see."""
    return and_(col(Idea.meeting_id) == meeting_id, *idea_filter(audience))


def public_idea_counts(session: Session, audience: Audience) -> dict[uuid.UUID, int]:
    """Ideas ``audience`` may see, per meeting, by one aggregate (``meetingtui meetings``)."""
    query = select(Idea.meeting_id, func.count()).where(*idea_filter(audience))
    return dict(session.exec(query.group_by(col(Idea.meeting_id))).all())


# ---------------------------------------------------------------------------- loaded rows


class _IdeaLike(Protocol):
    visibility: str
    deleted_at: Any


class _NamedIdea(Protocol):
    raised_by: str
    organisation: str
    publish_name: bool


def idea_visible(idea: _IdeaLike, audience: Audience) -> bool:
    if idea.deleted_at is not None:
        return False
    return audience is Audience.ORGANISERS or idea.visibility == VISIBLE


def comment_visible(comment: Any, audience: Audience, *, idea: _IdeaLike | None = None) -> bool:
    """``idea``: the comment's idea, when the caller has it (else only the comment's own state
    is checked, so keep the comment with its idea)."""
    if idea is not None and not idea_visible(idea, audience):
        return False
    return audience is Audience.ORGANISERS or comment.visibility == VISIBLE


class _AnsweredIdea(Protocol):
    status: str
    status_reason: str
    response: str
    public_status: str
    public_reason: str
    public_response: str


def idea_status(idea: _AnsweredIdea, audience: Audience) -> str:
    """The status ``audience`` sees: the organisers' working one, or the one last published."""
    return idea.status if audience is Audience.ORGANISERS else idea.public_status


def status_reason(idea: _AnsweredIdea, audience: Audience) -> str:
    return idea.status_reason if audience is Audience.ORGANISERS else idea.public_reason


def idea_response(idea: _AnsweredIdea, audience: Audience) -> str:
    """The answer ``audience`` sees: the draft for organisers, the published one for the public."""
    return idea.response if audience is Audience.ORGANISERS else idea.public_response


def plan_link(idea: Any, audience: Audience) -> tuple[str, str]:
    """(version, section) of the idea's plan link as ``audience`` sees it: the organisers'
    working link, or the one last published (a link is published with the idea's answer)."""
    if audience is Audience.ORGANISERS:
        return idea.plan_version, idea.plan_section
    return idea.public_plan_version, idea.public_plan_section


def change_visible(change: Any, audience: Audience) -> bool:
    if audience is Audience.ORGANISERS:
        return True
    return change.published_at is not None and change.field != "reviewer"


def speaker_visible(speaker: Any, audience: Audience) -> bool:
    return audience is Audience.ORGANISERS or speaker.status in RECORDED_SPEAKERS


def name_consented(idea: _NamedIdea) -> bool:
    """The person ticked "show my name" and gave one (an organisation never shows alone)."""
    return bool(idea.publish_name and idea.raised_by)


def raised_by(idea: _NamedIdea, audience: Audience) -> str:
    if audience is Audience.ORGANISERS or name_consented(idea):
        return idea.raised_by
    return ""


def organisation(idea: _NamedIdea, audience: Audience) -> str:
    if audience is Audience.ORGANISERS or name_consented(idea):
        return idea.organisation
    return ""


def card(card_number: int | None, audience: Audience) -> str:  # noqa: ARG001
    """The paper card's printed number, for every audience (a card names no one), or ""."""
    from meetingtui.domain.cards import format_card_number  # cards -> ideas -> public

    return format_card_number(card_number) if card_number is not None else ""


def comment_author(author: str, audience: Audience) -> str:
    """The comment form asks for no consent to publish a name, so the public sees none."""
    return author if audience is Audience.ORGANISERS else ""


def speaker_name(name: str, audience: Audience) -> str:
    """Asking to speak (phone or floor) records no consent to publish the name: the public
    sees the stakeholder group and the time, the organisers the name too."""
    return name if audience is Audience.ORGANISERS else ""


@dataclasses.dataclass(frozen=True)
class SpeakerNow:
    """Who has the floor, as ``audience`` may see it: "Speaker 3 of 5", the stakeholder group,
    and a name only where the policy allows one (``speaker_name``)."""

    speaker: Any  # the Speaker row (its clock: ``started_at``)
    number: int  # 3: the third heard on this item
    of: int  # 5: heard so far, speaking now and still waiting
    name: str
    stakeholder: str


def speaker_now(speakers: Sequence[Any], audience: Audience) -> SpeakerNow | None:
    """The speaker speaking now among one item's ``speakers`` (in asking order), or None.

    The count is of places, never of names: the room may know it is the third of five."""
    heard = sorted(
        (s for s in speakers if s.status in HEARD),
        key=lambda s: (s.started_at is None, s.started_at or s.requested_at),
    )
    speaking = next((s for s in heard if s.status == SpeakerStatus.SPEAKING), None)
    if speaking is None:
        return None
    waiting = sum(1 for s in speakers if s.status == SpeakerStatus.WAITING)
    return SpeakerNow(
        speaker=speaking,
        number=heard.index(speaking) + 1,
        of=len(heard) + waiting,
        name=speaker_name(speaking.name, audience),
        stakeholder=speaking.stakeholder,
    )


def staff_name(name: str, audience: Audience) -> str:
    """``captured_by`` / ``created_by``: the note-taker's login, for the organisers only."""
    return name if audience is Audience.ORGANISERS else ""


T = TypeVar("T")


def visible_ideas(ideas: Iterable[T], audience: Audience) -> list[T]:
    """The ideas of ``ideas`` (loaded rows, any order kept) that ``audience`` may see."""
    return [idea for idea in ideas if idea_visible(idea, audience)]  # type: ignore[arg-type]


def latest_ideas(ideas: Sequence[T], audience: Audience, count: int) -> list[T]:
    """The ``count`` newest ideas ``audience`` may see, newest first: what a projector shows."""
    shown = visible_ideas(ideas, audience)
    return sorted(shown, key=lambda idea: idea.seq, reverse=True)[:count]  # type: ignore[attr-defined]


def public_snapshot(snapshot: MeetingSnapshot, audience: Audience) -> MeetingSnapshot:
    """A copy of a loaded snapshot with only what ``audience`` may see: ideas, their comments and
    supports, speakers. Rows are shared, not copied: names are applied where they are shown
    (``raised_by``, ``comment_author``…). Moderation counts are the organisers' business."""
    ideas = visible_ideas(snapshot.ideas, audience)
    kept = {idea.id: idea for idea in ideas}
    comments = {
        idea_id: [c for c in rows if comment_visible(c, audience, idea=kept[idea_id])]
        for idea_id, rows in snapshot.comments.items()
        if idea_id in kept
    }
    changes: dict[str, Any] = {
        "ideas": ideas,
        "comments": comments,
        # The public's own count (domain/supports.py) where the snapshot has it: an organisers'
        # count may include supports of a merged source the public may not see.
        "supports": {
            i: n
            for i, n in (
                snapshot.supports
                if audience is Audience.ORGANISERS or snapshot.public_supports is None
                else snapshot.public_supports
            ).items()
            if i in kept
        },
        "public_supports": None,
        "speakers": [s for s in snapshot.speakers if speaker_visible(s, audience)],
    }
    if audience is Audience.PUBLIC:
        from meetingtui.domain.moderation import PendingCounts

        changes["pending"] = PendingCounts(0, 0)
    return dataclasses.replace(snapshot, **changes)


# ---------------------------------------------------------------------------- themes


def theme_filter(audience: Audience) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``Theme``: the public sees a theme once it is published."""
    if audience is Audience.ORGANISERS:
        return (true(),)
    return (col(Theme.published_at).is_not(None),)


def theme_visible(theme: Any, audience: Audience) -> bool:
    return audience is Audience.ORGANISERS or theme.published_at is not None


def theme_name(theme: Any, audience: Audience) -> str:
    """The name ``audience`` reads: the working one, or the one last published."""
    return theme.name if audience is Audience.ORGANISERS else theme.public_name


def theme_summary(theme: Any, audience: Audience) -> str:
    return theme.summary if audience is Audience.ORGANISERS else theme.public_summary


def theme_response(theme: Any, audience: Audience) -> str:
    return theme.response if audience is Audience.ORGANISERS else theme.public_response


@dataclasses.dataclass(frozen=True)
class Answer:
    """The response an idea carries for ``audience``: its own, or else one inherited from a
    theme it sits in (``theme`` names it; "" when the response is the idea's own or none)."""

    response: str
    theme: str = ""

    @property
    def inherited(self) -> bool:
        return bool(self.theme)


def answer_of(own: str, theme_answers: Sequence[tuple[str, str]]) -> Answer:
    """The inheritance rule: an idea's own response wins; without one, the response of the
    first of its themes (by name, as people read it) that has one; else none. A merged idea
    (as the audience sees it) inherits none: ``theme_answers`` leaves it out, since its outcome
    is the one of the idea it went into, which every surface points to.
    ``theme_answers``: (theme name, response) as the audience sees them."""
    if own:
        return Answer(own)
    given = sorted((t for t in theme_answers if t[1]), key=lambda t: (t[0].casefold(), t[0]))
    if given:
        return Answer(given[0][1], given[0][0])
    return Answer("")


def idea_answers(session: Session, ideas: Sequence[Any], audience: Audience) -> dict[Any, Answer]:
    """Per idea (loaded rows with ``id`` and the answer columns), the response ``audience``
    sees, inherited from a theme where the idea has none (``answer_of``). One query for the
    themes of every idea that needs one. Every surface that shows an idea's answer calls this:
    the phone's idea page, the site's idea page, the report, ``meetingtui idea``."""
    own = {idea.id: idea_response(idea, audience) for idea in ideas}
    return answers_for(session, own, audience)


def answers_for(session: Session, own: dict[Any, str], audience: Audience) -> dict[Any, Answer]:
    """``idea_answers`` for callers that read the idea's own response as a column (idea id ->
    its own response for ``audience``)."""
    answers = {idea_id: Answer(text) for idea_id, text in own.items()}
    missing = [idea_id for idea_id, text in own.items() if not text]
    if not missing:
        return answers
    found: dict[Any, list[tuple[str, str]]] = {}
    for start in range(0, len(missing), 500):
        condition = col(ThemeIdea.idea_id).in_(missing[start : start + 500])
        for idea_id, given in theme_answers(session, audience, condition).items():
            found.setdefault(idea_id, []).extend(given)
    for idea_id, given in found.items():
        answers[idea_id] = answer_of("", given)
    return answers


def theme_answers(
    session: Session, audience: Audience, *conditions: Any
) -> dict[Any, list[tuple[str, str]]]:
    """Per idea, (theme name, response) of each theme it sits in that ``audience`` may see
    and that has a response, for ``answer_of``; ``conditions`` narrow the ideas or themes
    (the report passes its programme: one query for every idea)."""
    name_col = col(Theme.name) if audience is Audience.ORGANISERS else col(Theme.public_name)
    text_col = (
        col(Theme.response) if audience is Audience.ORGANISERS else col(Theme.public_response)
    )
    rows = session.exec(
        select(ThemeIdea.idea_id, name_col, text_col)
        .join(Theme, col(Theme.id) == col(ThemeIdea.theme_id))
        .join(Idea, col(Idea.id) == col(ThemeIdea.idea_id))
        .where(
            text_col != "",
            # A merged idea inherits nothing: its outcome is the idea it went into's.
            status_column(audience) != "merged",
            *theme_filter(audience),
            *conditions,
        )
    ).all()
    found: dict[Any, list[tuple[str, str]]] = {}
    for idea_id, name, text in rows:
        found.setdefault(idea_id, []).append((name, text))
    return found


# ---------------------------------------------------------------------------- merges and splits


def merge_shown(idea: Any, audience: Audience) -> bool:
    """Whether ``audience`` is told this idea was merged into another: the organisers as soon
    as it is; the public once its merged status is public (domain/merging.py makes a merge
    public at once; a merge drafted with ``respond --status merged`` waits for publishing)."""
    return idea_status(idea, audience) == "merged" and idea.merged_into_id is not None


def merge_target_shown(target: Any, audience: Audience) -> bool:
    """Whether the idea a merged idea went into is named (ref, title, answer) to ``audience``:
    only when the audience may see it. A kept idea hidden, pending or deleted since the merge
    was never, or is no longer, public: its words must not reach the public through the ideas
    merged into it."""
    return idea_visible(target, audience)


def merge_source_listed(source: Any, audience: Audience) -> bool:
    """Whether a merged idea is listed among its target's sources for ``audience``: never a
    hidden, pending or deleted one for the public (its words were never public), and only once
    its merge is public."""
    return idea_visible(source, audience) and merge_shown(source, audience)


def merge_source_filter(audience: Audience, source: Any = Idea) -> tuple[ColumnElement[bool], ...]:
    """``merge_source_listed`` as SQL conditions on ``Idea`` (or an alias of it, ``source``):
    an idea the audience may see, merged (by the status the audience reads) into another.
    Add ``source.merged_into_id == <the target>``."""
    status = col(source.status) if audience is Audience.ORGANISERS else col(source.public_status)
    return (
        *idea_filter(audience, source),
        status == "merged",
        col(source.merged_into_id).is_not(None),
    )


def split_part_listed(part: Any, audience: Audience) -> bool:
    """A part of a split idea is listed (and linked) when the audience may see it."""
    return idea_visible(part, audience)


def poll_public(poll: Any, audience: Audience) -> bool:
    """A poll is shown once it has opened (a draft is the organisers' own)."""
    return audience is Audience.ORGANISERS or poll.status != "draft"


def poll_results_public(poll: Any, audience: Audience) -> bool:
    """Its results: live while open if the poll says ``results = "live"``, else once closed."""
    if audience is Audience.ORGANISERS:
        return True
    return poll.status == "closed" or (poll.status == "open" and poll.results == "live")
