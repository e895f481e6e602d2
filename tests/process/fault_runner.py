"""Runs a ``sitmon`` command that SIGKILLs itself right after its N-th durable step (``SITMON_FAULT_AT``): a rename,
an fsync, a file removal, a DB commit (just before it reaches the database, and just after). With
``SITMON_FAULT_AT=0`` it runs to the end and prints ``steps=<count>`` on stderr, so a test can kill at every step.

    python tests/process/fault_runner.py publish --period 2024-01
"""

from __future__ import annotations

import os
import shutil
import signal
import sys

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

AT = int(os.environ.get("SITMON_FAULT_AT", "0"))
_count = 0


def _step(name: str) -> None:
    global _count
    _count += 1
    if os.environ.get("SITMON_FAULT_TRACE"):
        sys.stderr.write(f"step {_count}: {name}\n")
    if _count == AT:
        os.kill(os.getpid(), signal.SIGKILL)


def _after(name: str, fn):  # type: ignore[no-untyped-def]
    def wrapped(*args, **kwargs):  # type: ignore[no-untyped-def]
        out = fn(*args, **kwargs)
        _step(f"{name} {args[0] if args else ''}")
        return out

    return wrapped


for _name in ("replace", "rename", "fsync", "unlink", "rmdir", "link"):
    setattr(os, _name, _after(_name, getattr(os, _name)))
shutil.rmtree = _after("rmtree", shutil.rmtree)
event.listen(Engine, "commit", lambda conn: _step("before commit"))
event.listen(Session, "after_commit", lambda session: _step("after commit"))

if __name__ == "__main__":
    from sitmon.cli import app

    try:
        app(args=sys.argv[1:], prog_name="sitmon", standalone_mode=False)
    finally:
        sys.stderr.write(f"steps={_count}\n")
