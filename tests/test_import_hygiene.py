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


def test_the_meeting_session_is_textual_free_and_the_console_knows_no_web() -> None:
    """cli -> runtime -> tui / web: the console's session imports no UI, and the console
    imports no web (runtime.py wires the two together)."""
    code = (
        "import sys\n"
        "import meetingtui.session\n"
        "ui = sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'fastapi', 'uvicorn'})\n"
        "import meetingtui.tui.app, meetingtui.tui.screens.console\n"
        "web = sorted(m for m in sys.modules if m.startswith('meetingtui.web')"
        " or m.split('.')[0] in ('fastapi', 'starlette', 'uvicorn'))\n"
        "print(','.join(ui + web))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
