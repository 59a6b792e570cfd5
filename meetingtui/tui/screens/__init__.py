"""Screens of the facilitator console, one module each."""
