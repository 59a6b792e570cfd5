"""Minutes as one self-contained HTML file: inline CSS, no external assets, a print stylesheet so
"Print to PDF" gives a decent document. Jinja2 autoescaping escapes everything people typed.
The page is in the meeting's language, from the same wording as every other format."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from meetingtui.domain.i18n import html_lang, thousands_separator
from meetingtui.export import markdown
from meetingtui.export.minutes import IdeaEntry, Minutes, not_heard_text, summary_line
from meetingtui.export.wording import (
    field_label,
    gettext,
    in_language,
    long_date,
    number,
    pgettext,
    plural,
    term,
    topic_name,
)


@cache
def template_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("meetingtui.export", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        _=gettext,
        pgettext=pgettext,
        field_label=field_label,
        term=term,
        topic_name=topic_name,
        number=number,
        plural=plural,
        long_date=long_date,
        thousands_separator=thousands_separator,
        item_line=markdown.item_line,
        idea_facts=markdown.idea_facts,
        appendix_fields=markdown.appendix_fields,
        raised_by_line=markdown.raised_by_line,
        comment_line=markdown.comment_line,
        record_extra=markdown.record_extra,
        record_headings=markdown.record_headings,
        speaker_line=markdown.speaker_line,
        not_heard_text=not_heard_text,
    )
    idea_template = env.get_template("idea_block.html.j2")

    def idea_block(idea: IdeaEntry) -> Markup:
        return Markup(idea_template.render(idea=idea))

    env.globals["idea_block"] = idea_block
    return env


def render_html(minutes: Minutes, *, back_link: str = "", catalogue_link: str = "") -> str:
    with in_language(minutes.language):
        return (
            template_environment()
            .get_template("minutes.html.j2")
            .render(
                m=minutes,
                lang=html_lang(minutes.language),
                facts=markdown.meeting_facts(minutes),
                summary=summary_line(minutes),
                held=markdown.held_line(minutes),
                generated=markdown.generated_line(minutes),
                back_link=back_link,
                catalogue_link=catalogue_link,
            )
        )
