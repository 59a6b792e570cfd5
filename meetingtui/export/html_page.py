"""Minutes as one self-contained HTML file: inline CSS, no external assets, a print stylesheet so
"Print to PDF" gives a decent document. Jinja2 autoescaping escapes everything people typed.
The page is in the meeting's language, from the same wording as every other format."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup, escape

from meetingtui.domain.i18n import html_lang, thousands_separator
from meetingtui.export import markdown, minutes_polls
from meetingtui.export.minutes import (
    IdeaEntry,
    Minutes,
    not_heard_text,
    speaker_line,
    summary_line,
)
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
        speaker_line=speaker_line,
        not_heard_text=not_heard_text,
    )
    env.globals.update(idea_blocks=idea_blocks, appendix_entries=appendix_entries)
    return env


# A meeting's ideas are most of its minutes (500 ideas, 5,000 comments): their markup is built
# here in Python rather than by a template per idea, a third of the page's time. Every value is
# escaped with ``markupsafe.escape``, exactly as the templates' autoescaping does.


def idea_blocks(ideas: Sequence[IdeaEntry]) -> Markup:
    """Each idea as the agenda lists it: ref, title, facts, who raised it, detail, comments."""
    line = markdown.comment_writer()
    out: list[str] = []
    for idea in ideas:
        out.append(
            f'<div class="idea"><span class="ref">{escape(idea.ref)}</span> '
            f'{escape(idea.title)}\n<div class="meta">{escape(markdown.idea_facts(idea))}</div>\n'
        )
        if idea.raised_by or idea.organisation:
            out.append(f"<div>{escape(markdown.raised_by_line(idea))}</div>")
        if idea.detail:
            out.append(f"<blockquote>{escape(idea.detail)}</blockquote>")
        if idea.comments:
            out.append('<ul class="comments">\n')
            out.extend(f"<li>{escape(line(c.author, c.body))}</li>\n" for c in idea.comments)
            out.append("</ul>")
        out.append("</div>")
    return Markup("".join(out))


def appendix_entries(ideas: Sequence[IdeaEntry]) -> Markup:
    """The appendix: every idea's every public field, labelled."""
    labels = markdown.appendix_labels()
    said = {name: escape(name) for name in labels}
    out: list[str] = []
    for idea in ideas:
        ref = escape(idea.ref)
        out.append(f'<h3 id="{ref}">{ref}</h3>\n<dl class="facts">\n')
        out.extend(
            f"<dt>{said[name]}</dt><dd>{escape(value)}</dd>\n"
            for name, value in markdown.appendix_fields(idea, labels)
            if value
        )
        out.append("</dl>\n")
    return Markup("".join(out))


def render_html(
    minutes: Minutes, *, back_link: str = "", catalogue_link: str = "", themes_link: str = ""
) -> str:
    """The minutes as one HTML page; the links: the published site's pages it sits among."""
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
                themes_link=themes_link,
                extra_sections=markdown.extra_sections(minutes),
                mp=minutes_polls,
            )
        )
