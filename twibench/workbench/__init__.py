"""The state of an interactive session, without any UI (no Textual here): what the TUI shows and edits.

- `workspace`: the loaded collections and their requests, with unsaved edits (`RequestEntry`).
- `session`: the profiles, the active profile, the variables (one `twibench.runner.Session`), sending.
- `history_log`: the request history as the session reads and writes it (a writer thread).
- `paste`: what a pasted URL or curl command means.
- `body_document`: a formatted response body as compact chunks of lines (search, Twilio URIs); `memory`:
  handing freed heap back to the OS after a large body.
"""
