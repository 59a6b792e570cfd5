"""Two consoles on one SQLite file editing the same idea: a field both changed is a conflict
(nothing written, both versions named); fields only one side changed merge."""

from __future__ import annotations

import pytest

from meetingtui.domain.ideas import EditConflict, IdeaInput
from meetingtui.domain.models import Idea
from meetingtui.session import MeetingSession
from meetingtui.store.database import Database


def two_consoles(database, meeting, tmp_path) -> tuple[MeetingSession, MeetingSession]:
    """The second console opens the same file with its own engine, as another process would."""
    other = Database.open(f"sqlite:///{tmp_path / 'meeting.sqlite3'}", migrate=False)
    return (
        MeetingSession(database, meeting.id, operator="Priya", draft_owner="pane-1"),
        MeetingSession(other, meeting.id, operator="Tom", draft_owner="pane-2"),
    )


def stored(database, idea_id) -> Idea:
    with database.read() as session:
        return session.get(Idea, idea_id)


def test_the_same_field_changed_on_both_is_a_conflict_with_both_versions(
    database, meeting, tmp_path
):
    one, two = two_consoles(database, meeting, tmp_path)
    one.capture_idea(IdeaInput(title="Evening clincs", detail="After 6pm"))
    idea = one.search_ideas("", None)[1][0]
    loaded = {"title": idea.title, "detail": idea.detail}  # both forms open on this

    one.update_idea(idea.id, {"title": "Evening clinics"}, base=loaded)
    with pytest.raises(EditConflict) as refused:
        two.update_idea(idea.id, {"title": "Late clinics"}, base=loaded)
    assert refused.value.fields == {"title": ("Evening clincs", "Evening clinics", "Late clinics")}
    assert "changed by someone else" in str(refused.value)
    assert stored(database, idea.id).title == "Evening clinics"  # nothing overwritten


def test_fields_changed_only_by_the_other_side_merge(database, meeting, tmp_path):
    one, two = two_consoles(database, meeting, tmp_path)
    one.capture_idea(IdeaInput(title="Evening clincs", detail="After 6pm"))
    idea = one.search_ideas("", None)[1][0]
    loaded = {"title": idea.title, "detail": idea.detail}

    one.update_idea(idea.id, {"title": "Evening clinics"}, base=loaded)
    two.update_idea(idea.id, {"detail": "After 6pm, twice a week"}, base=loaded)
    after = stored(database, idea.id)
    assert (after.title, after.detail) == ("Evening clinics", "After 6pm, twice a week")


def test_the_same_change_on_both_sides_is_no_conflict(database, meeting, tmp_path):
    one, two = two_consoles(database, meeting, tmp_path)
    one.capture_idea(IdeaInput(title="Evening clincs"))
    idea = one.search_ideas("", None)[1][0]
    loaded = {"title": idea.title}
    one.update_idea(idea.id, {"title": "Evening clinics"}, base=loaded)
    two.update_idea(idea.id, {"title": "Evening clinics"}, base=loaded)
    assert stored(database, idea.id).title == "Evening clinics"


def test_keeping_mine_after_a_conflict_saves_against_theirs(database, meeting, tmp_path):
    one, two = two_consoles(database, meeting, tmp_path)
    one.capture_idea(IdeaInput(title="Evening clincs"))
    idea = one.search_ideas("", None)[1][0]
    one.update_idea(idea.id, {"title": "Evening clinics"}, base={"title": "Evening clincs"})
    with pytest.raises(EditConflict) as refused:
        two.update_idea(idea.id, {"title": "Late clinics"}, base={"title": "Evening clincs"})
    _loaded, theirs, _mine = refused.value.fields["title"]
    two.update_idea(idea.id, {"title": "Late clinics"}, base={"title": theirs})
    assert stored(database, idea.id).title == "Late clinics"


def test_an_edit_of_an_idea_deleted_meanwhile_says_so(database, meeting, tmp_path):
    """Found by review: "That idea is not in this meeting" when another console had deleted
    it; the refusal says what happened and who can bring it back, and writes nothing."""
    from meetingtui.domain.errors import NotFound

    one, two = two_consoles(database, meeting, tmp_path)
    one.capture_idea(IdeaInput(title="Evening clinics"))
    idea = one.search_ideas("", None)[1][0]
    two.set_idea_deleted(idea.id, True)
    with pytest.raises(NotFound) as refused:
        one.update_idea(idea.id, {"title": "Late clinics"}, base={"title": idea.title})
    assert "I-0001 was deleted while it was being edited" in str(refused.value)
    assert "bring it back with u" in str(refused.value)
    assert stored(database, idea.id).title == "Evening clinics"
