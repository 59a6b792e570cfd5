"""Someone else saved the same field of an idea while it was open here: both versions side by
side, and the person chooses (keep mine · keep theirs · edit).

The second save used to overwrite the first without a word. ``update_idea`` now refuses a
field that changed meanwhile (``EditConflict``); fields only the other side changed merge
without asking. This screen only shows and asks; what follows is the console's (the form is
saved again against what is stored now).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Footer, Input, Select, Static, TextArea

from meetingtui.domain.ideas import EditConflict, IdeaInput
from meetingtui.tui.literal import literal
from meetingtui.tui.screens.idea_form import CARD_FIELD, IdeaFormScreen, SaveIdea
from meetingtui.tui.screens.idea_form import FIELDS as FORM_FIELDS

if TYPE_CHECKING:
    import uuid

    from meetingtui.session import MeetingSession

KEEP_MINE, KEEP_THEIRS, EDIT = "mine", "theirs", "edit"


def shown(value: Any) -> Text:
    """A field's value as stored or typed (a person's words: literal)."""
    if isinstance(value, bool):
        return Text("yes" if value else "no")
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    text = str(value or "")
    return literal(text) if text else Text("(empty)", style="dim italic")


class EditConflictScreen(ModalScreen[str]):
    """Dismisses with ``mine``, ``theirs`` or ``edit`` (Escape: back to editing)."""

    DEFAULT_CSS = """
    EditConflictScreen { align: center middle; }
    #conflict-dialog { max-width: 110; height: auto; max-height: 90%; }
    #conflict-versions { height: auto; max-height: 30; }
    """

    BINDINGS = [
        Binding("m", "choose('mine')", "Keep mine"),
        Binding("t", "choose('theirs')", "Keep theirs"),
        Binding("e,escape", "choose('edit')", "Edit"),
    ]

    def __init__(self, conflict: EditConflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        labels = dict((CARD_FIELD, *FORM_FIELDS))
        table = Table(expand=True, show_lines=True)
        table.add_column("Field", no_wrap=True)
        table.add_column("Saved meanwhile (theirs)", ratio=1)
        table.add_column("Yours", ratio=1)
        for name, (_loaded, theirs, mine) in self.conflict.fields.items():
            table.add_row(labels.get(name, name), shown(theirs), shown(mine))
        with Vertical(id="conflict-dialog", classes="dialog") as dialog:
            dialog.border_title = f"Idea {self.conflict.ref} changed while you edited it"
            yield Static(
                "Someone else saved these fields after you opened the form. Their other "
                "changes are kept either way.",
                classes="dialog-hint",
                markup=False,
            )
            with VerticalScroll(id="conflict-versions"):
                yield Static(table)
            yield Static(
                "m keep mine · t keep theirs · e go back and edit (yours stays in the form)",
                classes="dialog-hint",
                markup=False,
            )
        yield Footer()

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


def put_field(form: ModalScreen[Any], name: str, value: Any) -> None:
    """Set one field of the idea form to ``value`` (keeping theirs)."""
    widget: Widget = form.query_one(f"#field-{name}")
    if isinstance(widget, TextArea):
        widget.load_text(str(value or ""))
    elif isinstance(widget, Input):
        widget.value = str(value or "")
    elif isinstance(widget, Select):
        widget.value = value if value else Select.NULL
    elif hasattr(widget, "value"):
        widget.value = value


def edit_saver(
    session: MeetingSession, idea_id: uuid.UUID, form_of: Callable[[], IdeaFormScreen]
) -> SaveIdea:
    """The idea form's save for an edit: only the fields changed, checked against the values
    the form loaded (its ``original``); a conflict asks the person which version to keep."""

    def save(data: IdeaInput, changes: dict[str, Any]) -> str:  # noqa: ARG001
        form = form_of()
        base = {name: form.original.get(name) for name in changes}
        try:
            return session.update_idea(idea_id, changes, base=base)
        except EditConflict as conflict:
            form.app.call_from_thread(ask_which, form, conflict)
            raise  # the form keeps everything typed and says it was not saved

    return save


def ask_which(form: IdeaFormScreen, conflict: EditConflict) -> None:
    """Show both versions over the form; save again as chosen, against what is stored now."""

    def decided(choice: str | None) -> None:
        if not form.is_attached:
            return
        for name, (_loaded, theirs, _mine) in conflict.fields.items():
            form.original[name] = theirs  # the form now edits what is stored
        if choice == KEEP_THEIRS:
            for name, (_loaded, theirs, _mine) in conflict.fields.items():
                put_field(form, name, theirs)
        if choice in (KEEP_MINE, KEEP_THEIRS):
            form.saving = True
            form.save_now()  # the rest of my changes are saved either way
            return
        labels = dict((CARD_FIELD, *FORM_FIELDS))
        theirs_text = "; ".join(
            f"{labels.get(name, name)}: {shown(theirs).plain}"
            for name, (_loaded, theirs, _mine) in conflict.fields.items()
        )
        form.notify(
            f"Saved meanwhile: {theirs_text}. Your text stays in the form; ctrl+s saves it.",
            title=f"Editing {conflict.ref}",
            timeout=20,
        )

    form.app.push_screen(EditConflictScreen(conflict), decided)
