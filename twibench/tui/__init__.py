"""The Textual app: `twibench [PATH ...]` opens it (see `twibench.tui.app.run`).

Importing this package imports nothing heavy: the app module loads Textual, and httpx, Markdown and the
sandbox are only loaded after the first frame is on screen. It pauses Python's cyclic garbage collector
until that first frame (see `twibench.tui.startup`).
"""

from twibench.tui.startup import pause_collector

pause_collector()
