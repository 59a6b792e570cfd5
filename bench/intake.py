"""Issue 11's intake benchmarks in one run, on one 100,000-idea catalogue.

Seeds the catalogue once (bench/catalogue_seed.py, no comments: these read ideas only), then
runs, each as its own process so that one's caches do not flatter the next, and each printing
its figures with its ratio against the baseline it measures in the same run:

- ``intake_similar.py``: similar-idea suggestion per keystroke (target p95 under 30 ms),
  against the catalogue search on the same keystrokes;
- ``intake_duplicates.py``: possible duplicates of the whole catalogue (target under 60 s),
  against reading and folding every title, and against all pairs of a sample;
- ``intake_import.py``: import of 10,000 rows (target under 10 s), against raw sqlite3;
- ``intake_themes.py``: theme suggestions for 4,000 ideas (target under 30 s), against
  reading and folding every text (its own 4,000-idea catalogue).

    python bench/intake.py [--ideas 100000] [--keep]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))


def run(script: str, *args: str) -> int:
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    started = time.monotonic()
    code = subprocess.call([sys.executable, str(HERE / script), *args])
    print(f"=== {script}: exit {code}, {time.monotonic() - started:.0f} s wall", flush=True)
    return code


def main() -> int:
    from bench.catalogue_seed import seed

    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--ideas", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the seeded catalogue")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="intake-bench-"))
    path = folder / "catalogue.sqlite3"
    started = time.monotonic()
    seed(path, ideas=args.ideas, comments=0, meetings=200)
    print(f"seeded {args.ideas:,} ideas in {time.monotonic() - started:.0f} s: {path}")
    codes = [
        run("intake_similar.py", "--db", str(path)),
        run("intake_duplicates.py", "--reuse", str(path)),
        run("intake_import.py"),
        run("intake_themes.py"),
    ]
    if not args.keep:
        for file in folder.iterdir():
            file.unlink()
        folder.rmdir()
    return max(codes)


if __name__ == "__main__":
    sys.exit(main())
