"""The "before and after" of a benchmark in one run: the same workload script run once with the package of a base
commit (checked out with ``git worktree`` into a temporary folder and put first on ``PYTHONPATH``) and once with this
checkout's ``src/``, on the same generated files, each in its own data directory. Used by ``bench_hardening.py`` and
``bench_round.py``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def side(script: str, src: Path, gen: Path, home: Path) -> dict[str, Any]:
    """The JSON object the workload ``script`` prints last, run with the package in ``src`` (figures in seconds)."""
    env = {**os.environ, "PYTHONPATH": str(src)}
    out = subprocess.run(
        [sys.executable, "-c", script, str(gen), str(home)],
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if out.returncode != 0:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def before_and_after(
    script: str, gen: Path, tmp_path: Path, base: str
) -> tuple[dict[str, Any], dict[str, Any]]:
    """(before, after): ``script``'s figures with the package of commit ``base``, then with this checkout's."""
    folder = tmp_path / "base"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(folder), base],
        check=True,
        capture_output=True,
    )
    try:
        before = side(script, folder / "src", gen, tmp_path / "home-before")
        after = side(script, ROOT / "src", gen, tmp_path / "home-after")
    finally:
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(folder)], capture_output=True
        )
    return before, after
