"""Exporters: a request as a curl command, a twilio-cli command or a Python snippet; collections as Postman.

Every snippet reads credentials from the environment (`$TWILIO_ACCOUNT_SID`, `$TWILIO_AUTH_TOKEN`, or
the API key pair) and never contains a secret. The TUI's command palette calls `to_curl`,
`to_twilio_cli` and `to_python` with the request being edited, the active profile and the merged
variables; `twibench export` does the same from the command line.
"""

from __future__ import annotations

from twibench.exporters.curl import to_curl
from twibench.exporters.python import to_python
from twibench.exporters.rendering import ExportError
from twibench.exporters.twilio_cli import to_twilio_cli

__all__ = ["ExportError", "to_curl", "to_python", "to_twilio_cli"]
