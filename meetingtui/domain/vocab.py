"""The controlled vocabularies of the standard idea form.

Stored values are the short slugs; labels are what people read. Keeping both here means the TUI,
the web page and the exports all show the same words.
"""

from __future__ import annotations

from meetingtui.domain.states import Moderation, Visibility

STAKEHOLDERS: dict[str, str] = {
    "resident": "Resident",
    "patient": "Patient or service user",
    "carer": "Carer",
    "frontline-staff": "Frontline staff",
    "clinician": "Clinician",
    "provider": "Provider organisation",
    "voluntary": "Voluntary or community sector",
    "local-authority": "Local authority",
    "elected": "Elected representative",
    "other": "Other",
}

CHANNELS: dict[str, str] = {
    "spoken": "Spoken at meeting",
    "phone": "Attendee phone",
    "card": "Written card",
    "email": "Email or letter",
    "online": "Online",
    "other": "Other",
}

SCALES: dict[str, str] = {"quick-win": "Quick win", "major-change": "Major change"}

BENEFITS: dict[str, str] = {
    "quality": "Quality",
    "cost": "Cost",
    "access": "Access",
    "experience": "Experience",
    "equity": "Equity",
}

IDEA_STATUSES: dict[str, str] = {
    "new": "New",
    "under-review": "Under review",
    "adopted": "Adopted",
    "adapted": "Adapted",
    "not-taken-forward": "Not taken forward",
    "merged": "Merged into another idea",
}

ITEM_KINDS: dict[str, str] = {
    "presentation": "Presentation",
    "discussion": "Discussion",
    "public-comment": "Public comment",
    "break": "Break",
    "vote": "Vote",
}

MODERATION_MODES = tuple(Moderation)

# Visibility of attendee input: "visible" shows everywhere, "pending" waits for a moderator
# (pre-moderated meetings), "hidden" was taken down and never appears in public output.
VISIBILITIES = (Visibility.VISIBLE, Visibility.PENDING, Visibility.HIDDEN)

# How moderation is shown to organisers, on every surface: the words where there is room (the
# command line, an idea read whole, a comment) and a three-letter code for a list's own column
# (the console's catalogue and duplicates). One table, so "pending" never reads as "MOD" in one
# place, "[pending]" in another and "waiting" in a third.
MODERATION_WORDS: dict[str, str] = {
    Visibility.HIDDEN: "hidden",
    Visibility.PENDING: "waiting for moderation",
}
MODERATION_CODES: dict[str, str] = {Visibility.HIDDEN: "HID", Visibility.PENDING: "MOD"}


def moderation_word(visibility: str | None) -> str:
    """The words for input the public does not see ("hidden", "waiting for moderation"); empty
    for visible input."""
    return MODERATION_WORDS.get(visibility or Visibility.VISIBLE, "")


def moderation_code(visibility: str | None) -> str:
    """The three-letter code of ``moderation_word`` for a list's column; empty for visible."""
    return MODERATION_CODES.get(visibility or Visibility.VISIBLE, "")


def label(vocabulary: dict[str, str], value: str | None) -> str:
    """The readable label for a stored value; empty for none, the value itself if unknown."""
    if not value:
        return ""
    return vocabulary.get(value, value)
