"""How a person names an idea across the meetings of a programme.

A ref is unique within its meeting (``I-0042``; see ``Idea``), so across meetings an idea is
named ``CODE/I-0042``: its meeting's join code, a slash, its ref (typed as people say it:
``i-42``, ``I42``, ``42``). The ref alone is enough when only one meeting of the programme has
that idea; when several do, the refusal lists each one's full name to choose from. What the
audience may not see (domain/public.py) is never found, so a hidden idea's ref is "unknown" to
the public, as on the phone page.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, or_, select

from meetingtui.domain.errors import DomainError, NotFound
from meetingtui.domain.ideas import ref_candidates
from meetingtui.domain.models import Idea, Meeting, Programme
from meetingtui.domain.programmes import programme_meeting_ids
from meetingtui.domain.public import Audience, idea_filter


class AmbiguousRef(DomainError):
    """A bare ref names ideas in more than one meeting: the message lists their full names."""


def full_ref(code: str, ref: str) -> str:
    """The name of an idea anywhere: ``CODE/I-0042``."""
    return f"{code}/{ref}"


def resolve_ref(
    session: Session, text: str, *, programme: Programme | None, audience: Audience
) -> Idea:
    """The one idea ``text`` names (``CODE/I-0042`` or a bare ref), within ``programme`` when
    given. NotFound or AmbiguousRef, with a message to show, otherwise."""
    typed = text.strip()
    code, _, ref = typed.rpartition("/")
    refs, number = ref_candidates(ref)
    query = (
        select(Idea, Meeting.code)
        .join(Meeting, col(Meeting.id) == col(Idea.meeting_id))
        .where(*idea_filter(audience))
    )
    wanted = col(Idea.ref).in_(refs)
    query = query.where(wanted if number is None else or_(wanted, col(Idea.seq) == number))
    if code:
        query = query.where(Meeting.code == code.strip().lower())
    if programme is not None:
        query = query.where(col(Idea.meeting_id).in_(programme_meeting_ids(session, programme)))
    by_meeting: dict[str, Idea] = {}
    for idea, meeting_code in session.exec(query):
        kept = by_meeting.get(meeting_code)
        # Within a meeting the stored ref wins over the number (refs kept from before 0004).
        if kept is None or (idea.ref in refs and kept.ref not in refs):
            by_meeting[meeting_code] = idea
    if not by_meeting:
        where = f" in programme '{programme.name}'" if programme is not None else ""
        raise NotFound(f"No idea {typed}{where}.")
    if len(by_meeting) > 1:
        names = ", ".join(full_ref(c, i.ref) for c, i in sorted(by_meeting.items()))
        raise AmbiguousRef(f"{typed} is in more than one meeting; name one of: {names}.")
    return next(iter(by_meeting.values()))


def resolve_refs(
    session: Session, texts: Iterable[str], *, programme: Programme | None, audience: Audience
) -> list[Idea]:
    """Every idea named, in order, once each; if any name fails, one error naming them all
    (so a batch is refused whole, before anything changes)."""
    found: list[Idea] = []
    problems: list[str] = []
    for text in texts:
        try:
            idea = resolve_ref(session, text, programme=programme, audience=audience)
        except DomainError as error:
            problems.append(str(error))
            continue
        if all(idea.id != seen.id for seen in found):
            found.append(idea)
    if problems:
        raise NotFound(" ".join(problems))
    return found
