"""An idea with every field of the standard form filled in, shared by the tests that check an
edit keeps what the person did not change (in the domain and through the console)."""

from __future__ import annotations

from meetingtui.domain.ideas import IdeaInput

FULL_FORM = IdeaInput(
    title="Evening GP apointments",
    detail="Two evenings a week",
    raised_by="Maya",
    organisation="Riverside Carers",
    publish_name=True,
    stakeholder="carer",
    channel="phone",
    topic="GP and primary care access",
    tags=["evenings", "gp"],
    scale="quick-win",
    benefits=["access", "experience"],
    affects="Working carers",
)
