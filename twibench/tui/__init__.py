"""The Textual app: `twibench [PATH ...]` opens it (see `twibench.tui.app.run`).

Importing this package has no side effect and imports nothing heavy: the app module loads Textual, and
httpx, Markdown and the sandbox are only loaded after the first frame is on screen. `run()` pauses
Python's cyclic garbage collector until that first frame (see `twibench.tui.startup`).
"""
