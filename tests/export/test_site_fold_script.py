"""The published site's script folds what is typed exactly as domain/text_fold.py folded the
search data (found by review: site.js lacked œ, ł, ø…): compared for every character Python's
Unicode knows, run in Node when it is installed (the site itself runs in any browser)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import unicodedata

import pytest

from meetingtui.domain.text_fold import SEARCH_LETTERS, fold
from meetingtui.export.site import site_script

NODE = shutil.which("node")
FOLD_FUNCTION = re.compile(
    r"  var APART = .*?\n  var APART_RE = .*?\n  function fold\(text\) \{.*?\n  \}\n", re.S
)


def test_the_script_is_given_text_fold_s_table() -> None:
    script = site_script()
    table = json.loads(re.search(r"  var APART = (\{.*?\});\n", script).group(1))
    assert table == SEARCH_LETTERS and table["ł"] == "l" and table["Œ"] == "oe"


@pytest.mark.skipif(NODE is None, reason="needs node")
def test_the_script_folds_as_python_does_for_every_character() -> None:
    function = FOLD_FUNCTION.search(site_script())
    assert function is not None
    samples = [
        f"x{chr(code)}y"
        for code in range(0x20, 0x30000)
        if unicodedata.category(chr(code)) not in ("Cn", "Cs")  # Node's Unicode may be newer
    ]
    samples += ["Œuvre d'art", "ŁÓDŹ", "STRAẞE", "ΟΔΟΣ", "Café—Bus-stop!", "Ærø ᴭ ℍ"]
    program = (
        function.group(0)
        + "var data = JSON.parse(require('fs').readFileSync(0, 'utf8'));"
        + "process.stdout.write(JSON.stringify(data.map(fold)));"
    )
    run = subprocess.run(
        [NODE, "-e", program], input=json.dumps(samples), capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    differ = [
        (text, fold(text), js)
        for text, js in zip(samples, json.loads(run.stdout), strict=True)
        if fold(text) != js
    ]
    assert differ == []
