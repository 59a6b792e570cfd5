"""The themes screen (``T`` in the catalogue): a programme's themes and the suggested ones.

``1`` lists the themes with their counts; the highlighted one shows its summary, response
(draft or published), channels, stakeholder groups and supports, and its ideas (``enter`` goes
to them; space selects; ``x`` takes the selected, or the highlighted, out of the theme). ``e``
edits the summary and response, ``p`` publishes (asks first), ``n`` renames, ``d`` deletes
(asks; the ideas stay). ``2`` lists suggestions from the words ideas share, computed in a worker
with its progress in the heading: ``a`` accepts one (the theme is made with its ideas), ``n``
accepts it under another name, ``x`` rejects it (it is not suggested again).

The screen holds no SQL: a ``ThemesSession`` (themes_session.py) does each read and write in a
worker thread. People's words are shown literally (tui/literal.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.themes import Suggestion
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS
from meetingtui.domain.words import counted
from meetingtui.themes_session import ThemeRead, ThemesSession
from meetingtui.tui.failure import failure_text
from meetingtui.tui.literal import display_text, literal
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

THEMES, SUGGESTIONS = "themes", "suggestions"


def _counts(counter: Any, labels: dict[str, str]) -> str:
    parts = [f"{labels.get(k, k) if k else 'not given'} {n}" for k, n in counter.most_common()]
    return ", ".join(parts) or "none"


class ThemesScreen(Screen[None]):
    DEFAULT_CSS = """
    ThemesScreen { layout: vertical; }
    #th-heading { height: 1; background: $panel; padding: 0 1; }
    #th-body { height: 1fr; }
    #th-list { width: 1fr; height: 1fr; background: transparent; border: none; padding: 0; }
    #th-side { width: 1fr; height: 1fr; border-left: solid $panel-lighten-2; }
    #th-detail { height: auto; max-height: 10; padding: 0 1; }
    #th-ideas { height: 1fr; background: transparent; border: none; padding: 0; }
    #th-list:focus, #th-ideas:focus { border: none; }
    """

    BINDINGS = [
        Binding("1", "mode('themes')", "Themes", tooltip="The programme's themes"),
        Binding("2", "mode('suggestions')", "Suggestions", tooltip="Themes the words suggest"),
        Binding("e", "edit", "Edit", tooltip="Edit the theme's summary and response"),
        Binding("p", "publish", "Publish", tooltip="Publish the theme (asks first)"),
        Binding("a", "accept", "Accept", tooltip="Make the suggestion a theme"),
        Binding("n", "rename", "Rename", tooltip="Rename the theme; accept a suggestion renamed"),
        Binding("x", "remove", "Remove/reject", tooltip="Take ideas out; reject a suggestion"),
        Binding("d", "delete", "Delete", show=False, tooltip="Delete the theme (ideas stay)"),
        Binding("space", "toggle_select", "Select", show=False, tooltip="Select an idea"),
        Binding("enter", "open", "Open", show=False, tooltip="Go to the theme's ideas"),
        Binding("ctrl+r", "reload", "Reload", show=False, tooltip="Read the themes again"),
        Binding("escape", "back", "Back", tooltip="Back (to the list, then the catalogue)"),
    ]

    def __init__(self, session: ThemesSession) -> None:
        super().__init__()
        self.session = session
        self.mode = THEMES
        self.overviews: list[Any] = []
        self.suggested: list[Suggestion] | None = None
        self.progress_line = ""
        self.shown: ThemeRead | None = None
        self.selected: set[uuid.UUID] = set()
        self.reads = 0  # lists read (tests wait on it)

    def compose(self) -> ComposeResult:
        yield Static("Themes: opening…", id="th-heading", markup=False)
        with Horizontal(id="th-body"):
            yield OptionList(id="th-list")
            with Vertical(id="th-side"):
                yield Static("", id="th-detail", markup=False)
                yield OptionList(id="th-ideas")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#th-list", OptionList))
        self.load_themes()

    # ---- reading --------------------------------------------------------------------------

    @work(thread=True, group="themes-read", exclusive=True, exit_on_error=False)
    def load_themes(self) -> None:
        overviews = self.session.overviews()
        self.app.call_from_thread(self.themes_read, overviews)

    def themes_read(self, overviews: list[Any]) -> None:
        self.overviews = overviews
        self.reads += 1
        if self.mode == THEMES:
            self.draw_list()

    @work(thread=True, group="themes-suggest", exclusive=True, exit_on_error=False)
    def load_suggestions(self) -> None:
        worker = get_current_worker()

        def progress(done: int, total: int, what: str) -> None:
            line = f"Suggestions: {what.lower()} {done:,}/{total:,}…"
            self.app.call_from_thread(self.show_progress, line)

        found = self.session.suggestions(progress, lambda: worker.is_cancelled)
        if not worker.is_cancelled:
            self.app.call_from_thread(self.suggestions_read, found)

    def show_progress(self, line: str) -> None:
        self.progress_line = line
        self.show_heading()

    def suggestions_read(self, found: list[Suggestion]) -> None:
        self.suggested = found
        self.progress_line = ""
        self.reads += 1
        if self.mode == SUGGESTIONS:
            self.draw_list()

    def show_heading(self) -> None:
        themes = f"1 Themes ({len(self.overviews)})"
        count = "…" if self.suggested is None else str(len(self.suggested))
        suggestions = f"2 Suggestions ({count})"
        marks = ("▸ ", "  ") if self.mode == THEMES else ("  ", "▸ ")
        line = (
            f"Themes of {self.session.programme_name}: {marks[0]}{themes}  {marks[1]}{suggestions}"
        )
        if self.progress_line:
            line += f" · {self.progress_line}"
        self.query_one("#th-heading", Static).update(literal(line))

    def draw_list(self) -> None:
        self.show_heading()
        listing = self.query_one("#th-list", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        if self.mode == THEMES:
            for overview in self.overviews:
                theme = overview.theme
                state = "draft" if theme.published_at is None else "published"
                prompt = Text.assemble(
                    (f"{overview.ideas:>4} ", "bold"),
                    literal(theme.name),
                    (f"  {overview.supports} supports · {state}", "dim"),
                )
                listing.add_option(Option(prompt, id=str(theme.id)))
            empty = "No themes yet: t in the catalogue assigns ideas; 2 shows suggestions."
        else:
            for suggestion in self.suggested or []:
                prompt = Text.assemble(
                    (f"{len(suggestion.ideas):>4} ", "bold"),
                    literal(suggestion.name),
                    (f"  {', '.join(suggestion.words)}", "dim"),
                )
                listing.add_option(Option(prompt, id=f"s{suggestion.number}"))
            empty = (
                "Reading the words…"
                if self.suggested is None
                else "No suggestions: no words shared by enough ideas not yet in a theme."
            )
        if listing.option_count:
            listing.highlighted = min(highlighted or 0, listing.option_count - 1)
            self.show_highlighted()
        else:
            self.shown = None
            self.query_one("#th-detail", Static).update(empty)
            self.query_one("#th-ideas", OptionList).clear_options()

    @on(OptionList.OptionHighlighted, "#th-list")
    def list_moved(self) -> None:
        self.show_highlighted()

    @on(OptionList.OptionSelected, "#th-list")
    def list_chosen(self) -> None:
        self.action_open()

    @on(OptionList.OptionSelected, "#th-ideas")
    def idea_chosen(self) -> None:
        self.action_toggle_select()

    def show_highlighted(self) -> None:
        self.selected.clear()
        if self.mode == THEMES:
            theme_id = self.highlighted_theme()
            if theme_id is not None:
                self.read_theme(theme_id)
        else:
            suggestion = self.highlighted_suggestion()
            if suggestion is not None:
                self.show_suggestion(suggestion)

    def highlighted_theme(self) -> uuid.UUID | None:
        listing = self.query_one("#th-list", OptionList)
        if self.mode != THEMES or listing.highlighted is None or not listing.option_count:
            return None
        option_id = listing.get_option_at_index(listing.highlighted).id
        return uuid.UUID(option_id) if option_id else None

    def highlighted_suggestion(self) -> Suggestion | None:
        listing = self.query_one("#th-list", OptionList)
        if self.mode != SUGGESTIONS or listing.highlighted is None or not self.suggested:
            return None
        return self.suggested[min(listing.highlighted, len(self.suggested) - 1)]

    @work(thread=True, group="themes-detail", exclusive=True, exit_on_error=False)
    def read_theme(self, theme_id: uuid.UUID) -> None:
        read = self.session.read(theme_id)
        self.app.call_from_thread(self.show_theme, read)

    def show_theme(self, read: ThemeRead) -> None:
        if self.mode != THEMES or self.highlighted_theme() != read.theme.id:
            return
        self.shown = read
        theme, overview = read.theme, read.overview
        if theme.published_at is None:
            state = "draft: the public sees it once published (p)"
        elif read.draft:
            state = "published; edited since (p publishes again)"
        else:
            state = "published"
        lines = [
            Text.assemble(literal(theme.name, "bold"), f"  ({state})"),
            Text.assemble("Summary: ", literal(theme.summary or "(none)")),
            Text.assemble("Response: ", literal(theme.response or "(none)")),
        ]
        if theme.published_at is not None and theme.public_response != theme.response:
            lines.append(Text.assemble("Published: ", literal(theme.public_response or "(none)")))
        lines += [
            Text(f"{counted(overview.ideas, 'idea')} · {counted(overview.supports, 'support')}"),
            Text(f"Channels: {_counts(overview.channels, CHANNELS)}"),
            Text(f"Groups: {_counts(overview.stakeholders, STAKEHOLDERS)}"),
        ]
        self.query_one("#th-detail", Static).update(Text("\n").join(lines))
        self.draw_ideas()

    def draw_ideas(self) -> None:
        ideas = self.query_one("#th-ideas", OptionList)
        ideas.clear_options()
        if self.shown is None:
            return
        for line in self.shown.ideas:
            mark = "[x] " if line.id in self.selected else "[ ] "
            ideas.add_option(
                Option(
                    Text.assemble(
                        mark,
                        literal(f"{line.full_ref} "),
                        literal(line.title),
                        (f" · {line.status} · {line.supports}", "dim"),
                    ),
                    id=str(line.id),
                )
            )

    def show_suggestion(self, suggestion: Suggestion) -> None:
        self.shown = None
        detail = Text("\n").join(
            [
                Text.assemble("Proposed name: ", literal(suggestion.name, "bold")),
                Text.assemble("Shared words: ", literal(", ".join(suggestion.words))),
                Text(f"{counted(len(suggestion.ideas), 'idea')}: a accepts, n renames, x rejects"),
            ]
        )
        self.query_one("#th-detail", Static).update(detail)
        ideas = self.query_one("#th-ideas", OptionList)
        ideas.clear_options()
        for idea in suggestion.ideas:
            ideas.add_option(
                Option(
                    Text.assemble(
                        literal(f"{idea.full_ref} "),
                        literal(idea.title),
                        (f"  [{display_text(', '.join(idea.shared))}]", "dim"),
                    )
                )
            )

    # ---- keys -----------------------------------------------------------------------------

    def action_mode(self, mode: str) -> None:
        self.mode = mode
        if mode == SUGGESTIONS and self.suggested is None:
            self.load_suggestions()
        self.set_focus(self.query_one("#th-list", OptionList))
        self.draw_list()

    def action_reload(self) -> None:
        self.load_themes()
        if self.mode == SUGGESTIONS or self.suggested is not None:
            self.suggested = None
            self.load_suggestions()
        self.draw_list()

    def action_open(self) -> None:
        if self.mode == THEMES and self.shown is not None and self.shown.ideas:
            ideas = self.query_one("#th-ideas", OptionList)
            if ideas.highlighted is None:
                ideas.highlighted = 0
            self.set_focus(ideas)

    def action_back(self) -> None:
        ideas = self.query_one("#th-ideas", OptionList)
        if self.focused is ideas:
            self.set_focus(self.query_one("#th-list", OptionList))
            return
        self.workers.cancel_group(self, "themes-suggest")
        self.dismiss(None)

    def action_toggle_select(self) -> None:
        ideas = self.query_one("#th-ideas", OptionList)
        if self.focused is not ideas or self.shown is None or ideas.highlighted is None:
            return
        line = self.shown.ideas[ideas.highlighted]
        self.selected.symmetric_difference_update({line.id})
        place = ideas.highlighted
        self.draw_ideas()
        ideas.highlighted = min(place + 1, ideas.option_count - 1)

    def needs_theme(self) -> ThemeRead | None:
        if self.mode != THEMES:
            self.notify("That is for a theme: 1 shows the themes.")
            return None
        if self.shown is None:
            self.notify("No theme is highlighted.")
        return self.shown

    def needs_suggestion(self) -> Suggestion | None:
        suggestion = self.highlighted_suggestion()
        if suggestion is None:
            self.notify("No suggestion is highlighted: 2 shows them.")
        return suggestion

    def action_edit(self) -> None:
        if (read := self.needs_theme()) is None:
            return
        theme_id = read.theme.id
        fields = [
            FormField("summary", "Summary", kind="text", value=read.theme.summary),
            FormField("response", "Response", kind="text", value=read.theme.response),
        ]

        def submit(values: dict[str, str]) -> str:
            return self.session.edit(theme_id, values["summary"], values["response"])

        hint = (
            "The response answers the theme's ideas that have none of their own, once "
            "published (p). ctrl+s saves."
        )
        dialog = FormDialog(
            Text.assemble("Theme ", literal(read.theme.name)), fields, submit, hint=hint
        )
        self.app.push_screen(dialog, self.changed)

    def action_publish(self) -> None:
        if (read := self.needs_theme()) is None:
            return
        theme_id = read.theme.id
        question = ConfirmScreen(
            f"Publish the theme {display_text(read.theme.name)}?",
            "The public sees its name, summary and response, and its ideas say they are in "
            "it; ideas with no response of their own show the theme's.",
            yes="Publish",
            no="Not yet",
        )

        def decided(yes: bool | None) -> None:
            if yes:
                self.run_change(lambda: self.session.publish(theme_id))

        self.app.push_screen(question, decided)

    def action_rename(self) -> None:
        if self.mode == SUGGESTIONS:
            if (suggestion := self.needs_suggestion()) is None:
                return
            field = FormField("name", "Name", value=suggestion.name, max_length=120)

            def accept(values: dict[str, str]) -> str:
                return self.session.accept(suggestion, values["name"])

            title = Text.assemble("Accept as a theme named… (", literal(suggestion.name), ")")
            self.app.push_screen(FormDialog(title, [field], accept), self.suggestion_decided)
            return
        if (read := self.needs_theme()) is None:
            return
        theme_id = read.theme.id
        field = FormField("name", "Name", value=read.theme.name, max_length=120)

        def rename(values: dict[str, str]) -> str:
            return self.session.rename(theme_id, values["name"])

        title = Text.assemble("Rename ", literal(read.theme.name))
        self.app.push_screen(FormDialog(title, [field], rename), self.changed)

    def action_delete(self) -> None:
        if (read := self.needs_theme()) is None:
            return
        theme_id = read.theme.id
        question = ConfirmScreen(
            f"Delete the theme {display_text(read.theme.name)}?",
            f"Its {counted(len(read.ideas), 'idea')} are kept; only the grouping goes.",
            yes="Delete",
            no="Keep it",
        )

        def decided(yes: bool | None) -> None:
            if yes:
                self.run_change(lambda: self.session.delete(theme_id))

        self.app.push_screen(question, decided)

    def action_remove(self) -> None:
        if self.mode == SUGGESTIONS:
            if (suggestion := self.needs_suggestion()) is None:
                return
            self.run_change(lambda: self.session.reject(suggestion), suggestion=True)
            return
        if (read := self.needs_theme()) is None:
            return
        ideas = self.query_one("#th-ideas", OptionList)
        ids = sorted(self.selected, key=str)
        if not ids and self.focused is ideas and ideas.highlighted is not None and read.ideas:
            ids = [read.ideas[ideas.highlighted].id]
        if not ids:
            self.notify("Go to the theme's ideas (enter), select with space, then x.")
            return
        theme_id = read.theme.id
        self.run_change(lambda: self.session.unassign(theme_id, ids))

    def action_accept(self) -> None:
        if (suggestion := self.needs_suggestion()) is None:
            return
        self.run_change(lambda: self.session.accept(suggestion), suggestion=True)

    # ---- changes --------------------------------------------------------------------------

    @work(thread=True, group="themes-change", exit_on_error=False)
    def run_change(self, change: Callable[[], str], suggestion: bool = False) -> None:
        try:
            said = change()
        except DomainError as error:
            text = str(error)  # a FieldErrors' messages as sentences (domain/errors.py)
            self.app.call_from_thread(self.notify, text, severity="warning")
            return
        done = self.suggestion_decided if suggestion else self.changed
        self.app.call_from_thread(done, said)

    def changed(self, said: str | None) -> None:
        if said is None:
            return
        self.notify(display_text(said))
        self.selected.clear()
        self.load_themes()

    def suggestion_decided(self, said: str | None) -> None:
        if said is None:
            return
        self.changed(said)
        self.suggested = None
        self.load_suggestions()
        self.draw_list()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failure is a sentence, never a traceback."""
        if event.state == WorkerState.ERROR:
            self.log.error(event.worker.error)
            self.notify(display_text(failure_text(event.worker.error)), severity="error")


def assign_dialog(
    session: ThemesSession, names: list[str], ids: list[uuid.UUID], what: str
) -> FormDialog:
    """``t`` in the catalogue: put the ideas in a theme chosen from the list, or in a new one
    named here (made first)."""
    fields = [
        FormField(
            "theme",
            "Theme",
            kind="select",
            options=[(display_text(name), name) for name in names],
            placeholder="Choose a theme" if names else "No themes yet: type a name below",
        ),
        FormField("new", "Or a new theme", placeholder="name of a new theme", max_length=120),
    ]

    def submit(values: dict[str, str]) -> str:
        name = values["new"].strip() or values["theme"]
        if not name:
            raise FieldErrors({"new": "Choose a theme, or type a new theme's name."})
        return session.assign(name, ids)

    hint = "An idea may sit in several themes. T shows every theme."
    return FormDialog(Text.assemble("Theme for ", literal(what)), fields, submit, hint=hint)
