"""This process and its machine, as the idea form's drafts need them (see domain/drafts.py).

A draft names the ``user@host`` and pid of the console typing it; a console starting later on
the same machine takes over a draft whose process is gone. Whether a process is gone is an
operating-system question, so it is asked here and handed to the domain as a callable.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import socket


def this_machine() -> str:
    """``user@host`` of this process (``console`` when a container has no user name)."""
    try:
        user = getpass.getuser()
    except Exception:  # noqa: BLE001 - no user name in some containers
        user = "console"
    return f"{user}@{socket.gethostname()}"


def pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs on this machine. A zombie (killed, not yet reaped by
    its parent) is not running; a process of another user is (signal 0 is refused to us but
    it exists). Errs on "alive" when unsure, so a live console's draft is never taken."""
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    # "pid (comm) state …" (Linux): comm may hold spaces or ")"; the state follows the last ")".
    stat = f"/proc/{pid}/stat"
    with contextlib.suppress(OSError, IndexError), open(stat, encoding="latin-1") as f:
        if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
            return False
    return True
