"""Command-line commands, one module per command (each exposes `main(argv) -> exit code`)."""
