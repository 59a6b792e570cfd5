"""The current item's speakers' queue: who speaks now, who waits (in order), who was heard."""

from __future__ import annotations

from rich.text import Text
from textual.binding import Binding
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from meetingtui.domain.models import Speaker
from meetingtui.domain.speakers import DONE, NOT_HEARD, SPEAKING, WAITING
from meetingtui.domain.states import SpeakerSource
from meetingtui.domain.vocab import STAKEHOLDERS, label
from meetingtui.tui.literal import display_text

EMPTY_TEXT = "Nobody in the queue. Press s to add a speaker; phones can ask to speak."
_STATUS: dict[str, tuple[str, str]] = {
    SPEAKING: ("speaking", "bold reverse"),
    WAITING: ("", ""),
    DONE: ("heard", "dim"),
    NOT_HEARD: ("asked, not heard", "dim italic"),
}


def speaker_text(place: int | None, speaker: Speaker) -> Text:
    status, style = _STATUS.get(speaker.status, ("withdrawn", "dim strike"))
    name = speaker.name or "(no name given)"
    group = label(STAKEHOLDERS, speaker.stakeholder)
    about = " · ".join(
        p for p in (group, "phone" if speaker.source == SpeakerSource.PHONE else "") if p
    )
    text = Text()
    text.append(f"{place:>2}. " if place else "    ")
    text.append(display_text(name), style="bold" if speaker.status in (SPEAKING, WAITING) else "")
    if about:
        text.append(f"  {about}", style="dim")
    if status:
        text.append(f"  {status}", style=style)
    return text


class SpeakerList(OptionList):
    """Speaking first, then the waiting in the order they asked, then those already heard."""

    BINDINGS = [
        Binding(
            "w", "screen.withdraw_speaker", "Withdraw", tooltip="Take the highlighted speaker out"
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 - Textual API
        super().__init__(id=id)
        self.speakers: list[Speaker] = []
        self.border_title = "Speakers"

    def show(self, speakers: list[Speaker]) -> None:
        rank: dict[str, int] = {SPEAKING: 0, WAITING: 1, DONE: 2, NOT_HEARD: 3}
        ordered = sorted(speakers, key=lambda s: (rank.get(s.status, 4), s.requested_at))
        highlighted = self.highlighted_speaker()
        self.speakers = ordered
        waiting = sum(1 for s in ordered if s.status == WAITING)
        self.border_title = f"Speakers ({waiting} waiting)"
        self.clear_options()
        if not ordered:
            self.add_option(Option(Text(EMPTY_TEXT, style="italic"), disabled=True))
            return
        place = 0
        options = []
        for speaker in ordered:
            if speaker.status == WAITING:
                place += 1
            options.append(
                Option(
                    speaker_text(place if speaker.status == WAITING else None, speaker),
                    id=str(speaker.id),
                )
            )
        self.add_options(options)
        ids = [str(s.id) for s in ordered]
        still_queued = {str(s.id) for s in ordered if s.status in (SPEAKING, WAITING)}
        if highlighted is not None and str(highlighted.id) in still_queued:
            self.highlighted = ids.index(str(highlighted.id))
        else:
            first_waiting = next((i for i, s in enumerate(ordered) if s.status == WAITING), 0)
            self.highlighted = first_waiting

    def highlighted_speaker(self) -> Speaker | None:
        if self.highlighted is None or not self.speakers:
            return None
        option = self.get_option_at_index(self.highlighted)
        return next((s for s in self.speakers if str(s.id) == option.id), None)
