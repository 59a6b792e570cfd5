"""A small keyboard form in a dialog: the shape shared by the record, speaker, agenda-item,
attendance and export dialogs.

``submit`` runs in a thread worker (it usually writes to the database) and returns the dialog's
result. A ``FieldErrors`` puts each message beside its field and keeps everything typed; any other
``DomainError`` is a notification. Enter in a one-line field or ctrl+s submits; Escape cancels.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Footer, Input, Label, Select, Static, TextArea
from textual.worker import Worker, WorkerState

from meetingtui.domain.errors import DomainError, FieldErrors, as_sentences
from meetingtui.tui.failure import failure_text
from meetingtui.tui.literal import literal
from meetingtui.tui.type_ahead import FOCUS_BINDINGS, OrderedKeysScreen, release_keys
from meetingtui.tui.widgets.quick_select import QuickSelect
from meetingtui.tui.widgets.text_fields import TextBox, TextInput


@dataclass
class FormField:
    name: str
    label: str
    kind: str = "input"  # input · text (several lines) · select
    value: str = ""
    placeholder: str = ""
    options: list[tuple[str, str]] = field(default_factory=list)  # (label, value) for selects
    max_length: int = 0
    allow_blank: bool = True


Submit = Callable[[dict[str, str]], Any]


class FormDialog(OrderedKeysScreen):
    """Dismisses with what ``submit`` returned, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "submit", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
        # Enter in a one-line field saves when it is read (not when the field gets to it), so
        # the keys typed after it wait for the dialog to close (tui/type_ahead.py).
        Binding(
            "enter", "submit_on_enter", "Save, from a one-line field", show=False, priority=True
        ),
        *FOCUS_BINDINGS,
    ]

    class Done(Message):
        def __init__(self, result: Any) -> None:
            super().__init__()
            self.result = result

    class Refused(Message):
        def __init__(self, error: DomainError) -> None:
            super().__init__()
            self.error = error

    def __init__(
        self, title: str | Text, fields: list[FormField], submit: Submit, *, hint: str = ""
    ) -> None:
        super().__init__()
        self.title_text = title
        self.fields = fields
        self.submit = submit
        self.hint = hint
        self.busy = False
        self.focus_field: str | None = None

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="form-dialog", classes="dialog") as dialog:
            dialog.border_title = literal(self.title_text)  # it may quote an item's title
            dialog.border_subtitle = "ctrl+s save · esc cancel"
            if self.hint:
                yield Static(self.hint, classes="dialog-hint", markup=False)
            for spec in self.fields:
                with Horizontal(classes="field-row"):
                    yield Label(spec.label, classes="field-label", id=f"label-{spec.name}")
                    with Vertical(classes="field-input"):
                        yield self.make_field(spec)
                        yield Static(
                            "", classes="field-error", id=f"error-{spec.name}", markup=False
                        )
        yield Footer()

    def make_field(self, spec: FormField) -> Widget:
        field_id = f"field-{spec.name}"
        if spec.kind == "select":
            value = spec.value if spec.value else Select.NULL
            return QuickSelect(
                spec.options,
                value=value,
                allow_blank=spec.allow_blank,
                prompt=spec.placeholder or "Not given",
                compact=True,
                id=field_id,
            )
        if spec.kind == "text":
            area = TextBox(spec.value, compact=True, id=field_id, soft_wrap=True)
            area.tab_behavior = "focus"
            area.add_class("field-text")
            return area
        return TextInput(
            spec.value,
            placeholder=spec.placeholder,
            max_length=spec.max_length,
            compact=True,
            id=field_id,
        )

    def on_mount(self) -> None:
        """Focus the first field at once and let in the keys typed since the dialog was asked
        for (``tui/type_ahead.py``)."""
        if self.focus_field:
            self.focus_first(self.query_one(f"#field-{self.focus_field}"))
        else:
            self.focus_first(self.query(".field-input > *").first())

    def values(self) -> dict[str, str]:
        result = {}
        for spec in self.fields:
            widget = self.query_one(f"#field-{spec.name}")
            if isinstance(widget, Select):
                value = widget.value
                result[spec.name] = "" if value is Select.NULL or value is None else str(value)
            elif isinstance(widget, TextArea):
                result[spec.name] = widget.text
            elif isinstance(widget, Input):
                result[spec.name] = widget.value
        return result

    @on(Input.Submitted)
    def submitted(self, event: Input.Submitted) -> None:
        event.stop()  # already saved by the Enter binding

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Enter saves only from a one-line field; elsewhere it keeps its meaning."""
        if action == "submit_on_enter":
            return isinstance(self.focused, Input)
        return True

    def action_submit_on_enter(self) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.set_busy(True)
        self.after_keys(self.submit_now)  # once every key typed before it is in its field

    def submit_now(self) -> None:
        self.show_errors({})
        self.run_submit(self.values())

    def set_busy(self, busy: bool) -> None:
        """Long submissions (exports) show a loading indicator over the dialog."""

    @work(thread=True, group="form-dialog", exit_on_error=False)
    def run_submit(self, values: dict[str, str]) -> None:
        try:
            result = self.submit(values)
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Done(result))

    def on_form_dialog_done(self, message: Done) -> None:
        self.dismiss_with_keys(message.result)

    def on_form_dialog_refused(self, message: Refused) -> None:
        self.busy = False
        self.set_busy(False)
        error = message.error
        if isinstance(error, FieldErrors):
            self.show_errors(error.errors)
            names = {spec.name for spec in self.fields}
            others = [text for name, text in error.errors.items() if name not in names]
            if others:
                self.notify(as_sentences(others), title="Not saved", severity="warning")
        else:
            self.notify(str(error), title="Not saved", severity="error")
        release_keys(self.app)

    def show_errors(self, errors: dict[str, str]) -> None:
        first: Widget | None = None
        for spec in self.fields:
            message = errors.get(spec.name, "")
            widget = self.query_one(f"#field-{spec.name}")
            error = self.query_one(f"#error-{spec.name}", Static)
            error.update(message)
            error.set_class(bool(message), "-shown")
            widget.set_class(bool(message), "-invalid")
            if message and first is None:
                first = widget
        if first is not None:
            self.set_focus(first)

    def action_cancel(self) -> None:
        self.dismiss(None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            self.busy = False
            self.set_busy(False)
            self.notify(failure_text(event.worker.error, "save"), severity="error")
            release_keys(self.app)
