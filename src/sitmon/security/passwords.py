"""Password hashing with argon2id (argon2-cffi), parameters from the settings (RFC 9106 low-memory
profile by default); a stored hash made with other parameters is upgraded at the next login."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..config import Settings
from .errors import RateLimited
from .password_policy import MAX_LENGTH, MIN_LENGTH, check_password

__all__ = [
    "MAX_LENGTH",
    "MIN_LENGTH",
    "check_policy",
    "hash_password",
    "hasher",
    "needs_rehash",
    "password_slot",
    "verify_password",
]


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher with the deployment's parameters."""
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def check_policy(password: str, username: str | None = None) -> None:
    """Raise :class:`InvalidInput` unless the password is acceptable: 10 to 1024 characters and not guessable
    (:func:`sitmon.security.password_policy.check_password`)."""
    check_password(password, username)


@cache
def _semaphore(size: int) -> threading.BoundedSemaphore:
    return threading.BoundedSemaphore(size)


_waiting = 0
_waiting_lock = threading.Lock()


@contextmanager
def password_slot(settings: Settings, wait: float = 10.0) -> Iterator[None]:
    """Hold one of the ``settings.password_checks`` slots for an argon2id computation (64 MiB each), so memory
    stays bounded however many logins arrive at once. When more than 16 callers per slot already wait, or the
    wait exceeds ``wait`` seconds, :class:`RateLimited` (``limit="busy"``) refuses at once."""
    global _waiting
    sem = _semaphore(settings.password_checks)
    with _waiting_lock:
        if _waiting >= 16 * settings.password_checks:
            raise RateLimited(retry_after=1, limit="busy")
        _waiting += 1
    try:
        acquired = sem.acquire(timeout=wait)
    finally:
        with _waiting_lock:
            _waiting -= 1
    if not acquired:
        raise RateLimited(retry_after=1, limit="busy")
    try:
        yield
    finally:
        sem.release()


def hash_password(settings: Settings, password: str, username: str | None = None) -> str:
    """The argon2id hash (PHC string) of ``password`` after checking the policy."""
    check_policy(password, username)
    with password_slot(settings):
        return hasher(settings).hash(password)


def verify_password(settings: Settings, stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash. With no stored hash (unknown user) a dummy hash is
    checked, so the answer takes as long either way and does not tell which user names exist."""
    ph = hasher(settings)
    dummy = _dummy(settings)
    with password_slot(settings):
        try:
            return ph.verify(stored or dummy, password[:MAX_LENGTH]) and stored is not None
        except (VerificationError, InvalidHashError):
            return False


def needs_rehash(settings: Settings, stored: str) -> bool:
    """Whether a stored hash was made with other parameters than the settings' (then rehash at login)."""
    return hasher(settings).check_needs_rehash(stored)


def _dummy(settings: Settings) -> str:
    return _dummy_for(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


@cache
def _dummy_for(time_cost: int, memory_kib: int, parallelism: int) -> str:
    return _hasher(time_cost, memory_kib, parallelism).hash("not a password of anyone")
