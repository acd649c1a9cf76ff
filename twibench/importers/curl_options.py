"""The curl command-line options twibench understands, and what each one means for the request.

Kept apart from the parser so the table reads as documentation: every option curl users paste from
Twilio's docs or a browser's "Copy as cURL" is listed, with whether it takes a value. An option that is
not here is an error naming it, so nothing the user wrote is dropped silently.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Option:
    """One curl option: its canonical action and whether it takes a value."""

    action: str
    takes_value: bool


def _table() -> dict[str, Option]:
    with_value = {
        "request": ("-X", "--request"),
        "data": ("-d", "--data", "--data-ascii"),
        "data-raw": ("--data-raw",),
        "data-binary": ("--data-binary",),
        "data-urlencode": ("--data-urlencode",),
        "json": ("--json",),
        "header": ("-H", "--header"),
        "user": ("-u", "--user"),
        "url": ("--url",),
        "user-agent": ("-A", "--user-agent"),
        "referer": ("-e", "--referer"),
        "cookie": ("-b", "--cookie"),
        "max-time": ("-m", "--max-time"),
        "form": ("-F", "--form", "--form-string"),
        # Options about curl's own output or connection handling: their value is read and ignored.
        "ignore-value": (
            "-o", "--output", "-w", "--write-out", "--connect-timeout", "--retry", "--retry-delay",
            "--retry-max-time", "-D", "--dump-header", "--stderr", "--trace", "--trace-ascii", "-c",
            "--cookie-jar", "--max-redirs", "--limit-rate", "-Y", "--speed-limit", "-y", "--speed-time",
        ),
        "proxy": ("-x", "--proxy"),
        "upload": ("-T", "--upload-file"),
        "config": ("-K", "--config"),
        "cert": ("-E", "--cert", "--key", "--cacert", "--capath"),
    }  # fmt: skip
    flags = {
        "get": ("-G", "--get"),
        "head": ("-I", "--head"),
        "location": ("-L", "--location", "--location-trusted"),
        "insecure": ("-k", "--insecure"),
        "basic": ("--basic",),
        # Output and protocol niceties that change nothing about the request twibench sends.
        "ignore": (
            "-s", "--silent", "-S", "--show-error", "-v", "--verbose", "-i", "--include", "-f", "--fail",
            "--fail-with-body", "--compressed", "-#", "--progress-bar", "-N", "--no-buffer", "--http1.0",
            "--http1.1", "--http2", "--http2-prior-knowledge", "-q", "--disable", "--globoff", "-g",
            "--no-progress-meter", "-O", "--remote-name", "--tr-encoding", "--no-keepalive", "-0",
            "--raw", "--path-as-is", "--ssl-reqd",
        ),
    }  # fmt: skip
    table: dict[str, Option] = {}
    for action, names in with_value.items():
        table.update({name: Option(action, True) for name in names})
    for action, names in flags.items():
        table.update({name: Option(action, False) for name in names})
    return table


OPTIONS = _table()

UNSUPPORTED = {
    "form": "multipart form uploads (-F) are not supported; twibench sends form fields as "
    "application/x-www-form-urlencoded, so use --data-urlencode 'Name=value' for each field",
    "proxy": "a proxy (-x) is not part of a request; set HTTPS_PROXY in the environment instead",
    "upload": "file uploads (-T) are not supported",
    "config": "curl config files (-K) are not read; paste the options themselves",
    "cert": "client certificates and custom CA options are not part of a request; set SSL_CERT_FILE instead",
}
"""Options curl has but a twibench request cannot express: an error explains why and what to do."""
