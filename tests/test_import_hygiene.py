"""The core (domain, store, agenda, export) never imports Textual or the web stack, so it stays
usable from scripts and fast to import; checked in a clean interpreter."""

from __future__ import annotations

import subprocess
import sys


def test_core_imports_no_ui_or_web_frameworks() -> None:
    code = (
        "import sys\n"
        "import meetingtui.domain.ideas, meetingtui.domain.meetings, meetingtui.domain.snapshot\n"
        "import meetingtui.store.database, meetingtui.agenda, meetingtui.export\n"
        "bad = sorted({m.split('.')[0] for m in sys.modules} & "
        "{'textual', 'fastapi', 'starlette', 'uvicorn', 'jinja2'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
