"""The "Possible duplicates" screen (``D`` in the catalogue): clusters of ideas whose titles say
the same thing, largest first, to merge or dismiss.

The search runs in a worker thread with a progress bar (a catalogue of 100,000 ideas takes
seconds); ``+``/``-`` search again at another threshold (the running search is cancelled).
``m`` merges the highlighted cluster into the idea you choose; ``x`` dismisses the highlighted
idea's pairs or the whole cluster (never shown again); enter reads the idea; escape goes back.
The screen holds no SQL: ``DuplicatesSession`` and ``CatalogueSession`` do each read and write.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from meetingtui.domain import duplicates
from meetingtui.domain.duplicates import Cluster, DuplicateIdea, DuplicateReport
from meetingtui.domain.errors import DomainError
from meetingtui.domain.vocab import moderation_code
from meetingtui.domain.words import counted
from meetingtui.duplicates_session import DuplicatesSession
from meetingtui.tui.literal import display_text, literal
from meetingtui.tui.screens.choice import ChoiceScreen

if TYPE_CHECKING:
    from meetingtui.catalogue_session import CatalogueSession


class IdeaReadScreen(ModalScreen[None]):
    """One idea, whole, over the duplicates (escape or enter closes it)."""

    DEFAULT_CSS = """
    IdeaReadScreen { align: center middle; }
    #dup-read {
        width: 90%; height: 90%; border: round $accent; background: $surface; padding: 0 1;
    }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, catalogue: CatalogueSession, idea_id: uuid.UUID) -> None:
        super().__init__()
        self.catalogue, self.idea_id = catalogue, idea_id

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dup-read"):
            yield Static("Reading…", id="dup-read-text", markup=False)

    def on_mount(self) -> None:
        self.read()

    @work(thread=True, exit_on_error=False)
    def read(self) -> None:
        detail = self.catalogue.detail(self.idea_id)
        self.app.call_from_thread(self.show, detail)

    def show(self, detail: Any) -> None:
        from meetingtui.tui.widgets.catalogue_rows import detail_view

        text = self.query_one("#dup-read-text", Static)
        text.update("This idea was deleted." if detail is None else detail_view(detail))

    def action_close(self) -> None:
        self.dismiss(None)


class DuplicatesScreen(Screen[None]):
    DEFAULT_CSS = """
    DuplicatesScreen { layout: vertical; }
    #dup-heading { height: 1; background: $panel; padding: 0 1; }
    #dup-status { height: 1; padding: 0 1; color: $text-muted; }
    #dup-progress { height: 1; padding: 0 1; }
    #dup-list { height: 1fr; border: none; padding: 0; background: transparent; }
    #dup-list:focus { border: none; }
    #dup-pairs {
        height: 6; padding: 0 1; border-top: solid $panel-lighten-2;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    """

    BINDINGS = [
        Binding("m", "merge", "Merge", tooltip="Merge the cluster into the idea you choose"),
        Binding("x", "dismiss_pairs", "Dismiss", tooltip="Not duplicates: never shown again"),
        Binding("enter", "read", "Read", tooltip="Read the whole idea"),
        Binding("plus,equals_sign", "threshold(1)", "Stricter", key_display="+"),
        Binding("minus", "threshold(-1)", "Looser", key_display="-"),
        Binding("escape", "back", "Back", tooltip="Back to the catalogue (stops a search)"),
    ]

    def __init__(self, catalogue: CatalogueSession) -> None:
        super().__init__()
        self.catalogue = catalogue
        self.session = DuplicatesSession(catalogue.database, catalogue.meeting_ids, catalogue.name)
        self.threshold = duplicates.DEFAULT_THRESHOLD
        self.report: DuplicateReport | None = None
        self.rows: list[tuple[int, DuplicateIdea | None]] = []
        self.searches = 0  # finished searches (tests wait on it)
        self.progress_seen: list[tuple[float, str]] = []

    def compose(self) -> ComposeResult:
        yield Static(
            literal(f"Possible duplicates · {self.catalogue.programme_name}"), id="dup-heading"
        )
        yield Static("", id="dup-status", markup=False)
        yield ProgressBar(total=100, show_eta=False, id="dup-progress")
        yield OptionList(id="dup-list")
        yield Static("", id="dup-pairs", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#dup-list", OptionList))
        self.start_search()

    # ---- the search -----------------------------------------------------------------------

    def start_search(self) -> None:
        self.query_one("#dup-progress", ProgressBar).display = True
        self.query_one("#dup-progress", ProgressBar).update(progress=0)
        self.say(f"Searching at {self.threshold:.2f}…")
        self.search(self.threshold)

    @work(thread=True, exclusive=True, group="duplicates", exit_on_error=False)
    def search(self, threshold: float) -> None:
        worker = get_current_worker()

        def progress(fraction: float, doing: str) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.show_progress, fraction, doing)

        try:
            report = self.session.search(
                threshold, progress=progress, cancelled=lambda: worker.is_cancelled
            )
        except duplicates.SearchCancelled:
            return
        except DomainError as error:
            self.app.call_from_thread(self.say, str(error))
            return
        if not worker.is_cancelled:
            self.app.call_from_thread(self.show_report, report)

    def show_progress(self, fraction: float, doing: str) -> None:
        self.progress_seen.append((fraction, doing))
        self.query_one("#dup-progress", ProgressBar).update(progress=round(fraction * 100))
        self.say(f"{doing}… (threshold {self.threshold:.2f}; escape stops)")

    def show_report(self, report: DuplicateReport) -> None:
        self.report = report
        self.searches += 1
        self.query_one("#dup-progress", ProgressBar).display = False
        self.redraw()

    def say(self, text: str) -> None:
        self.query_one("#dup-status", Static).update(text)

    def summary(self) -> str:
        assert self.report is not None
        report = self.report
        left_out = (
            f"; {counted(report.dismissed_skipped, 'dismissed pair')} left out"
            if report.dismissed_skipped
            else ""
        )
        return (
            f"{counted(len(report.clusters), 'cluster')}, {counted(report.pair_count, 'pair')} at "
            f"{report.threshold:.2f} ({counted(report.figures.ideas, 'idea')} compared{left_out})"
            "  +/- threshold"
        )

    def redraw(self, keep: int = 0) -> None:
        if self.report is None:
            return
        self.say(self.summary())
        listing = self.query_one("#dup-list", OptionList)
        listing.clear_options()
        self.rows = []
        options: list[Option] = []
        for number, cluster in enumerate(self.report.clusters):
            head = Text(no_wrap=True, overflow="ellipsis")
            head.append(
                f"{number + 1}. {counted(len(cluster.ideas), 'idea')}, best {cluster.best:.2f}",
                style="bold",
            )
            options.append(Option(head, id=f"c{number}"))
            self.rows.append((number, None))
            for idea in cluster.ideas:
                options.append(Option(self.idea_line(idea), id=f"c{number}-{idea.id}"))
                self.rows.append((number, idea))
        if not options:
            options.append(Option("No possible duplicates at this threshold.", disabled=True))
        listing.add_options(options)
        if self.rows:
            listing.highlighted = min(keep, len(self.rows) - 1)
        self.show_pairs()

    def idea_line(self, idea: DuplicateIdea) -> Text:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"  {moderation_code(idea.visibility) or '   '} ", style="bold reverse")
        text.append(f" {idea.ref:<8}", style="bold")
        text.append(f"{idea.supports:>4} ")
        text.append(display_text(idea.title))
        text.append(f"  {display_text(idea.channel)} · {display_text(idea.meeting)}", style="dim")
        return text

    # ---- what is highlighted --------------------------------------------------------------

    def current(self) -> tuple[Cluster, DuplicateIdea | None] | None:
        index = self.query_one("#dup-list", OptionList).highlighted
        if self.report is None or index is None or not 0 <= index < len(self.rows):
            return None
        number, idea = self.rows[index]
        return self.report.clusters[number], idea

    @on(OptionList.OptionHighlighted, "#dup-list")
    def highlighted(self) -> None:
        self.show_pairs()

    @on(OptionList.OptionSelected, "#dup-list")
    def chosen(self) -> None:
        self.action_read()

    def show_pairs(self) -> None:
        found = self.current()
        pane = self.query_one("#dup-pairs", Static)
        if found is None:
            pane.update("")
            return
        cluster, idea = found
        text = Text(no_wrap=True, overflow="ellipsis")
        for pair in cluster.pairs:
            if idea is not None and idea.id not in (pair.a.id, pair.b.id):
                continue
            text.append(
                f"{pair.a.full_ref} ~ {pair.b.full_ref}  {pair.score:.2f} "
                f"(words {pair.word_score:.2f}, trigrams {pair.trigram_score:.2f}): "
            )
            text.append(display_text(", ".join(pair.shared)) + "\n")
        pane.update(text)

    # ---- actions --------------------------------------------------------------------------

    def action_read(self) -> None:
        found = self.current()
        if found is None:
            return
        cluster, idea = found
        self.app.push_screen(IdeaReadScreen(self.catalogue, (idea or cluster.ideas[0]).id))

    def action_threshold(self, step: int) -> None:
        wanted = round(self.threshold + step * duplicates.THRESHOLD_STEP, 2)
        if not duplicates.MIN_THRESHOLD <= wanted <= duplicates.MAX_THRESHOLD:
            self.notify(
                f"The threshold stays between {duplicates.MIN_THRESHOLD:g} and "
                f"{duplicates.MAX_THRESHOLD:g}."
            )
            return
        self.threshold = wanted
        self.start_search()

    def action_merge(self) -> None:
        found = self.current()
        if found is None:
            return
        cluster, idea = found
        shown = list(cluster.ideas[:9])
        if idea is not None and idea not in shown:
            shown[-1] = idea
        choices = [
            (str(n + 1), f"keep {one.full_ref} {display_text(one.title)[:50]}", str(one.id))
            for n, one in enumerate(shown)
        ]
        others = len(cluster.ideas) - 1

        def decided(value: str | None) -> None:
            if value is not None:
                into = uuid.UUID(value)
                sources = [one.id for one in cluster.ideas if one.id != into]
                self.merge(sources, into)

        self.app.push_screen(
            ChoiceScreen(
                "Merge into which idea?",
                (
                    "The other idea becomes"
                    if others == 1
                    else f"The other {counted(others, 'idea')} become"
                )
                + ' "merged into" it; nothing is deleted and each keeps its supports and '
                "comments.",
                choices,
            ),
            decided,
        )

    @work(thread=True, exit_on_error=False)
    def merge(self, sources: list[uuid.UUID], into: uuid.UUID) -> None:
        try:
            said = self.session.merge(sources, into)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.after_change, said, [], sources)

    def action_dismiss_pairs(self) -> None:
        found = self.current()
        if found is None:
            return
        cluster, idea = found
        size = len(cluster.ideas)
        choices = [("c", f"the whole cluster ({counted(size, 'idea')})", "cluster")]
        if idea is not None and size > 2:
            choices.insert(0, ("p", f"take {idea.full_ref} out of this cluster", "idea"))

        def decided(value: str | None) -> None:
            try:
                if value == "cluster":
                    self.dismiss_these(duplicates.dismissals_for(cluster))
                elif value == "idea" and idea is not None:
                    self.dismiss_these(duplicates.dismissals_for(cluster, idea.id))
            except DomainError as error:
                self.notify(str(error), severity="error")

        self.app.push_screen(
            ChoiceScreen(
                "Not duplicates: dismiss which pairs?",
                "A dismissed pair is never shown again (meetingtui duplicates undismiss REF REF).",
                choices,
            ),
            decided,
        )

    @work(thread=True, exit_on_error=False)
    def dismiss_these(self, pairs: list[tuple[uuid.UUID, uuid.UUID]]) -> None:
        try:
            said = self.session.dismiss(pairs)
        except DomainError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self.after_change, said, pairs, [])

    def after_change(
        self, said: str, pairs: list[tuple[uuid.UUID, uuid.UUID]], merged: list[uuid.UUID]
    ) -> None:
        if self.report is not None:
            keep = self.query_one("#dup-list", OptionList).highlighted or 0
            self.report = duplicates.without(self.report, pairs=pairs, ideas=merged)
            self.redraw(keep)
        self.notify(said)

    def action_back(self) -> None:
        self.workers.cancel_group(self, "duplicates")
        self.dismiss(None)
