"""The TUI's screens: the main workbench (wiring only; the modal dialogs are in twibench.tui.dialogs)."""
