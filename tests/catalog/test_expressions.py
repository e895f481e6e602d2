import numpy as np
import pytest

from sitmon.catalog.expressions import ExpressionError, parse_expression


def test_vectorised_evaluation_with_functions_and_chained_comparison():
    e = parse_expression("abs(a - b) <= max(1, 0.001 * a) and 0 <= b <= a", {"a", "b"})
    env = {"a": np.array([1000.0, 1000.0, 5.0]), "b": np.array([999.5, 990.0, 6.0])}
    assert e.evaluate(env).tolist() == [True, False, False]
    assert e.names == {"a", "b"}


@pytest.mark.parametrize(
    "text",
    [
        "__import__('os').system('x')",
        "a.__class__",
        "open('f')",
        "a ** 2",
        "[a]",
        "a if b else 1",
        "lambda: 1",
    ],
)
def test_anything_outside_the_language_is_refused(text):
    with pytest.raises(ExpressionError):
        parse_expression(text, {"a", "b"})


def test_unknown_names_and_syntax_errors():
    with pytest.raises(ExpressionError, match="unknown name 'c'"):
        parse_expression("a + c > 0", {"a"})
    with pytest.raises(ExpressionError, match="syntax"):
        parse_expression("a >", {"a"})
