"""The idea form: the note-taker's keyboard version of the standard form (every field of it).

The fast path stays first: title, detail, topic, who raised it, how it arrived, then the name and
the rest of the standard form (organisation, consent to publish the name, scale, benefits, who is
affected, tags) further down the Tab order. Keys typed before the form is on screen, or after
ctrl+s, are kept for it (``tui/type_ahead.py``).

Saving runs in a thread worker through a ``save`` callable the console supplies, so the form
knows nothing of the database. A refused save keeps every typed character and puts each message
beside its field. Every change goes to the draft writer at once (``tui/draft_writer.py``), so a
crash or a quit loses at most the keys typed during one draft write.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Checkbox, Footer, Input, Label, Select, SelectionList, Static, TextArea
from textual.worker import Worker, WorkerState

from meetingtui.domain.cards import card_as_typed
from meetingtui.domain.errors import DomainError, FieldErrors, as_sentences
from meetingtui.domain.ideas import IdeaInput
from meetingtui.domain.text import is_blank
from meetingtui.domain.text_fold import words
from meetingtui.domain.vocab import BENEFITS, CHANNELS, SCALES, STAKEHOLDERS
from meetingtui.tui.draft_writer import DraftWriter
from meetingtui.tui.failure import failure_text
from meetingtui.tui.literal import literal
from meetingtui.tui.screens.confirm import discard_question
from meetingtui.tui.type_ahead import FOCUS_BINDINGS, OrderedKeysScreen, hold_keys, release_keys
from meetingtui.tui.widgets.quick_select import QuickSelect, TickList
from meetingtui.tui.widgets.similar_hint import FindSimilar, SimilarIdeasHint
from meetingtui.tui.widgets.text_fields import TextBox, TextInput

SaveIdea = Callable[[IdeaInput, dict[str, Any]], str]
"""Stores the idea (called in a worker thread) and returns its ref. Given the whole form and
the fields that differ from the record being edited (an edit writes only those)."""
KeepDraft = Callable[[dict[str, Any]], None]
"""Stores the form's fields as a draft (called in the draft writer's thread)."""

# The form's fields in tab order: (field name, label). Errors are keyed by the same names.
FIELDS = (
    ("title", "Title"),
    ("detail", "Detail"),
    ("topic", "Topic"),
    ("stakeholder", "Raised by a"),
    ("channel", "Arrived by"),
    ("raised_by", "Name"),
    ("organisation", "Organisation"),
    ("publish_name", "Publish name"),
    ("scale", "Scale"),
    ("benefits", "Benefits"),
    ("affects", "Affects"),
    ("tags", "Tags"),
)
CARRIED_FIELDS = ("topic", "stakeholder", "channel")
# Card entry mode (console key K) adds the paper card's printed number, before the title; so
# does editing an idea typed in from a card (its ``original`` has the number: console.py).
CARD_FIELD = ("card_number", "Card number")


def parse_tags(text: str) -> list[str]:
    """Tags as typed in one line, comma-separated."""
    return [tag.strip() for tag in text.split(",") if tag.strip()]


def tags_text(tags: Any) -> str:
    return ", ".join(str(tag) for tag in (tags or []))


class IdeaFormScreen(OrderedKeysScreen):
    """Dismisses with the new idea's ref once saved, or None when cancelled."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save idea", priority=True),
        Binding("escape", "cancel", "Cancel"),
        *FOCUS_BINDINGS,
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
        carried: Iterable[str] = (),
        editing: bool = False,
        find_similar: FindSimilar | None = None,
        home_code: str = "",
        card_number: str | None = None,
    ) -> None:
        """``initial`` fills the form; ``original`` is the stored record an edit compares with
        (default: ``initial``; they differ when an edit's draft is resumed). ``carried`` names
        the fields of ``initial`` carried over from the last idea (marked as such). ``editing``:
        the form edits a stored idea (Escape asks only when something was changed).
        ``find_similar``: the ideas already raised like what is typed, shown under the title
        (tui/widgets/similar_hint.py); ``home_code``: the meeting's code (other meetings' refs
        say theirs). ``card_number`` (card entry mode): show the card number field, filled with
        it. An edit whose ``original`` has a ``card_number`` shows the field too, to correct it:
        a changed number is one of the changed fields (checked as card entry checks it)."""
        super().__init__()
        self.find_similar = find_similar
        self.home_code = home_code
        self.card_number = card_number
        self.editing = editing
        self.topics = topics
        self.save = save
        self.initial = dict(initial or {})
        self.original = dict(self.initial if original is None else original)
        self.edit_card = editing and card_number is None and CARD_FIELD[0] in self.original
        shows_card = card_number is not None or self.edit_card
        self.fields = (CARD_FIELD, *FIELDS) if shows_card else FIELDS
        if self.edit_card:  # a resumed draft keeps no card number: the stored one
            card_number_text = self.initial.get(CARD_FIELD[0], self.original[CARD_FIELD[0]])
            self.card_text = str(card_number_text or "")
        else:
            self.card_text = card_number or ""  # read on the event loop when ctrl+s is pressed
        self.heading = heading
        self.keep_draft = keep_draft
        self.carried = set(carried) & set(CARRIED_FIELDS)
        self.saving = False
        self.closing = False
        self.consent_without_name = False
        self.drafts: DraftWriter | None = None
        # What the form shows before any typing: a change back to it is no draft.
        self.last_draft = {
            name: self.shown_value(name, self.initial.get(name)) for name, _ in FIELDS
        }

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="idea-dialog") as dialog:
            dialog.border_title = literal(self.heading)
            dialog.border_subtitle = "ctrl+s save · tab next field · esc cancel"
            for name, text in self.fields:
                with Horizontal(classes="field-row"):
                    yield Label(text, classes="field-label", id=f"label-{name}")
                    with Vertical(classes="field-input"):
                        yield self._field(name)
                        yield Static("", classes="field-error", id=f"error-{name}", markup=False)
                        if name == "title" and self.find_similar is not None:
                            yield SimilarIdeasHint(
                                self.find_similar, home_code=self.home_code, id="similar-ideas"
                            )
        yield Footer()

    def _field(self, name: str) -> Widget:
        field_id = f"field-{name}"
        raw = self.initial.get(name)
        value = str(raw or "")
        carried = name in self.carried
        if name == "card_number":
            return TextInput(
                self.card_text,
                placeholder="As printed, e.g. 137 or C-0137",
                compact=True,
                select_on_focus=True,  # a number other than the suggested one replaces it
                id=field_id,
            )
        if name == "title":
            # No max_length: a field that stops taking keys drops what a note-taker types
            # without looking. Too long is refused on save, beside the field, text kept.
            return TextInput(
                value,
                placeholder="The idea in one line",
                compact=True,
                select_on_focus=False,
                id=field_id,
            )
        if name == "detail":
            return TextBox(value, compact=True, id=field_id, soft_wrap=True, tab_behavior="focus")
        if name == "topic":
            options = [(topic, topic) for topic in self.topics]
            chosen = value if value in self.topics else Select.NULL
            return QuickSelect(
                options, value=chosen, prompt="No topic", compact=True, id=field_id, carried=carried
            )
        if name in ("stakeholder", "scale"):
            vocabulary = STAKEHOLDERS if name == "stakeholder" else SCALES
            options = [(text, key) for key, text in vocabulary.items()]
            chosen = value if value in vocabulary else Select.NULL
            return QuickSelect(
                options,
                value=chosen,
                prompt="Not given",
                compact=True,
                id=field_id,
                carried=carried,
            )
        if name == "channel":
            options = [(text, key) for key, text in CHANNELS.items()]
            chosen = value if value in CHANNELS else "spoken"
            return QuickSelect(
                options, value=chosen, allow_blank=False, compact=True, id=field_id, carried=carried
            )
        if name == "publish_name":
            return Checkbox(
                "They agree to their name being published (space)",
                bool(raw),
                compact=True,
                id=field_id,
            )
        if name == "benefits":
            chosen_benefits = set(raw or [])
            return TickList(
                *[(text, key, key in chosen_benefits) for key, text in BENEFITS.items()],
                compact=True,
                id=field_id,
            )
        if name == "tags":
            return TextInput(
                tags_text(raw),
                placeholder="Comma-separated, optional",
                compact=True,
                select_on_focus=False,  # typing adds to what is there, never replaces it
                id=field_id,
            )
        placeholder = "Who or which service, optional" if name == "affects" else "Optional"
        return TextInput(  # no max_length either (see the title)
            value,
            placeholder=placeholder,
            compact=True,
            select_on_focus=False,
            id=field_id,
        )

    def on_mount(self) -> None:
        title = self.query_one("#field-title", Input)
        title.cursor_position = len(title.value)
        self.focus_first(title)  # and the keys typed since the form was asked for

    # ---- drafts --------------------------------------------------------------------------

    def draft_fields(self) -> dict[str, Any]:
        data = self.form_data()
        return {name: getattr(data, name) for name, _label in FIELDS}

    @on(Input.Changed, "#field-title")
    @on(TextArea.Changed, "#field-detail")
    def similar_text_changed(self) -> None:
        """The similar-ideas line looks again once typing pauses (it costs nothing per key)."""
        if self.find_similar is None or self.saving or self.closing:
            return
        title = self.query_one("#field-title", Input).value
        detail = self.query_one("#field-detail", TextArea).text
        # The title says what the idea is; the detail helps only while the title says little.
        wanted = title if len(words(title)) >= 2 or not detail else f"{title}\n{detail}"
        self.query_one(SimilarIdeasHint).look_for(wanted)

    @on(Input.Changed, "#field-card_number")
    def card_number_changed(self) -> None:
        """A refusal names the number that was typed ("Card C-0005 was already entered…"):
        once the number is changed it no longer applies, so it goes (save checks again)."""
        if self.query_one("#error-card_number").has_class("-shown"):
            self.query_one("#error-card_number", Static).update("")
            self.query_one("#error-card_number").remove_class("-shown")
            self.query_one("#field-card_number").remove_class("-invalid")

    @on(Input.Changed)
    @on(TextArea.Changed)
    @on(Select.Changed)
    @on(Checkbox.Changed)
    @on(SelectionList.SelectedChanged)
    def typed(self) -> None:
        """Every change goes to the draft writer at once (it never blocks)."""
        if self.keep_draft is None or self.saving or self.closing:
            return
        fields = self.draft_fields()
        if fields == self.last_draft:
            return  # the widgets settling, or typed back to what was there
        self.last_draft = fields
        self.draft_writer().put(fields)

    def draft_writer(self) -> DraftWriter:
        if self.drafts is None:
            keep = self.keep_draft
            assert keep is not None
            self.drafts = DraftWriter(keep, self.draft_failed)
        return self.drafts

    def draft_failed(self, error: Exception) -> None:
        """Called in the writer's thread."""
        self.app.call_from_thread(
            self.notify, f"Could not keep a draft: {error}", severity="warning"
        )

    def stop_drafts(self, *, flush: bool) -> DraftWriter | None:
        """End the draft writer; the caller joins it (off the event loop when it can)."""
        drafts, self.drafts = self.drafts, None
        if drafts is not None:
            drafts.close(flush=flush)
        return drafts

    def on_unmount(self) -> None:
        # Quitting with the form open: the writer writes the last form, and the quit waits for
        # that one write (bounded, so a stuck disk cannot keep the console from closing).
        drafts = self.stop_drafts(flush=True)
        if drafts is not None:
            drafts.join(timeout=5)

    # ---- the form's data -------------------------------------------------------------------

    def form_data(self) -> IdeaInput:
        """What is in the form now, as the service function's input."""
        benefits = set(self.query_one("#field-benefits", SelectionList).selected)
        return IdeaInput(
            title=self.query_one("#field-title", Input).value,
            detail=self.query_one("#field-detail", TextArea).text,
            topic=_selected(self.query_one("#field-topic", Select)),
            stakeholder=_selected(self.query_one("#field-stakeholder", Select)),
            channel=_selected(self.query_one("#field-channel", Select)) or "spoken",
            raised_by=self.query_one("#field-raised_by", Input).value,
            organisation=self.query_one("#field-organisation", Input).value,
            publish_name=self.query_one("#field-publish_name", Checkbox).value,
            scale=_selected(self.query_one("#field-scale", Select)),
            benefits=[key for key in BENEFITS if key in benefits],
            affects=self.query_one("#field-affects", Input).value,
            tags=parse_tags(self.query_one("#field-tags", Input).value),
        )

    def shown_value(self, name: str, value: Any) -> Any:
        """What the form's field gives back for a stored ``value`` untouched (a select shows
        nothing for a value no longer among its choices; )."""
        if name == "publish_name":
            return bool(value)
        if name == "benefits":
            return [key for key in BENEFITS if key in (value or [])]
        if name == "tags":
            return parse_tags(tags_text(value))
        text = str(value or "")
        if name == "topic":
            return text if text in self.topics else ""
        if name in ("stakeholder", "scale"):
            return text if text in (STAKEHOLDERS if name == "stakeholder" else SCALES) else ""
        if name == "channel":
            return text if text in CHANNELS else "spoken"
        return text

    def changed_fields(self, data: IdeaInput, card_text: str | None = None) -> dict[str, Any]:
        """The fields the person changed from the stored record: all an edit writes. The card
        number as typed (``card_text``, or the field's now: on the event loop), when changed
        (``137`` for ``C-0137`` is no change)."""
        changed = {
            name: getattr(data, name)
            for name, _label in FIELDS
            if getattr(data, name) != self.shown_value(name, self.original.get(name))
        }
        if self.edit_card:
            if card_text is None:
                card_text = self.query_one("#field-card_number", Input).value
            if card_as_typed(card_text) != card_as_typed(self.original.get(CARD_FIELD[0])):
                changed[CARD_FIELD[0]] = card_text
        return changed

    def has_typed_text(self) -> bool:
        data = self.form_data()
        texts = (data.title, data.detail, data.raised_by, data.organisation, data.affects)
        return any(not is_blank(value) for value in texts) or bool(data.tags)

    # ---- saving --------------------------------------------------------------------------

    def action_save(self) -> None:
        if self.saving:
            return
        self.saving = True
        # The last letters typed before ctrl+s may still be on their way to their field.
        self.after_keys(self.save_now)

    def save_now(self) -> None:
        self.show_errors({})
        data = self.form_data()
        if self.card_number is not None or self.edit_card:
            self.card_text = self.query_one("#field-card_number", Input).value
        # The record keeps no consent without a name (domain/ideas.py); say so, not silently.
        self.consent_without_name = data.publish_name and not data.raised_by.strip()
        self.store_idea(data, self.stop_drafts(flush=False))

    @work(thread=True, group="idea-form", exit_on_error=False)
    def store_idea(self, data: IdeaInput, drafts: DraftWriter | None) -> None:
        if drafts is not None:
            drafts.join()  # a draft written after the save would bring the idea back as a draft
        try:
            ref = self.save(data, self.changed_fields(data, self.card_text))
        except DomainError as error:
            self.post_message(self.Refused(error))
            return
        self.post_message(self.Saved(ref))

    def on_idea_form_screen_saved(self, message: Saved) -> None:
        self.closing = True
        if self.consent_without_name:
            self.app.notify(
                f"{message.ref}: no name given, so nothing to publish (saved unticked)",
                severity="warning",
            )
        self.dismiss_with_keys(message.ref)

    def on_idea_form_screen_refused(self, message: Refused) -> None:
        self.saving = False
        self.last_draft = {}
        self.typed()  # the refused form is the draft again
        error = message.error
        if isinstance(error, FieldErrors):
            self.show_errors(error.errors)
            others = {k: v for k, v in error.errors.items() if k not in dict(self.fields)}
            if others:
                self.notify(as_sentences(list(others.values())), severity="warning")
        else:
            self.notify(str(error), title="Not saved", severity="error")
        release_keys(self.app)

    def show_errors(self, errors: dict[str, str]) -> None:
        """Put each message beside its field and focus the first field in error."""
        first: Widget | None = None
        for name, _text in self.fields:
            message = errors.get(name, "")
            field = self.query_one(f"#field-{name}")
            self.query_one(f"#error-{name}", Static).update(message)
            self.query_one(f"#error-{name}").set_class(bool(message), "-shown")
            field.set_class(bool(message), "-invalid")
            if message and first is None:
                first = field
        if first is not None:
            self.set_focus(first)

    # ---- cancelling ----------------------------------------------------------------------

    def has_unsaved_work(self) -> bool:
        """What Escape would lose: for an edit, any change from the stored idea (a resumed
        draft's changes included); for a new idea, typed text (picks alone are carried over)."""
        if self.editing:
            return bool(self.changed_fields(self.form_data()))
        return self.has_typed_text()

    def action_cancel(self) -> None:
        if not self.has_unsaved_work():
            self.close_without_saving()
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.close_without_saving()

        self.app.push_screen(discard_question(), decided)

    def close_without_saving(self) -> None:
        self.closing = True
        hold_keys(self.app)  # for the console, once the form has gone
        self.finish_cancel(self.stop_drafts(flush=False))

    @work(thread=True, group="idea-form", exit_on_error=False)
    def finish_cancel(self, drafts: DraftWriter | None) -> None:
        """The console drops the draft once the form has gone; no draft write may follow."""
        if drafts is not None:
            drafts.join()
        self.app.call_from_thread(self.dismiss_with_keys, None)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """An unexpected failure while saving: say so, keep the form and its text."""
        if event.state == WorkerState.ERROR:
            self.saving = self.closing = False
            self.notify(failure_text(event.worker.error, "save the idea"), severity="error")
            release_keys(self.app)


def _selected(select: Select[Any]) -> str:
    value = select.value
    return "" if value is Select.NULL or value is None else str(value)
