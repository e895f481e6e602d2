"""The shared vocabulary at the bottom of the package: periods, messages (and, as they move here, units,
codes and the common errors). Pure: no database, no files beyond the package's own data, no interface."""

from .messages import LANGS, Lang, Message, text
from .period import Form, Period, PeriodError, form_of, parse_periods, period_range

__all__ = ["LANGS", "Form", "Lang", "Message", "Period", "PeriodError", "form_of", "parse_periods",
           "period_range", "text"]
