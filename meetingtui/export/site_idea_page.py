"""One idea's public page as HTML, written in Python rather than through a Jinja2 template.

A site has a page per idea (100,000 for a large programme), and a template's per-page
machinery cost ~0.3 ms each, a third of publishing. The page's frame (head, styles, footer) is
rendered once per meeting from ``site_idea_frame.html.j2`` and split around markers; the body
is built here with ``html.escape`` on every value that is not a fixed label, so people's words
appear exactly as typed and never as markup. The labels are said in the meeting's language.
"""

from __future__ import annotations

from html import escape
from typing import Any

from meetingtui.domain.vocab import CHANNELS, IDEA_STATUSES, STAKEHOLDERS, label
from meetingtui.export.markdown import appendix_fields, appendix_labels, comment_writer
from meetingtui.export.minutes import IdeaEntry, Minutes
from meetingtui.export.site_files import idea_page_path
from meetingtui.export.wording import field_label, gettext, long_date, term

_TITLE, _BODY = "\x00title\x00", "\x00body\x00"


def _e(text: str) -> str:
    return escape(text, quote=True)


class IdeaPageWriter:
    """Pages of one meeting's ideas (build it within ``in_language(minutes.language)``)."""

    def __init__(self, pages: Any, minutes: Minutes, lang: str, sample_path: str) -> None:
        frame = pages(
            "site_idea_frame.html.j2", sample_path, lang=lang, frame_title=_TITLE, frame_body=_BODY
        )
        self.head, rest = frame.split(_TITLE, 1)
        self.middle, self.tail = rest.split(_BODY, 1)
        self.minutes = minutes
        self.themes = bool(getattr(pages, "themes", False))  # the site has themes' pages
        self.words = {
            "meetings": gettext("All meetings"),
            "catalogue": gettext("Idea catalogue"),
            "this_meeting": gettext("Ideas of this meeting"),
            "became": gettext("What became of it"),
            "reason": field_label("Reason"),
            "ours": gettext("Our response"),
            "no_response": gettext("No response has been published yet."),
            "where": gettext("Where and when it was raised"),
            "idea": gettext("The idea"),
            "comments": field_label("Comments"),
            "history": gettext("History"),
            "when": gettext("When"),
            "what": gettext("What"),
            "from": gettext("From"),
            "to": gettext("To"),
            "staff": gettext(
                "Changes are made by the programme's organisers and shown once published."
            ),
            "no_history": gettext("No published changes yet."),
            "themes": gettext("Themes"),
            "merges": gettext("Merged and split ideas"),
            "merged_into": gettext("This idea was merged into another one:"),
            "split_into": gettext("This idea was split into:"),
            "sources": gettext("Ideas merged into this one (each person's support counts once):"),
            "source_comments": gettext("Comments on the merged ideas"),
        }
        where = [minutes.title]
        if minutes.date:
            where.append(long_date(minutes.date))
        if minutes.location:
            where.append(minutes.location)
        self.where_rest = _e(", ".join(where[1:]))
        # Said once per meeting, not per idea: the appendix's labels and the comments' sentence.
        self.labels = appendix_labels()
        self.said = {name: _e(name) for name in self.labels}
        self.comment_line = comment_writer()

    @staticmethod
    def _link(other: Any, root: str) -> str:
        href = root + idea_page_path(other.code, other.ref)
        return f'<a href="{_e(href)}">{_e(other.ref)}: {_e(other.title)}</a>'

    def _outcome(self, ref: str, outcome: tuple[str, str, str] | None) -> str:
        """What became of the idea a merged idea went into: its status and its answer."""
        if outcome is None:
            return ""
        status, response, theme = outcome
        said = _e(gettext("What became of {ref}:", ref=ref))
        shown = _e(term(IDEA_STATUSES.get(status, status)))
        out = [f'<p id="merged-outcome">{said} <span class="badge">{shown}</span></p>\n']
        if response:
            heading = (
                _e(gettext("Our response to the theme {theme}", theme=theme))
                if theme
                else self.words["ours"]
            )
            inherited = ' class="inherited"' if theme else ""
            out.append(
                f'<p><strong>{heading}:</strong></p><blockquote id="response"{inherited}>'
                f"{_e(response)}</blockquote>\n"
            )
        else:
            out.append(f'<p id="response">{self.words["no_response"]}</p>\n')
        return "".join(out)

    def _merges(self, view: Any, root: str) -> str:
        """The sources of the idea kept, and split links (where a merged idea went is said
        at the top, with its outcome)."""
        w = self.words

        def link(other: Any) -> str:
            return self._link(other, root)

        if not (view.split_from or view.split_into or view.sources or view.source_comments):
            return ""
        out = [f'<section id="merges"><h2>{w["merges"]}</h2>\n']
        if view.split_from is not None:
            said = _e(gettext("Split from {ref}:", ref=view.split_from.ref))
            out.append(f'<p id="split-from">{said} {link(view.split_from)}</p>\n')
        if view.split_into:
            out.append(f'<p>{w["split_into"]}</p><ul id="split-into">\n')
            out.extend(f"<li>{link(part)}</li>\n" for part in view.split_into)
            out.append("</ul>\n")
        if view.sources:
            out.append(f'<p>{w["sources"]}</p><ul id="sources">\n')
            for source in view.sources:
                facts = [
                    term(label(CHANNELS, source.channel)) if source.channel else "",
                    term(label(STAKEHOLDERS, source.stakeholder)) if source.stakeholder else "",
                    source.meeting_title,
                    source.raised_by,
                ]
                shown = ", ".join(fact for fact in facts if fact)
                out.append(f"<li>{link(source)}{f' ({_e(shown)})' if shown else ''}</li>\n")
            out.append("</ul>\n")
            said = _e(gettext("Supporters: {count}", count=view.supports))
            out.append(f'<p id="combined-supports">{said}</p>\n')
        if view.source_comments:
            out.append(f'<h3>{w["source_comments"]}</h3>\n<ul class="comments">\n')
            for comment in view.source_comments:
                on = _e(gettext("on {ref}", ref=comment.ref))
                out.append(f'<li>{_e(comment.body)} <span class="meta">({on})</span></li>\n')
            out.append("</ul>\n")
        out.append("</section>\n")
        return "".join(out)

    def page(
        self,
        idea: IdeaEntry,
        *,
        root: str,
        extra: Any,
        reflected: str,
        plan_link: str,
        minutes_link: str,
        themes: tuple[tuple[str, str], ...] = (),
        meeting_catalogue: str,
    ) -> str:
        w, m = self.words, self.minutes
        themes_link = (
            f' · <a href="{root}themes/index.html">{w["themes"]}</a>' if self.themes else ""
        )
        out = [
            f'<nav><a href="{root}index.html">{w["meetings"]}</a> · '
            f'<a href="{root}ideas.html">{w["catalogue"]}</a>{themes_link} · '
            f'<a href="{_e(meeting_catalogue)}">{w["this_meeting"]}</a></nav>\n',
            f'<p class="meta">{_e(m.code)}/{_e(idea.ref)}</p>\n',
            f"<h1>{_e(idea.ref)}: {_e(idea.title)}</h1>\n",
            f"<h2>{w['became']}</h2>\n",
            f'<p><span class="badge" id="status">{_e(term(idea.status))}</span></p>\n',
        ]
        if idea.status_reason:
            out.append(
                f'<p><strong>{w["reason"]}:</strong> <span id="reason">'
                f"{_e(idea.status_reason)}</span></p>\n"
            )
        merged = extra.merge.merged_into if extra.merge is not None else None
        if merged is not None:
            # Merged: its outcome is the kept idea's, said here rather than as if it were live.
            out.append(f'<p id="merged-into">{w["merged_into"]} {self._link(merged, root)}</p>\n')
            out.append(self._outcome(merged.ref, extra.outcome))
        elif idea.response:
            out.append(
                f'<p><strong>{w["ours"]}:</strong></p><blockquote id="response">'
                f"{_e(idea.response)}</blockquote>\n"
            )
        elif extra.inherited[1]:
            theme, response = extra.inherited
            heading = _e(gettext("Our response to the theme {theme}", theme=theme))
            out.append(
                f'<p><strong>{heading}:</strong></p><blockquote id="response" class="inherited">'
                f"{_e(response)}</blockquote>\n"
            )
        else:
            out.append(f'<p id="response">{w["no_response"]}</p>\n')
        if reflected:
            text = _e(reflected)
            if plan_link:
                text = f'<a href="{_e(plan_link)}">{text}</a>'
            out.append(f'<p id="reflected">{text}</p>\n')
        if extra.published_at:
            published = gettext("Answer published {when}", when=extra.published_at)
            out.append(f'<p class="meta">{_e(published)}</p>\n')
        if themes:
            out.append(f'<h2>{w["themes"]}</h2>\n<ul id="themes">\n')
            out.extend(f'<li><a href="{_e(page)}">{_e(name)}</a></li>\n' for name, page in themes)
            out.append("</ul>\n")
        rest = f", {self.where_rest}" if self.where_rest else ""
        out.append(
            f"<h2>{w['where']}</h2>\n"
            f'<p><a href="{_e(minutes_link)}">{_e(m.title)}</a>{rest}</p>\n'
            f'<h2>{w["idea"]}</h2>\n<dl class="facts">\n'
        )
        said = self.said
        out.extend(
            f"<dt>{said[name]}</dt><dd>{_e(value)}</dd>\n"
            for name, value in appendix_fields(idea, self.labels)
            if value
        )
        out.append("</dl>\n")
        if extra.merge is not None:
            out.append(self._merges(extra.merge, root))
        if idea.comments:
            out.append(f'<h2>{w["comments"]}</h2>\n<ul class="comments">\n')
            line = self.comment_line
            out.extend(f"<li>{_e(line(c.author, c.body))}</li>\n" for c in idea.comments)
            out.append("</ul>\n")
        out.append(f"<h2>{w['history']}</h2>\n")
        if extra.history:
            out.append(
                f'<table id="history">\n<thead><tr><th>{w["when"]}</th><th>{w["what"]}</th>'
                f"<th>{w['from']}</th><th>{w['to']}</th><th>{w['reason']}</th></tr></thead>\n"
                "<tbody>\n"
            )
            out.extend(
                f"<tr><td>{_e(h.at)}</td><td>{_e(h.what)}</td><td>{_e(h.before)}</td>"
                f"<td>{_e(h.after)}</td><td>{_e(h.reason)}</td></tr>\n"
                for h in extra.history
            )
            out.append(f'</tbody></table>\n<p class="hint">{_e(w["staff"])}</p>\n')
        else:
            out.append(f"<p>{w['no_history']}</p>\n")
        title = f"{_e(idea.ref)}: {_e(idea.title)}"
        return "".join([self.head, title, self.middle, *out, self.tail])
