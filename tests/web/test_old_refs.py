"""After the per-meeting numbering migration (0004), every old phone link still opens its idea."""

from __future__ import annotations

from meetingtui.store.database import Database
from tests.store.test_migrations import _populate_at_0003
from tests.web.conftest import running_web


def test_old_idea_links_resolve_after_the_migration(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    data = _populate_at_0003(url)
    database = Database.open(url, migrate=True)
    codes = {m["id"]: m["code"] for m in data["meeting"]}
    try:
        with running_web(database) as web:
            for idea in data["idea"]:
                page = web.client.get(f"/m/{codes[idea['meeting_id']]}/ideas/{idea['ref']}")
                assert page.status_code == 200, idea["ref"]
                assert f"Idea {idea['ref']}" in page.text
            # a ref of another meeting is not found in this one
            assert web.client.get("/m/eastcode23/ideas/I-0002").status_code == 404
    finally:
        database.close()
