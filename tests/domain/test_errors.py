"""The common refusals: a stable code, a keyed message in both languages, extra detail; security's refusals on
the same base."""

from __future__ import annotations

import pytest

from sitmon import security
from sitmon.domain import Conflict, InvalidInput, Message, NotFound, Refusal
from sitmon.domain.messages import catalogue

REFUSALS = [
    NotFound,
    Conflict,
    InvalidInput,
    security.AccessError,
    security.NotAuthenticated,
    security.InvalidCredentials,
    security.RateLimited,
    security.InvalidToken,
    security.SessionExpired,
    security.CsrfFailed,
    security.Forbidden,
    security.OutsideScope,
]


@pytest.mark.parametrize("cls", REFUSALS, ids=lambda c: c.__name__)
def test_every_refusal_has_a_default_message_for_its_code(cls):
    exc = cls()
    assert isinstance(exc, Refusal)
    assert f"errors.{cls.code}" in catalogue()
    assert exc.message == Message(f"errors.{cls.code}")
    assert exc.zh != exc.en and exc.render("zh") == exc.zh and str(exc) == exc.en


def test_codes_are_stable():
    assert [c.code for c in REFUSALS] == [
        "not_found",
        "conflict",
        "invalid_input",
        "forbidden",
        "not_authenticated",
        "invalid_credentials",
        "too_many_attempts",
        "invalid_token",
        "session_expired",
        "csrf_failed",
        "forbidden",
        "outside_scope",
    ]
    assert security.NotFound is NotFound and not issubclass(NotFound, security.AccessError)


def test_a_reason_and_detail_travel_with_the_refusal():
    exc = NotFound(Message("errors.no_user", username="li"))
    assert (exc.zh, exc.en) == ("没有用户 li", "no user li")
    limited = security.RateLimited(retry_after=30, limit="user")
    assert limited.detail == {"retry_after": 30, "limit": "user"} and "try again later" in limited.en
