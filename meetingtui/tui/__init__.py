"""The facilitator console: a Textual app over the domain services.

Import ``meetingtui.tui.app.make_app`` directly (``meetingtui.runtime.run_console`` runs it with
the attendee web); this package imports nothing itself so that ``meetingtui --help`` stays fast.
"""
