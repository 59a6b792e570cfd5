"""The whole public record of a meeting as JSON: stable, documented by the JSON Schema in
``schema/meeting.schema.json``, and complete enough to be imported again elsewhere.

The same data for a meeting in any language: keys and vocabulary labels are English, and
``meeting.language`` says which language the meeting spoke (the minutes are written in it)."""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from importlib import resources
from typing import Any

from meetingtui.export.minutes import Minutes

FORMAT_NAME = "meetingtui.meeting"
FORMAT_VERSION = 1


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    """``dataclasses.asdict`` for the minutes' plain shapes (dataclasses, lists, tuples, text
    and numbers), without its deep copy of every leaf: a third of ``publish``'s JSON time."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(getattr(value, name)) for name in _field_names(type(value))}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    return value


def minutes_document(minutes: Minutes) -> dict[str, Any]:
    data = _plain(minutes)
    audience = data.pop("audience")
    items = data.pop("items")
    unassigned = data.pop("unassigned_ideas")
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
    for item in items:
        if item["actual_minutes"] is not None:
            item["actual_minutes"] = round(item["actual_minutes"], 2)
        for speaker in item["speakers"] + item["not_heard"]:
            if speaker["minutes"] is not None:
                speaker["minutes"] = round(speaker["minutes"], 2)
    marking = {"marking": minutes.marking} if minutes.marking else {}
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "audience": audience,
        **marking,
        "meeting": data,
        "summary": summary,
        "items": items,
        "unassigned_ideas": unassigned,
    }


def render_json(minutes: Minutes) -> str:
    return json.dumps(minutes_document(minutes), ensure_ascii=False, indent=2) + "\n"


def json_schema() -> dict[str, Any]:
    text = (
        resources.files("meetingtui.export")
        .joinpath("schema/meeting.schema.json")
        .read_text(encoding="utf-8")
    )
    return json.loads(text)
