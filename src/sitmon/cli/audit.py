"""``sitmon audit``: the audit trail (append-only; nothing can change it)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from ..domain import jsontext
from .common import FormatOpt, OutputFormat, emit, fail, state


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    when = datetime.fromisoformat(text)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def register(app: typer.Typer) -> None:
    """Add ``sitmon audit``."""

    @app.command("audit")
    def audit(
        ctx: typer.Context,
        since: Annotated[str | None, typer.Option("--since")] = None,
        actor: Annotated[str | None, typer.Option("--actor")] = None,
        limit: Annotated[int, typer.Option("--limit", min=1)] = 1000,
        fmt: FormatOpt = OutputFormat.table,
    ) -> None:
        """Audit events, oldest first: reports filed/revised/accepted/returned, periods published, users changed,
        logins."""

        from ..security.audit import trail

        st = state(ctx)
        try:
            when = _since(since)
        except ValueError as exc:
            raise fail(st.text("cli.bad_time", value=since), 2) from exc
        rows = [
            {
                "id": e.id,
                "at": e.at.strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor,
                "action": e.action,
                "object": f"{e.object_type or ''}:{e.object_id or ''}".strip(":"),
                "detail": jsontext.dumps(e.detail, default=str) if fmt is not OutputFormat.json else e.detail,
            }
            for e in trail(st.db, when, actor, limit)
        ]
        emit(
            rows,
            ["id", "at", "actor", "action", "object", "detail"],
            fmt,
            lang=st.lang,
            title=st.text("cli.audit_title"),
            terms={"action": "action", "actor": "actor"},
        )
