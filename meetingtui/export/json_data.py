"""The whole public record of a meeting as JSON: stable, documented by the JSON Schema in
``schema/meeting.schema.json``, and complete enough to be imported again elsewhere.

The same data for a meeting in any language: keys and vocabulary labels are English, and
``meeting.language`` says which language the meeting spoke (the minutes are written in it)."""

from __future__ import annotations

import dataclasses
import json
from importlib import resources
from typing import Any

from meetingtui.domain.reach import figures_document
from meetingtui.export.minutes import Minutes

FORMAT_NAME = "meetingtui.meeting"
FORMAT_VERSION = 1


_NAMES: dict[type, tuple[str, ...] | None] = {}


def _field_names(cls: type) -> tuple[str, ...] | None:
    """A dataclass's field names in order (``None``: not a dataclass), found once per type."""
    if cls not in _NAMES:
        is_dataclass = dataclasses.is_dataclass(cls)
        _NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls)) if is_dataclass else None
    return _NAMES[cls]


def _fields(value: Any) -> dict[str, Any]:
    """A dataclass as a dict of its fields, one level deep (the encoder writes the rest)."""
    names = _field_names(type(value))
    assert names is not None
    return {name: getattr(value, name) for name in names}


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _item(item: Any) -> dict[str, Any]:
    data = _fields(item)
    data["actual_minutes"] = _rounded(item.actual_minutes)
    for key in ("speakers", "not_heard"):
        data[key] = [
            {**_fields(speaker), "minutes": _rounded(speaker.minutes)} for speaker in data[key]
        ]
    return data


def minutes_document(minutes: Minutes) -> dict[str, Any]:
    """The JSON document: dicts, lists, text and numbers, and the minutes' own entries (ideas,
    comments, records: dataclasses, written by ``indented_json`` as objects of their fields,
    without a copy of every idea first)."""
    data = _fields(minutes)
    audience = data.pop("audience")
    items = [_item(item) for item in data.pop("items")]
    unassigned = data.pop("unassigned_ideas")
    data.pop("reach")
    data.pop("pairwise")
    data.pop("kind")  # an intake record has no minutes of its own: its ideas say where they came
    polls = data.pop("polls")  # export/minutes_polls.py; only when the meeting had polls
    summary = {
        "ideas_by_topic": [{"topic": t, "ideas": n} for t, n in data.pop("ideas_by_topic")],
        "ideas_by_stakeholder": [
            {"stakeholder": s, "ideas": n} for s, n in data.pop("ideas_by_stakeholder")
        ],
        "ideas": data.pop("idea_count"),
        "comments": data.pop("comment_count"),
        "supports": data.pop("support_count"),
        "speakers": data.pop("speaker_count"),
        "decisions": minutes.decision_count,
        "actions": minutes.action_count,
        "planned_minutes": data.pop("planned_minutes"),
        "actual_minutes": round(data.pop("actual_minutes"), 2),
    }
    marking = {"marking": minutes.marking} if minutes.marking else {}
    extra: dict[str, Any] = {}
    if minutes.reach is not None:  # published figures only (domain/reach.py ``published``)
        extra["reach"] = figures_document(minutes.reach)
    if minutes.pairwise is not None:
        extra["pairwise"] = [
            {
                "ref": idea.ref,
                "title": idea.title,
                "score": round(idea.score, 3),
                "wins": idea.wins,
                "comparisons": idea.comparisons,
            }
            for idea in minutes.pairwise
        ]
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "audience": audience,
        **marking,
        "meeting": data,
        "summary": summary,
        "items": items,
        "unassigned_ideas": unassigned,
        **extra,
        **({"polls": polls} if polls else {}),
    }


def render_json(minutes: Minutes) -> str:
    return indented_json(minutes_document(minutes)) + "\n"


_string = json.encoder.encode_basestring  # the C one: ensure_ascii=False's string encoder


def indented_json(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, byte for byte, for the minutes'
    shapes (dicts with text keys, lists, tuples, text, numbers, booleans, None; a dataclass
    as the object of its fields, as ``dataclasses.asdict`` would give), about twice as fast:
    the standard library's indented encoder is its pure-Python generator one (only the
    compact encoder is in C), and the JSON of a 5,000-comment meeting was a sixth of
    ``publish``'s time."""
    parts: list[str] = []
    _encode(value, "\n", parts)
    return "".join(parts)


def _encode_object(pairs: tuple[tuple[str, Any], ...], newline: str, parts: list[str]) -> None:
    if not pairs:
        parts.append("{}")
        return
    inner = newline + "  "
    between = "," + inner
    if all(type(item) is str for _, item in pairs):  # a comment: one join
        text = between.join(_string(key) + ": " + _string(item) for key, item in pairs)
        parts.append("{" + inner + text + newline + "}")
        return
    opener = "{" + inner
    for key, item in pairs:
        if type(item) is str:
            parts.append(opener + _string(key) + ": " + _string(item))
        else:
            parts.append(opener + _string(key) + ": ")
            _encode(item, inner, parts)
        opener = between
    parts.append(newline + "}")


def _encode(value: Any, newline: str, parts: list[str]) -> None:
    """Append ``value``'s JSON to ``parts``; ``newline`` is the line break and the indent of
    the lines ``value`` is on."""
    if isinstance(value, str):
        parts.append(_string(value))
    elif value is None:
        parts.append("null")
    elif isinstance(value, bool):
        parts.append("true" if value else "false")
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif (names := _field_names(type(value))) is not None:  # a dataclass: its fields
        pairs = tuple((name, getattr(value, name)) for name in names)
        _encode_object(pairs, newline, parts)
    elif isinstance(value, dict) and all(isinstance(key, str) for key in value):
        _encode_object(tuple(value.items()), newline, parts)
    elif isinstance(value, list | tuple):
        if not value:
            parts.append("[]")
            return
        inner = newline + "  "
        opener = "[" + inner
        for item in value:
            parts.append(opener)
            _encode(item, inner, parts)
            opener = "," + inner
        parts.append(newline + "]")
    else:  # a float, a dict with other keys, anything else: as json writes it (or its error)
        text = json.dumps(value, ensure_ascii=False, indent=2)
        parts.append(text.replace("\n", newline))  # JSON text holds no raw line break


def json_schema() -> dict[str, Any]:
    text = (
        resources.files("meetingtui.export")
        .joinpath("schema/meeting.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)
