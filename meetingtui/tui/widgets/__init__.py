"""Widgets of the facilitator console, one concern each."""
