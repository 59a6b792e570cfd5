"""The facilitator console: a Textual app over the domain services.

Import ``meetingtui.tui.app.make_app`` (or ``meetingtui.tui.run.run_console``) directly; this
package imports nothing itself so that ``meetingtui --help`` stays fast.
"""
