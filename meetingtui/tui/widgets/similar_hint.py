"""The line under the idea form's title: "Similar ideas already raised: I-0042 Benches at the bus
stop (12 supports) — support it instead?"

It never slows typing and never takes a key or the focus: each change only restarts a short timer
(``DEBOUNCE_SECONDS``); once typing pauses, one thread worker looks the text up
(domain/similar.py, through a callable the console supplies, so the widget knows nothing of the
database) and posts the answer back. An answer to text typed over since is dropped. The widget
cannot be focused, and people's words are shown literally (tui/literal.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.text import Text
from textual import work
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from meetingtui.domain.similar import SimilarIdea
from meetingtui.domain.vocab import IDEA_STATUSES, moderation_code
from meetingtui.tui.literal import literal

FindSimilar = Callable[[str], Sequence[SimilarIdea]]
"""The similar ideas for what is typed (called in a worker thread)."""

DEBOUNCE_SECONDS = 0.25
HEADING = "Similar ideas already raised: "
ADVICE = " — support it instead?"


def describe(found: Sequence[SimilarIdea], home_code: str = "") -> Text:
    """The hint's line: each idea's ref (its meeting's code too when another meeting's), title,
    supports, and where it went if merged."""
    line = Text(HEADING, style="bold")
    for index, idea in enumerate(found):
        if index:
            line.append(" · ")
        ref = idea.ref if not home_code or idea.meeting_code == home_code else idea.full_ref
        line.append(ref, style="bold")
        line.append(" ")
        line.append_text(literal(idea.title))
        supports = "1 support" if idea.support_count == 1 else f"{idea.support_count} supports"
        extra = [supports]
        if idea.visibility != "visible":  # the room cannot see it: not one to send them to
            extra.insert(0, f"{moderation_code(idea.visibility)}, not public")
        if idea.merged_into:
            extra.append(f"merged into {idea.merged_into}")
        elif idea.status not in ("", "new"):
            extra.append(IDEA_STATUSES.get(idea.status, idea.status).lower())
        line.append(f" ({', '.join(extra)})", style="dim")
    line.append(ADVICE, style="italic")
    return line


class SimilarIdeasHint(Static):
    """Shows the ideas like the text it is given (``look_for``), or nothing."""

    DEFAULT_CSS = """
    SimilarIdeasHint { height: auto; color: $text-warning; display: none; }
    SimilarIdeasHint.-shown { display: block; }
    """
    can_focus = False

    class Found(Message):
        def __init__(self, generation: int, found: Sequence[SimilarIdea]) -> None:
            super().__init__()
            self.generation = generation
            self.found = list(found)

    def __init__(
        self, find: FindSimilar | None, *, home_code: str = "", id: str | None = None
    ) -> None:
        super().__init__("", id=id, markup=False)
        self.find = find
        self.home_code = home_code
        self.wanted = ""
        self.generation = 0  # each change makes the answers to older text stale
        self.shown: list[SimilarIdea] = []
        self.looked_up = 0  # lookups answered (tests wait for it)
        self._timer: Timer | None = None

    def look_for(self, text: str) -> None:
        """What is typed now: looked up once typing pauses. Costs a timer restart, no more."""
        if self.find is None or text == self.wanted:
            return
        self.wanted = text
        self.generation += 1
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE_SECONDS, self._look_up)

    def _look_up(self) -> None:
        self._timer = None
        if not self.wanted.strip():
            self.show([])
            return
        self.run_lookup(self.wanted, self.generation)

    @work(thread=True, group="similar-ideas", exit_on_error=False)
    def run_lookup(self, text: str, generation: int) -> None:
        find = self.find
        assert find is not None
        try:
            found = find(text)
        except Exception:  # noqa: BLE001 - a hint that cannot be worked out is no hint
            found = []
        self.post_message(self.Found(generation, found))

    def on_similar_ideas_hint_found(self, message: Found) -> None:
        message.stop()
        if message.generation != self.generation:
            return  # typed on since: a newer lookup is on its way
        self.looked_up += 1
        self.show(message.found)

    def show(self, found: Sequence[SimilarIdea]) -> None:
        self.shown = list(found)
        self.update(describe(found, self.home_code) if found else "")
        self.set_class(bool(found), "-shown")
