"""Every catalogue has every message: the phone page's, and the record's (minutes in every
format, the published site), with the same placeholders. A new language is one more ``.po``
file in ``meetingtui/locales/``, and this test names what it still lacks."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from meetingtui.domain import i18n
from meetingtui.export import site, wording
from tests.web.test_i18n import _messages as web_messages

EXPORT = Path(wording.__file__).parent
GLUE = i18n.CONTEXT_GLUE
QUOTED = r'"((?:[^"\\]|\\.)*)"|\'((?:[^\'\\]|\\.)*)\''


def _strings(pattern: str, text: str) -> list[str]:
    return [double or single for double, single in re.findall(pattern, text)]


def record_messages() -> list[str]:
    """Every English message the record may print, found where it is written."""
    sources = [path.read_text() for path in sorted(EXPORT.glob("*.py"))]
    sources += [path.read_text() for path in sorted((EXPORT / "templates").glob("*.j2"))]
    sources.append(Path(i18n.__file__).read_text())
    found: list[str] = []
    for text in sources:
        found += _strings(rf"\b(?:_|gettext)\(\s*(?:{QUOTED})", text)
        found += [f"record{GLUE}{m}" for m in _strings(rf"\bfield_label\(\s*(?:{QUOTED})", text)]
        for context, double, single in re.findall(
            rf'\bpgettext\(\s*"([^"]+)",\s*(?:{QUOTED})', text
        ):
            found.append(f"{context}{GLUE}{double or single}")
        for one, many in re.findall(r'\bplural\([^"]*"([^"]+)",\s*"([^"]+)"', text):
            found += [one, many]
    found += [f"meeting status{GLUE}{status}" for status in wording.MEETING_STATUSES]
    found += [*wording.vocabulary_labels(), *i18n.WEEKDAYS, *i18n.MONTHS]
    found += [i18n.THOUSANDS_SEPARATOR, i18n.DECIMAL_SEPARATOR, site.SITE_TITLE]
    return list(dict.fromkeys(message for message in found if message))


def _publish_spanish_site(database, meeting, folder) -> None:  # noqa: ANN001
    """The whole published site of a Spanish meeting with an answered idea in a plan version,
    and the report in every format."""
    import io

    from meetingtui.domain import lifecycle, plans
    from meetingtui.domain.ideas import IdeaInput, add_comment, capture_idea
    from meetingtui.domain.models import Meeting
    from meetingtui.domain.programmes import programme_of_meeting
    from meetingtui.domain.states import IdeaStatus
    from meetingtui.export.report import build_report
    from meetingtui.export.report_formats import REPORT_FORMATS, write_report

    with database.write() as session:
        row = session.get(Meeting, meeting.id)
        row.language = "es"
        programme = programme_of_meeting(session, row)
        idea = capture_idea(session, meeting_id=meeting.id, data=IdeaInput(title="Bancos"))
        add_comment(session, meeting_id=meeting.id, idea_ref=idea.ref, body="Sí")
        plans.add_version(session, programme=programme, name="v1", title="Uno", markdown="# A\nx\n")
        plans.add_version(session, programme=programme, name="v2", title="Dos", markdown="# B\ny\n")
        plans.link_ideas(
            session, programme=programme, idea_ids=[idea.id], version="v2", section="1"
        )
        lifecycle.review_ideas(
            session,
            idea_ids=[idea.id],
            review=lifecycle.Review(
                status=IdeaStatus.ADAPTED, reason="Porque", response="Hecho", publish=True
            ),
        )
    with database.read() as session:
        site.publish_site(session, [meeting.id], folder)
        report = build_report(
            session, programme_of_meeting(session, session.get(Meeting, meeting.id))
        )
        for fmt in REPORT_FORMATS:
            write_report(session, report, fmt, io.BytesIO() if fmt == "docx" else io.StringIO())


def all_messages() -> list[str]:
    return list(dict.fromkeys([*web_messages(), *record_messages()]))


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


CATALOGUES = sorted(path.stem for path in i18n.LOCALES_DIR.glob("*.po"))


def test_the_record_has_its_own_messages() -> None:
    messages = record_messages()
    assert len(messages) > 100
    assert f"record{GLUE}Title" in messages and "{count} ideas" in messages
    assert "Minutes: {title}" in messages and "Page not found" in messages


@pytest.mark.parametrize("language", CATALOGUES)
def test_every_catalogue_has_every_message(language: str) -> None:
    catalogue = i18n.catalogue_for(language)
    messages = all_messages()
    missing = [message.replace(GLUE, " | ") for message in messages if message not in catalogue]
    assert missing == [], f"{language}.po lacks these"
    for message in messages:
        if message in (i18n.THOUSANDS_SEPARATOR, i18n.DECIMAL_SEPARATOR):
            assert not re.search(r"\w", catalogue[message]), "a separator, not a word"
            continue
        assert _fields(catalogue[message]) == _fields(message), (language, message)


def test_every_shipped_catalogue_is_checked() -> None:
    """Spanish ships; a catalogue a translator adds is checked above with no code change."""
    assert "es" in CATALOGUES
    assert i18n.available_languages() == ["en", *CATALOGUES]


class _Asked(dict):
    """A catalogue that notes every message looked up in it."""

    def __init__(self, entries: dict[str, str], asked: set[str]) -> None:
        super().__init__(entries)
        self.asked = asked

    def get(self, key, default=None):  # noqa: ANN001, ANN201
        self.asked.add(key)
        return super().get(key, default)


def test_the_record_asks_only_for_what_the_catalogue_has(
    monkeypatch: pytest.MonkeyPatch, tmp_path, database, meeting
) -> None:
    """Rendering a Spanish meeting in every format, both copies, and its site's pages looks up
    only messages the catalogue has: none was missed by the search above, and no one's words
    (titles, topics, comments) are ever looked up in a catalogue."""
    from meetingtui.domain.public import Audience
    from meetingtui.export import FORMATS, render_minutes
    from tests.export.test_language import _minutes

    asked: set[str] = set()
    real = i18n.catalogue_for
    monkeypatch.setattr(i18n, "catalogue_for", lambda code: _Asked(real(code), asked))
    public, organisers = _minutes("es"), _minutes("es", audience=Audience.ORGANISERS)
    for minutes in (public, organisers):
        for fmt in FORMATS:
            render_minutes(minutes, fmt)
    _publish_spanish_site(database, meeting, tmp_path)
    catalogue = real("es")
    assert len(asked) > 80
    assert sorted(asked - set(catalogue)) == []
