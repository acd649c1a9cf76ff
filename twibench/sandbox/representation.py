"""Rendering a reply in the representation the URL asked for: `.json`, `.csv`, or XML (no suffix).

JSON is the one that matters and mirrors Twilio byte for byte in shape. CSV and XML are reasonable
renderings of the same data (Twilio offers both) so the suffix-less and `.csv` URLs are never dead ends.
"""

from __future__ import annotations

import csv
import io
import json
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from twibench.sandbox.call import Format

CONTENT_TYPES: dict[str, str] = {
    "json": "application/json; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "xml": "application/xml; charset=utf-8",
}


def render(payload: dict[str, Any], fmt: Format, element: str, records_key: str | None) -> bytes:
    """Bytes of `payload` in `fmt`."""
    if fmt == "json":
        return json.dumps(payload).encode("utf-8")
    if fmt == "csv":
        records = payload[records_key] if records_key else [payload]
        return _csv(records).encode("utf-8")
    return _xml(payload, element, records_key).encode("utf-8")


def render_error(body: dict[str, Any], fmt: Format) -> tuple[bytes, str]:
    """An error body: XML for suffix-less URLs (as Twilio does), JSON otherwise."""
    if fmt == "xml":
        inner = "".join(f"<{_camel(k)}>{_text(v)}</{_camel(k)}>" for k, v in body.items())
        return (
            f"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse><RestException>{inner}"
            "</RestException></TwilioResponse>"
        ).encode(), CONTENT_TYPES["xml"]
    return json.dumps(body).encode("utf-8"), CONTENT_TYPES["json"]


def _csv(records: list[dict[str, Any]]) -> str:
    if not records:
        return ""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    names = list(records[0])
    writer.writerow(names)
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in names])
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)


def _xml(payload: dict[str, Any], element: str, records_key: str | None) -> str:
    if records_key is None:
        inner = _element(element, payload)
    else:
        attrs = "".join(
            f" {key.replace('_', '')}={quoteattr(_cell(value))}" for key, value in payload.items() if key != records_key
        )
        records = "".join(_element(element, record) for record in payload[records_key])
        container = _camel(records_key)
        inner = f"<{container}{attrs}>{records}</{container}>"
    return f"<?xml version='1.0' encoding='UTF-8'?>\n<TwilioResponse>{inner}</TwilioResponse>"


def _element(name: str, value: Any) -> str:
    if isinstance(value, dict):
        children = "".join(_element(_camel(k), v) for k, v in value.items())
        return f"<{name}>{children}</{name}>"
    if value is None:
        return f"<{name}/>"
    return f"<{name}>{_text(value)}</{name}>"


def _text(value: Any) -> str:
    return escape(_cell(value))


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))
