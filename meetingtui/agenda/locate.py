"""Find the line where a table or key was written.

``tomllib`` reports line numbers only for syntax errors; for the checks we make afterwards we
scan the source once and remember where each ``[meeting]``, each ``[[item]]`` and each of their
keys appear.
"""

from __future__ import annotations

import re

_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-]+)\s*\]\s*(#.*)?$")
_ARRAY_TABLE = re.compile(r"^\s*\[\[\s*([A-Za-z0-9_.\-]+)\s*\]\]\s*(#.*)?$")
_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=""")

Section = tuple[str, int]  # ("meeting", 0) or ("item", n) for the n-th [[item]], from 0


class SourceMap:
    def __init__(self, text: str):
        self._lines: dict[tuple[Section, str | None], int] = {}
        section: Section = ("", 0)
        array_counts: dict[str, int] = {}
        in_multiline: str | None = None
        for number, line in enumerate(text.splitlines(), start=1):
            if in_multiline:
                if line.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            if match := _ARRAY_TABLE.match(line):
                name = match.group(1)
                index = array_counts.get(name, 0)
                array_counts[name] = index + 1
                section = (name, index)
                self._lines.setdefault((section, None), number)
            elif match := _TABLE.match(line):
                name = match.group(1)
                parent = name.rpartition(".")[0]
                # ``[item.poll]`` belongs to the ``[[item]]`` above it: keep that item's number.
                index = section[1] if parent and parent == section[0].partition(".")[0] else 0
                section = (name, index)
                self._lines.setdefault((section, None), number)
            elif match := _KEY.match(line):
                key = match.group(1).strip("\"'")
                self._lines.setdefault((section, key), number)
                for quote in ('"""', "'''"):
                    if line.count(quote) % 2 == 1:
                        in_multiline = quote
                        break

    def line_of(self, section: Section, key: str | None = None) -> int | None:
        """The key's line; the table header's line if the key is absent; None if neither."""
        if key is not None and (section, key) in self._lines:
            return self._lines[(section, key)]
        return self._lines.get((section, None))
