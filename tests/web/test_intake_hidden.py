"""The record of ideas received outside meetings (an import with --programme) has no join page:
over real HTTP, every attendee address with its code answers as an unknown code does, while the
meeting beside it is served as before."""

from __future__ import annotations

from meetingtui.domain import imports, programmes
from meetingtui.domain.imports import read_table


def test_intake_record_answers_like_an_unknown_code(live_web, meeting, tmp_path) -> None:
    path = tmp_path / "letters.csv"
    path.write_text("title,channel\nA letter about buses,letter\n", encoding="utf-8")
    with live_web.database.write() as session:
        target = imports.import_target(session, programme=programmes.find_programme(session, None))
        code = imports.apply_import(session, read_table(path), target).meeting.code
    unknown = live_web.client.get("/m/nosuchcod9")
    assert unknown.status_code == 404
    for address in (
        f"/m/{code}",
        f"/m/{code}/ideas/I-0001",
        f"/m/{code}/screen",
        f"/m/{code}/live",
        f"/api/meetings/{code}",
        f"/api/meetings/{code}/ideas/I-0001",
    ):
        response = live_web.client.get(address)
        assert response.status_code == 404, address
        assert "A letter about buses" not in response.text
    html = live_web.client.get(f"/m/{code}")
    assert html.text.replace(code, "CODE") == unknown.text.replace("nosuchcod9", "CODE")
    posted = live_web.client.post(f"/m/{code}/ideas", data={"title": "sneaky"})
    assert posted.status_code in (403, 404)
    assert live_web.page().status_code == 200  # the meeting beside it
