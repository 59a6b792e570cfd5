"""The idea form: the note-taker's keyboard version of the standard form.

Saving runs in a thread worker through a ``save`` callable the console supplies, so the form
knows nothing of the database. A refused save keeps every typed character and puts each message
beside its field.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.ideas import NAME_MAX, TITLE_MAX, IdeaInput
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS
from meetingtui.tui.screens.confirm_discard import ConfirmDiscardScreen

SaveIdea = Callable[[IdeaInput], str]
"""Stores the idea (called in a worker thread) and returns its ref."""

# The form's fields in tab order: (field name, label). Errors are keyed by the same names.
FIELDS = (
    ("title", "Title"),
    ("detail", "Detail"),
    ("topic", "Topic"),
    ("stakeholder", "Raised by a"),
    ("channel", "Arrived by"),
    ("raised_by", "Name"),
)


class IdeaFormScreen(ModalScreen[str | None]):
    """Dismisses with the new idea's ref once saved, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save idea", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    class Saved(Message):
        def __init__(self, ref: str) -> None:
            super().__init__()
            self.ref = ref

    class Refused(Message):
        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, *, topics: list[str], save: SaveIdea) -> None:
        super().__init__()
        self.topics = topics
        self.save = save
        self.saving = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="idea-dialog") as dialog:
            dialog.border_title = "Capture an idea"
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            for name, text in FIELDS:
                with Horizontal(classes="field-row"):
                    yield Label(text, classes="field-label", id=f"label-{name}")
                    with Vertical(classes="field-input"):
                        yield self._field(name)
                        yield Static("", classes="field-error", id=f"error-{name}", markup=False)
        yield Footer()

    def _field(self, name: str) -> Widget:
        field_id = f"field-{name}"
        if name == "title":
            return Input(
                placeholder="The idea in one line",
                max_length=TITLE_MAX,
                compact=True,
                id=field_id,
            )
        if name == "detail":
            return TextArea(compact=True, id=field_id, soft_wrap=True, tab_behavior="focus")
        if name == "topic":
            options = [(topic, topic) for topic in self.topics]
            return Select(options, prompt="No topic", compact=True, id=field_id)
        if name == "stakeholder":
            options = [(text, key) for key, text in STAKEHOLDERS.items()]
            return Select(options, prompt="Not given", compact=True, id=field_id)
        if name == "channel":
            options = [(text, key) for key, text in CHANNELS.items()]
            return Select(options, value="spoken", allow_blank=False, compact=True, id=field_id)
        return Input(placeholder="Optional", max_length=NAME_MAX, compact=True, id=field_id)

    def on_mount(self) -> None:
        self.query_one("#field-title", Input).focus()

    def form_data(self) -> IdeaInput:
        """What is in the form now, as the service function's input."""
        return IdeaInput(
            title=self.query_one("#field-title", Input).value,
            detail=self.query_one("#field-detail", TextArea).text,
            topic=_selected(self.query_one("#field-topic", Select)),
            stakeholder=_selected(self.query_one("#field-stakeholder", Select)),
            channel=_selected(self.query_one("#field-channel", Select)) or "spoken",
            raised_by=self.query_one("#field-raised_by", Input).value,
        )

    def has_typed_text(self) -> bool:
        data = self.form_data()
        return any(value.strip() for value in (data.title, data.detail, data.raised_by))

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        self.show_errors({})
        self.store_idea(self.form_data())

    @work(thread=True, group="idea-form", exit_on_error=False)
    def store_idea(self, data: IdeaInput) -> None:
        try:
            ref = self.save(data)
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Saved(ref))

    def on_idea_form_screen_saved(self, message: Saved) -> None:
        self.dismiss(message.ref)

    def on_idea_form_screen_refused(self, message: Refused) -> None:
        self.saving = False
        error = message.error
        if isinstance(error, FieldErrors):
            self.show_errors(error.errors)
            others = {k: v for k, v in error.errors.items() if k not in dict(FIELDS)}
            if others:
                self.notify("; ".join(others.values()), severity="warning")
        else:
            self.notify(str(error), title="Not saved", severity="error")

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field and focus the first field in error."""
        first: Widget | None = None
        for name, _text in FIELDS:
            message = errors.get(name, "")
            field = self.query_one(f"#field-{name}")
            self.query_one(f"#error-{name}", Static).update(message)
            self.query_one(f"#error-{name}").set_class(bool(message), "-shown")
            field.set_class(bool(message), "-invalid")
            if message and first is None:
                first = field
        if first is not None:
            first.focus()

    def action_cancel(self) -> None:
        if not self.has_typed_text():
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscardScreen(), decided)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure while saving: say so, keep the form and its text."""
        if event.state == WorkerState.ERROR:
            self.saving = False
            self.notify(f"Could not save the idea: {event.worker.error}", severity="error")


def _selected(select: Select) -> str:
    value = select.value
    return "" if value is Select.NULL or value is None else str(value)
