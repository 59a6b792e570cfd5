"""The phone page's forms: what arrives in a POST, how it becomes domain input, and how a refusal
is shown again in the GOV.UK error pattern (a summary linking to each field, the message beside it).

Form values are kept as the person typed them, so a refused form comes back exactly as they left
it; the domain does the cleaning and the checking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeVar
from urllib.parse import unquote_to_bytes

from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException
from starlette.requests import Request

from meetingtui.domain.ideas import IdeaInput

FormModel = TypeVar("FormModel", bound=BaseModel)

# The order fields appear on the page: the error summary lists problems in the same order.
IDEA_FIELDS = ("title", "detail", "topic", "stakeholder", "raised_by", "organisation")
CHECKED_VALUES = frozenset({"yes", "on", "true", "1"})
URLENCODED = "application/x-www-form-urlencoded"
MAX_FIELDS = 1000  # as Starlette's form parser


class IdeaForm(BaseModel):
    """An idea as posted from the phone: the public subset of the standard form."""

    model_config = ConfigDict(extra="ignore")

    title: str = ""
    detail: str = ""
    topic: str = ""
    stakeholder: str = ""
    raised_by: str = ""
    organisation: str = ""
    publish_name: str = ""  # a checkbox: present (value "yes") only when ticked
    csrf_token: str = ""

    @property
    def wants_name_published(self) -> bool:
        return self.publish_name.strip().lower() in CHECKED_VALUES

    def to_input(self) -> IdeaInput:
        return IdeaInput(
            title=self.title,
            detail=self.detail,
            topic=self.topic,
            stakeholder=self.stakeholder,
            raised_by=self.raised_by,
            organisation=self.organisation,
            publish_name=self.wants_name_published,
            channel="phone",
        )


class CommentForm(BaseModel):
    """A comment as posted from the phone: just its text."""

    model_config = ConfigDict(extra="ignore")

    body: str = ""
    csrf_token: str = ""
    back: str = ""


@dataclass(frozen=True)
class ErrorLink:
    """One line of the error summary: the message and the id of the field it points at."""

    message: str
    target: str


@dataclass
class FormState:
    """What a form shows: the person's values and, after a refusal, the messages per field.

    ``field_ids`` maps a field to its element id on the page, so that the summary links land on
    the right control even when the page has one comment form per idea.
    """

    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    field_ids: dict[str, str] = field(default_factory=dict)
    fallback_target: str = ""

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def error(self, name: str) -> str:
        return self.errors.get(name, "")

    @property
    def has_errors(self) -> bool:
        return bool(self.errors)

    def summary(self, order: tuple[str, ...] = ()) -> list[ErrorLink]:
        ranked = sorted(
            self.errors, key=lambda name: order.index(name) if name in order else len(order)
        )
        return [
            ErrorLink(self.errors[name], self.field_ids.get(name, self.fallback_target))
            for name in ranked
        ]


def idea_state(form: IdeaForm | None = None, errors: dict[str, str] | None = None) -> FormState:
    values = form.model_dump(exclude={"csrf_token"}) if form else {}
    if form is not None:
        values["publish_name"] = "yes" if form.wants_name_published else ""
    return FormState(
        values=values,
        errors=dict(errors or {}),
        field_ids={name: name for name in IDEA_FIELDS},
        fallback_target="idea-form",
    )


def comment_state(
    ref: str, form: CommentForm | None = None, errors: dict[str, str] | None = None
) -> FormState:
    return FormState(
        values={"body": form.body} if form else {},
        errors=dict(errors or {}),
        field_ids={"body": comment_field_id(ref)},
        fallback_target=f"idea-{ref}",
    )


def comment_field_id(ref: str) -> str:
    return f"body-{ref}"


class SpeakForm(BaseModel):
    """A request to speak from the phone: an optional name."""

    model_config = ConfigDict(extra="ignore")

    name: str = ""
    csrf_token: str = ""


class SupportForm(BaseModel):
    """A tap on "Support": nothing but the token and where to return."""

    model_config = ConfigDict(extra="ignore")

    csrf_token: str = ""
    back: str = ""


def speak_state(form: SpeakForm | None = None, errors: dict[str, str] | None = None) -> FormState:
    return FormState(
        values={"name": form.name} if form else {},
        errors=dict(errors or {}),
        field_ids={"name": "speaker-name"},
        fallback_target="speak",
    )


async def read_form(request: Request, model: type[FormModel]) -> FormModel:
    """The posted form as ``model``: text fields only (a file smuggled into a multipart body is
    ignored), unknown fields ignored, missing ones empty.

    Read by hand rather than through FastAPI's ``Form()`` models and dependencies: the routes
    are not in the OpenAPI schema anyway, and this is the hot path of every post (FastAPI's
    dependency solving was the largest single cost in a profile of the comment route).
    """
    return model.model_validate(await _text_fields(request))


async def _text_fields(request: Request) -> dict[str, str]:
    """A urlencoded body (what every browser sends for these forms) is split on its bytes, and
    each name and value decoded as UTF-8 after its ``+`` and
    percent escapes are undone: percent-encoded UTF-8 (browsers) and raw UTF-8 (some scripts
    and apps) both arrive as typed; a byte that is not UTF-8 becomes U+FFFD, as in Starlette's
    own parser. Anything else goes through Starlette, which also closes any uploaded file."""
    content_type = request.headers.get("content-type", "")
    if content_type.partition(";")[0].strip().lower() == URLENCODED:
        body = await request.body()
        pairs = [pair for pair in body.split(b"&") if pair]
        if len(pairs) > MAX_FIELDS:  # Starlette's limit, and its answer
            raise HTTPException(400, f"Too many fields. Maximum number of fields is {MAX_FIELDS}.")
        return dict(_field(pair) for pair in pairs)
    async with request.form() as data:
        return {k: v for k, v in data.items() if isinstance(v, str)}


def _field(pair: bytes) -> tuple[str, str]:
    name, _, value = pair.partition(b"=")
    return _decoded(name), _decoded(value)


def _decoded(raw: bytes) -> str:
    return unquote_to_bytes(raw.replace(b"+", b" ")).decode("utf-8", "replace")
