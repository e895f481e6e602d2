"""The shared vocabulary at the bottom of the package: periods, units and their conversion, region and USCC
codes, the common refusals and the message catalogue. Pure: no database, no files beyond the package's own
data, no interface."""

from .errors import Conflict, InvalidInput, KeyedError, NotFound, Refusal
from .messages import LANGS, Label, Lang, Message, term, text
from .period import Form, Period, PeriodError, form_of, parse_periods, period_range

__all__ = [
    "LANGS",
    "Conflict",
    "Form",
    "InvalidInput",
    "KeyedError",
    "Label",
    "Lang",
    "Message",
    "NotFound",
    "Period",
    "PeriodError",
    "Refusal",
    "form_of",
    "parse_periods",
    "period_range",
    "term",
    "text",
]
