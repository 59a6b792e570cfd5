"""The one public-record policy (``domain/public.py``), checked on every public surface at once.

One meeting is seeded with everything the public must not see: a pending (pre-moderated) idea
and comment, a hidden idea and comment, a deleted idea, comments on the hidden and deleted ideas,
a name and organisation given without consent, a phone speaker who typed a name with a phone
number in it, a floor speaker named by the facilitator, a staff login as ``captured_by`` and a
comment author. Then the phone page, an idea's page, ``/live``, the JSON API, the projector page
(real HTTP), every export format, the published site and the command line are read, and none may
show any of it; each must show the public content, and agree on the counts.
"""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import docx
import pytest
from sqlmodel import Session, select

from meetingtui import cli
from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea, set_idea_deleted
from meetingtui.domain.models import Idea, Meeting
from meetingtui.domain.moderation import set_visibility
from meetingtui.domain.records import add_record
from meetingtui.domain.speakers import add_speaker, call_next_speaker
from meetingtui.export import FORMATS, export_meeting
from meetingtui.export.minutes import build_minutes
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database
from tests.web.conftest import running_web

STAFF = "staff-login-xyz"
FORBIDDEN = [
    "PENDING-IDEA",
    "HIDDEN-IDEA",
    "DELETED-IDEA",
    "PENDING-COMMENT",
    "HIDDEN-COMMENT",
    "COMMENT-ON-HIDDEN",
    "COMMENT-ON-DELETED",
    "Secret Sam",
    "Secret Org",
    "Phone Paula",
    "07700 900123",
    "Floor Fred",
    "Commenter Cath",
    STAFF,
]
PUBLIC_IDEAS = ["PUBLIC-IDEA-NAMED", "PUBLIC-IDEA-ANONYMOUS"]
PUBLIC_COMMENTS = ["VISIBLE-COMMENT-PLAIN", "VISIBLE-COMMENT-AUTHORED"]


def _capture(session: Session, meeting: Meeting, title: str, **fields: object) -> str:
    """An idea as the note-taker captures it, under the note-taker's login."""
    data = IdeaInput(title=title, **fields)  # type: ignore[arg-type]
    return capture_idea(session, meeting_id=meeting.id, data=data, captured_by=STAFF).ref


def _idea_id(session: Session, ref: str) -> uuid.UUID:
    return session.exec(select(Idea.id).where(Idea.ref == ref)).one()


@pytest.fixture
def seeded(database: Database, meeting: Meeting) -> dict[str, str]:
    """The seeded meeting; returns refs by role."""
    refs: dict[str, str] = {}
    with database.write() as session:
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)  # a discussion item
        refs["named"] = _capture(
            session,
            meeting,
            "PUBLIC-IDEA-NAMED",
            raised_by="Consenting Carol",
            organisation="Carol's Allotments",
            publish_name=True,
        )
        refs["anonymous"] = _capture(
            session,
            meeting,
            "PUBLIC-IDEA-ANONYMOUS",
            raised_by="Secret Sam",
            organisation="Secret Org",
            publish_name=False,
        )
        refs["hidden"] = _capture(session, meeting, "HIDDEN-IDEA-TITLE")
        refs["deleted"] = _capture(session, meeting, "DELETED-IDEA-TITLE")
        add_comment(
            session, meeting_id=meeting.id, idea_ref=refs["named"], body="VISIBLE-COMMENT-PLAIN"
        )
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref=refs["anonymous"],
            body="VISIBLE-COMMENT-AUTHORED",
            author="Commenter Cath",
        )
        hidden_comment = add_comment(
            session, meeting_id=meeting.id, idea_ref=refs["named"], body="HIDDEN-COMMENT-BODY"
        )
        add_comment(
            session, meeting_id=meeting.id, idea_ref=refs["hidden"], body="COMMENT-ON-HIDDEN-IDEA"
        )
        add_comment(
            session, meeting_id=meeting.id, idea_ref=refs["deleted"], body="COMMENT-ON-DELETED-IDEA"
        )
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="idea",
            entity_id=_idea_id(session, refs["hidden"]),
            visibility="hidden",
        )
        set_idea_deleted(
            session,
            meeting_id=meeting.id,
            idea_id=_idea_id(session, refs["deleted"]),
            deleted=True,
        )
        set_visibility(
            session,
            meeting_id=meeting.id,
            entity="comment",
            entity_id=hidden_comment.id,
            visibility="hidden",
        )
        add_speaker(
            session,
            meeting_id=meeting.id,
            name="Phone Paula 07700 900123",
            source="phone",
            device="device-paula",
        )
        add_speaker(session, meeting_id=meeting.id, name="Floor Fred", stakeholder="resident")
        call_next_speaker(session, meeting_id=meeting.id)
        call_next_speaker(session, meeting_id=meeting.id)  # Paula done, Fred speaking: both heard
        add_record(
            session, meeting_id=meeting.id, kind="note", text="PUBLIC-NOTE", created_by=STAFF
        )
        row = session.get(Meeting, meeting.id)
        assert row is not None
        row.moderation = "pre"
    with database.write() as session:
        refs["pending"] = capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(title="PENDING-IDEA-TITLE"),
            from_public=True,
        ).ref
        add_comment(
            session,
            meeting_id=meeting.id,
            idea_ref=refs["named"],
            body="PENDING-COMMENT-BODY",
            from_public=True,
        )
    return refs


def _assert_public(text: str, where: str) -> None:
    shown = [word for word in FORBIDDEN if word in text]
    assert shown == [], f"{where} shows {shown}"


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_public_surface_shows_only_the_public_record(
    database: Database, meeting: Meeting, seeded: dict[str, str], tmp_path: Path, capsys
) -> None:
    named, anonymous = seeded["named"], seeded["anonymous"]

    # The attendee web, over HTTP as a phone and a projector read it.
    with running_web(database) as web:
        page = web.page()
        assert page.status_code == 200
        _assert_public(page.text, "the meeting page")
        assert all(title in page.text for title in PUBLIC_IDEAS)
        assert "Consenting Carol" in page.text and "Carol&#39;s Allotments" in page.text
        assert "Read the ideas (2)" in page.text and 'data-live-ideas="2"' in page.text

        for ref in (named, anonymous):
            idea_page = web.client.get(f"/m/testcode23/ideas/{ref}")
            assert idea_page.status_code == 200
            _assert_public(idea_page.text, f"the page of {ref}")
        assert "VISIBLE-COMMENT-AUTHORED" in web.client.get(f"/m/testcode23/ideas/{anonymous}").text
        for ref in (seeded["hidden"], seeded["deleted"], seeded["pending"]):
            assert web.client.get(f"/m/testcode23/ideas/{ref}").status_code == 404, ref
            assert web.client.get(f"/api/meetings/testcode23/ideas/{ref}").status_code == 404

        live = web.client.get("/m/testcode23/live")
        _assert_public(live.text, "/live")
        assert live.json()["ideas"] == 2

        api = web.client.get("/api/meetings/testcode23")
        _assert_public(api.text, "the API")
        ideas = {idea["ref"]: idea for idea in api.json()["ideas"]}
        assert set(ideas) == {named, anonymous}
        assert ideas[named]["raised_by"] == "Consenting Carol"
        assert ideas[anonymous]["raised_by"] is None
        assert ideas[named]["comment_count"] == 1 and ideas[anonymous]["comment_count"] == 1
        for ref in (named, anonymous):
            one = web.client.get(f"/api/meetings/testcode23/ideas/{ref}")
            _assert_public(one.text, f"the API's {ref}")

        screen = web.client.get("/m/testcode23/screen")
        assert screen.status_code == 200
        _assert_public(screen.text, "the projector page")
        assert "PUBLIC-IDEA-NAMED" in screen.text and "(2)" in screen.text

    # Every export format, through the same gathering as the command line.
    with database.read() as session:
        minutes = build_minutes(session, meeting.id)
        for fmt in FORMATS:
            content = export_meeting(session, meeting.id, fmt)
            text = _docx_text(content) if isinstance(content, bytes) else content
            _assert_public(text, f"the {fmt} export")
            assert all(title in text for title in PUBLIC_IDEAS), fmt
            assert "Not for publication" not in text
        md = export_meeting(session, meeting.id, "md")
    assert all(body in md for body in PUBLIC_COMMENTS)
    assert "Raised by Consenting Carol, Carol's Allotments." in md
    assert minutes.idea_count == 2 and minutes.comment_count == 2 and minutes.speaker_count == 2
    assert "2 ideas, 2 comments, 0 supports and 2 speakers" in md

    # The published site.
    site = tmp_path / "site"
    with database.read() as session:
        written = publish_site(session, [meeting.id], site)
    for path in written:
        text = path.read_text(encoding="utf-8")
        _assert_public(text, f"the published {path.name}")
        assert "Not for publication" not in text

    # The command line: the catalogue and the meeting list agree with the minutes.
    capsys.readouterr()
    assert cli.main(["--db", database.url, "ideas"]) == 0
    listed = capsys.readouterr().out
    _assert_public(listed, "meetingtui ideas")
    assert re.findall(r"^\S+ +(I-\d+)", listed, re.M) == [named, anonymous]
    assert cli.main(["--db", database.url, "meetings"]) == 0
    row = next(line for line in capsys.readouterr().out.splitlines() if "testcode23" in line)
    assert row.split()[3] == str(minutes.idea_count)

    # The organisers' copy shows the names, is marked, and still leaves out moderated input.
    out = tmp_path / "organisers.md"
    assert (
        cli.main(
            ["--db", database.url, "export", "testcode23", "--for", "organisers", "-o", str(out)]
        )
        == 0
    )
    copy = out.read_text(encoding="utf-8")
    assert "Not for publication" in copy
    for name in ("Secret Sam", "Secret Org", "Phone Paula", "Floor Fred", "Commenter Cath"):
        assert name in copy, name
    for word in ("PENDING-", "HIDDEN-", "DELETED-", "COMMENT-ON-"):
        assert word not in copy, word
    document = json.loads(
        _export(database, meeting, "json", audience="organisers")  # type: ignore[arg-type]
    )
    assert document["audience"] == "organisers"


def _export(database: Database, meeting: Meeting, fmt: str, *, audience: str) -> str | bytes:
    from meetingtui.domain.public import Audience

    with database.read() as session:
        return export_meeting(session, meeting.id, fmt, audience=Audience(audience))
