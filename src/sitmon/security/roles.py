"""Roles and scopes: who a caller is and which enterprises their scope covers.

| role | scope | sees and changes |
| --- | --- | --- |
| ``filer`` | one enterprise (its USCC) | its own reports |
| ``reviewer`` | one province (GB/T 2260 code) | reports, queue, micro-data of the province |
| ``analyst`` | national | everything statistical; closes and publishes periods |
| ``admin`` | national | everything, plus users |
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from ..catalog import load_catalog
from ..domain import Message
from ..domain.uscc import is_valid_uscc
from .errors import Forbidden, InvalidInput, NotAuthenticated, OutsideScope


class Role(StrEnum):
    """The four roles."""

    filer = "filer"
    reviewer = "reviewer"
    analyst = "analyst"
    admin = "admin"


NATIONAL = frozenset({Role.analyst, Role.admin})
REVIEWERS = frozenset({Role.reviewer, Role.analyst, Role.admin})


def validate_scope(role: Role, scope: str | None) -> str | None:
    """The normalised scope for ``role``: a valid USCC for a filer, a reporting province's code for a
    reviewer, None for national roles. Raises :class:`InvalidInput` otherwise."""
    scope = scope.strip().upper() if scope else None
    if role is Role.filer:
        if not scope or not is_valid_uscc(scope):
            raise InvalidInput(Message("errors.filer_scope"))
        return scope
    if role is Role.reviewer:
        provinces = {p.code for p in load_catalog().reporting_provinces}
        if scope not in provinces:
            raise InvalidInput(Message("errors.reviewer_scope"))
        return scope
    if scope:
        raise InvalidInput(Message("errors.national_scope"))
    return None


@dataclass(frozen=True)
class Principal:
    """The caller of one request: a user with role and scope, or the anonymous reader (``role`` None).

    ``via`` says how they authenticated (``token``, ``session`` or ``anonymous``); a session caller also
    carries the session's id and token, which the CSRF check needs.
    """

    username: str
    role: Role | None = None
    scope: str | None = None
    user_id: int | None = None
    via: str = "anonymous"
    session_id: int | None = None
    session_token: str | None = field(default=None, repr=False)

    @property
    def anonymous(self) -> bool:
        """True for the anonymous reader."""
        return self.role is None

    @property
    def national(self) -> bool:
        """True when the scope is the whole country (analyst, admin)."""
        return self.role in NATIONAL

    @property
    def province(self) -> str | None:
        """The reviewer's province code (None for other roles)."""
        return self.scope if self.role is Role.reviewer else None

    @property
    def uscc(self) -> str | None:
        """The filer's enterprise (None for other roles)."""
        return self.scope if self.role is Role.filer else None

    def require(self, *roles: Role) -> None:
        """Raise :class:`NotAuthenticated` for the anonymous reader, :class:`Forbidden` for another role."""
        if self.anonymous:
            raise NotAuthenticated()
        if self.role not in roles:
            raise Forbidden()

    def covers(self, uscc: str, province: str | None) -> bool:
        """Whether this caller's scope covers the enterprise ``uscc`` located in ``province``."""
        if self.role is Role.filer:
            return uscc == self.scope
        if self.role is Role.reviewer:
            return province == self.scope
        return self.national

    def province_filter(self, asked: str | None = None) -> str | None:
        """The province a listing is limited to: the reviewer's own (asking for another is
        :class:`OutsideScope`), or ``asked`` for national roles (None: all)."""
        if self.role is Role.reviewer:
            if asked is not None and asked != self.scope:
                raise OutsideScope(Message("errors.own_province_only"))
            return self.scope
        return asked

    def uscc_filter(self, asked: str | None = None) -> str | None:
        """The enterprise a listing is limited to: the filer's own (asking for another is
        :class:`OutsideScope`, decided without looking it up), or ``asked`` for other roles."""
        asked = asked.strip().upper() if asked else None
        if self.role is Role.filer:
            if asked is not None and asked != self.scope:
                raise OutsideScope(Message("errors.own_enterprise_only"))
            return self.scope
        return asked


ANONYMOUS = Principal(username="anonymous")
