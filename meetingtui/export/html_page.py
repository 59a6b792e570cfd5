"""Minutes as one self-contained HTML file: inline CSS, no external assets, a print stylesheet so
"Print to PDF" gives a decent document. Jinja2 autoescaping escapes everything people typed."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from meetingtui.export.markdown import appendix_fields, idea_facts, item_line, meeting_facts
from meetingtui.export.minutes import IdeaEntry, Minutes, not_heard_text, summary_line


@cache
def template_environment() -> Environment:
    env = Environment(
        loader=PackageLoader("meetingtui.export", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        item_line=item_line,
        idea_facts=idea_facts,
        appendix_fields=appendix_fields,
        not_heard_text=not_heard_text,
    )
    idea_template = env.get_template("idea_block.html.j2")

    def idea_block(idea: IdeaEntry) -> Markup:
        return Markup(idea_template.render(idea=idea, idea_facts=idea_facts))

    env.globals["idea_block"] = idea_block
    return env


def render_html(minutes: Minutes, *, back_link: str = "", catalogue_link: str = "") -> str:
    return (
        template_environment()
        .get_template("minutes.html.j2")
        .render(
            m=minutes,
            lang=minutes.language or "en",
            facts=meeting_facts(minutes),
            summary=summary_line(minutes),
            back_link=back_link,
            catalogue_link=catalogue_link,
        )
    )
