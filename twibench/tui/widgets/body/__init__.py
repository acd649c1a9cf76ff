"""The response body viewer, split like a document viewer: the document is UI-free
(`twibench.workbench.body_document`, and `body_filter` for its JSONPath filter); `viewer` is the widget
(cursor, keys, drawing), `layout` and `wrap` place its lines, `loading` formats large bodies in a thread,
`painter` draws its rows, `messages` are what it posts, `keys` lists its keys and help, and each command
has its module: `search` + `searching` (`/`), `filtering` (`f`), `copying` (`c`/`C`/`v`).
"""

from twibench.tui.widgets.body.painter import MAX_LINE_CHARS
from twibench.tui.widgets.body.viewer import SYNC_LIMIT, BodyViewer

__all__ = ["MAX_LINE_CHARS", "SYNC_LIMIT", "BodyViewer"]
