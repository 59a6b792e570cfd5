"""Ideas and comments from phones carry the phone's device id (so that moderation can hide all
one phone sent); two phones' input carries two ids; nothing else shows it."""

from __future__ import annotations

from sqlmodel import select

from meetingtui.domain.models import Comment, Idea, Meeting
from tests.web.helpers import LiveWeb


def test_each_phone_s_ideas_and_comments_carry_its_device(
    live_web: LiveWeb, meeting: Meeting
) -> None:
    other = live_web.phone()
    for phone, title in ((live_web, "From the first phone"), (other, "From the second phone")):
        response = phone.post("/m/testcode23/ideas", {"title": title})
        assert response.status_code == 303
    with live_web.database.read() as session:
        ref = session.exec(select(Idea.ref).where(Idea.title == "From the first phone")).one()
    response = live_web.post(f"/m/testcode23/ideas/{ref}/comments", {"body": "Me again"})
    assert response.status_code == 303
    with live_web.database.read() as session:
        devices = {i.title: i.device for i in session.exec(select(Idea))}
        comment = session.exec(select(Comment)).one()
    first, second = devices["From the first phone"], devices["From the second phone"]
    assert first and second and first != second
    assert comment.device == first
    published = live_web.client.get(f"/api/meetings/testcode23/ideas/{ref}").text
    assert "device" not in published and first not in published
