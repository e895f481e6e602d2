"""The common refusals every layer may raise: a stable ``code`` (snake case, what an interface maps to an HTTP
status or an exit code), a keyed :class:`~sitmon.domain.messages.Message` saying why, and extra ``detail``.

The security layer adds its own refusals (not signed in, wrong password, outside one's scope...) on the same
base, so an interface handles every refusal in one place.
"""

from __future__ import annotations

from typing import Any

from .messages import Message


class KeyedError(ValueError):
    """Base of the errors that tell a person what is wrong with what they asked for (a period that is not one, a
    query that cannot be answered, a file that cannot be read): ``message`` is keyed and rendered in the reader's
    language; ``str()`` is the English text, for logs."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        """The message in ``lang`` (``zh`` or ``en``)."""
        return self.message.render(lang)


class Refusal(Exception):
    """Base of the refusals: ``code`` (stable), ``message`` (keyed, rendered in the reader's language) and
    ``detail`` (extra fields an interface may pass on, e.g. ``retry_after``). Without a message the class's
    default, ``errors.<code>``, is used."""

    code = "bad_request"

    def __init__(self, message: Message | None = None, **detail: Any) -> None:
        self.message = message if message is not None else Message(f"errors.{self.code}")
        self.detail = detail
        super().__init__(self.message.render("en"))

    def render(self, lang: str) -> str:
        """The message in ``lang`` (``zh`` or ``en``)."""
        return self.message.render(lang)

    @property
    def zh(self) -> str:
        """The message in Chinese."""
        return self.message.render("zh")

    @property
    def en(self) -> str:
        """The message in English."""
        return self.message.render("en")


class NotFound(Refusal):
    """No such object — or one the caller may not see: the two are indistinguishable on purpose."""

    code = "not_found"


class Conflict(Refusal):
    """The object exists already, or is not in a state that allows the change."""

    code = "conflict"


class InvalidInput(Refusal):
    """A value that breaks a rule (password too short, a scope that is not a USCC or province code)."""

    code = "invalid_input"
