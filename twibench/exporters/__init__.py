"""Exporters: a request as curl, twilio-cli or a helper-library snippet; collections as Postman.

Snippets exist for every helper library Twilio publishes: Python (`to_python`), Node (`to_node`), C#
(`to_csharp`), Java (`to_java`), PHP (`to_php`), Ruby (`to_ruby`) and Go (`to_go`). Each uses the
library's resource call where the request is one of its idiomatic operations (Messages, Accounts, API
Keys), the library's generic request call for other signed requests, and the language's own HTTP client
for a request without credentials or with a body the library cannot send.

Every snippet reads credentials from the environment (`$TWILIO_ACCOUNT_SID`, `$TWILIO_AUTH_TOKEN`, or
the API key pair) and never contains a secret. The TUI's command palette calls `to_curl`,
`to_twilio_cli` and `to_python` with the request being edited, the active profile and the merged
variables; `twibench export` does the same from the command line.
"""

from __future__ import annotations

from twibench.exporters.csharp import to_csharp
from twibench.exporters.curl import to_curl
from twibench.exporters.golang import to_go
from twibench.exporters.java import to_java
from twibench.exporters.node import to_node
from twibench.exporters.php import to_php
from twibench.exporters.python import to_python
from twibench.exporters.rendering import ExportError
from twibench.exporters.ruby import to_ruby
from twibench.exporters.twilio_cli import to_twilio_cli

__all__ = [
    "LANGUAGES",
    "ExportError",
    "to_csharp",
    "to_curl",
    "to_go",
    "to_java",
    "to_node",
    "to_php",
    "to_python",
    "to_ruby",
    "to_twilio_cli",
]

LANGUAGES = {
    "python": to_python,
    "node": to_node,
    "csharp": to_csharp,
    "java": to_java,
    "php": to_php,
    "ruby": to_ruby,
    "go": to_go,
}
"""Every helper-library snippet exporter by its `twibench export` format name."""
