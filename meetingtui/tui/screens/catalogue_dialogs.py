"""The catalogue's lifecycle dialogs: status (with its public reason, or the idea kept for a
merge), response, reviewer, the organiser's own name, and the question before publishing.

Each dialog's save runs in a worker (``FormDialog``) through the ``CatalogueSession``; a
refusal (no reason for "adapted", an unknown idea to merge into) stays in the dialog beside
its field, with everything typed kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from meetingtui.catalogue_session import CatalogueSession, MergePreview
from meetingtui.domain.catalogue_view import CatalogueRow
from meetingtui.domain.errors import DomainError, FieldErrors
from meetingtui.domain.lifecycle import Review
from meetingtui.domain.states import IdeaStatus
from meetingtui.domain.vocab import IDEA_STATUSES
from meetingtui.tui.screens.confirm import ConfirmScreen
from meetingtui.tui.screens.form_dialog import FormDialog, FormField

Submit = Callable[[dict[str, str]], str]


def status_dialog(
    catalogue: CatalogueSession, ids: list[uuid.UUID], row: CatalogueRow | None, what: str
) -> FormDialog:
    """Status of one idea (its own status and reason to start from) or of many."""
    fields = [
        FormField(
            "status",
            "Status",
            kind="select",
            value=row.idea.status if row else "",
            options=[(text, value) for value, text in IDEA_STATUSES.items()],
            allow_blank=False,
        ),
        FormField(
            "reason", "Public reason", kind="text", value=row.idea.status_reason if row else ""
        ),
        FormField("into", "Merged into", placeholder="CODE/I-0042 (merged only)", max_length=40),
    ]

    def submit(values: dict[str, str]) -> str:
        if not values["status"]:
            raise FieldErrors({"status": "Choose a status."})
        status = IdeaStatus(values["status"])
        into = None
        if status is IdeaStatus.MERGED:
            if not values["into"].strip():
                raise FieldErrors({"into": "Name the idea these are merged into."})
            try:
                into = catalogue.merge_target(values["into"])
            except DomainError as error:
                raise FieldErrors({"into": str(error)}) from None
        review = Review(status=status, reason=values["reason"], merged_into=into)
        return catalogue.review(ids, review)

    hint = (
        "Adapted and not taken forward need a public reason. The public sees the status "
        "once published (p); u undoes."
    )
    return FormDialog(f"Status of {what}", fields, _screen_words(submit), hint=hint)


def response_dialog(
    catalogue: CatalogueSession, ids: list[uuid.UUID], row: CatalogueRow | None, what: str
) -> FormDialog:
    field = FormField("response", "Response", kind="text", value=row.idea.response if row else "")

    def submit(values: dict[str, str]) -> str:
        return catalogue.review(ids, Review(response=values["response"]))

    hint = '"You said, we did": a draft until published (p). ctrl+s saves.'
    return FormDialog(f"Response to {what}", [field], _screen_words(submit), hint=hint)


def reviewer_dialog(
    catalogue: CatalogueSession, ids: list[uuid.UUID], row: CatalogueRow | None, what: str
) -> FormDialog:
    current = row.idea.reviewer if row else catalogue.name
    field = FormField("reviewer", "Reviewer", value=current, max_length=120)

    def submit(values: dict[str, str]) -> str:
        return catalogue.review(ids, Review(reviewer=values["reviewer"]))

    hint = "A name (empty: nobody). Reviewers are staff: never shown publicly."
    return FormDialog(f"Reviewer of {what}", [field], _screen_words(submit), hint=hint)


def name_dialog(catalogue: CatalogueSession) -> FormDialog:
    """Who is reviewing here: the history's "who", and whose ideas "my ideas" are."""

    def save(values: dict[str, str]) -> str:
        name = " ".join(values["name"].split())
        if not name:
            raise FieldErrors({"name": "Enter your name, as reviewers are named."})
        catalogue.name = name
        return name

    field = FormField("name", "My name", value=catalogue.name, max_length=120)
    return FormDialog("My name (reviewer, history)", [field], save)


def merge_dialog(catalogue: CatalogueSession, ids: list[uuid.UUID], what: str) -> FormDialog:
    """Merge the selected (or highlighted) ideas into another: asks for the idea kept and an
    optional public reason; dismisses with (preview, reason) for the confirmation."""
    fields = [
        FormField("into", "Merge into", placeholder="CODE/I-0042 or I-0042", max_length=40),
        FormField("reason", "Public reason (optional)", max_length=2000),
    ]

    def submit(values: dict[str, str]) -> tuple[MergePreview, str]:
        if not values["into"].strip():
            raise FieldErrors({"into": "Name the idea these are merged into."})
        try:
            preview = catalogue.merge_preview(ids, values["into"])
        except FieldErrors:
            raise
        except DomainError as error:
            raise FieldErrors({"into": str(error)}) from None
        return preview, values["reason"]

    hint = (
        "Nothing is deleted: the merged ideas stay readable, say where they went, and their "
        "supports count once per device on the idea kept. You confirm next; u undoes."
    )
    return FormDialog(f"Merge {what} into…", fields, submit, hint=hint)


def merge_question(preview: MergePreview) -> ConfirmScreen:
    sources = "; ".join(preview.sources)
    return ConfirmScreen(
        f"Merge into {preview.target}?",
        f"Merged into it: {sources}. The public sees the merge at once.",
        yes="Merge",
        no="Not now",
    )


def unmerge_question(row: CatalogueRow) -> ConfirmScreen:
    return ConfirmScreen(
        f"Unmerge {row.meeting_code}/{row.idea.ref}?",
        "It gets back the status, reason and answer it had before its merge.",
        yes="Unmerge",
        no="Keep merged",
    )


def split_dialog(catalogue: CatalogueSession, row: CatalogueRow) -> FormDialog:
    """Split one idea: a title per line, two or more; each new idea keeps the origin."""
    field = FormField("titles", "Titles of the new ideas, one per line", kind="text")

    def submit(values: dict[str, str]) -> str:
        titles = [line.strip() for line in values["titles"].splitlines() if line.strip()]
        try:
            return catalogue.split(row.idea.id, titles)
        except FieldErrors as error:
            raise FieldErrors({"titles": str(error)}) from None

    hint = (
        "Each new idea keeps where, when and by whom the original was raised, and says "
        '"split from"; the original keeps its supports and comments. ctrl+s splits.'
    )
    return FormDialog(f"Split {row.meeting_code}/{row.idea.ref}", [field], submit, hint=hint)


def publish_question(what: str) -> ConfirmScreen:
    return ConfirmScreen(
        f"Publish the answers of {what}?",
        "The public sees their status, reason and response as they now stand, and their "
        "history. Publishing cannot be undone; a later change is published again with p.",
        yes="Publish",
        no="Not yet",
    )


def _screen_words(submit: Submit) -> Submit:
    """The domain's refusals name the command line's options; here they name the field."""

    def wrapped(values: dict[str, str]) -> str:
        try:
            return submit(values)
        except FieldErrors as error:
            cleaned = {k: v.replace(" (--reason)", "") for k, v in error.errors.items()}
            raise FieldErrors(cleaned) from None

    return wrapped
