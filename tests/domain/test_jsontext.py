"""Every JSON sitmon writes is strict: NaN and ±Infinity are refused, never written."""

import math

import pytest

from sitmon.domain import jsontext


@pytest.mark.parametrize("bad", [math.inf, -math.inf, math.nan])
def test_non_finite_numbers_are_refused(bad):
    with pytest.raises(ValueError):
        jsontext.dumps({"v": bad})
    with pytest.raises(ValueError):
        jsontext.dumps([bad], indent=2)


def test_text_is_kept_readable():
    assert jsontext.dumps({"地区": "东部"}) == '{"地区": "东部"}'
    assert jsontext.dumps({"a": 1}, ensure_ascii=True) == '{"a": 1}'
