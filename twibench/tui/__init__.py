"""The Textual app: `twibench [PATH ...]` opens it (see `twibench.tui.app.run`).

Importing this package has no side effect and imports nothing heavy: the app module loads Textual, and
httpx, Markdown and the sandbox are only loaded after the first frame is on screen. `twibench.cli.tui`
pauses Python's cyclic garbage collector before importing it, until that first frame (see `twibench.tui.startup`).
"""
