"""``meetingtui merge``, ``unmerge``, ``split`` and ``idea`` on merged ideas, and the published
site's pages of them, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlmodel import select

from meetingtui import cli
from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
from meetingtui.domain.models import Idea, Meeting
from meetingtui.domain.programmes import find_programme
from meetingtui.export.site import publish_site
from meetingtui.store.database import Database
from tests.domain.test_lifecycle_answers import new_meeting


@pytest.fixture
def db(any_database: Database) -> tuple[Database, str]:
    with any_database.write() as session:
        meeting = new_meeting(session, "East", "Transport", code="eastcode23")
        for title in ("Bus lane", "Faster buses", "Buses & bikes"):
            capture_idea(
                session,
                meeting_id=meeting.id,
                data=IdeaInput(
                    title=title, raised_by="Ana", publish_name=True, stakeholder="resident"
                ),
            )
        add_comment(session, meeting_id=meeting.id, idea_ref="I-0001", body="Please <script>")
        other = new_meeting(session, "West", "Housing", code="westcode23")
        capture_idea(session, meeting_id=other.id, data=IdeaInput(title="Homes"))
    return any_database, str(any_database.engine.url.render_as_string(hide_password=False))


def _run(url: str, *args: str) -> int:
    """Bare refs name ideas of the Transport programme (West has an I-0001 too)."""
    full = any("/" in arg for arg in args) or args[0] == "idea"
    where = [] if full else ["--programme", "Transport"]
    return cli.main([*args, *where, "--db", url])


def test_merge_unmerge_and_their_refusals(db, capsys) -> None:
    database, url = db
    assert _run(url, "merge", "I-0001", "--into", "I-0002", "--name", "Clerk") == 0
    # The clerk sees what was merged: each ref with its title as typed.
    assert 'Merged I-0001 "Bus lane" into I-0002 "Faster buses"' in capsys.readouterr().out

    assert _run(url, "idea", "eastcode23/I-0001") == 0
    out = capsys.readouterr().out
    assert "Merged into: eastcode23/I-0002 Faster buses" in out
    assert _run(url, "idea", "eastcode23/I-0002", "--format", "json") == 0
    whole = json.loads(capsys.readouterr().out)
    assert [s["ref"] for s in whole["sources"]] == ["eastcode23/I-0001"]
    assert whole["sources"][0]["raised_by"] == "Ana"
    assert whole["source_comments"] == [{"on": "I-0001", "body": "Please <script>", "author": ""}]
    assert any(h["field"] == "merge" and h["published"] for h in whole["history"])

    for args, message in (
        (("merge", "I-0003", "--into", "I-0003"), "itself"),
        (("merge", "I-0001", "--into", "I-0003"), "already merged"),
        (("merge", "I-0003", "--into", "I-0001"), "itself merged"),
        (("merge", "I-0099", "--into", "I-0002"), "I-0099"),
        (("merge", "westcode23/I-0001", "--into", "eastcode23/I-0002"), "same programme"),
        (("unmerge", "I-0003"), "not merged"),
    ):
        assert _run(url, *args) == 2, args
        assert message in capsys.readouterr().err, args

    assert _run(url, "unmerge", "I-0001") == 0
    assert 'Unmerged I-0001 "Bus lane": it is new again.' in capsys.readouterr().out
    with database.read() as session:
        assert all(idea.status == "new" for idea in session.exec(select(Idea)))


def test_split_from_the_command_line(db, capsys) -> None:
    database, url = db
    split = ("split", "I-0003", "--into", "Buses", "--into", "Bikes", "--detail", "More of them")
    assert _run(url, *split) == 0
    said = capsys.readouterr().out
    assert 'Split I-0003 "Buses & bikes" into I-0004 "Buses", I-0005 "Bikes"; I-0003 keeps' in said
    assert _run(url, "idea", "eastcode23/I-0004") == 0
    out = capsys.readouterr().out
    assert "Split from: eastcode23/I-0003 Buses & bikes" in out and "More of them" in out
    assert "Raised by: Ana" in out
    assert _run(url, "split", "I-0003", "--into", "Only one") == 2
    assert "two ideas or more" in capsys.readouterr().err
    with database.read() as session:
        before = len(session.exec(select(Idea)).all())
    same = ("split", "I-0003", "--into", "Buses", "--into", "Bikes", "--into", " buses! ")
    assert _run(url, *same) == 2
    err = capsys.readouterr().err
    assert "Parts 1 and 3 have the same title (“buses!”): give each part its own title" in err
    assert "Traceback" not in err
    with database.read() as session:
        assert len(session.exec(select(Idea)).all()) == before  # nothing made
    assert _run(url, "split", "I-0003", "--into", "\U0001f44d", "--into", "\U0001f44e") == 0


def test_the_site_shows_merges_and_splits(db, tmp_path: Path) -> None:
    database, url = db
    assert _run(url, "merge", "I-0001", "--into", "I-0002") == 0
    assert _run(url, "split", "I-0003", "--into", "Buses", "--into", "Bikes") == 0
    out = tmp_path / "site"
    with database.read() as session:
        meetings = list(session.exec(select(Meeting.id)))
        publish_site(session, meetings, out, programme=find_programme(session, "Transport"))
    source = (out / "ideas/eastcode23/I-0001.html").read_text(encoding="utf-8")
    assert 'id="merged-into"' in source and "I-0002.html" in source
    kept = (out / "ideas/eastcode23/I-0002.html").read_text(encoding="utf-8")
    assert "I-0001: Bus lane" in kept and "Resident" in kept and "East" in kept
    assert "Please &lt;script&gt;" in kept and "on I-0001" in kept
    assert "eastcode23/I-0001" in kept  # the public history's merge entry
    original = (out / "ideas/eastcode23/I-0003.html").read_text(encoding="utf-8")
    assert "I-0004: Buses" in original and "I-0005: Bikes" in original
    part = (out / "ideas/eastcode23/I-0004.html").read_text(encoding="utf-8")
    assert 'id="split-from"' in part and "I-0003.html" in part


def test_exports_and_the_report_say_where_a_merged_idea_went(db) -> None:
    import io

    from meetingtui.export import export_meeting
    from meetingtui.export.report import build_report
    from meetingtui.export.report_formats import write_markdown

    database, url = db
    assert _run(url, "merge", "I-0001", "--into", "I-0002", "--reason", "Same lane") == 0
    with database.read() as session:
        meeting_id = session.exec(select(Meeting.id).where(Meeting.code == "eastcode23")).one()
        for fmt in ("md", "csv", "json"):
            text = export_meeting(session, meeting_id, fmt)
            assert isinstance(text, str)
            assert "Merged into another idea" in text, fmt
            assert "Merged into eastcode23/I-0002: Same lane" in text, fmt
        report = build_report(session, find_programme(session, "Transport"))
        assert report.total.by_outcome["merged"] == 1
        assert report.total.by_outcome["waiting"] == 2  # I-0002 and I-0003, not I-0001
        out = io.StringIO()
        write_markdown(session, report, out)
    assert "eastcode23/I-0002 Faster buses" in out.getvalue()


@pytest.mark.parametrize("how", ["hidden", "pending", "deleted"])
def test_a_kept_idea_the_public_cannot_see_is_not_named_by_the_ideas_merged_into_it(
    db, capsys, tmp_path: Path, how: str
) -> None:
    """Found by review: merged into an idea later hidden (or pending, or deleted), the merged
    idea's public page, ``idea REF`` and the report named the kept idea's title and answer."""
    import io

    from meetingtui.domain.ideas import set_idea_deleted
    from meetingtui.domain.moderation import set_visibility
    from meetingtui.export.report import build_report
    from meetingtui.export.report_formats import write_markdown

    database, url = db
    assert _run(url, "merge", "I-0001", "--into", "I-0002") == 0
    answer = ("respond", "I-0002", "--status", "adopted", "--response", "Lanes on Main St")
    assert _run(url, *answer, "--publish") == 0
    with database.write() as session:
        kept = session.exec(select(Idea).where(Idea.title == "Faster buses")).one()
        if how == "deleted":
            set_idea_deleted(session, meeting_id=kept.meeting_id, idea_id=kept.id, deleted=True)
        else:
            set_visibility(
                session,
                meeting_id=kept.meeting_id,
                entity="idea",
                entity_id=kept.id,
                visibility=how,
            )
    capsys.readouterr()

    assert _run(url, "idea", "eastcode23/I-0001") == 0
    text = capsys.readouterr().out
    assert "Bus lane" in text and "Status: merged" in text
    assert "Faster buses" not in text and "Merged into:" not in text
    assert _run(url, "idea", "eastcode23/I-0001", "--format", "json") == 0
    assert "Faster buses" not in capsys.readouterr().out

    out = tmp_path / "site"
    with database.read() as session:
        meetings = list(session.exec(select(Meeting.id)))
        publish_site(session, meetings, out, programme=find_programme(session, "Transport"))
        report = io.StringIO()
        write_markdown(session, build_report(session, find_programme(session, "Transport")), report)
    page = (out / "ideas/eastcode23/I-0001.html").read_text(encoding="utf-8")
    assert "Bus lane" in page
    assert "Faster buses" not in page and "I-0002.html" not in page
    assert not (out / "ideas/eastcode23/I-0002.html").exists()
    for published in (report.getvalue(), *(p.read_text("utf-8") for p in out.rglob("*.*"))):
        assert "Faster buses" not in published and "Lanes on Main St" not in published

    # The organisers still see where it went, unless it was deleted.
    assert _run(url, "idea", "eastcode23/I-0001", "--for", "organisers") == 0
    named = "Merged into: eastcode23/I-0002 Faster buses" in capsys.readouterr().out
    assert named is (how != "deleted")
