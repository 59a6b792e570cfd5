"""``run_console`` refuses a taken port with a message before the console takes the terminal."""

from __future__ import annotations

import socket
import uuid

from meetingtui.tui.run import run_console


def test_port_in_use_is_a_message_and_exit_code_1(database, meeting, capsys):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        code = run_console(database=database, meeting_id=meeting.id, host="127.0.0.1", port=port)
    assert code == 1
    error = capsys.readouterr().err
    assert f"127.0.0.1:{port}" in error and "--port" in error


def test_unknown_meeting_is_a_message_and_exit_code_1(database, capsys):
    assert run_console(database=database, meeting_id=uuid.uuid4()) == 1
    assert "No meeting" in capsys.readouterr().err
