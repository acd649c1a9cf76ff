"""Copying from the body viewer: the value under the cursor (`c`), the body as shown (`C`), and the fallback.

Copies go through the terminal (OSC 52, Textual's `copy_to_clipboard`), which some terminals ignore
without a word, so each copy says it went by OSC 52 and that `v` shows it (to select with the mouse or
save to a file). What is copied is the viewer's text, which is the masked body: never a secret. Text over
`OSC52_LIMIT` is not sent at all (terminals drop or truncate long OSC 52 sequences); `v` saves it instead,
and text over `SHOW_LIMIT` goes straight to "save to a file" rather than into a dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from twibench.tui.widgets.status_line import human_size

if TYPE_CHECKING:
    from twibench.tui.widgets.body.host import CopyHost
    from twibench.workbench.body_document import BodyDocument

__all__ = ["OSC52_LIMIT", "SHOW_LIMIT", "Copier"]

OSC52_LIMIT = 1024 * 1024
"""Bytes of text sent through OSC 52 at most (base64 makes it a third larger on the wire)."""
SHOW_LIMIT = 256 * 1024
"""Bytes of text shown in the dialog at most; more is offered as a file."""


class Copier:
    """Copies from a viewer and remembers the last copy for the show/save fallback (`v`)."""

    def __init__(self, viewer: CopyHost) -> None:
        self.viewer = viewer
        self.last: tuple[str, str] | None = None

    def copy_value(self, document: BodyDocument | None, index: int) -> None:
        """Copy the value on a line (see `BodyDocument.value_at`); the bell when there is nothing."""
        if document is None or not document.line_count:
            self.viewer.app.bell()
        else:
            self.copy("value", document.value_at(index))

    def copy_body(self, document: BodyDocument | None, filtered: bool) -> None:
        """Copy the shown document whole (the filter's matches while filtered); the bell when empty."""
        if document is None or not document.line_count:
            self.viewer.app.bell()
        else:
            self.copy("filter matches" if filtered else "body", document.whole().decode("utf-8", "replace"))

    def copy(self, what: str, text: str) -> None:
        """Send `text` to the clipboard via OSC 52 (unless too large) and say how, and what `v` offers."""
        app = self.viewer.app
        self.last = (what, text)
        length = len(text.encode("utf-8", "replace"))
        size = human_size(length)
        if length > OSC52_LIMIT:
            app.notify(
                f"The {what} is {size}, too large for the terminal clipboard (OSC 52): press v to save it to a file.",
                title="Not copied",
                severity="warning",
            )
            return
        app.copy_to_clipboard(text)
        app.notify(
            f"Copied the {what} ({size}, secrets masked) via OSC 52. Nothing to paste? "
            "Some terminals ignore OSC 52: press v to show it or save it to a file.",
            title="Copied",
        )

    def show(self) -> None:
        """`v`: the last copy in a dialog (to select, copy again or save), or straight to "save" when large."""
        from twibench.tui.dialogs.copied import CopiedScreen

        if self.last is None:
            self.viewer.notify("Nothing copied yet: c copies the value under the cursor, C the body.")
            return
        what, text = self.last
        if len(text) > SHOW_LIMIT:
            self.save()
            return
        dialog = CopiedScreen(f"Copied {what}", text, note="Secrets are masked.")
        self.viewer.app.push_screen(dialog, lambda choice: self.save() if choice == "save" else None)

    def save(self) -> None:
        """Ask for a file name and write the last copy there."""
        from twibench.tui.dialogs.prompts import TextPrompt

        if self.last is None:
            return
        what, text = self.last
        suffix = ".json" if self.viewer.kind == "json" and what != "value" else ".txt"
        suggestion = Path.cwd() / f"{'body' if what != 'value' else 'value'}{suffix}"
        prompt = TextPrompt(f"Save the {what} to", value=str(suggestion), note="Secrets are masked.", confirm="Save")
        self.viewer.app.push_screen(prompt, lambda answer: self._write(answer, text))

    def _write(self, answer: str | None, text: str) -> None:
        from twibench.atomic import write_atomic

        if not answer:
            return
        target = Path(answer).expanduser()
        if target.is_dir():
            self.viewer.notify(f"{target} is a folder; give a file name.", severity="error", title="Not saved")
            return
        data = text.encode("utf-8", "replace")
        try:
            write_atomic(target, data)
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.viewer.notify(f"Could not write {target}: {reason}.", severity="error", title="Not saved")
            return
        self.viewer.notify(f"Saved {len(data):,} bytes to {target}.")
