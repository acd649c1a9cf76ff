"""Date filters of list endpoints (`DateSent`, `DateSent<`, `DateSent>`, and the same for DateCreated).

On the wire `DateSent<=2024-05-01` is the parameter `DateSent<` with the value `2024-05-01`, so `<` reads
"on or before" and `>` "on or after". A date covers its whole day (GMT); a timestamp its second.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from twibench.sandbox.errors import invalid_parameter

_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_TIMESTAMP = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$")


def parse_range(value: str, name: str) -> tuple[float, float]:
    """The [start, end) epoch range a filter value covers.

    Raises:
        ApiError: 400 when the value is neither `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM:SSZ` nor an RFC 2822 date.
    """
    text = value.strip()
    try:
        if _DATE.match(text):
            day = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
            # The day after 9999-12-31 is past datetime's range: the range ends where the day does.
            return day.timestamp(), day.timestamp() + 86_400
        if _TIMESTAMP.match(text):
            moment = datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        else:
            moment = parsedate_to_datetime(text)
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
        start = moment.timestamp()
    except (ValueError, TypeError, IndexError, OverflowError):
        # OverflowError: an offset that moves year 1 or 9999 out of datetime's range.
        raise invalid_parameter(f"{name} must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, got '{value[:40]}'") from None
    return start, start + 1


def date_condition(column: str, op: str, value: str, name: str) -> tuple[str, list[float]]:
    """SQL for one date filter on `column` (a fixed column name from the code).

    Args:
        column: the epoch-seconds column.
        op: "" (on that day/second), "<" (on or before), ">" (on or after).
        value: the filter value from the request.
        name: the parameter name, for the error message.
    """
    start, end = parse_range(value, name)
    if op == "<":
        return f"{column} < ?", [end]
    if op == ">":
        return f"{column} >= ?", [start]
    return f"{column} >= ? AND {column} < ?", [start, end]
