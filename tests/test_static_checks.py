"""The code passes the project's static checks, as part of the README's test command: ruff's lint
and format, the type checker (mypy, zero errors on the package) and the import contracts in
pyproject.toml (cli -> runtime -> tui | web -> export -> agenda -> store -> domain, and a core
that imports no UI or web framework). Each runs the tool the test extra installs, in this
virtualenv, on the files in this checkout."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is part of the test extra: pip install -e '.[test]'"
    return found


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    # The checkout itself first on the path, so the contracts and the type checker read these
    # files even when the package is installed from another copy.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)


@pytest.mark.parametrize(
    "command",
    [
        ("ruff", "check", "meetingtui", "tests", "bench"),
        ("ruff", "format", "--check", "meetingtui", "tests", "bench"),
    ],
    ids=["ruff-check", "ruff-format"],
)
def test_ruff_finds_nothing(command: tuple[str, ...]) -> None:
    result = _run(_tool(command[0]), *command[1:])
    assert result.returncode == 0, result.stdout + result.stderr


def test_type_checker_finds_no_errors() -> None:
    result = _run(_tool("mypy"), "--no-incremental", "-p", "meetingtui")
    assert result.returncode == 0, result.stdout + result.stderr


def test_import_contracts_are_kept() -> None:
    result = _run(_tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
