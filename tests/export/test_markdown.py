"""Markdown minutes: every item, idea and comment; names only with consent; markup escaped."""

from __future__ import annotations

from meetingtui.domain import meetings
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.export import export_meeting
from meetingtui.export.markdown import md_text


def test_minutes_hold_every_item_idea_and_comment(database, meeting) -> None:
    with database.write() as session:
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="Evening GP slots *now*",
                detail="For carers <b>who</b> work.",
                stakeholder="carer",
                topic="GP and primary care access",
                raised_by="Zoë Müller",
                publish_name=True,
            ),
        )
        capture_idea(
            session,
            meeting_id=meeting.id,
            data=IdeaInput(
                title="Bus to the hospital", raised_by="Private Person", publish_name=False
            ),
        )
        add_comment(
            session, meeting_id=meeting.id, idea_ref="I-0001", body="Agree 👍", author="Sam"
        )
        meetings.move_to_item(session, meeting_id=meeting.id, step=1)
    with database.read() as session:
        text = export_meeting(session, meeting.id, "md")

    assert text.startswith("# Minutes: Our health and care plan: have your say\n")
    assert "2 ideas, 1 comment, 0 supports and 0 speakers; 0 decisions and 0 actions." in text
    for position, title in [
        (1, "Welcome and how tonight works"),
        (7, "What happens next and close"),
    ]:
        assert f"### {position}. {title}" in text
    assert r"**I-0001** Evening GP slots \*now\*" in text
    assert r"For carers \<b\>who\</b\> work." in text
    assert "Raised by Zoë Müller." in text
    assert "Private Person" not in text
    assert "Comment: Agree 👍" in text and "Sam" not in text  # no consent asked for authors
    assert "| GP and primary care access | 1 |" in text and "| Carer | 1 |" in text
    assert "not reached" in text  # items after the current one never ran


def test_hidden_ideas_never_appear(database, meeting) -> None:
    with database.write() as session:
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Offensive"))
        idea.visibility = "hidden"
    with database.read() as session:
        text = export_meeting(session, meeting.id, "md")
    assert "Offensive" not in text and "0 ideas," in text


def test_md_text_escapes_structure() -> None:
    assert md_text("# not a heading") == r"\# not a heading"
    assert md_text("- not a list\n1. nor this") == "\\- not a list\n1\\. nor this"
    assert md_text("[link](x) `code` a|b") == r"\[link\](x) \`code\` a\|b"


def test_every_format_from_a_real_database(database, meeting) -> None:
    """build_minutes on a real file: records, speakers and supports reach every format."""
    import io

    import docx

    from meetingtui.domain import records, speakers, supports

    with database.write() as session:
        capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Ramp at the door"))
        supports.toggle_support(session, meeting_id=meeting.id, idea_ref="I-0001", device="p1")
        records.add_record(session, meeting_id=meeting.id, kind="decision", text="Fund the ramp")
        meetings.move_to_item(session, meeting_id=meeting.id, step=2)
        speakers.add_speaker(session, meeting_id=meeting.id, name="Ana Quixote")
        speakers.call_next_speaker(session, meeting_id=meeting.id)
        meetings.set_attendance(session, meeting_id=meeting.id, count=42)
    for fmt in ("md", "html", "csv", "json", "docx"):
        with database.read() as session:
            out = export_meeting(session, meeting.id, fmt)
        if fmt == "docx":
            document = docx.Document(io.BytesIO(out))
            cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
            out = "\n".join([p.text for p in document.paragraphs] + cells)
        assert "Ramp at the door" in out, fmt
        if fmt != "csv":
            assert "Fund the ramp" in out and "42" in out, fmt
            heard = '"source": "floor"' if fmt == "json" else "A speaker, "
            assert heard in out and "Ana Quixote" not in out, fmt  # heard, not named
