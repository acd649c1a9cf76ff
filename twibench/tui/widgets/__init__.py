"""The TUI's widgets: each posts messages up to its screen and takes data down through methods."""
