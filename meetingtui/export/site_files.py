"""Where each page of the published site lives, and the small JavaScript data files it loads.

The site must work opened straight from disk (``file://``), where browsers refuse ``fetch`` of a
neighbouring JSON file; a ``<script src>`` is allowed, so data comes as ``.js`` files that call
a function the page defines. People's words inside them are JSON-encoded, with ``<``, ``>``,
``&`` and the line separators escaped, so no text can close the script or start markup.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9_.-]")
_JS_ESCAPES = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}
_JS_UNSAFE = re.compile("[<>&\u2028\u2029]")


def file_name(text: str) -> str:
    """A ref or code as a file name: itself when plain (``I-0042``), otherwise each unusual
    character written as ``_xx`` (so two refs never share a file)."""
    if not _UNSAFE_NAME.search(text) and not text.startswith("."):
        return text
    return "".join(
        f"_{ord(c):x}_" if _UNSAFE_NAME.match(c) or c == "_" else c for c in text
    ).lstrip(".")


def idea_page_path(code: str, ref: str) -> str:
    """An idea's page, relative to the site's folder: ``ideas/CODE/I-0042.html``."""
    return f"ideas/{file_name(code)}/{file_name(ref)}.html"


def meeting_catalogue_path(code: str, page: int = 1) -> str:
    return f"catalogue/{file_name(code)}-{page}.html"


def topic_catalogue_path(index: int, page: int = 1) -> str:
    return f"catalogue/topic-{index}-{page}.html"


def report_topic_path(index: int, page: int = 1) -> str:
    """A page of the "you said, we did" report's ideas of one topic: by the topic's number in
    the report, never by its name (people name topics)."""
    return f"report/topic-{index}-{page}.html"


def search_shard_path(code: str) -> str:
    return f"data/search-{file_name(code)}.js"


REPORT_NAME = "you-said-we-did"  # the report: its index .html (site_report) and its .md
REFS_PATH = "data/refs.js"
SCRIPT_PATH = "assets/site.js"


def js_value(value: Any) -> str:
    """``value`` as a JavaScript literal safe inside a ``<script>`` (see the module)."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return _JS_UNSAFE.sub(lambda m: _JS_ESCAPES[m.group(0)], text)


def js_call(function: str, *values: Any) -> str:
    """A data file's whole text: one call of the page's ``function`` with the values."""
    return f"{function}({','.join(js_value(v) for v in values)});\n"


def seq_ranges(numbers: list[int]) -> str:
    """Sorted idea numbers as ranges, ``1-40,42,44-500``: the find box's index stays a few
    bytes a meeting whatever its size."""
    parts: list[str] = []
    start = previous = None
    for n in numbers:
        if previous is not None and n == previous + 1:
            previous = n
            continue
        if start is not None:
            parts.append(str(start) if start == previous else f"{start}-{previous}")
        start = previous = n
    if start is not None:
        parts.append(str(start) if start == previous else f"{start}-{previous}")
    return ",".join(parts)


def relative(from_page: str, to_path: str) -> str:
    """A link from one page of the site to another, both relative to the site's folder."""
    depth = from_page.count("/")
    return "../" * depth + to_path


def write_text(root: Path, path: str, text: str) -> Path:
    """Write one page (UTF-8, the platform's line ends, as ``Path.write_text``) with three
    system calls and no text-file layers: a site is 100,000 small files."""
    target = root / path
    if os.linesep != "\n":
        text = text.replace("\n", os.linesep)
    data = memoryview(text.encode("utf-8"))
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
    try:
        while data:
            data = data[os.write(descriptor, data) :]
    finally:
        os.close(descriptor)
    return target
