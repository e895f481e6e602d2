"""What makes a password acceptable: long enough, and not guessable — checked offline against the common
passwords, English words, names, keyboard patterns and dates that ``zxcvbn`` ships (its strength estimate must
reach 3 of 4, "safely unguessable" against online attacks), and against the user's own name, the system's name
and passwords common in China that those lists lack (``CHINESE_COMMON``)."""

from __future__ import annotations

from functools import cache

from ..domain import Message
from .errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 1024
MIN_SCORE = 3
_ANALYSED = (
    100  # zxcvbn's work grows fast with length; a longer password is judged on its first 100 characters
)

CHINESE_COMMON = (
    "woaini",
    "woaini1314",
    "5201314",
    "1314520",
    "520520",
    "aini",
    "iloveyou",
    "zhangwei",
    "wangwei",
    "wangfang",
    "liwei",
    "lina",
    "zhangmin",
    "liuyang",
    "qq123456",
    "qwe123",
    "1qaz2wsx",
    "1q2w3e4r",
    "zxcvbnm",
    "asdfghjkl",
    "123qwe",
    "abc123",
    "a123456",
    "admin123",
    "root123",
    "888888",
    "666666",
    "168168",
    "518518",
    "147258369",
    "baidu",
    "taobao",
    "weixin",
    "wechat",
    "alibaba",
    "huawei",
    "xiaomi",
    "beijing",
    "shanghai",
    "shenzhen",
    "zhongguo",
    "china",
    "tongji",
    "tongjiju",
    "ruanjian",
    "xinxi",
    "gongxinbu",
    "mima",
    "mima123",
    "zhimakaimen",
)
"""Passwords and words common in China that English lists miss (pinyin, lucky numbers, keyboard walks)."""

SYSTEM_WORDS = ("sitmon", "software", "statistics", "ruanjian", "tongji", "password", "mima")


@cache
def _zxcvbn():  # type: ignore[no-untyped-def]
    from zxcvbn import zxcvbn

    return zxcvbn


def check_password(password: str, username: str | None = None) -> None:
    """Raise :class:`InvalidInput` unless ``password`` has 10 to 1024 characters and is not guessable (see the
    module docstring); the message says which."""
    if len(password) > MAX_LENGTH:
        raise InvalidInput(Message("errors.password_too_long"))
    if len(password) < MIN_LENGTH or len(set(password)) < 2:
        raise InvalidInput(Message("errors.password_rule", n=MIN_LENGTH))
    inputs = [w for w in (username or "", *SYSTEM_WORDS, *CHINESE_COMMON) if w]
    score = _zxcvbn()(password[:_ANALYSED], user_inputs=inputs)["score"]
    if score < MIN_SCORE:
        raise InvalidInput(Message("http_edge.password_guessable"))
