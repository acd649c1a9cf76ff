"""Pretty-printing of response bodies by content type, as a list of display lines.

The body viewer draws only the lines on screen, so every renderer produces `list[str]` (no newline
characters, no terminal control characters) that can be indexed, searched and coloured lazily, never one
big string.

Large bodies are formatted off the UI thread, and a thread only helps if no single C call holds the GIL
for long: `json.loads` on 20 MB holds it for 0.1–0.3 s. So JSON is decoded 1 MB at a time and walked
here; each container that ends inside the decoded window (a Twilio record, typically) is parsed by the C
scanner on its own and indented by a line emitter that is faster than `json.dumps(indent=2)` (pure Python
when `indent` is set). The whole document never exists as one string or one object tree, which also
keeps peak memory near the size of the lines themselves. `iter_render` yields lines in batches so a
worker can show the first screen early, report progress and stop when a newer body replaces this one;
`render_body` collects them. `bench/render.py` measures all three (time, GIL holds, memory).

Safety: XML is parsed by expat with any DOCTYPE refused (no entity expansion, no external entities), and
control characters in bodies are shown as visible symbols so a response cannot drive the terminal.

The package: `body` picks a renderer; `json_stream`, `xml`, `csv` and `text` render; `lines` holds what
they share (result types, decoding, visible text); `search` finds a line.
"""

from twibench.render.body import iter_render, render_body
from twibench.render.json_stream import json_tokens
from twibench.render.lines import CSV_ALIGN_MAX_ROWS, CSV_CELL_MAX, PREVIEW_BYTES, RenderBatch, Rendered, RenderKind
from twibench.render.search import search

__all__ = [
    "CSV_ALIGN_MAX_ROWS",
    "CSV_CELL_MAX",
    "PREVIEW_BYTES",
    "RenderBatch",
    "RenderKind",
    "Rendered",
    "iter_render",
    "json_tokens",
    "render_body",
    "search",
]
