"""The idea form: the note-taker's keyboard version of the standard form.

Saving runs in a thread worker through a ``save`` callable the console supplies, so the form
knows nothing of the database. A refused save keeps every typed character and puts each message
beside its field. While the note-taker types, the form's fields go to ``keep_draft`` (debounced,
in a worker), so a crash or a quit never loses the words; the console offers the draft back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.ideas import NAME_MAX, TITLE_MAX, IdeaInput
from meetingtui.domain.vocab import CHANNELS, STAKEHOLDERS
from meetingtui.tui.literal import literal
from meetingtui.tui.screens.confirm import discard_question
from meetingtui.tui.widgets.quick_select import QuickSelect

SaveIdea = Callable[[IdeaInput, dict[str, Any]], str]
"""Stores the idea (called in a worker thread) and returns its ref. Given the whole form and
the fields that differ from the record being edited (an edit writes only those)."""
KeepDraft = Callable[[dict[str, Any]], None]
"""Stores the form's fields as a draft (called in a worker thread)."""
DRAFT_DELAY_SECONDS = 0.4

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

    def __init__(
        self,
        *,
        topics: list[str],
        save: SaveIdea,
        initial: dict[str, Any] | None = None,
        heading: str = "Capture an idea",
        keep_draft: KeepDraft | None = None,
        original: dict[str, Any] | None = None,
    ) -> None:
        """``initial`` fills the form; ``original`` is the stored record an edit compares with
        (default: ``initial``; they differ when an edit's draft is resumed)."""
        super().__init__()
        self.topics = topics
        self.save = save
        self.initial = dict(initial or {})
        self.original = dict(self.initial if original is None else original)
        self.heading = heading
        self.keep_draft = keep_draft
        self.saving = False
        self.draft_dirty = False
        self._draft_timer: Timer | None = None
        self._ready = False

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="idea-dialog") as dialog:
            dialog.border_title = literal(self.heading)
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
        value = str(self.initial.get(name) or "")
        if name == "title":
            return Input(
                value[:TITLE_MAX],
                placeholder="The idea in one line",
                max_length=TITLE_MAX,
                compact=True,
                select_on_focus=False,
                id=field_id,
            )
        if name == "detail":
            return TextArea(value, compact=True, id=field_id, soft_wrap=True, tab_behavior="focus")
        if name == "topic":
            options = [(topic, topic) for topic in self.topics]
            chosen = value if value in self.topics else Select.NULL
            return QuickSelect(options, value=chosen, prompt="No topic", compact=True, id=field_id)
        if name == "stakeholder":
            options = [(text, key) for key, text in STAKEHOLDERS.items()]
            chosen = value if value in STAKEHOLDERS else Select.NULL
            return QuickSelect(options, value=chosen, prompt="Not given", compact=True, id=field_id)
        if name == "channel":
            options = [(text, key) for key, text in CHANNELS.items()]
            chosen = value if value in CHANNELS else "spoken"
            return QuickSelect(options, value=chosen, allow_blank=False, compact=True, id=field_id)
        return Input(value, placeholder="Optional", max_length=NAME_MAX, compact=True, id=field_id)

    def on_mount(self) -> None:
        title = self.query_one("#field-title", Input)
        title.focus()
        title.cursor_position = len(title.value)
        # Changes made while the widgets settle are not typing; only later ones make a draft.
        self.call_after_refresh(self._mark_ready)

    def _mark_ready(self) -> None:
        self._ready = True

    # ---- drafts --------------------------------------------------------------------------

    def draft_fields(self) -> dict[str, Any]:
        data = self.form_data()
        return {name: getattr(data, name) for name, _label in FIELDS}

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    def typed(self) -> None:
        if not self._ready or self.keep_draft is None or self.saving:
            return
        self.draft_dirty = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = self.set_timer(DRAFT_DELAY_SECONDS, self.store_draft)

    def store_draft(self) -> None:
        if self.draft_dirty and self.keep_draft is not None:
            self.draft_dirty = False
            self.write_draft(self.draft_fields())

    @work(thread=True, group="idea-draft", exclusive=True, exit_on_error=False)
    def write_draft(self, fields: dict[str, Any]) -> None:
        if self.keep_draft is not None:
            self.keep_draft(fields)

    def on_unmount(self) -> None:
        # Quitting with the form open: the last few keystrokes have not reached the draft yet.
        # Workers are being cancelled, so this one small write happens here.
        if self.draft_dirty and self.keep_draft is not None and not self.saving:
            try:
                self.keep_draft(self.draft_fields())
            except Exception:  # noqa: BLE001 - never block the quit
                self.log.error("could not keep the idea draft")

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

    def shown_value(self, name: str, value: Any) -> str:
        """What the form's field shows for a stored ``value`` (a select shows nothing for a
        value no longer among its choices; the title is cut to its limit)."""
        text = str(value or "")
        if name == "title":
            return text[:TITLE_MAX]
        if name == "topic":
            return text if text in self.topics else ""
        if name == "stakeholder":
            return text if text in STAKEHOLDERS else ""
        if name == "channel":
            return text if text in CHANNELS else "spoken"
        return text

    def changed_fields(self, data: IdeaInput) -> dict[str, Any]:
        """The fields the person changed from the stored record: all an edit writes, so the
        fields this form does not show (organisation, consent, tags…) are never touched."""
        return {
            name: getattr(data, name)
            for name, _label in FIELDS
            if getattr(data, name) != self.shown_value(name, self.original.get(name))
        }

    def has_typed_text(self) -> bool:
        data = self.form_data()
        return any(value.strip() for value in (data.title, data.detail, data.raised_by))

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.show_errors({})
        self.store_idea(self.form_data())

    @work(thread=True, group="idea-form", exit_on_error=False)
    def store_idea(self, data: IdeaInput) -> None:
        try:
            ref = self.save(data, self.changed_fields(data))
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Saved(ref))

    def on_idea_form_screen_saved(self, message: Saved) -> None:
        self.dismiss(message.ref)

    def on_idea_form_screen_refused(self, message: Refused) -> None:
        self.saving = False
        self.draft_dirty = True
        self.store_draft()
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
            self.close_without_saving()
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.close_without_saving()

        self.app.push_screen(discard_question(), decided)

    def close_without_saving(self) -> None:
        self.draft_dirty = False
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure while saving: say so, keep the form and its text."""
        if event.state == WorkerState.ERROR and event.worker.group == "idea-draft":
            self.notify(f"Could not keep a draft: {event.worker.error}", severity="warning")
        elif event.state == WorkerState.ERROR:
            self.saving = False
            self.notify(f"Could not save the idea: {event.worker.error}", severity="error")


def _selected(select: Select) -> str:
    value = select.value
    return "" if value is Select.NULL or value is None else str(value)
