"""``meetingtui site-url``: where the published site is served, for phones' receipts."""

from __future__ import annotations

from pathlib import Path

from meetingtui.domain.receipts import site_url
from meetingtui.store.database import Database
from tests.test_cli import meetingtui


def test_the_site_address_is_set_shown_refused_and_cleared(database: Database, meeting) -> None:
    db = Path(database.engine.url.database)
    shown = meetingtui("site-url", db=db)
    assert shown.returncode == 0 and "No site address is set" in shown.stdout
    refused = meetingtui("site-url", "javascript:alert(1)", db=db)
    assert refused.returncode == 2
    assert "starting https://" in refused.stderr and "Nothing was changed." in refused.stderr
    assert "Traceback" not in refused.stderr
    for bad in (
        "http://x y",
        "https://",
        "https:///path",
        'https://example.org/"onmouseover=x',
        "https://example.org/<script>",
        "https://exa\u0007mple.org",
        "https://example.org:99999/",
        "ftp://example.org/",
        "example.org",
    ):
        refused = meetingtui("site-url", bad, db=db)
        assert refused.returncode == 2, bad
        assert "no spaces, quotes or angle brackets" in refused.stderr, bad
        assert "Traceback" not in refused.stderr
    assert meetingtui("site-url", db=db).stdout.startswith("No site address is set")
    saved = meetingtui("site-url", "https://consult.example.org/town", db=db)
    assert saved.returncode == 0
    assert meetingtui("site-url", db=db).stdout.strip() == "https://consult.example.org/town/"
    with database.read() as session:
        assert site_url(session) == "https://consult.example.org/town/"
    assert meetingtui("site-url", "--clear", db=db).returncode == 0
    with database.read() as session:
        assert site_url(session) == ""
