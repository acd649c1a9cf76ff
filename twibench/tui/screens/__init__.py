"""The TUI's screens: the main workbench, and the modal dialogs it opens."""
