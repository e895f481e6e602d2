"""The end of ``sitmon demo --serve``: demo users (one per role, passwords made once and kept in
``<home>/demo-users.json``, mode 0600), the pages' tables computed ahead, and the app served on 127.0.0.1."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path
from typing import Any

from .common import console

ROLES = ("admin", "analyst", "reviewer", "filer")


def demo_users(st: Any) -> list[dict[str, str]]:
    """The demo users (created the first time): ``demo_admin``, ``demo_analyst``, ``demo_reviewer`` (of the province
    with the most enterprises) and ``demo_filer`` (an enterprise of that province); returns name, role, scope,
    password of each."""
    from ..process.filings import list_reports
    from ..security import Principal, Role
    from ..security.users import add_user, list_users

    path: Path = st.settings.home / "demo-users.json"
    kept = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    existing = {a.username for a in list_users(st.db)}
    if kept and all(u["username"] in existing for u in kept):
        return kept  # type: ignore[no-any-return]
    national = Principal("demo", Role.analyst)
    items = list_reports(st.db, national, form="monthly", limit=1000).items
    counts: dict[str, int] = {}
    for r in items:
        counts[r.province] = counts.get(r.province, 0) + 1
    province = max(counts, key=lambda p: (counts[p], p))
    filer = next(r.uscc for r in items if r.province == province)
    scopes = {"admin": None, "analyst": None, "reviewer": province, "filer": filer}
    out = []
    for role in ROLES:
        name = f"demo_{role}"
        password = secrets.token_urlsafe(9)
        if name in existing:
            from ..security.users import update_user

            update_user(st.db, st.settings, name, password=password, actor="demo")
        else:
            add_user(
                st.db, st.settings, name, password, role, scopes[role], f"演示 demo {role}", actor="demo"
            )
        out.append({"username": name, "role": role, "scope": scopes[role] or "", "password": password})
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2), encoding="utf-8")
    os.chmod(path, 0o600)
    return out


def serve_demo(st: Any, host: str, port: int) -> None:
    """Create the demo users, compute the pages' tables ahead, print the URL and the users, and serve."""
    import uvicorn
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from ..disseminate.api import create_app
    from ..disseminate.cache import ReleaseCache
    from ..disseminate.web.figures import HEADLINE, SECTOR_REVENUES, warm
    from ..store.secrets import secret_key
    from .common import OutputFormat, emit

    users = demo_users(st)
    settings = st.settings.model_copy(update={"secret_key": secret_key(st.settings), "public_read": True})
    cache = ReleaseCache(settings)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console) as bar:
        task = bar.add_task(st.text("cli_demo.step_pages"), total=len(HEADLINE) + len(SECTOR_REVENUES))
        warm(cache, settings, st.db, progress=lambda n: bar.advance(task, n))
    emit(
        [{**u, "note": st.text("cli_demo.demo_only")} for u in users],
        ["role", "username", "password", "scope", "note"],
        OutputFormat.table,
        lang=st.lang,
        title=st.text("cli_demo.accounts_title"),
        terms={"role": "role"},
        headers={"password": st.text("cli_users.password"), "note": " "},
    )
    url = f"http://{host}:{port}/"
    console.print(st.text("cli_demo.serving", url=url), highlight=False)
    st.db.dispose()
    uvicorn.run(
        create_app(settings, cache=cache), host=host, port=port, log_level="warning", proxy_headers=False
    )  # X-Forwarded-For only from trusted_proxies, as sitmon serve
