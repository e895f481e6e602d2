"""The deployment's secret key: ``SITMON_SECRET_KEY``, or one generated once into ``<home>/secret_key``."""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile

from ..config import Settings


def secret_key(settings: Settings) -> str:
    """The key that signs session cookies and CSRF tokens.

    ``settings.secret_key`` when set; otherwise the content of ``<home>/secret_key``, created on first use
    (48 random bytes, file mode 0600). Creation is atomic, so processes starting together agree on one key.
    """
    if settings.secret_key:
        return settings.secret_key
    path = settings.secret_key_file
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".secret-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as fh:
            fh.write(secrets.token_urlsafe(48))
        os.chmod(tmp, 0o600)
        with contextlib.suppress(FileExistsError):  # another process created the key first: use theirs
            os.link(tmp, path)
    finally:
        os.unlink(tmp)
    return path.read_text(encoding="ascii").strip()
