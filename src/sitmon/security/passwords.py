"""Password hashing with argon2id (argon2-cffi), parameters from the settings (RFC 9106 low-memory
profile by default); a stored hash made with other parameters is upgraded at the next login."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ..config import Settings
from ..domain import Message
from .errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024


@cache
def _hasher(time_cost: int, memory_kib: int, parallelism: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism)


def hasher(settings: Settings) -> PasswordHasher:
    """The argon2id hasher with the deployment's parameters."""
    return _hasher(settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)


def check_policy(password: str) -> None:
    """Raise :class:`InvalidInput` unless the password has 10 to 1024 characters and is not one repeated character."""
    if len(password) < MIN_LENGTH or len(set(password)) < 2:
        raise InvalidInput(Message("errors.password_rule", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        raise InvalidInput(Message("errors.password_too_long"))


def hash_password(settings: Settings, password: str) -> str:
    """The argon2id hash (PHC string) of ``password`` after checking the policy."""
    check_policy(password)
    return hasher(settings).hash(password)


def verify_password(settings: Settings, stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the stored hash. With no stored hash (unknown user) a dummy hash is
    checked, so the answer takes as long either way and does not tell which user names exist."""
    ph = hasher(settings)
    try:
        return ph.verify(stored or _dummy(settings), password[:MAX_LENGTH]) and stored is not None
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
