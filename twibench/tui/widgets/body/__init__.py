"""The response body viewer, split like a document viewer: the document is UI-free
(`twibench.workbench.body_document`); `viewer` is the widget (loading, cursor, search, keys), `painter`
draws its rows, `keys` lists its keys and help.
"""

from twibench.tui.widgets.body.painter import MAX_LINE_CHARS
from twibench.tui.widgets.body.viewer import SYNC_LIMIT, BodyViewer

__all__ = ["MAX_LINE_CHARS", "SYNC_LIMIT", "BodyViewer"]
