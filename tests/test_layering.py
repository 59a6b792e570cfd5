"""Imports run one way: agenda -> domain <- store. The domain (tables, services and the agenda's
data shape) imports no other meetingtui layer; the store and the agenda loader depend on the domain,
never the reverse. Checked statically, so an import hidden inside a function counts too."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "meetingtui"

# layer -> meetingtui layers it must never import
FORBIDDEN = {
    "domain": {"agenda", "store", "export", "tui", "web", "cli", "runtime"},
    "store": {"agenda", "export", "tui", "web", "cli", "runtime"},
    "agenda": {"store", "export", "tui", "web", "cli", "runtime"},
}


def _imported_layers(path: Path) -> set[str]:
    layers: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "meetingtui" and len(parts) > 1:
                layers.add(parts[1])
    return layers


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_only_downwards(layer: str) -> None:
    wrong = {
        str(path.relative_to(PACKAGE)): sorted(_imported_layers(path) & FORBIDDEN[layer])
        for path in (PACKAGE / layer).rglob("*.py")
    }
    assert {file: layers for file, layers in wrong.items() if layers} == {}


def test_agenda_shape_is_importable_from_both_places() -> None:
    from meetingtui.agenda import Agenda as FromAgenda
    from meetingtui.agenda import AgendaItemSpec as ItemFromAgenda
    from meetingtui.domain.agenda import Agenda, AgendaItemSpec

    assert FromAgenda is Agenda and ItemFromAgenda is AgendaItemSpec
